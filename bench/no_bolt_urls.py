"""No Bolt routes: every request falls through to Django (bench.settings_fallthrough)."""

urlpatterns: list = []
