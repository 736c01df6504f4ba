"""DRF side (the reference) of the fast-path tests."""

from tests.fastpath.views import urlpatterns as _patterns

urlpatterns = _patterns("drf")
