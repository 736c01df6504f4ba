"""django_bolt: Django REST Framework's class-based API on a Rust HTTP engine."""

__version__ = "0.1.0"
