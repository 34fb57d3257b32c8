"""Make each OpenAPI document say what the API really does on errors.

Every error response is `application/problem+json` with the `ProblemBody` schema; operations that
take input document 422; secured operations document 401 and 403. Done once here so no endpoint
can forget it, and generated clients see one error shape.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from kernel.errors import PROBLEM_JSON, ProblemBody

_REF = {"$ref": "#/components/schemas/ProblemBody"}
_TEXT = {401: "Not authenticated", 403: "Not allowed", 404: "Not found", 409: "Conflict",
         422: "Invalid input", 429: "Too many requests", 502: "Upstream unavailable",
         503: "Unavailable", 504: "Upstream timed out"}


def _problem(code: int) -> dict[str, Any]:
    return {"description": _TEXT.get(code, "Problem"), "content": {PROBLEM_JSON: {"schema": _REF}}}


def normalise(doc: dict[str, Any]) -> dict[str, Any]:
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    for path_item in doc.get("paths", {}).values():
        for method, op in path_item.items():
            if not isinstance(op, dict) or "responses" not in op:
                continue
            responses: dict[str, Any] = op["responses"]
            takes_input = bool(op.get("parameters") or op.get("requestBody"))
            if takes_input:
                responses.setdefault("422", {})
            if any(p.get("in") == "path" for p in op.get("parameters", [])):
                responses.setdefault("404", {})
            if method in ("post", "put", "patch", "delete"):
                responses.setdefault("409", {})  # a concurrent retry with the same key
            if op.get("security"):
                responses.setdefault("401", {})
                responses.setdefault("403", {})
            for code in list(responses):
                if code.isdigit() and int(code) >= 400:
                    responses[code] = _problem(int(code))
            if method == "get" and "405" in responses:
                del responses["405"]
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    schemas["ProblemBody"] = ProblemBody.model_json_schema(
        ref_template="#/components/schemas/{model}")
    defs = schemas["ProblemBody"].pop("$defs", {})
    schemas.update(defs)
    return doc


def install_problem_openapi(app: FastAPI) -> None:
    def custom_openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        doc = get_openapi(title=app.title, version=app.version, description=app.description,
                          routes=app.routes, tags=app.openapi_tags, servers=app.servers)
        app.openapi_schema = normalise(doc)
        return app.openapi_schema

    app.openapi = custom_openapi  # type: ignore[method-assign]
