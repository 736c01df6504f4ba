"""Fill the demo database with a few authors and books (idempotent)."""

from decimal import Decimal

from catalog.models import Author, Book
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create demo authors and books if the catalog is empty."

    def handle(self, *args, **options):
        if Book.objects.exists():
            self.stdout.write("catalog already seeded")
            return
        for name, titles in {
            "Ursula K. Le Guin": ["A Wizard of Earthsea", "The Dispossessed"],
            "Terry Pratchett": ["Guards! Guards!", "Small Gods"],
        }.items():
            author = Author.objects.create(name=name)
            for i, title in enumerate(titles):
                Book.objects.create(title=title, author=author, price=Decimal("9.99") + i)
        self.stdout.write(f"seeded {Book.objects.count()} books")
