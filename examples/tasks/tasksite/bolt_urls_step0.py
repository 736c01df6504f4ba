"""Step 0: nothing ported; runbolt hands every request to Django (the fall-through)."""

urlpatterns: list = []
