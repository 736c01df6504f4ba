from django.apps import AppConfig


class DjangoBoltConfig(AppConfig):
    name = "django_bolt"
    verbose_name = "Django Bolt"

    def ready(self) -> None:
        from django_bolt import checks  # noqa: F401 (registers the system checks)
