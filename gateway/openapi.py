"""One OpenAPI document for the whole API: the gateway's own plus every service's.

Service documents are fetched through the same pooled clients and cached briefly. Schemas that
share a name and shape (the kernel's problem body) merge; a name clash with a different shape is
renamed with the service's prefix and its references rewritten.
"""

from __future__ import annotations

import asyncio
import copy
import json
import time
from typing import Any

from gateway.proxy import Upstreams
from kernel.settings import ROUTED


def _rewrite_refs(node: Any, renames: dict[str, str]) -> Any:
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str) and v.startswith("#/components/schemas/"):
                name = v.rsplit("/", 1)[1]
                out[k] = "#/components/schemas/" + renames.get(name, name)
            else:
                out[k] = _rewrite_refs(v, renames)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(v, renames) for v in node]
    return node


def merge(base: dict[str, Any], docs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    paths = merged.setdefault("paths", {})
    components = merged.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    security = components.setdefault("securitySchemes", {})
    tags = {t["name"]: t for t in merged.get("tags", [])}
    for service, doc in docs.items():
        doc_schemas = doc.get("components", {}).get("schemas", {})
        renames: dict[str, str] = {}
        for name, schema in doc_schemas.items():
            if name in schemas and json.dumps(schemas[name], sort_keys=True) != json.dumps(
                schema, sort_keys=True
            ):
                renames[name] = f"{service.capitalize()}{name}"
        doc = _rewrite_refs(doc, renames)
        for name, schema in doc.get("components", {}).get("schemas", {}).items():
            schemas[renames.get(name, name)] = schema
        security.update(doc.get("components", {}).get("securitySchemes", {}))
        for path, item in doc.get("paths", {}).items():
            paths[path] = item
        for t in doc.get("tags", []):
            tags.setdefault(t["name"], t)
    if tags:
        merged["tags"] = list(tags.values())
    return merged


class MergedOpenAPI:
    def __init__(self, upstreams: Upstreams, ttl: float = 30.0) -> None:
        self.upstreams = upstreams
        self.ttl = ttl
        self._cache: tuple[float, dict[str, Any]] | None = None

    async def _fetch(self, service: str) -> dict[str, Any] | None:
        try:
            r = await self.upstreams.client(service).get(f"/api/{service}/openapi.json")
            return dict(r.json()) if r.status_code == 200 else None
        except Exception:  # noqa: BLE001 - a down service is left out, not fatal
            return None

    async def document(self, base: dict[str, Any]) -> dict[str, Any]:
        now = time.monotonic()
        if self._cache and now - self._cache[0] < self.ttl:
            return self._cache[1]
        results = await asyncio.gather(*(self._fetch(s) for s in ROUTED))
        docs = {s: d for s, d in zip(ROUTED, results, strict=True) if d is not None}
        doc = merge(base, docs)
        missing = [s for s in ROUTED if s not in docs]
        if missing:
            doc.setdefault("info", {})["x-unavailable-services"] = missing
        else:
            self._cache = (now, doc)
        return doc
