from django.apps import AppConfig


class CompatAppConfig(AppConfig):
    name = "compat.app"
    label = "compat_app"
    default_auto_field = "django.db.models.BigAutoField"
