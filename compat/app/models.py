"""Models of the parity tests: the same table is served by the DRF twin and by the bolt implementation."""

from django.db import models
from taggit.managers import TaggableManager


class Book(models.Model):
    title = models.CharField(max_length=50)
    author = models.CharField(max_length=50, blank=True, default="")
    price = models.DecimalField(max_digits=6, decimal_places=2)
    published = models.DateField(null=True, blank=True)
    in_stock = models.BooleanField(default=True)
    genre = models.CharField(max_length=10, choices=[("fic", "Fiction"), ("doc", "Documentary")], default="fic")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class Article(models.Model):
    """Tagged with django-taggit (a third-party DRF serializer field and mixin in the parity suite)."""

    title = models.CharField(max_length=50)
    tags = TaggableManager(blank=True)

    class Meta:
        ordering = ["id"]
