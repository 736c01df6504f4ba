"""Bolt-native endpoints of the catalog (plain async views until the ViewSet layer lands)."""

from django_bolt.sync import run_sync

from .models import Book


async def index(request):
    return {"books": request.build_absolute_uri("/api/books/")}


async def book_list(request):
    rows = await run_sync(lambda: list(Book.objects.values("id", "title", "author__name", "price")))
    return [{**row, "price": str(row["price"])} for row in rows]
