"""The catalog in Django's admin (served by runbolt through the fall-through to ROOT_URLCONF)."""

from catalog.models import Author, Book, Review
from django.contrib import admin

admin.site.register(Author)
admin.site.register(Book)
admin.site.register(Review)
