"""How the parts' health adds up: what a load balancer and the on-call person see."""

from gateway.health.domain import combine
from gateway.health.schemas import ComponentHealth


def _parts(relay_status="ok", relay_detail=None, **statuses):
    services = [ComponentHealth(name=n, status=statuses.get(n, "ok"))
                for n in ("accounts", "billing", "payments", "collections")]
    return [*services, ComponentHealth(name="relay", status=relay_status, detail=relay_detail)]


def test_everything_ok_is_ok_with_no_reasons():
    h = combine("ok", _parts(relay_detail={"lag_events": 0, "lag_seconds": 0.0, "alarm": False}))
    assert (h.status, h.reasons, h.relay_lag_alarm) == ("ok", [], False)


def test_a_service_down_makes_the_system_down_and_names_it():
    h = combine("ok", _parts(billing="down"))
    assert h.status == "down"
    assert h.reasons == ["billing is down"]


def test_the_database_down_comes_first_among_the_reasons():
    h = combine("down", _parts(payments="degraded"))
    assert h.status == "down"
    assert h.reasons == ["the database is unavailable", "payments is degraded"]


def test_a_lag_alarm_degrades_and_names_the_transaction_once():
    detail = {"lag_events": 40, "lag_seconds": 95.0, "alarm": True,
              "alarm_reason": "transaction pid 123 open for 95 s"}
    h = combine("ok", _parts(relay_status="degraded", relay_detail=detail))
    assert h.status == "degraded"
    assert h.reasons == ["relay lag alarm: transaction pid 123 open for 95 s"]
    assert (h.relay_lag_events, h.relay_lag_seconds, h.relay_lag_alarm) == (40, 95.0, True)
