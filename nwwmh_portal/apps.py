from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "nwwmh_portal"
    verbose_name = "NWWMH Portal"

    def ready(self):
        from django.core.signals import setting_changed

        from nwwmh_portal import content_version

        setting_changed.connect(content_version.settings_changed, dispatch_uid="content-version-settings")
