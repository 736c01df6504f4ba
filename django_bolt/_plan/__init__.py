"""
The compiled fast path behind ``django_bolt.serializers``: per-class read plans, generated row builders, the
``values_list`` column path for lists, DRF-identical JSON encoding with msgspec, and the compiled SQL the
generic views reuse for their default lookup and list queries (``queries``). Internal API.
"""

from django_bolt._plan.clone import clone_field
from django_bolt._plan.compile import ReadPlan, class_plan, compile_plan, emit, read_plan, represent_one
from django_bolt._plan.encode import encode_json, finish_json
from django_bolt._plan.lists import columns_queryset, json_bytes_many, json_bytes_one, represent_many

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
