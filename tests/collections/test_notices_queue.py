"""Queueing notices: each letter once, and SB 998's copies derived with the shut-off notice."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from services.collections.notices import service
from services.collections.notices.domain import NoticeRequest, derived_reference, notice_id
from tests.collections.notices_helpers import PREMISE, account, notices_of, queue, shutoff

TODAY = date(2026, 5, 1)


async def test_queueing_the_same_notice_twice_queues_it_once(feed, bound):
    a = await account(feed, mailing=PREMISE)
    assert await queue(bound, [shutoff(a), shutoff(a)], TODAY) == 1
    assert await queue(bound, [shutoff(a)], TODAY + timedelta(days=1)) == 0
    rows = await notices_of(bound, a)
    assert [(r.kind, r.addressee, r.status, r.created_on) for r in rows] == [
        ("shutoff_notice", "customer", "queued", TODAY)]
    assert rows[0].amount == Decimal("182.40") and rows[0].action_on == date(2026, 5, 20)
    assert rows[0].id == notice_id("shutoff_notice", shutoff(a).reference, "customer")


async def test_a_shutoff_notice_to_an_account_mailed_elsewhere_also_goes_to_the_occupant(
        feed, bound):
    a = await account(feed, name="Rosa Diaz")  # mailed to a PO box, served at 12 Oak St
    assert await queue(bound, [shutoff(a)], TODAY) == 2
    customer, occupant = await notices_of(bound, a)
    assert (customer.addressee, customer.name, customer.address["line1"]) == (
        "customer", "Rosa Diaz", "PO Box 12")
    assert (occupant.addressee, occupant.address["line1"], occupant.amount,
            occupant.action_on) == ("occupant", "12 Oak St", Decimal("182.40"),
                                    date(2026, 5, 20))
    assert occupant.parent_id == customer.id
    assert occupant.reference == derived_reference(customer.reference, uuid.UUID(a.premise_id))
    assert await queue(bound, [shutoff(a)], TODAY) == 0  # the copy too, once


async def test_the_same_address_written_differently_gets_no_occupant_copy(feed, bound):
    a = await account(feed, mailing={"line1": "12 OAK ST.", "city": "town",
                                     "postal_code": "95000-1234", "state": "CA"})
    assert await queue(bound, [shutoff(a)], TODAY) == 1


async def test_a_reminder_never_goes_to_the_occupant(feed, bound):
    a = await account(feed)
    assert await queue(bound, [shutoff(a, kind="reminder")], TODAY) == 1


async def test_a_landlords_8_unit_premise_gets_tenant_notices_10_days_before(feed, bound):
    a = await account(feed, premise_kind="multi_family", units=8, landlord=True,
                      mailing=PREMISE)
    disconnect = TODAY + timedelta(days=25)
    assert await queue(bound, [shutoff(a, disconnect_on=disconnect)], TODAY) == 2
    customer, tenant = await notices_of(bound, a)
    assert (tenant.addressee, tenant.action_on, tenant.deliver_by, tenant.copies,
            tenant.delivery) == ("tenant", disconnect, disconnect - timedelta(days=10), 8,
                                 "post")


async def test_a_tenant_notice_queued_late_names_a_date_10_days_out(feed, bound):
    a = await account(feed, premise_kind="multi_family", units=3, landlord=True)
    assert await queue(bound, [shutoff(a, disconnect_on=TODAY + timedelta(days=4))],
                       TODAY) == 3  # customer, occupant (PO box), tenants
    tenant = [r for r in await notices_of(bound, a) if r.addressee == "tenant"][0]
    assert tenant.action_on == TODAY + timedelta(days=10)


async def test_a_landlords_detached_house_gets_a_tenant_notice_7_days_before(feed, bound):
    a = await account(feed, premise_kind="single_family", units=1, landlord=True,
                      mailing=PREMISE)
    disconnect = TODAY + timedelta(days=20)
    await queue(bound, [shutoff(a, disconnect_on=disconnect)], TODAY)
    tenant = [r for r in await notices_of(bound, a) if r.addressee == "tenant"][0]
    assert (tenant.deliver_by, tenant.copies) == (disconnect - timedelta(days=7), 1)


async def test_a_customer_who_does_not_own_the_premise_gets_no_tenant_notice(feed, bound):
    a = await account(feed, premise_kind="multi_family", units=8, mailing=PREMISE)
    assert await queue(bound, [shutoff(a)], TODAY) == 1


async def test_the_notice_is_in_the_accounts_language_else_the_customers_else_english(
        feed, bound):
    es_customer = await account(feed, customer_language="es", mailing=PREMISE)
    en_account = await account(feed, account_language="en", customer_language="es",
                               mailing=PREMISE)
    vi_customer = await account(feed, customer_language="vi", mailing=PREMISE)
    await queue(bound, [shutoff(x) for x in (es_customer, en_account, vi_customer)], TODAY)
    got = [((await notices_of(bound, x))[0].language,
            (await notices_of(bound, x))[0].preferred_language)
           for x in (es_customer, en_account, vi_customer)]
    assert got == [("es", "es"), ("en", "en"), ("en", "vi")]


async def test_many_requests_queue_in_one_statement(feed, bound):
    accounts = [await account(feed, mailing=PREMISE) for _ in range(3)]
    reqs = [NoticeRequest(account_id=uuid.UUID(x.id), kind="first_notice",
                          reference=f"bill:{i}", amount=Decimal("10.00"), action_on=None,
                          details=(("Bill", "2026-03"),))
            for i, x in enumerate(accounts)]
    assert await queue(bound, reqs, TODAY) == 3
    rows = await notices_of(bound, accounts[1])
    assert rows[0].details == [["Bill", "2026-03"]]


async def test_given_on_is_the_latest_release_of_those_kinds(feed, bound):
    a = await account(feed)
    await queue(bound, [shutoff(a)], TODAY)
    async with AsyncSession(bind=bound["collections"]) as s:
        assert await service.given_on(s, uuid.UUID(a.id), ["shutoff_notice"]) is None
    await bound["collections"].execute(text(
        "UPDATE notices SET status = 'released', released_on = :d WHERE account_id = :a"),
        {"d": TODAY + timedelta(days=2), "a": a.id})
    async with AsyncSession(bind=bound["collections"]) as s:
        a_id = uuid.UUID(a.id)
        assert await service.given_on(s, a_id, ["shutoff_notice"]) == TODAY + timedelta(days=2)
        assert await service.given_on(s, a_id, ["shutoff_notice"], addressee="occupant") == \
            TODAY + timedelta(days=2)
        assert await service.given_on(s, a_id, ["reminder"]) is None
        assert await service.given_on(s, a_id, ["shutoff_notice"],
                                      since=TODAY + timedelta(days=3)) is None


async def test_a_days_notices_are_queued_in_one_statement_however_many(feed, bound):
    from sqlalchemy import event

    accounts = [await account(feed) for _ in range(4)]
    seen: list[str] = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    sync = bound["collections"].sync_connection
    event.listen(sync, "before_cursor_execute", count)
    try:
        assert await queue(bound, [shutoff(x) for x in accounts], TODAY) == 8
    finally:
        event.remove(sync, "before_cursor_execute", count)
    assert len([s for s in seen if "INSERT INTO notices" in s]) == 1
    assert len(seen) == 1


def test_unknown_kinds_and_addressees_are_refused_before_anything_is_written():
    import pytest

    from services.collections.notices.domain import BadRequest, checked

    ok = NoticeRequest(account_id=uuid.uuid4(), kind="reminder", reference="r", amount=None,
                       action_on=None)
    assert checked(ok) is ok
    for bad in (dict(kind="shutoff"), dict(addressee="landlord"), dict(reference="")):
        with pytest.raises(BadRequest):
            checked(NoticeRequest(**{**ok.__dict__, **bad}))


async def test_a_landlords_commercial_premise_gets_no_tenant_notice(feed, bound):
    a = await account(feed, premise_kind="commercial", landlord=True, mailing=PREMISE)
    assert await queue(bound, [shutoff(a)], TODAY) == 1


async def test_a_broken_arrangements_final_notice_is_posted_at_the_premise(feed, bound):
    a = await account(feed)  # mailed to a PO box
    assert await queue(bound, [shutoff(a, kind="final_notice")], TODAY) == 1
    (n,) = await notices_of(bound, a)
    assert (n.delivery, n.address["line1"]) == ("post", "12 Oak St")
