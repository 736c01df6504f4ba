"""Django URLconf for the DRF twins used by the parity tests."""

urlpatterns: list = []
