"""Models for the serializer tests that need relations and uniqueness rules beyond ``tests.app.Item``."""

from django.db import models
from django.db.models import Q


class Author(models.Model):
    name = models.CharField(max_length=50, unique=True, verbose_name="full name", help_text="Pen name allowed")
    email = models.EmailField(blank=True)
    born = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    label = models.SlugField(max_length=20, unique=True)

    class Meta:
        ordering = ["id"]


class Book(models.Model):
    STATUSES = [("draft", "Draft"), ("published", "Published")]

    title = models.CharField(max_length=100)
    author = models.ForeignKey(Author, related_name="books", on_delete=models.CASCADE, null=True, blank=True)
    editor = models.ForeignKey(
        Author, to_field="name", related_name="edited", null=True, blank=True, on_delete=models.SET_NULL
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="books")
    status = models.CharField(max_length=10, choices=STATUSES, default="draft")
    code = models.CharField(max_length=10, blank=True, default="")
    rating = models.FloatField(default=0)
    pages = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["title", "author"],
                name="unique_title_per_author",
                violation_error_message="This author already wrote that title.",
                violation_error_code="duplicate_title",
            ),
            models.UniqueConstraint(fields=["code"], condition=Q(status="published"), name="unique_published_code"),
        ]


class Edition(models.Model):
    book = models.ForeignKey(Book, related_name="editions", on_delete=models.CASCADE)
    number = models.PositiveSmallIntegerField()
    isbn = models.CharField(max_length=13, null=True, blank=True)
    released = models.DateField()
    slug = models.SlugField(unique_for_date="released")

    class Meta:
        ordering = ["id"]
        unique_together = [("book", "number")]
        constraints = [
            models.UniqueConstraint(fields=["isbn"], name="unique_isbn_nulls", nulls_distinct=False),
        ]


class Club(models.Model):
    name = models.CharField(max_length=30)
    members = models.ManyToManyField(Author, through="Membership", related_name="clubs")


class Membership(models.Model):
    club = models.ForeignKey(Club, on_delete=models.CASCADE)
    author = models.ForeignKey(Author, on_delete=models.CASCADE)
    since = models.DateField(auto_now_add=True)


class Profile(Author):
    """Multi-table inheritance: the pk is a one-to-one link to Author."""

    bio = models.TextField(blank=True)
