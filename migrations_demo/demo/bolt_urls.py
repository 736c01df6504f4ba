"""Endpoints served natively by Bolt."""

from catalog import bolt_views

from django_bolt.urls import path

urlpatterns = [
    path("", bolt_views.index),
    path("api/books/", bolt_views.book_list),
]
