"""A household's SB 998 protections: each fact with its dates and who recorded it, withdrawn
by `clear`, audited; in force only within its dates; never recorded for an unknown account."""

from __future__ import annotations

import uuid

from sqlalchemy import text

from services.collections.protections import domain
from tests.collections.field_helpers import served


async def test_each_fact_keeps_its_dates_and_who_recorded_it(client, auth, pump, feed, bound,
                                                             csr, sup):
    s = await served(client, auth, pump, feed)
    url = f"/api/collections/accounts/{s.account_id}/protections"
    r = await client.post(url, json={
        "medical": {"certified_on": "2026-03-01", "expires_on": "2026-05-31",
                    "certifier": "Dr. Ana Ruiz"},
        "low_income": {"basis": "CalFresh", "on": "2026-01-01", "until": "2026-12-31"},
        "today": "2026-03-02"}, headers=csr)
    assert r.status_code == 200, r.text
    r = await client.post(url, json={"financial": {"basis": "calfresh", "on": "2026-03-02"},
                                     "willing": {"on": "2026-03-02"}, "today": "2026-03-02"},
                          headers=sup)
    got = r.json()
    assert got["medical"] == {"certified_on": "2026-03-01", "expires_on": "2026-05-31",
                              "certifier": "Dr. Ana Ruiz", "recorded_by": "carmen",
                              "in_force": True}
    assert got["financial"]["recorded_by"] == "sam" and got["protected"] is True
    assert got["low_income"]["in_force"] is True
    # on a later day the certification has lapsed
    r = await client.get(url, params={"today": "2026-06-01"}, headers=csr)
    assert r.json()["protected"] is False and r.json()["medical"]["in_force"] is False
    # withdrawn
    r = await client.post(url, json={"clear": ["willing"], "today": "2026-03-03"}, headers=sup)
    assert r.json()["willing"] is None and r.json()["protected"] is False
    audits = (await bound["collections"].execute(text(
        "SELECT actor FROM audit_log WHERE action = 'protections.record' AND entity_id = :a "
        "ORDER BY id"), {"a": s.account_id})).scalars().all()
    assert audits == ["carmen", "sam", "sam"]


async def test_a_financial_basis_outside_sb_998s_list_is_refused(client, auth, pump, feed,
                                                                 csr):
    s = await served(client, auth, pump, feed)
    r = await client.post(f"/api/collections/accounts/{s.account_id}/protections", json={
        "financial": {"basis": "lottery", "on": "2026-03-02"}}, headers=csr)
    assert r.status_code == 422


async def test_nothing_is_recorded_for_an_account_collections_does_not_know(client, csr):
    r = await client.post(f"/api/collections/accounts/{uuid.uuid4()}/protections", json={
        "willing": {"on": "2026-03-02"}, "today": "2026-03-02"}, headers=csr)
    assert r.status_code == 404
    r = await client.post(f"/api/collections/accounts/{uuid.uuid4()}/protections",
                          json={}, headers=csr)
    assert r.status_code in (404, 422)


async def test_a_field_technician_cannot_record_protections(client, auth, pump, feed):
    s = await served(client, auth, pump, feed)
    r = await client.post(f"/api/collections/accounts/{s.account_id}/protections", json={
        "willing": {"on": "2026-03-02"}}, headers=auth("field_tech"))
    assert r.status_code == 403


def test_all_three_conditions_are_needed():
    from datetime import date

    d = date(2026, 3, 10)
    full = domain.Facts(medical_certified_on=date(2026, 3, 1), financial_on=d, willing_on=d)
    assert domain.protected(full, d)
    assert not domain.protected(domain.Facts(medical_certified_on=date(2026, 3, 1),
                                             financial_on=d), d)
    assert not domain.protected(full, date(2026, 3, 9))  # not yet financial nor willing
