"""Fill the demo database with authors, books, readers (with API tokens) and reviews. Safe to run again."""

from datetime import date
from decimal import Decimal

from catalog.models import Author, Book, Review
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from rest_framework.authtoken.models import Token

AUTHORS = {
    "Ursula K. Le Guin": "US",
    "Terry Pratchett": "GB",
    "Stanisław Lem": "PL",
}
# isbn: (title, author, price, published, in_stock)
BOOKS = {
    "9780553383041": ("A Wizard of Earthsea", "Ursula K. Le Guin", "8.99", date(1968, 11, 1), True),
    "9780061054884": ("The Dispossessed", "Ursula K. Le Guin", "10.99", date(1974, 5, 1), True),
    "9780062225740": ("Guards! Guards!", "Terry Pratchett", "9.50", date(1989, 11, 1), True),
    "9780062237378": ("Small Gods", "Terry Pratchett", "9.99", date(1992, 5, 1), False),
    "9780156027601": ("Solaris", "Stanisław Lem", "12.00", date(1961, 6, 1), True),
}
# username: is_staff
USERS = {"admin": True, "alice": False, "bob": False}
# (username, isbn, rating, comment)
REVIEWS = [
    ("alice", "9780553383041", 5, "A classic."),
    ("bob", "9780553383041", 4, "Short and deep."),
    ("alice", "9780062225740", 4, "The Watch at its best."),
    ("bob", "9780156027601", 3, "Puzzling ocean."),
]
PASSWORD = "demo-password"


class Command(BaseCommand):
    help = "Create the demo catalog, users (password 'demo-password') and their API tokens; existing rows are kept."

    @transaction.atomic
    def handle(self, *args, **options):
        authors = {
            name: Author.objects.get_or_create(name=name, defaults={"country": c})[0] for name, c in AUTHORS.items()
        }
        books = {}
        for isbn, (title, author, price, published, in_stock) in BOOKS.items():
            defaults = {
                "title": title,
                "author": authors[author],
                "price": Decimal(price),
                "published": published,
                "in_stock": in_stock,
            }
            books[isbn] = Book.objects.get_or_create(isbn=isbn, defaults=defaults)[0]
        User = get_user_model()
        tokens = {}
        for username, is_staff in USERS.items():
            defaults = {"is_staff": is_staff, "is_superuser": is_staff}
            user, created = User.objects.get_or_create(username=username, defaults=defaults)
            if created:
                user.set_password(PASSWORD)
                user.save(update_fields=["password"])
            tokens[username] = Token.objects.get_or_create(user=user)[0].key
        users = {user.username: user for user in User.objects.filter(username__in=USERS)}
        for username, isbn, rating, comment in REVIEWS:
            Review.objects.get_or_create(
                user=users[username], book=books[isbn], defaults={"rating": rating, "comment": comment}
            )
        self.stdout.write(
            f"catalog: {Author.objects.count()} authors, {Book.objects.count()} books, {Review.objects.count()} reviews"
        )
        for username, key in tokens.items():
            self.stdout.write(f"  {username:<6} Authorization: Token {key}")
