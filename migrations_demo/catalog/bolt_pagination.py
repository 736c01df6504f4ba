"""``pagination`` ported to Bolt (the import is the only change)."""

from django_bolt.pagination import PageNumberPagination


class CatalogPagination(PageNumberPagination):
    page_size = 10
    page_size_query_param = "page_size"
    max_page_size = 100
