"""Saved payment methods: what we keep of a card or bank account (pure, no I/O).

The processor keeps the number; we keep its token, its kind and the masked display the
processor gives ("visa •••• 4242"). A value that could be a card or bank account number is
refused before it reaches the processor, the database or a log, and is never echoed back.
One active method per account may be the default (what autopay and text-to-pay use unless
told otherwise); the first method saved becomes it.
"""

from __future__ import annotations

from kernel.errors import Unprocessable
from services.payments.posting.domain import is_token

#: How many active methods an account keeps (a runaway client is refused, not stored).
MAX_ACTIVE = 10


def token(value: str) -> str:
    v = value.strip()
    if not is_token(v):
        raise Unprocessable("A method is saved from the processor's token (letters first, no "
                            "long runs of digits); the value was not kept", field="token")
    return v


def becomes_default(asked: bool, active_count: int) -> bool:
    return asked or active_count == 0


def room_for_another(active_count: int) -> None:
    if active_count >= MAX_ACTIVE:
        raise Unprocessable(f"An account keeps at most {MAX_ACTIVE} saved methods; remove one "
                            "first", field="token")
