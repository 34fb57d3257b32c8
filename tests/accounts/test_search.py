"""The CSR's front door: typo-tolerant, partial, ranked search over the denormalised index."""

from __future__ import annotations

from tests.accounts.factories import customer_body, metered_premise, start_service


async def _search(client, auth, q, **params):
    r = await client.get("/api/accounts/search", headers=auth("csr1"), params={"q": q, **params})
    assert r.status_code == 200, r.text
    return r.json()


async def _one(client, auth, name="Bartholomew Quackenbush"):
    premise, meter = await metered_premise(
        client, auth, address={"line1": "4821 Sycamore Crest Dr", "city": "Clovis",
                               "state": "CA", "postal_code": "93611"}, apn="555-010-12")
    out = await start_service(client, auth("csr1"), premise["id"], customer=customer_body(
        name=name, phones=["(559) 321-7788"], emails=["bquack@example.net"]))
    return out, premise, meter


async def test_search_finds_an_account_by_misspelt_name_address_phone_email_serial_apn(
        client, auth):
    out, premise, meter = await _one(client, auth)
    account_id = out["account"]["id"]
    for q in ["Quakenbush", "bartholomew quackenbsh", "4821 sycamore", "Sycamor Crest",
              "559-321-7788", "5593217788", "321-7788", "bquack@example", "bquack",
              meter["serial"], meter["serial"][:-2].lower(), "555-010-12", "555010",
              out["account"]["number"], "quackenbush 321-7788"]:
        hits = await _search(client, auth, q, entity="account")
        assert account_id in [h["id"] for h in hits], q


async def test_exact_account_number_ranks_first(client, auth):
    out, _, _ = await _one(client, auth)
    hits = await _search(client, auth, out["account"]["number"])
    assert hits[0]["id"] == out["account"]["id"]
    assert hits[0]["title"] == "Bartholomew Quackenbush"


async def test_vacant_premise_is_found_by_address(client, auth):
    _, premise, _ = await _one(client, auth)
    hits = await _search(client, auth, "sycamore crest", entity="premise")
    assert [h["id"] for h in hits] == [premise["id"]]
    assert hits[0]["status"] == "occupied"


async def test_search_row_follows_a_name_change_in_the_same_transaction(client, auth):
    out, _, _ = await _one(client, auth)
    await client.patch(f"/api/accounts/customers/{out['customer']['id']}",
                       headers=auth("csr1"), json={"name": "Zebulon Featherstonehaugh"})
    hits = await _search(client, auth, "featherstonhaugh")
    assert out["account"]["id"] in [h["id"] for h in hits]
    assert await _search(client, auth, "quackenbush") == []


async def test_a_sound_alike_spelling_finds_the_name(client, auth):
    out, _, _ = await _one(client, auth, name="Catherine Oyelaran")
    # Kathryn shares too few trigrams with Catherine; it sounds the same (Double Metaphone).
    hits = await _search(client, auth, "kathryn oyelaran", entity="account")
    assert [h["id"] for h in hits] == [out["account"]["id"]]


async def test_accents_and_capitals_do_not_matter(client, auth):
    out, _, _ = await _one(client, auth, name="Ángel Peña Núñez")
    for q in ["angel pena nunez", "Peña", "ÁNGEL NÚÑEZ", "Nunez"]:
        hits = await _search(client, auth, q, entity="account")
        assert [h["id"] for h in hits] == [out["account"]["id"]], q
    assert hits[0]["title"] == "Ángel Peña Núñez"


async def test_a_house_number_matches_exactly_not_the_house_next_door(client, auth):
    out, _, _ = await _one(client, auth)
    assert await _search(client, auth, "4822 sycamore") == []
    hits = await _search(client, auth, "4821 sycamore", entity="account")
    assert [h["id"] for h in hits] == [out["account"]["id"]]


async def test_the_exact_spelling_ranks_above_a_near_one(client, auth):
    near, _, _ = await _one(client, auth, name="Ottoline Quackenbusch")
    exact, _, _ = await _one(client, auth, name="Ottoline Quackenbush")
    hits = await _search(client, auth, "quackenbush", entity="account")
    assert [h["id"] for h in hits] == [exact["account"]["id"], near["account"]["id"]]
    assert hits[0]["score"] > hits[1]["score"]


async def test_too_short_a_query_is_refused_naming_q(client, auth):
    r = await client.get("/api/accounts/search", headers=auth("csr1"), params={"q": "a"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "q"
