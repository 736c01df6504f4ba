"""
What ``manage.py bolt_report`` prints: every endpoint of ``ROOT_BOLTCONF`` and ``ROOT_URLCONF`` with where runbolt
serves it — ``bolt`` (a Bolt view with Bolt's classes), ``compat`` (a Bolt view keeping DRF classes) or ``django``
(the fall-through: a DRF view, or a plain Django view) — and, for each DRF view, what porting it needs: the sync
methods to make ``async def``, the DRF classes it names (with their Bolt equivalent where there is one, else they
run through compat), and the ``REST_FRAMEWORK`` settings to give Bolt its own value for in ``BOLT``.

A Django route counts as served by Bolt when a Bolt route has the same pattern (routers of both build the same).
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.admindocs.views import simplify_regex

from django_bolt.compat.report import _POLICY_LISTS, _POLICY_SINGLES, _is_drf
from django_bolt.urls import iter_routes

# Module prefixes of DRF classes and where Bolt has the namesake (same class name unless listed in _RENAMED).
_EQUIVALENT_MODULES = {
    "rest_framework.serializers": "django_bolt.serializers",
    "rest_framework.authentication": "django_bolt.authentication",
    "rest_framework.permissions": "django_bolt.permissions",
    "rest_framework.throttling": "django_bolt.throttling",
    "rest_framework.pagination": "django_bolt.pagination",
    "rest_framework.filters": "django_bolt.filters",
    "rest_framework.parsers": "django_bolt.parsers",
    "rest_framework.renderers": "django_bolt.renderers",
    "rest_framework.negotiation": "django_bolt.negotiation",
    "rest_framework.metadata": "django_bolt.metadata",
    "rest_framework.versioning": "django_bolt.versioning",
    "rest_framework_simplejwt.authentication": "django_bolt.jwt.authentication",
    "django_filters.rest_framework.backends": "django_bolt.filters",
    "taggit.serializers": "django_bolt.contrib.taggit",
}
_SYNC_HOOKS = ("dispatch", "initial", "options", "check_object_permissions", "get_object")
_ACTIONS = ("list", "create", "retrieve", "update", "partial_update", "destroy")
_HANDLERS = ("get", "post", "put", "patch", "delete")


@dataclass
class Endpoint:
    path: str
    methods: list[str]
    view: str
    served_by: str  # "bolt" | "compat" | "django"
    name: str | None = None


@dataclass
class Porting:
    """What moving one DRF view to Bolt takes."""

    view: str
    paths: list[str] = field(default_factory=list)
    make_async: list[str] = field(default_factory=list)
    bolt_equivalents: dict[str, str] = field(default_factory=dict)  # DRF class -> Bolt class
    through_compat: list[str] = field(default_factory=list)  # no Bolt equivalent: runs as it is
    notes: list[str] = field(default_factory=list)


@dataclass
class Report:
    endpoints: list[Endpoint]
    porting: list[Porting]
    settings: dict[str, str]  # REST_FRAMEWORK key -> what to put in BOLT

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def dotted(obj: Any) -> str:
    return f"{obj.__module__}.{obj.__qualname__}"


def _methods(callback: Any) -> list[str]:
    actions = getattr(callback, "actions", None)
    if actions:
        return sorted(method.upper() for method in actions)
    cls = getattr(callback, "cls", None)
    if cls is None:
        return ["*"]
    return [method.upper() for method in _HANDLERS if hasattr(cls, method)]


def _view_name(callback: Any) -> str:
    cls = getattr(callback, "cls", None)
    return dotted(cls) if cls is not None else dotted(getattr(callback, "__wrapped__", callback))


def _routes(urlpatterns: list) -> list[tuple[str, Any, str | None]]:
    # Format-suffix twins (`.json`) are the same endpoints.
    return [(r.regex, r.view, r.name) for r in iter_routes(urlpatterns) if "(?P<format>" not in r.regex]


def _is_bolt_view(callback: Any) -> bool:
    from django_bolt.views import APIView

    cls = getattr(callback, "cls", None)
    return isinstance(cls, type) and issubclass(cls, APIView)


def _named_classes(view_class: type, only: set[str] | None = None) -> list[type]:
    classes: list[Any] = [getattr(view_class, name, None) for name in _POLICY_SINGLES if only is None or name in only]
    for name in _POLICY_LISTS:
        if only is not None and name not in only:
            continue
        try:
            classes.extend(getattr(view_class, name, None) or ())
        except TypeError:
            continue
    seen: dict[type, None] = {}
    for cls in classes:
        if isinstance(cls, type):
            seen.setdefault(cls, None)
    return list(seen)


def _equivalent(cls: type) -> str | None:
    """The Bolt class to use instead of DRF class ``cls`` (a project subclass: the Bolt base to derive from)."""
    for klass in cls.__mro__:
        target = _EQUIVALENT_MODULES.get(klass.__module__)
        if target is None:
            continue
        module = importlib.import_module(target) if _importable(target) else None
        if module is not None and hasattr(module, klass.__name__):
            name = f"{target}.{klass.__name__}"
            return name if klass is cls else f"{dotted(cls)} on {name} (change its base)"
        return None
    return None


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def _sync_methods(callback: Any) -> list[str]:
    """Project methods a Bolt port must declare ``async def``."""
    cls = callback.cls
    names = list(getattr(callback, "actions", {}).values()) or [m for m in _HANDLERS if hasattr(cls, m)]
    names += [name for name in dir(cls) if hasattr(getattr(cls, name, None), "mapping")]  # @action methods
    names += [*_ACTIONS, *_SYNC_HOOKS]
    found = []
    for name in dict.fromkeys(names):
        owner = next((k for k in cls.__mro__ if name in vars(k)), None)
        if owner is None or owner.__module__.split(".")[0] in ("rest_framework", "django"):
            continue
        method = vars(owner)[name]
        if inspect.isfunction(method) and not inspect.iscoroutinefunction(method):
            found.append(f"{dotted(owner)}.{name}")
    return sorted(set(found))


def _project_set(view_class: type) -> set[str]:
    """The policy attributes the project's own classes set (the rest are DRF's defaults: see the settings)."""
    names = set()
    for klass in view_class.__mro__:
        if klass.__module__.split(".")[0] not in ("rest_framework", "django", "builtins"):
            names.update(n for n in (*_POLICY_SINGLES, *_POLICY_LISTS) if n in vars(klass))
    return names


def _porting(view_class: type, callback: Any) -> Porting:
    porting = Porting(view=dotted(view_class), make_async=_sync_methods(callback))
    if view_class.__module__.split(".")[0] == "rest_framework":
        if view_class.__name__ == "APIRootView":
            porting.notes.append("the API root of DRF's DefaultRouter: django_bolt.routers.DefaultRouter has its own")
        else:
            porting.notes.append("DRF's own view: keep it on Django (the fall-through), or write a Bolt view")
        return porting
    project = _project_set(view_class)
    for cls in _named_classes(view_class, project):
        if not _is_drf(cls):
            continue
        equivalent = _equivalent(cls)
        if equivalent is None:
            porting.through_compat.append(dotted(cls))
        else:
            porting.bolt_equivalents[dotted(cls)] = equivalent
    return porting


def _settings_to_move() -> dict[str, str]:
    rest = getattr(settings, "REST_FRAMEWORK", {}) or {}
    bolt = getattr(settings, "BOLT", {}) or {}
    moves = {}
    for key, value in rest.items():
        if key in bolt:
            continue
        names = value if isinstance(value, (list, tuple)) else [value]
        if not names or not all(isinstance(n, str) and "." in n for n in names):
            continue
        module_names = [n.rsplit(".", 1) for n in names]
        bolt_names = [
            f"{_EQUIVALENT_MODULES[m]}.{c}" for m, c in module_names if m in _EQUIVALENT_MODULES and _importable(m)
        ]
        if any(m.split(".")[0] in ("rest_framework", "rest_framework_simplejwt") for m, _ in module_names):
            if len(bolt_names) == len(names):
                moves[key] = repr(bolt_names if isinstance(value, (list, tuple)) else bolt_names[0])
            else:
                moves[key] = "DRF classes without a Bolt equivalent: they run through compat; keep or port"
    return moves


def _readable(regex: str) -> str:
    # admindocs' simplify_regex, without the escapes path() puts before literal characters ("swagger\-ui").
    return re.sub(r"\\(\W)", r"\1", simplify_regex(regex))


def build_report(bolt_patterns: list, django_patterns: list) -> Report:
    endpoints: list[Endpoint] = []
    bolt_regexes = set()
    for regex, callback, name in _routes(bolt_patterns):
        bolt_regexes.add(regex)
        view_class = getattr(callback, "cls", None)
        uses_drf = view_class is not None and any(_is_drf(c) for c in _named_classes(view_class))
        served = "compat" if uses_drf else "bolt"
        endpoints.append(Endpoint(_readable(regex), _methods(callback), _view_name(callback), served, name))
    porting: dict[str, Porting] = {}
    for regex, callback, name in _routes(django_patterns):
        if regex in bolt_regexes:
            continue
        path = _readable(regex)
        endpoints.append(Endpoint(path, _methods(callback), _view_name(callback), "django", name))
        view_class = getattr(callback, "cls", None)
        if view_class is not None and _is_drf(view_class) and not _is_bolt_view(callback):
            entry = porting.get(dotted(view_class))
            if entry is None:
                entry = porting[dotted(view_class)] = _porting(view_class, callback)
            entry.paths.append(path)
    return Report(endpoints, list(porting.values()), _settings_to_move())


def project_report() -> Report:
    """The report for the running project: ``ROOT_BOLTCONF`` (if any) and ``ROOT_URLCONF``."""
    from django.urls import get_resolver

    from django_bolt.conf import load_urlpatterns

    return build_report(load_urlpatterns(), list(get_resolver().url_patterns))


def render_text(report: Report) -> str:
    lines = []
    width = max([len(e.path) for e in report.endpoints] + [4])
    methods = max([len(", ".join(e.methods)) for e in report.endpoints] + [7])
    lines.append(f"{'PATH':<{width}}  {'SERVED BY':<9}  {'METHODS':<{methods}}  VIEW")
    for e in report.endpoints:
        lines.append(f"{e.path:<{width}}  {e.served_by:<9}  {', '.join(e.methods):<{methods}}  {e.view}")
    counts = {kind: sum(e.served_by == kind for e in report.endpoints) for kind in ("bolt", "compat", "django")}
    lines.append("")
    lines.append(
        f"{counts['bolt']} on Bolt, {counts['compat']} on Bolt keeping DRF classes, {counts['django']} on Django"
    )
    for p in report.porting:
        lines.append("")
        lines.append(f"To port {p.view} ({', '.join(p.paths)}):")
        if p.make_async:
            lines.append("  make async: " + ", ".join(p.make_async))
        for drf, bolt in p.bolt_equivalents.items():
            lines.append(f"  {drf} -> {bolt}")
        for name in p.through_compat:
            lines.append(f"  {name}: no Bolt equivalent, runs through compat as it is")
        lines.extend(f"  {note}" for note in p.notes)
    if report.settings:
        lines.append("")
        lines.append("Settings: give Bolt its own value in BOLT (REST_FRAMEWORK names DRF classes):")
        for key, value in report.settings.items():
            lines.append(f"  BOLT[{key!r}] = {value}")
    return "\n".join(lines) + "\n"
