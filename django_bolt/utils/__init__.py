"""Small helpers shared by django_bolt's serializers and fields (mirrors ``rest_framework.utils``)."""
