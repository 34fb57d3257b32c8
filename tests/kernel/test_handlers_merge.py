"""Two features of one service that react to the same event type both see it."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from kernel.inbox import Handlers, InboxEvent


def _event() -> InboxEvent:
    return InboxEvent(event_id=uuid.uuid4(), source="billing", type="billing.BillIssued",
                      version=1, key="account:1", key_seq=1, payload={},
                      occurred_at=datetime.now(UTC))


def test_two_features_on_one_type_each_get_the_event_in_merge_order() -> None:
    seen: list[str] = []
    copy, autopay = Handlers(), Handlers()

    @copy.on("billing.BillIssued")
    async def keep_bill(s: Any, e: InboxEvent) -> None:
        seen.append("copy")

    @autopay.on("billing.BillIssued")
    async def schedule_debit(s: Any, e: InboxEvent) -> None:
        seen.append("autopay")

    merged = Handlers().merge(copy).merge(autopay)
    fn = merged.get("billing.BillIssued")
    assert fn is not None
    asyncio.run(fn(None, _event()))  # type: ignore[arg-type]
    assert seen == ["copy", "autopay"]


def test_a_type_with_both_a_single_and_a_batch_handler_is_refused() -> None:
    single, batch = Handlers(), Handlers()

    async def one(s: Any, e: InboxEvent) -> None: ...

    async def many(s: Any, es: list[InboxEvent]) -> None: ...

    single.add("payments.PaymentPosted", one)
    batch.add_batch("payments.PaymentPosted", many)
    with pytest.raises(ValueError, match="PaymentPosted"):
        Handlers().merge(single).merge(batch)
