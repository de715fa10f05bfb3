from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = "Workforce planning"

    def ready(self):
        from nwwmh_portal import content_version
        from planning.models import GuidanceTarget, PayScale, TeamType, TeamTypeCapability, TeamTypeDemand

        # The reference data: role pages show national figures from it, and every plan's results depend on it.
        content_version.watch(TeamType, TeamTypeCapability, TeamTypeDemand, GuidanceTarget, PayScale)
