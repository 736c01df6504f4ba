"""
The compiled fast path behind ``django_bolt.serializers``: per-class read plans, generated row builders, the
``values_list`` column path for lists, and DRF-identical JSON encoding with msgspec. Internal API.
"""

from django_bolt._plan.clone import clone_field
from django_bolt._plan.compile import ReadPlan, class_plan, compile_plan, read_plan
from django_bolt._plan.encode import encode_json, finish_json
from django_bolt._plan.lists import can_encode_directly, columns_queryset, encode_rows, represent_many

__all__ = [
    "ReadPlan",
    "can_encode_directly",
    "class_plan",
    "clone_field",
    "columns_queryset",
    "compile_plan",
    "encode_json",
    "encode_rows",
    "finish_json",
    "read_plan",
    "represent_many",
]
