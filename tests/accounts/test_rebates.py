"""Rebate programmes (issue 15, "Conservation"): intake with eligibility, approval within dollar
authority, denial, letters in the customer's language, scanned forms, check requests for
accounts payable. Everything through the gateway, as staff work it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import text

from tests.accounts.factories import events, metered_premise, start_service
from tests.payments.helpers import pdf_text

R = "/api/accounts/rebates"


async def customer(client, auth, kind: str = "single_family",
                   language: str = "en") -> dict[str, Any]:
    premise, _ = await metered_premise(client, auth, kind=kind)
    started = await start_service(client, auth("csr1"), premise["id"])
    account = started["account"]
    if language != "en":
        r = await client.patch(f"/api/accounts/accounts/{account['id']}", headers=auth("csr1"),
                               json={"language": language})
        assert r.status_code == 200, r.text
    return {"account_id": account["id"], "premise_id": premise["id"]}


async def apply(client, auth, who: dict[str, str] | None = None, want: int = 201,
                **kw: Any) -> dict[str, Any]:
    body = {"programme": "toilet", "units": "2", "received_on": "2026-03-02",
            "installed_on": "2026-02-20", **kw}
    r = await client.post(f"{R}/applications", json=body, headers=who or auth("csr1"))
    assert r.status_code == want, r.text
    return dict(r.json())


async def letter(client, auth, letter_id: str) -> str:
    r = await client.get(f"/api/accounts/contacts/documents/{letter_id}", headers=auth("csr1"))
    assert r.status_code == 200, r.text
    return pdf_text(r.content)


async def test_programmes_list_their_amounts_and_limits(client, auth):
    r = await client.get(f"{R}/programmes", headers=auth("csr1"))
    assert r.status_code == 200
    got = {p["key"]: p for p in r.json()}
    assert {"toilet", "washer", "turf"} <= set(got)
    assert (got["turf"]["per_unit"], got["turf"]["cap"], got["turf"]["unit"]) == (
        "2.00", "2000.00", "sq ft")
    assert (got["toilet"]["per_unit"], got["toilet"]["max_units"]) == ("100.00", "2")


async def test_an_eligible_application_waits_for_approval_worth_its_programmes_amount(
        client, auth):
    c = await customer(client, auth)
    a = await apply(client, auth, account_id=c["account_id"], programme="turf", units="1250.5")
    assert (a["status"], a["amount"], a["premise_id"]) == ("pending", "2000.00", c["premise_id"])
    b = await apply(client, auth, account_id=(await customer(client, auth))["account_id"],
                    programme="toilet", units="3")
    assert b["amount"] == "200.00"  # at most two toilets are paid


async def test_nobody_approves_their_own_intake_nor_above_their_authority(client, auth, bound):
    c = await customer(client, auth)
    a = await apply(client, auth, account_id=c["account_id"])  # $200, taken in by csr1
    url = f"{R}/applications/{a['id']}/approve"
    body = {"on_date": "2026-03-05"}
    own = await client.post(url, json=body, headers=auth("csr1"))
    assert own.status_code == 403 and "own" in own.json()["detail"]
    low = await client.post(url, json=body, headers=auth("csr2"))  # authority $100
    assert low.status_code == 403 and "authority" in low.json()["detail"]
    assert await events(bound, "accounts.RebateApproved") == []
    ok = await client.post(url, json=body, headers=auth("supervisor", "sup-ana"))
    assert ok.status_code == 200, ok.text
    got = ok.json()
    assert (got["status"], got["decided_by"], got["decided_on"]) == (
        "approved", "sup-ana", "2026-03-05")
    (ev,) = await events(bound, "accounts.RebateApproved")
    assert (ev["key"], ev["amount"], ev["payment"], ev["application_id"], ev["approved_by"]) == (
        f"account:{c['account_id']}", "200.00", "credit", a["id"], "sup-ana")
    assert "approved" in (await letter(client, auth, got["letter_id"]))
    again = await client.post(url, json=body, headers=auth("supervisor", "sup-bo"))
    assert again.status_code == 409


async def test_an_ineligible_application_is_denied_at_intake_with_a_letter_saying_why(
        client, auth):
    c = await customer(client, auth, kind="commercial")
    a = await apply(client, auth, account_id=c["account_id"], programme="washer", units="1")
    assert a["status"] == "denied" and "commercial" in a["reason"]
    assert a["decided_by"] == "csr1" and a["letter_id"]
    words = await letter(client, auth, a["letter_id"])
    assert "could not approve" in words and "commercial" in words


async def test_one_rebate_per_premise_per_programme_a_denied_one_blocks_nothing(client, auth):
    c = await customer(client, auth)
    first = await apply(client, auth, account_id=c["account_id"])
    second = await apply(client, auth, account_id=c["account_id"], units="1")
    assert second["status"] == "denied" and "one per premise" in second["reason"]
    r = await client.post(f"{R}/applications/{first['id']}/deny", headers=auth("supervisor"),
                          json={"on_date": "2026-03-04", "reason": "no proof of purchase"})
    assert r.status_code == 200 and r.json()["status"] == "denied"
    third = await apply(client, auth, account_id=c["account_id"])
    assert third["status"] == "pending"
    washer = await apply(client, auth, account_id=c["account_id"], programme="washer",
                         units="1")
    assert washer["status"] == "pending"  # another programme at the same premise


async def test_an_account_without_service_at_the_premise_is_not_eligible(client, auth):
    c = await customer(client, auth)
    other, _ = await metered_premise(client, auth)
    a = await apply(client, auth, account_id=c["account_id"], premise_id=other["id"])
    assert a["status"] == "denied" and "no active service" in a["reason"]


async def test_a_closed_account_is_denied_for_the_premise_it_last_served(client, auth):
    c = await customer(client, auth)
    r = await client.post("/api/accounts/agreements/stop", headers=auth("csr1"), json={
        "account_id": c["account_id"], "stop_date": "2026-02-15",
        "continuous_service": False})
    assert r.status_code == 200, r.text
    a = await apply(client, auth, account_id=c["account_id"])
    assert (a["status"], a["premise_id"]) == ("denied", c["premise_id"])
    assert "no active service" in a["reason"]


async def test_bad_input_is_a_clear_4xx(client, auth):
    c = await customer(client, auth)
    r = await client.post(f"{R}/applications", headers=auth("csr1"), json={
        "account_id": c["account_id"], "programme": "pool_cover", "units": "1",
        "received_on": "2026-03-02"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "programme"
    r = await client.post(f"{R}/applications", headers=auth("csr1"), json={
        "account_id": c["account_id"], "programme": "toilet", "units": "-1",
        "received_on": "2026-03-02"})
    assert r.status_code == 422
    r = await client.post(f"{R}/applications", headers=auth("billing_tech"), json={
        "account_id": c["account_id"], "programme": "toilet", "units": "1",
        "received_on": "2026-03-02"})
    assert r.status_code == 403


async def test_letters_are_in_the_customers_language(client, auth):
    c = await customer(client, auth, language="es")
    a = await apply(client, auth, account_id=c["account_id"], programme="washer", units="1")
    ok = await client.post(f"{R}/applications/{a['id']}/approve", headers=auth("supervisor"),
                           json={"on_date": "2026-03-05"})
    assert ok.status_code == 200, ok.text
    words = await letter(client, auth, ok.json()["letter_id"])
    assert "Lavadora de alta eficiencia" in words and "150.00" in words


async def test_a_scanned_form_is_kept_with_the_accounts_documents(client, auth):
    c = await customer(client, auth)
    a = await apply(client, auth, account_id=c["account_id"])
    up = await client.post(f"{R}/applications/{a['id']}/forms", headers=auth("csr1"),
                           files={"file": ("form.pdf", b"%PDF-1.4 form", "application/pdf")})
    assert up.status_code == 200, up.text
    (doc_id,) = up.json()["form_ids"]
    got = await client.get(f"/api/accounts/contacts/documents/{doc_id}", headers=auth("csr1"))
    assert got.content == b"%PDF-1.4 form"
    bad = await client.post(f"{R}/applications/{a['id']}/forms", headers=auth("csr1"),
                            files={"file": ("x.exe", b"MZ", "application/octet-stream")})
    assert bad.status_code == 422


async def test_check_rebates_are_handed_to_accounts_payable_once(client, auth, bound):
    c = await customer(client, auth)
    a = await apply(client, auth, account_id=c["account_id"], payment="check")
    ok = await client.post(f"{R}/applications/{a['id']}/approve", headers=auth("supervisor"),
                           json={"on_date": "2026-03-05"})
    assert ok.status_code == 200
    open_ = (await client.get(f"{R}/check-requests", headers=auth("csr1"))).json()
    mine = [x for x in open_["requests"] if x["application_id"] == a["id"]]
    assert len(mine) == 1 and mine[0]["amount"] == "200.00" and mine[0]["payee"]
    assert (await client.post(f"{R}/check-requests/batches", headers=auth("csr1"))
            ).status_code == 403
    b = await client.post(f"{R}/check-requests/batches", headers=auth("supervisor"))
    assert b.status_code == 201, b.text
    batch = b.json()
    assert a["id"] in [x["application_id"] for x in batch["requests"]]
    assert Decimal(batch["total"]) == sum(Decimal(x["amount"]) for x in batch["requests"])
    after = (await client.get(f"{R}/check-requests", headers=auth("csr1"))).json()
    assert a["id"] not in [x["application_id"] for x in after["requests"]]
    again = await client.post(f"{R}/check-requests/batches", headers=auth("supervisor"))
    assert again.status_code == 409
    listed = (await client.get(f"{R}/check-requests", params={"batch": batch["batch"]},
                               headers=auth("csr1"))).json()
    assert listed["count"] == batch["count"]
    csv = await client.get(f"{R}/check-requests", headers=auth("csr1"),
                           params={"batch": batch["batch"], "format": "csv"})
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    head, *rows = csv.text.strip().splitlines()
    assert head.split(",")[:3] == ["application_id", "account_number", "payee"]
    assert len(rows) == batch["count"] and any(a["id"] in r and ",200.00," in r for r in rows)
    n = (await bound["accounts"].execute(text(
        "SELECT count(*) FROM rebate_applications WHERE check_batch IS NOT NULL"))).scalar_one()
    assert n == batch["count"]


async def test_two_clerks_taking_in_the_same_form_at_once_get_one_application(
        client, auth, service_apps):
    """The eligibility check reads before it writes; the partial unique index decides a race:
    the second insert for the premise and programme adds nothing (the service answers 409)."""
    import uuid

    from services.accounts.rebates import repository

    c = await customer(client, auth)
    row = {"account_id": c["account_id"], "premise_id": c["premise_id"], "programme": "toilet",
           "units": Decimal("1"), "amount": Decimal("100.00"), "payment": "credit",
           "status": "pending", "received_on": date(2026, 3, 2), "installed_on": None,
           "note": None, "requested_by": "csr1", "decided_by": None, "decided_on": None,
           "reason": None, "letter_id": None}
    async with service_apps["accounts"].state.db.session() as s:
        assert await repository.add(s, {**row, "id": uuid.uuid4()}) is True
        assert await repository.add(s, {**row, "id": uuid.uuid4(),
                                        "requested_by": "csr2"}) is False
        denied = {**row, "id": uuid.uuid4(), "status": "denied", "decided_by": "csr2",
                  "decided_on": date(2026, 3, 2), "reason": "duplicate"}
        assert await repository.add(s, denied) is True  # a denied one blocks nothing
