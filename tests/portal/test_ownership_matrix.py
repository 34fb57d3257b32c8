"""Every operation a customer may call, called by customer A with customer B's ids, answers 404
(exactly as an unknown id would) and writes nothing in any service.

The operations come from the merged OpenAPI document the gateway serves, so a new operation is
in the matrix the day it is added: nothing here lists them. Each is called as A with every id
B owns (path, query and body, by the names the operations give them: `account_id`, `bill_id`,
`meter_id` …), and once more with A's own account and B's other ids, which catches an operation
that checks the account but not that the bill (payment, document …) belongs to it. An operation
refusing the customer role answers 403 "Role 'customer' may not …" and is not a customer's.
Request bodies are built from the operation's schema (required fields, plus any field named
like one of B's ids); an operation whose schema this cannot satisfy fails here with the
validation error until an example is added to `EXAMPLES`.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from kernel.clock import utility_today
from tests.kernel.smtp import smtp_fixture  # noqa: F401  (the fixture `smtp`)
from tests.portal.identity_helpers import Held, bearer, confirmed, sign_in
from tests.portal.ownership_world import Customer, world

METHODS = ("get", "post", "put", "patch", "delete")
ROLE_REFUSED = "Role 'customer' may not"

#: Bodies for operations whose schema the generator cannot satisfy, by operation id; B's ids
#: are filled in by name as everywhere else ("{account_id}" …).
EXAMPLES: dict[str, dict[str, Any]] = {
    "portal-register": {"email": "someone@example.org", "password": "long-enough-password",
                        "account_number": "{account_number}", "last_bill_amount": "0.01"},
    "portal-link_account": {"account_number": "{account_number}", "last_bill_amount": "0.01"},
    # one of method_id or a token is required (a rule beside the schema)
    "payments-portal-enrol_mine": {"phone": "+15595550123", "payment_method": "pm_card_visa"},
    # a fixed amount (`amount` is required with it, a rule beside the schema)
    "payments-recurring-schedule_payment": {"method_id": "{method_id}", "kind": "once",
                                            "start_on": "{today}", "amount_rule": "fixed",
                                            "amount": "10.00"},
    # the body is optional (a browser app presents its refresh cookie instead, gateway/auth/
    # cookies.py), so the generator leaves it out; a tool's body with a token of no one's
    "auth-refresh": {"refresh_token": "not-a-refresh-token-of-anyone"},
    "auth-logout": {"refresh_token": "not-a-refresh-token-of-anyone"},
    # the kind that names a bill: A's account with B's bill must be refused too
    "accounts-requests-file_request": {"kind": "high_bill_review", "bill_id": "{bill_id}",
                                       "message": "This bill is too high"},
}

#: Operations whose refusal of B's data is not a 404, and why. Registration and linking take
#: B's account number with a wrong bill fact: a proof, not an id, so the answer is the same
#: 422 `proof-failed` as any wrong fact, and the attempt is counted (written) for the limit.
NOT_404: dict[str, str] = {
    "portal-register": "422 proof-failed; the failed attempt is counted",
    "portal-link_account": "422 proof-failed; the failed attempt is counted",
}


#: Defects the matrix found in operations other features own, not fixed on this branch: each
#: with its owner and the fix. The test fails on any other failure, and on one of these that no
#: longer reproduces (then delete its entry), so this list is always exactly what is open.
KNOWN_DEFECTS: dict[str, str] = {}


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    op: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.op.get("operationId", f"{self.method} {self.path}"))


def operations(doc: dict[str, Any]) -> list[Operation]:
    return [Operation(m, p, op) for p, item in sorted(doc["paths"].items())
            for m, op in item.items() if m in METHODS]


# ---- requests from the schema -----------------------------------------------------------------

_PATTERN_TRIES = ("123456", "10.00", "10", "94110", "+15595550123", "(559) 555-0123",
                  "2026-03-01", "someone@example.org", "pm_card_visa", "en", "abc", "A1B2",
                  "1000-0000", "x")


class Builder:
    """Values for parameters and bodies: B's ids by name, otherwise something valid."""

    def __init__(self, doc: dict[str, Any], ids: dict[str, str]) -> None:
        self.schemas = doc.get("components", {}).get("schemas", {})
        self.ids = ids
        self.used: set[str] = set()  # which of B's ids went into the request
        self.today = "2026-03-01"

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = self.schemas[schema["$ref"].rsplit("/", 1)[1]]
        return schema

    def value(self, schema: dict[str, Any], name: str = "", depth: int = 0) -> Any:
        schema = self.resolve(schema)
        if name in self.ids and (schema.get("format") == "uuid" or "anyOf" in schema
                                 or schema.get("type") in ("string", None)):
            self.used.add(name)
            return self.ids[name]
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            return schema["enum"][0]
        for key in ("anyOf", "oneOf"):
            if key in schema:
                options = [self.resolve(o) for o in schema[key]]
                options = [o for o in options if o.get("type") != "null"] or options
                money = [o for o in options if o.get("type") == "string" and "pattern" in o]
                return self.value((money or options)[0], name, depth)
        if "allOf" in schema:
            merged: dict[str, Any] = {}
            for part in schema["allOf"]:
                merged.update(self.resolve(part))
            return self.value(merged, name, depth)
        kind = schema.get("type")
        if kind == "object" or "properties" in schema:
            return self.body(schema, depth + 1)
        if kind == "array":
            n = schema.get("minItems", 0)
            return [self.value(schema.get("items", {}), name, depth + 1) for _ in range(n)]
        if kind == "boolean":
            return False
        if kind == "integer":
            return max(int(schema.get("minimum", 1)), 1) if "maximum" not in schema \
                else int(schema.get("minimum", schema["maximum"]))
        if kind == "number":
            return 10.0
        fmt = schema.get("format")
        if fmt == "uuid":
            return str(uuid.uuid4())
        if fmt == "date":
            return self.today  # business rules take "today" (a schedule starts then or later)
        if fmt == "date-time":
            return "2026-03-01T12:00:00Z"
        if fmt == "email":
            return "someone@example.org"
        low = int(schema.get("minLength", 1))
        if "pattern" in schema:
            fits = [t for t in _PATTERN_TRIES
                    if low <= len(t) <= int(schema.get("maxLength", 10_000))]
            for match in (re.fullmatch, re.search):
                for attempt in fits:
                    if match(schema["pattern"], attempt):
                        return attempt
        return ("x" * max(low, 3))[: schema.get("maxLength", 64)]

    def body(self, schema: dict[str, Any], depth: int = 0) -> dict[str, Any]:
        schema = self.resolve(schema)
        required = set(schema.get("required", []))
        out: dict[str, Any] = {}
        if depth > 6:
            return out
        for name, prop in schema.get("properties", {}).items():
            if name in required or name in self.ids:
                out[name] = self.value(prop, name, depth)
        return out


def fill(template: Any, ids: dict[str, str]) -> Any:
    ids = {"today": utility_today().isoformat(), **ids}
    if isinstance(template, str):
        return re.sub(r"\{(\w+)\}", lambda m: ids.get(m.group(1), m.group(0)), template)
    if isinstance(template, dict):
        return {k: fill(v, ids) for k, v in template.items()}
    if isinstance(template, list):
        return [fill(v, ids) for v in template]
    return template


@dataclass
class Call:
    url: str
    params: dict[str, Any]
    body: Any
    form: dict[str, str] | None
    used: set[str]


def build(doc: dict[str, Any], operation: Operation, ids: dict[str, str]) -> Call:
    b = Builder(doc, ids)
    b.today = utility_today().isoformat()
    url, params = operation.path, {}
    for p in operation.op.get("parameters", []):
        if p["in"] == "path":
            url = url.replace("{" + p["name"] + "}", str(b.value(p.get("schema", {}),
                                                                 p["name"])))
        elif p["in"] == "query" and (p.get("required") or p["name"] in ids):
            params[p["name"]] = b.value(p.get("schema", {}), p["name"])
    body, form = None, None
    if operation.id in EXAMPLES:
        body = fill(EXAMPLES[operation.id], ids)
        b.used.update(k for k in ids if f"{{{k}}}" in json.dumps(EXAMPLES[operation.id]))
    else:
        content = operation.op.get("requestBody", {}).get("content", {})
        if "application/json" in content:
            body = b.body(content["application/json"].get("schema", {}))
        for kind in ("application/x-www-form-urlencoded", "multipart/form-data"):
            if kind in content:
                form = {k: str(v) for k, v in
                        b.body(content[kind].get("schema", {})).items()}
    return Call(url, params, body, form, b.used)


# ---- nothing written ---------------------------------------------------------------------------

async def fingerprint(bound: dict[str, Any]) -> dict[str, str]:
    """A digest of every row of every table of every service (and the gateway)."""
    out: dict[str, str] = {}
    for name, conn in bound.items():
        tables = (await conn.execute(text(
            "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema() "
            "ORDER BY tablename"))).scalars().all()
        if not tables:
            continue
        parts = [f"(SELECT count(*) || ':' || coalesce(md5(string_agg(md5(t::text), '' "
                 f"ORDER BY md5(t::text))), '') FROM {t} t) AS {t}" for t in tables]
        row = (await conn.execute(text("SELECT " + ", ".join(parts)))).one()
        for t, v in zip(tables, row, strict=True):
            out[f"{name}.{t}"] = str(v)
    return out


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


# ---- the matrix --------------------------------------------------------------------------------

async def call(client, operation: Operation, c: Call, headers: dict[str, str]) -> Any:
    return await client.request(
        operation.method.upper(), c.url, params=c.params,
        json=c.body if c.body is not None else None, data=c.form,
        headers={**headers, "Idempotency-Key": str(uuid.uuid4())})


def refused_role(r: Any) -> bool:
    if r.status_code != 403:
        return False
    try:
        return str(r.json().get("detail", "")).startswith(ROLE_REFUSED)
    except ValueError:
        return False


def shows(r: Any, owner: Customer) -> list[str]:
    """Which of `owner`'s ids (or the account number) the response shows."""
    body = r.text
    return [k for k, v in {**owner.ids, "account_number": owner.account_number}.items()
            if v and v in body]


async def signed_in(client, smtp, a: Customer) -> dict[str, str]:
    """A's token as the portal issues it: registered with the bill's amount, confirmed from
    the mail, signed in."""
    held = Held(a.account_id, a.account_number, "", a.last_bill_amount)
    address = await confirmed(client, smtp, held)
    r = await sign_in(client, address)
    assert r.status_code == 200, r.text
    return bearer(r.json()["access_token"])


async def test_a_customer_reaches_no_other_customers_data_through_any_operation(
        client, auth, bound, pump, smtp):
    a, b = await world(client, auth, pump, bound)
    doc = (await client.get("/api/openapi.json")).json()
    assert not doc.get("info", {}).get("x-unavailable-services"), "every service's operations"
    as_a = await signed_in(client, smtp, a)
    failures: list[str] = []
    customer_ops: list[str] = []
    with_ids: list[str] = []
    mixed = {**b.ids, "account_id": a.account_id, "customer_id": a.ids["customer_id"]}

    for operation in operations(doc):
        for label, ids in (("B's ids", b.ids), ("A's account, B's other ids", mixed)):
            c = build(doc, operation, ids)
            # B's account number is a fact to fill in (a proof), not an id B owns
            foreign = c.used - ({"account_id", "customer_id"} if ids is mixed else set()) \
                - {"account_number"}
            if ids is mixed and not foreign:
                continue  # nothing of B's left to refuse
            before = await fingerprint(bound)
            r = await call(client, operation, c, as_a)
            after = await fingerprint(bound)
            if refused_role(r):
                break  # not a customer's operation (the role is refused before anything)
            where = f"{operation.method.upper()} {operation.path} [{operation.id}] ({label})"
            if ids is b.ids:
                customer_ops.append(operation.id)
            if r.status_code == 422 and r.json().get("code") == "validation":
                failures.append(f"{where}: the generated request is invalid, add an example "
                                f"to EXAMPLES: {r.json().get('detail')}")
                continue
            has_id_in_path = "{" in operation.path
            if (foreign or has_id_in_path) and operation.id not in NOT_404:
                with_ids.append(operation.id)
                if r.status_code != 404:
                    failures.append(f"{where}: {r.status_code}, not 404: {r.text[:200]}")
                written = changed(before, after)
                if written:
                    failures.append(f"{where}: wrote {written}")
            if operation.id in NOT_404:
                expected = NOT_404[operation.id].split()[0]
                if str(r.status_code) != expected:
                    failures.append(f"{where}: {r.status_code}, not {expected}: {r.text[:200]}")
            leaked = shows(r, b) if r.status_code < 400 else []
            if leaked:
                failures.append(f"{where}: {r.status_code} shows B's {leaked}")

    print(f"\nownership matrix: {len(operations(doc))} operations, {len(set(customer_ops))} a "
          f"customer may call, {len(set(with_ids))} checked with B's ids")
    assert len(set(with_ids)) >= 20, "the matrix found the customer's operations"
    known = [f for f in failures if any(f"[{k}]" in f for k in KNOWN_DEFECTS)]
    for k, why in KNOWN_DEFECTS.items():
        if any(f"[{k}]" in f for f in known):
            print(f"KNOWN DEFECT {k}: {why}")
    gone = [k for k in KNOWN_DEFECTS if not any(f"[{k}]" in f for f in known)]
    assert not gone, f"no longer reproduces, delete from KNOWN_DEFECTS: {gone}"
    assert not [f for f in failures if f not in known], "\n".join(
        f for f in failures if f not in known)
