"""
The compiled fast path behind ``django_bolt.serializers``: per-class read plans, generated row builders and the
``values_list`` column path for lists. The DRF-identical JSON encoding they end in is
``django_bolt.utils.json_bytes``; the compiled SQL the generic views reuse is ``django_bolt.prepared_queries``.
Internal API.
"""

from django_bolt.serializers.plans.clone import clone_field
from django_bolt.serializers.plans.compile import ReadPlan, class_plan, compile_plan, emit, read_plan, represent_one
from django_bolt.serializers.plans.lists import columns_queryset, json_bytes_many, json_bytes_one, represent_many
from django_bolt.utils.json_bytes import encode_json, finish_json

__all__ = [
    "ReadPlan",
    "class_plan",
    "clone_field",
    "columns_queryset",
    "compile_plan",
    "emit",
    "encode_json",
    "finish_json",
    "json_bytes_many",
    "json_bytes_one",
    "read_plan",
    "represent_many",
    "represent_one",
]
