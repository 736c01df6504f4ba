"""The Django/DRF URLconf: what is not yet served by Bolt."""

urlpatterns: list = []
