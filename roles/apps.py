from django.apps import AppConfig


class RolesConfig(AppConfig):
    name = "roles"
    verbose_name = "Role catalogue"

    def ready(self):
        from nwwmh_portal import content_version

        # Every catalogue model is public content: a change to any of them refreshes the cached public pages.
        content_version.watch(*self.get_models())
