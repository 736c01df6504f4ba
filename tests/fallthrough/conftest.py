import pytest


@pytest.fixture(autouse=True)
def fallthrough_project(settings):
    """Serve tests.fallthrough's URLconfs and middleware (the engine is built per client, after this)."""
    from tests.fallthrough import settings as project

    # Not REST_FRAMEWORK: DRF binds its defaults at first import, and other suites rely on the stock ones.
    for name in ("MIDDLEWARE", "ROOT_URLCONF", "ROOT_BOLTCONF", "TEMPLATES"):
        setattr(settings, name, getattr(project, name))
    settings.STATIC_URL = project.STATIC_URL
    settings.STATICFILES_DIRS = project.STATICFILES_DIRS
    settings.BOLT = {}
