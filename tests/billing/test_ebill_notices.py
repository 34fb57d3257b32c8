"""A bill run for paperless customers ends in their mailboxes: accounts starts the service,
billing bills it, and each paperless customer receives exactly one e-bill notice, in their
language, with the bill's amount, through a real SMTP server; the events delivered again send
nothing more."""

from __future__ import annotations

from tests.accounts.factories import create_meter, create_premise, customer_body, install_meter
from tests.accounts.notify_helpers import send
from tests.kernel.smtp import smtp_fixture  # noqa: F401  (the fixture `smtp`)

PERIOD = {"cycle": "C1", "period_start": "2026-01-01", "period_end": "2026-01-31",
          "bill_date": "2026-02-02"}


async def _paperless(client, auth, language: str, paper: bool = False):
    premise = await create_premise(client, auth("csr1"))
    meter = await create_meter(client, auth("billing_tech"))
    await install_meter(client, auth("billing_tech"), meter["id"], premise["id"],
                        on="2025-12-20", read="100")
    body = customer_body(language=language, paperless=not paper)
    r = await client.post("/api/accounts/agreements/start", headers=auth("csr1"), json={
        "start_date": "2026-01-01", "premise_id": premise["id"], "customer": body,
        "services": [{"service": "water", "rate_class": "RES"}]})
    assert r.status_code == 201, r.text
    return r.json()["account"], meter, body["emails"][0]


async def test_a_bill_run_sends_each_paperless_customer_one_e_bill_in_their_language(
        client, auth, pump, rates, tech, sup, smtp, service_apps):
    people = [await _paperless(client, auth, lang) for lang in ("es", "en")]
    paper = await _paperless(client, auth, "en", paper=True)
    await pump("accounts", "billing")
    for _, meter, _ in [*people, paper]:
        r = await client.post("/api/billing/reads", headers=tech, json={
            "meter_id": meter["id"], "read_on": "2026-01-31", "value": "125"})
        assert r.status_code == 201, r.text
    run = (await client.post("/api/billing/runs", headers=tech, json=PERIOD)).json()
    assert run["bills"] == 3, run
    await client.post(f"/api/billing/runs/{run['id']}/prepare", headers=sup)
    other = auth("supervisor", "pat")
    assert (await client.post(f"/api/billing/runs/{run['id']}/approve",
                              headers=other)).status_code == 200
    fin = await client.post(f"/api/billing/runs/{run['id']}/finalise", headers=other)
    assert fin.status_code == 200, fin.text
    await pump("billing", "accounts")
    await send(service_apps)
    (es_acct, _, es_mail), (en_acct, _, en_mail) = people
    # water: 20.00 fixed + 10 HCF x 3.00 + 10 x 4.00 + 5 x 5.50 = 117.50
    es = [m for m in smtp.to(es_mail) if "factura" in m.subject]
    en = [m for m in smtp.to(en_mail) if " bill" in m.subject]
    assert len(es) == 1 and len(en) == 1
    assert "$117.50" in es[0].subject and es_acct["number"] in es[0].text
    assert "$117.50" in en[0].subject and "Your water bill" in en[0].text
    assert not [m for m in smtp.to(paper[2]) if " bill" in m.subject]  # paper: mailed
    await pump("billing", "accounts")  # delivered again
    await send(service_apps)
    assert len([m for m in smtp.to(es_mail) if "factura" in m.subject]) == 1
