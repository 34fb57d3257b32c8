"""The whole API, as the merged OpenAPI document describes it, fuzzed with schemathesis.

With valid staff tokens: no 5xx, status codes, content types and bodies conform to the
document. `positive_data_acceptance` is left out on purpose: business rules (a stop date before
the start, a password on the common list) rightly refuse input that the schema alone allows.
Without a token (or with a bad one) every secured operation refuses.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import positive_data_acceptance
from schemathesis.generation import GenerationMode

from tests.conftest import mint_token


@pytest.fixture(scope="session")
def live_schema(live_stack: str) -> Any:
    return schemathesis.openapi.from_url(f"{live_stack}/api/openapi.json")


def _role_for(path: str) -> str:
    return "admin" if "/admin/" in path or path.startswith("/api/auth/users") else "supervisor"


def _fuzz(operation: Any, mode: GenerationMode, examples: int) -> None:
    token = mint_token(_role_for(operation.path))

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck),
              derandomize=True, database=None)
    def run(case: schemathesis.Case) -> None:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"},
                               excluded_checks=[positive_data_acceptance])

    run()


# schemathesis' own pytest plugin does not work with pytest 9; hypothesis drives it directly,
# one operation after another, and every failure is reported with its operation.
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_honours_its_contract(live_schema: Any, mode: GenerationMode) -> None:
    failures = []
    for result in live_schema.get_all_operations():
        operation = result.ok()
        try:
            _fuzz(operation, mode, 10)
        except Unsatisfiable:
            assert mode is GenerationMode.NEGATIVE  # no input, so no invalid input to send
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - reported together below
            failures.append(f"{operation.label}: {exc}"[:3000])
    assert not failures, "\n\n".join(failures)


def test_the_document_covers_all_four_services_and_login(live_stack: str) -> None:
    doc = httpx.get(f"{live_stack}/api/openapi.json").json()
    assert "x-unavailable-services" not in doc["info"]
    for prefix in ("/api/auth/", "/api/accounts/", "/api/billing/", "/api/payments/",
                   "/api/collections/"):
        assert any(p.startswith(prefix) for p in doc["paths"]), prefix


def test_demo_style_login_works_against_the_live_gateway(live_stack: str) -> None:
    r = httpx.post(f"{live_stack}/api/auth/token",
                   data={"username": "nobody", "password": "wrong-password"})
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")


def test_health_is_green_with_relay_lag_reported(live_stack: str) -> None:
    body = httpx.get(f"{live_stack}/api/health").json()
    assert body["status"] == "ok"
    assert body["relay_lag_events"] is not None


@pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
def test_every_secured_operation_refuses_a_caller_without_a_token(live_schema: Any) -> None:
    secured = 0
    for result in live_schema.get_all_operations():
        operation = result.ok()
        if not operation.definition.raw.get("security"):
            continue
        secured += 1
        case = operation.as_strategy().example()
        for headers in ({}, {"Authorization": "Bearer not-a-token"}):
            response = case.call(headers=headers)
            assert response.status_code == 401, (operation.label, headers, response.text)
    assert secured >= 10
