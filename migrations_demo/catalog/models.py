"""The catalog: authors, their books, and readers' reviews of the books."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=100)
    country = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Book(models.Model):
    title = models.CharField(max_length=200)
    author = models.ForeignKey(Author, related_name="books", on_delete=models.CASCADE)
    isbn = models.CharField("ISBN", max_length=13, unique=True)
    price = models.DecimalField(max_digits=8, decimal_places=2)
    published = models.DateField(null=True, blank=True)
    in_stock = models.BooleanField(default=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class Review(models.Model):
    book = models.ForeignKey(Book, related_name="reviews", on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="reviews", on_delete=models.CASCADE)
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        # One review per reader and book: a second one is a 400 from the serializer, not an IntegrityError.
        unique_together = [("user", "book")]

    def __str__(self) -> str:
        return f"{self.user} on {self.book}: {self.rating}/5"
