"""What every Tapline app checks about its own routes: methods per path, and lax inputs.

Methods. Starlette picks the first route whose template matches the path and method. With one
route per (path, method) and overlapping templates that goes wrong in two ways: `PATCH
/accounts/mine` is taken by `PATCH /accounts/{account_id}` (and refused as a bad UUID), and a
405 lists only the methods of the first route that matched the path, not of the path. Here the
path is resolved the way OpenAPI reads a document — a concrete segment before a templated one —
and a method the path does not have is answered 405 with `Allow` listing exactly what it has.

Lax inputs. A plain `date` or `datetime` input also takes `0` (1970-01-01), `"20260105"` and
naive timestamps; inputs use `kernel.clock.Day` and `Instant`. In a JSON body a plain `bool`
takes `0` and an `int` takes `false`: body scalars are `StrictBool` / `StrictInt` /
`StrictFloat`. `lax_inputs` finds the inputs that break either rule, and `kernel.app` refuses
to build an app that has any.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Annotated, Any, get_args, get_origin

from fastapi.params import Form
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel, Strict
from starlette.convertors import CONVERTOR_TYPES
from starlette.requests import Request
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from kernel.clock import DAY_CHECK, INSTANT_CHECK
from kernel.errors import problem_response

#: The order methods are listed in `Allow`.
METHOD_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "QUERY")
_PARAM = re.compile(r"{([^}:]+)(?::([^}]+))?}")


def _segment_rank(segment: str) -> int:
    """0 for a literal segment, 1 for one with a parameter, 2 for a `{...:path}` catch-all."""
    kinds = [m.group(2) for m in _PARAM.finditer(segment)]
    if not kinds:
        return 0
    return 2 if "path" in kinds else 1


def _template_regex(path_format: str, convertors: dict[str, Any]) -> str:
    out, pos = [], 0
    for m in _PARAM.finditer(path_format):
        out.append(re.escape(path_format[pos:m.start()]))
        convertor = convertors.get(m.group(1)) or CONVERTOR_TYPES[m.group(2) or "str"]
        out.append(f"(?:{convertor.regex})")
        pos = m.end()
    out.append(re.escape(path_format[pos:]))
    return "".join(out)


def _listed(method: str) -> tuple[int, str]:
    return (METHOD_ORDER.index(method) if method in METHOD_ORDER else len(METHOD_ORDER), method)


class MethodTable:
    """Path template -> its methods, resolved most specific template first."""

    def __init__(self, routes: Iterable[BaseRoute]) -> None:
        templates: dict[str, tuple[tuple[tuple[int, ...], int], str, set[str]]] = {}
        for index, context in enumerate(iter_route_contexts(list(routes))):
            path_format = context.path_format
            methods = context.methods
            if not path_format or not methods:
                continue  # mounts, websockets: not ours to judge
            key = _PARAM.sub(lambda m: "{:" + (m.group(2) or "str") + "}", path_format)
            if key not in templates:
                rank = tuple(_segment_rank(s) for s in path_format.strip("/").split("/"))
                regex = _template_regex(path_format, getattr(context, "param_convertors", {}))
                templates[key] = ((rank, index), regex, set())
            templates[key][2].update(m.upper() for m in methods)
        ordered = sorted(templates.values(), key=lambda t: t[0])
        self.allowed = [frozenset(methods) for _, _, methods in ordered]
        self.allow_header = [", ".join(sorted(methods, key=_listed)) for _, _, methods in ordered]
        alternatives = "|".join(f"(?P<t{i}>{regex})" for i, (_, regex, _) in enumerate(ordered))
        self._regex = re.compile(f"(?:{alternatives})\\Z") if ordered else None

    def lookup(self, path: str) -> int | None:
        """Index of the template that owns `path`, or None if no route's template matches."""
        if self._regex is None:
            return None
        m = self._regex.match(path)
        return int(m.lastgroup[1:]) if m and m.lastgroup else None


_SAMPLE = {"str": "x0", "path": "x0", "int": "0", "float": "0.5",
           "uuid": "00000000-0000-4000-8000-000000000000"}


def shadowed_routes(routes: Iterable[BaseRoute]) -> list[str]:
    """Declared (method, path) pairs that routing hands to another route registered earlier
    (`GET /accounts/{account_id}` before `GET /accounts/mine` takes every `mine`)."""
    contexts = [c for c in iter_route_contexts(list(routes))
                if c.path_format and c.methods and getattr(c, "path_regex", None) is not None]
    found = []
    for c in contexts:
        sample = _PARAM.sub(lambda m: _SAMPLE.get(m.group(2) or "str", "x0"), c.path_format or "")
        for method in sorted(c.methods or ()):
            first = next((d for d in contexts
                          if method in (d.methods or ()) and d.path_regex.match(sample)), c)
            if first.path_format != c.path_format:
                found.append(f"{method} {c.path_format} is taken by {first.path_format}")
    return sorted(found)


class MethodGuard:
    """ASGI middleware: a method the path does not have gets 405 with the path's `Allow`.

    The table is read from the app's routes on the first request, when every router is in.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.table: MethodTable | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.table is None:
            self.table = MethodTable(scope["app"].routes)
        path: str = scope["path"]
        root: str = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root):]
        found = self.table.lookup(path)
        if found is None or scope["method"] in self.table.allowed[found]:
            await self.app(scope, receive, send)
            return
        allow = self.table.allow_header[found]
        response = problem_response(
            Request(scope), 405, "method-not-allowed", "Method not allowed",
            f"{scope['method']} is not allowed here; allowed: {allow}", headers={"Allow": allow})
        await response(scope, receive, send)


# ---- lax inputs --------------------------------------------------------------------------------

_LAX_SCALARS = (bool, int, float)


def _lax(annotation: Any, metadata: Sequence[Any], seen: set[type], body: bool) -> Iterator[str]:
    """Dotted places under `annotation` that take input loosely ("" for itself): a plain date
    or datetime anywhere; in a JSON body also a bool, int or float that is not strict (lax
    pydantic reads `0` as false, `false` as 0 and `"5"` as 5). Query and path values arrive as
    text, so there those scalars are rightly parsed from it."""
    if any(m is DAY_CHECK or m is INSTANT_CHECK for m in metadata):
        return
    if get_origin(annotation) is Annotated:
        base, *meta = get_args(annotation)
        yield from _lax(base, [*metadata, *meta], seen, body)
        return
    if isinstance(annotation, type):
        if issubclass(annotation, date):  # datetime is a date too
            yield ""
            return
        if issubclass(annotation, _LAX_SCALARS):
            if body and not any(isinstance(m, Strict) and m.strict for m in metadata):
                yield ""
            return
        if issubclass(annotation, BaseModel):
            if annotation in seen:
                return
            seen.add(annotation)
            for name, field in annotation.model_fields.items():
                for place in _lax(field.annotation, field.metadata, seen, body):
                    yield f"{field.alias or name}.{place}".rstrip(".")
            return
    for arg in get_args(annotation):  # unions, list[...], dict[...]
        yield from _lax(arg, (), seen, body)


def lax_inputs(routes: Iterable[BaseRoute]) -> list[str]:
    """Every input that takes a date, an instant or a JSON scalar of the wrong type."""
    found = []
    for context in iter_route_contexts(list(routes)):
        dependant = getattr(context, "dependant", None)
        if dependant is None:
            continue
        label = f"{'/'.join(sorted(context.methods or ()))} {context.path_format}"
        stack = [dependant]
        while stack:
            d = stack.pop()
            stack.extend(d.dependencies)
            for where, params in (("path", d.path_params), ("query", d.query_params),
                                  ("header", d.header_params), ("cookie", d.cookie_params),
                                  ("body", d.body_params)):
                for param in params:
                    info = param.field_info
                    json_body = where == "body" and not isinstance(info, Form)
                    for place in _lax(info.annotation, info.metadata, set(), json_body):
                        # a body model's fields are named as the client sends them
                        name = place if where == "body" and place else \
                            f"{param.alias}.{place}".rstrip(".")
                        found.append(f"{label}: {where} {name}")
    return sorted(set(found))
