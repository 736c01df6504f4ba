"""The bench's `Item` rows (tests.app's table, seeded by bench/run.py), read by the peers without migrating."""

from django.db import models


class Item(models.Model):
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True, default="")
    price = models.DecimalField(max_digits=10, decimal_places=2)
    quantity = models.IntegerField(default=0)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        app_label = "items"
        db_table = "testapp_item"
        managed = False
        ordering = ["id"]
