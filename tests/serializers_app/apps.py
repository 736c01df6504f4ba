from django.apps import AppConfig


class SerializersAppConfig(AppConfig):
    name = "tests.serializers_app"
    label = "serializers_app"
    default_auto_field = "django.db.models.BigAutoField"
