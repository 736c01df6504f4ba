from django.apps import AppConfig, apps


class DjangoBoltConfig(AppConfig):
    name = "django_bolt"
    verbose_name = "Django Bolt"

    def ready(self) -> None:
        from django_bolt import checks  # noqa: F401 (registers the system checks)

        if apps.is_installed("rest_framework"):
            from django_bolt.compat import install

            install()
        if apps.is_installed("drf_spectacular"):
            from django_bolt.schemas.openapi import install as install_openapi

            install_openapi()
