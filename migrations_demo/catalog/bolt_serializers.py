"""
The catalog's serializers ported to Bolt: ``serializers`` with ``rest_framework`` replaced by ``django_bolt``.
Nothing else changed — same fields, same validation, same JSON.
"""

from django.db.models import Avg

from django_bolt import serializers

from .models import Author, Book, Review


class AuthorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Author
        fields = ["id", "name", "country"]


class BookSerializer(serializers.ModelSerializer):
    """Books read with their author nested, and written with ``author_id``."""

    author = AuthorSerializer(read_only=True)
    author_id = serializers.PrimaryKeyRelatedField(source="author", queryset=Author.objects.all(), write_only=True)
    average_rating = serializers.SerializerMethodField()

    class Meta:
        model = Book
        fields = ["id", "title", "isbn", "price", "published", "in_stock", "author", "author_id", "average_rating"]

    def get_average_rating(self, book: Book) -> float | None:
        # The viewsets annotate it on their querysets; a freshly saved book has no annotation. Serializers run
        # in the sync bridge (the actions and `adata` see to it), so a query here is fine.
        average = book.avg_rating if hasattr(book, "avg_rating") else book.reviews.aggregate(r=Avg("rating"))["r"]
        return None if average is None else round(average, 2)

    def validate_price(self, value):
        if value <= 0:
            raise serializers.ValidationError("Price must be positive.")
        return value


# Used by ``books/{id}/reviews/``. Its docstring is the DRF one: it describes the Review component of the schema.
class ReviewSerializer(serializers.ModelSerializer):
    """A reader's review; the reader is the authenticated user."""

    user = serializers.HiddenField(default=serializers.CurrentUserDefault())
    username = serializers.ReadOnlyField(source="user.username")

    class Meta:
        model = Review
        fields = ["id", "book", "user", "username", "rating", "comment", "created"]
        read_only_fields = ["created"]
