"""Text-to-pay's rules and words (pure, no I/O).

A registered phone answers a balance message with PAY; what PAY may charge is decided here from
the quote the message made, the day, and the balance payments' copy has now. The texts are short
(a segment or two) and name the account by its last four digits only: a text can be read by
whoever holds the phone.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from kernel.sms import Classified, Keyword

#: Wrong codes before an enrolment must be started again.
MAX_CODE_ATTEMPTS = 5
CODE_DIGITS = 6


class Intent(StrEnum):
    """What an inbound text asks for."""

    STOP = "stop"
    START = "start"
    HELP = "help"
    YES = "yes"
    PAY = "pay"
    OTHER = "other"


def intent(c: Classified) -> Intent:
    if c.keyword is Keyword.STOP:
        return Intent.STOP
    if c.keyword is Keyword.START:
        return Intent.START
    if c.keyword is Keyword.HELP:
        return Intent.HELP
    if c.word in ("YES", "Y"):
        return Intent.YES
    if c.word == "PAY":
        return Intent.PAY
    return Intent.OTHER


# -- confirmation codes ------------------------------------------------------------------------

def new_code() -> str:
    return f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"


def code_hash(enrolment_id: str, code: str) -> str:
    """The code is kept only as this hash, bound to its enrolment."""
    return hashlib.sha256(f"{enrolment_id}:{code.strip()}".encode()).hexdigest()


def code_matches(enrolment_id: str, code: str, stored: str) -> bool:
    return hmac.compare_digest(code_hash(enrolment_id, code), stored)


# -- PAY -------------------------------------------------------------------------------------------

class PayVerdict(StrEnum):
    CHARGE = "charge"
    NO_QUOTE = "no-quote"
    ALREADY_CHARGED = "already-charged"
    DECLINED = "declined"
    EXPIRED = "expired"
    PAID = "paid"
    BALANCE_CHANGED = "balance-changed"
    CLOSED = "account-closed"


@dataclass(frozen=True)
class Quote:
    """The latest balance message texted to the phone."""

    amount: Decimal
    valid_through: date
    charge_status: str | None


def judge_pay(quote: Quote | None, today: date, balance: Decimal | None, *,
              account_open: bool = True) -> PayVerdict:
    """PAY charges exactly the quoted amount, once, while the quote is valid and the account
    still owes at least that much (a balance paid since, or lowered below the quote, charges
    nothing: the customer agreed to a figure that is no longer right)."""
    if not account_open:
        return PayVerdict.CLOSED
    if quote is None:
        return PayVerdict.NO_QUOTE
    if quote.charge_status in ("succeeded", "processing"):
        return PayVerdict.ALREADY_CHARGED
    if quote.charge_status == "failed":
        return PayVerdict.DECLINED
    if today > quote.valid_through:
        return PayVerdict.EXPIRED
    owed = balance if balance is not None else Decimal("0")
    if owed <= 0:
        return PayVerdict.PAID
    if owed < quote.amount:
        return PayVerdict.BALANCE_CHANGED
    return PayVerdict.CHARGE


# -- delivery status ---------------------------------------------------------------------------

_RANK = {"queued": 0, "sending": 1, "sent": 2, "delivered": 3, "undelivered": 3, "failed": 3,
         "canceled": 3, "received": 3}


def status_moves(current: str, new: str) -> bool:
    """A provider's callbacks may arrive out of order: a status only moves forward."""
    return _RANK.get(new, 0) > _RANK.get(current, 0)


# -- the texts ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Voice:
    """Who the texts speak for."""

    utility: str
    phone: str


def dollars(amount: Decimal) -> str:
    return f"${amount:,.2f}"


def short_method(display: str) -> str:
    """'visa •••• 4242' -> 'visa ••4242'."""
    return display.replace("•••• ", "••").replace("••••", "••")


def last4(number: str) -> str:
    return number[-4:]


def confirm_text(v: Voice, number: str, method: str, code: str, minutes: int) -> str:
    return (f"{v.utility}: reply YES to pay bills for account ••{last4(number)} by text with "
            f"{short_method(method)}, or enter code {code} (valid {minutes} min). "
            f"Reply STOP to opt out.")


def enrolled_text(v: Voice, number: str, method: str) -> str:
    return (f"{v.utility}: text-to-pay is on for account ••{last4(number)} with "
            f"{short_method(method)}. We'll text your balance; reply PAY to pay it. "
            f"HELP for help, STOP to end.")


def balance_text(v: Voice, number: str, amount: Decimal, due: date, method: str) -> str:
    return (f"{v.utility}: account ••{last4(number)} owes {dollars(amount)}, due "
            f"{due:%b} {due.day}. Reply PAY to pay {dollars(amount)} with "
            f"{short_method(method)}. HELP for help, STOP to end.")


def paid_text(v: Voice, amount: Decimal, method: str, ref: str) -> str:
    return (f"{v.utility}: thank you, {dollars(amount)} is being paid with "
            f"{short_method(method)}. Confirmation {ref}.")


def pay_refusal_text(v: Voice, verdict: PayVerdict, amount: Decimal | None,
                     balance: Decimal | None) -> str:
    """Why PAY charged nothing, in the customer's terms."""
    owed = dollars(balance) if balance is not None else "$0.00"
    quoted = dollars(amount) if amount is not None else ""
    reasons = {
        PayVerdict.NO_QUOTE: "there is no balance request to answer yet. We'll text you when "
                             "a bill is due.",
        PayVerdict.ALREADY_CHARGED: f"your payment of {quoted} is already on its way; nothing "
                                    "more was charged.",
        PayVerdict.DECLINED: f"your card was declined for {quoted}; nothing was charged. "
                             f"Please pay online or call {v.phone}.",
        PayVerdict.EXPIRED: f"that request to pay {quoted} has expired; nothing was charged. "
                            f"We'll text you again, or pay online or call {v.phone}.",
        PayVerdict.PAID: "your balance is already paid; nothing was charged.",
        PayVerdict.BALANCE_CHANGED: f"your balance is now {owed}, less than the {quoted} we "
                                    "texted; nothing was charged. We'll text the new amount.",
        PayVerdict.CLOSED: f"this account is closed, so nothing was charged. Questions: call "
                           f"{v.phone}.",
    }
    return f"{v.utility}: {reasons[verdict]}"


def unavailable_text(v: Voice) -> str:
    return (f"{v.utility}: we could not reach the card processor; nothing was charged. "
            "Please reply PAY again in a few minutes.")


def method_invalid_text(v: Voice) -> str:
    return (f"{v.utility}: your saved payment method can no longer be used; nothing was "
            f"charged. Please update it online or call {v.phone}.")


def help_text(v: Voice) -> str:
    return (f"{v.utility} text-to-pay: reply PAY to pay the balance we texted. Questions: call "
            f"{v.phone}. Reply STOP to end texts. Msg & data rates may apply.")


def stop_text(v: Voice) -> str:
    return (f"{v.utility}: you are unsubscribed from text-to-pay and will get no more texts "
            "from it. Reply HELP for help.")


def start_text(v: Voice) -> str:
    return (f"{v.utility}: text-to-pay stays off until you enrol again online or call "
            f"{v.phone}.")


def unknown_number_text(v: Voice) -> str:
    return (f"{v.utility}: this number is not registered for text-to-pay, so nothing was done. "
            f"To sign up, visit our customer portal or call {v.phone}.")


def unknown_keyword_text(v: Voice) -> str:
    return (f"{v.utility}: sorry, we didn't understand. Reply PAY to pay the balance we "
            "texted, HELP for help, or STOP to end texts.")


def no_pending_text(v: Voice) -> str:
    return (f"{v.utility}: there is no text-to-pay sign-up waiting for this number. To sign "
            f"up, visit our customer portal or call {v.phone}.")


def confirm_first_text(v: Voice) -> str:
    return (f"{v.utility}: this number's text-to-pay sign-up is not confirmed yet, so nothing "
            "was charged. Reply YES to confirm it.")
