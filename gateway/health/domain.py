"""How the parts' health adds up to the system's: pure, so the rule is tested without processes."""

from __future__ import annotations

from gateway.health.schemas import ComponentHealth, SystemHealth


def combine(database: str, parts: list[ComponentHealth]) -> SystemHealth:
    """Any part down makes the system down (503); anything else not ok makes it degraded.

    The relay is the last part; its lag alarm is reported once, with the reason it gives
    (the transaction holding events back), rather than as a bare "relay is degraded"."""
    relay = parts[-1] if parts and parts[-1].name == "relay" else None
    detail = (relay.detail if relay else None) or {}
    statuses = {p.status for p in parts} | {database}
    overall = "ok" if statuses == {"ok"} else ("down" if "down" in statuses else "degraded")
    reasons = [f"{p.name} is {p.status}" for p in parts if p.status != "ok"
               and not (p.name == "relay" and detail.get("alarm_reason"))]
    if database != "ok":
        reasons.insert(0, "the database is unavailable")
    if detail.get("alarm_reason"):
        reasons.append(f"relay lag alarm: {detail['alarm_reason']}")
    return SystemHealth(
        status=overall, database=database, components=list(parts),
        relay_lag_events=detail.get("lag_events"),
        relay_lag_seconds=detail.get("lag_seconds"),
        relay_lag_alarm=detail.get("alarm"), reasons=reasons,
    )
