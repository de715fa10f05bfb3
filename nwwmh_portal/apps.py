from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "nwwmh_portal"
    label = "nwwmh_portal"
    verbose_name = "NWWMH Portal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.core.signals import setting_changed

        from nwwmh_portal import content_version, middleware, security_log

        security_log.connect_signals()
        user_logged_in.connect(
            lambda sender, request, **kwargs: middleware.mark_session_start(request),
            weak=False,
            dispatch_uid="nwwmh_session_start",
        )
        setting_changed.connect(content_version.settings_changed, dispatch_uid="content-version-settings")
