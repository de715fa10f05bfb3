from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "nwwmh_portal"
    verbose_name = "NWWMH Portal"
