"""The facts other services announce, turned into messages to customers. Each notice is named
by its cause (`bill:<id>`, `payment:<id>` …), so a redelivered or replayed event, or the same
fact announced twice, queues nothing new; each batch of events is one statement."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.inbox import Handlers, InboxEvent
from kernel.settings import get_settings
from services.accounts.notifications import domain, service
from services.accounts.notifications.service import Notice

handlers = Handlers()

#: The collections steps a customer is also told of by e-mail or text (the written SB 998
#: notices go by mail regardless).
LADDER_STEPS = frozenset({"reminder", "first_notice", "second_notice", "shutoff_notice"})


def _uuid(value: Any) -> uuid.UUID:
    return uuid.UUID(str(value))


def _day(value: Any) -> date:
    return date.fromisoformat(str(value)[:10])


@handlers.on_batch("billing.EBillReady")
async def e_bills(s: AsyncSession, events: list[InboxEvent]) -> None:
    base = service.portal_url(get_settings())
    await service.notify(s, [Notice(
        _uuid(p["account_id"]), "e_bill", f"bill:{p['bill_id']}", facts={
            "total": str(p["total"]), "due_date": str(p["due_date"]), "bill_id": str(p["bill_id"]),
            "statement_url": f"{base}/bills/{p['bill_id']}", "autopay": bool(p.get("autopay"))},
        source_event_id=e.event_id) for e in events for p in [e.payload]])


@handlers.on_batch("billing.BillIssued")
async def due_reminders(s: AsyncSession, events: list[InboxEvent]) -> None:
    """A reminder a few days before the due date, dropped if the account pays first."""
    days = get_settings().notify_due_reminder_days
    if days <= 0:
        return
    z = service.zone()
    out = []
    for e in events:
        bill, balance = e.payload["bill"], Decimal(str(e.payload.get("balance") or "0"))
        if balance <= 0 or Decimal(str(bill["total"])) <= 0:
            continue
        due = _day(bill["due_date"])
        out.append(Notice(_uuid(bill["account_id"]), "due_reminder", f"bill:{bill['id']}", facts={
            "total": str(balance), "due_date": str(due), "bill_id": str(bill["id"])},
            not_before=domain.morning_of(due - timedelta(days=days), z),
            source_event_id=e.event_id))
    await service.notify(s, out)


@handlers.on_batch("billing.LedgerEntryPosted")
async def paid_up(s: AsyncSession, events: list[InboxEvent]) -> None:
    paid = [_uuid(e.payload["entry"]["account_id"]) for e in events
            if Decimal(str(e.payload.get("balance") or "0")) <= 0]
    await service.cancel_reminders(s, paid)


@handlers.on_batch("payments.PaymentPosted")
async def receipts(s: AsyncSession, events: list[InboxEvent]) -> None:
    await service.notify(s, [Notice(
        _uuid(p["account_id"]), "payment_receipt", f"payment:{p['id']}", facts={
            "amount": str(p["amount"]), "received_on": str(p["received_on"]),
            "receipt": str(p.get("receipt_number") or p["id"])},
        source_event_id=e.event_id) for e in events for p in [e.payload["payment"]]
        if Decimal(str(p["amount"])) > 0])


@handlers.on_batch("payments.AutopayDebitScheduled")
async def autopay_prenotices(s: AsyncSession, events: list[InboxEvent]) -> None:
    days = get_settings().notify_autopay_prenotice_days
    z = service.zone()
    await service.notify(s, [Notice(
        _uuid(p["account_id"]), "autopay_prenotice", f"debit:{p['debit_id']}", facts={
            "amount": str(p["amount"]), "debit_on": str(p["debit_on"]),
            "method": "your bank account" if p.get("method") == "bank" else "your card"},
        not_before=domain.morning_of(_day(p["debit_on"]) - timedelta(days=days), z),
        source_event_id=e.event_id) for e in events for p in [e.payload]])


@handlers.on("payments.PaymentReturned")  # deposits handle it one by one too
async def returned(s: AsyncSession, event: InboxEvent) -> None:
    """A returned payment told to the customer. An event without an amount (the older, shorter
    shape deposits also read) is not worth a message: nothing to say what came back."""
    p = event.payload
    if p.get("amount") is None:
        return
    await service.notify(s, [Notice(
        _uuid(p["account_id"]), "payment_returned",
        f"return:{p.get('return_id') or p.get('payment_id') or event.event_id}", facts={
            "amount": str(p["amount"]),
            "reason": str(p.get("return_code") or p.get("reason") or "returned")},
        source_event_id=event.event_id)])


@handlers.on_batch("collections.LadderStepTaken")
async def past_due(s: AsyncSession, events: list[InboxEvent]) -> None:
    await service.notify(s, [Notice(
        _uuid(p["account_id"]), "past_due", f"ladder:{p['bill_id']}:{p['step']}", facts={
            "amount_past_due": str(p["amount_past_due"]), "step": p["step"],
            "disconnect_on": p.get("disconnect_on")},
        source_event_id=e.event_id) for e in events for p in [e.payload]
        if p["step"] in LADDER_STEPS])


@handlers.on_batch("billing.LeakSuspected")
async def leaks(s: AsyncSession, events: list[InboxEvent]) -> None:
    """A continuous flow is a leak alert, a burst a high-usage notice; the account's own alert
    preference (which channels) comes with the event."""
    out = []
    for e in events:
        a, want = e.payload["alert"], e.payload.get("notify") or {}
        only = tuple(c for c, on in (("email", want.get("email", True)),
                                     ("text", want.get("text", False))) if on)
        if not only:
            continue
        kind = "leak_alert" if a.get("kind", "continuous") == "continuous" else "high_usage"
        out.append(Notice(_uuid(a["account_id"]), kind, f"leak:{a['id']}", facts={
            "first_hour": str(a["first_hour"]), "last_hour": str(a["last_hour"]),
            "peak_gph": str(a.get("peak_gph")), "hours": list(a.get("hours") or [])[:48]},
            source_event_id=e.event_id, only=only))
    await service.notify(s, out)


@handlers.on("payments.TextKeywordReceived")
async def text_keyword(s: AsyncSession, event: InboxEvent) -> None:
    p = event.payload
    await service.keyword(s, str(p["phone"]), str(p["keyword"]))
