"""The NACHA PPD debit file the district sends its bank (the ODFI) for autopay.

One file, one batch per effective entry date, service class 225 (debits only): the district only
ever pulls money on autopay; refunds go out as checks. Entries are live debits (27 checking,
37 savings) or zero-dollar prenotes (28, 38) that prove a new account before money moves.
Controls (entry/addenda count, entry hash, debit total, blocks) are computed here from the records
actually written, and the file is padded with all-9 records to a multiple of ten 94-character
records, as the bank's ACH software expects.

Each entry's trace number (ODFI routing prefix + a 7-digit sequence) is returned with the file: the
autopay service stores it on the debit, because a return or a notification of change names the
original entry only by that trace number.

Wired: the file cut (service.py `cut_file`) decrypts each enrolment's account number with
kernel.bankaccount, builds `Debit`s from the prenotes and the debits due, keeps the file sealed
with its hash and each debit's trace number; the district's bank parameters (`Originator`) come
from configuration (`TAPLINE_AUTOPAY_*`).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from kernel.bankaccount import AccountType, routing_checksum_ok
from kernel.errors import Unprocessable

RECORD_LENGTH = 94
BLOCKING_FACTOR = 10
SERVICE_CLASS_DEBITS = 225
#: The largest amount one entry's 10-digit field holds: $99,999,999.99.
MAX_ENTRY_AMOUNT = Decimal("99999999.99")
#: The company entry description NACHA requires on a re-presented (R01/R09) debit.
RETRY_DESCRIPTION = "RETRY PYMT"
_TRANSACTION_CODES = {
    (AccountType.CHECKING, False): 27,
    (AccountType.SAVINGS, False): 37,
    (AccountType.CHECKING, True): 28,
    (AccountType.SAVINGS, True): 38,
}


class NachaError(Unprocessable):
    """A file that the bank would reject is never written."""

    code, title = "nacha-invalid", "NACHA file cannot be written"


@dataclass(frozen=True)
class Originator:
    """The district and its bank, as the bank set them up for ACH origination."""

    #: The bank's routing number (9 digits), written ' ' + routing in the file header.
    immediate_destination: str
    immediate_destination_name: str
    #: Usually the district's company id or the bank's routing number: 9 or 10 characters.
    immediate_origin: str
    immediate_origin_name: str
    company_name: str
    #: The 10-character company identification the bank assigned (often '1' + the EIN).
    company_id: str
    #: The originating bank's routing number; its first 8 digits start every trace number.
    odfi_routing: str
    company_entry_description: str = "WATER BILL"


@dataclass(frozen=True)
class Debit:
    """One customer's debit (or prenote) as the file carries it."""

    routing_number: str
    account_number: str = field(repr=False)
    account_type: AccountType
    #: Dollars; must be zero for a prenote and positive with at most two places otherwise.
    amount: Decimal
    #: What the customer's bank statement shows as the id: the utility account number.
    individual_id: str
    individual_name: str
    prenote: bool = False
    #: Optional payment-related information for one 05 addenda record (80 characters).
    addenda: str | None = None


@dataclass(frozen=True)
class Batch:
    effective_date: date
    debits: Sequence[Debit]
    #: Shown on the customer's statement beside the company name ('NOV 2026', 'AUTOPAY').
    descriptive_date: str = ""
    #: Overrides the originator's description; NACHA requires `RETRY_DESCRIPTION` on a batch
    #: that presents R01/R09 returns again, so keep re-presentments in a batch of their own.
    company_entry_description: str | None = None


@dataclass(frozen=True)
class WrittenEntry:
    trace_number: str
    individual_id: str
    amount: Decimal
    prenote: bool
    effective_date: date


@dataclass(frozen=True)
class NachaFile:
    text: str
    entries: tuple[WrittenEntry, ...]
    batch_count: int
    entry_addenda_count: int
    entry_hash: int
    total_debit: Decimal
    block_count: int


def write_ppd_debit_file(
    originator: Originator,
    batches: Sequence[Batch],
    *,
    created_at: datetime,
    file_id_modifier: str = "A",
    first_trace_sequence: int = 1,
    line_end: str = "\n",
) -> NachaFile:
    """Write the file; `created_at` is the district's local time of creation.

    `file_id_modifier` (A-Z, 0-9) tells apart files sent to the bank on one day, and
    `first_trace_sequence` continues the day's trace numbers, so traces stay unique per ODFI.
    """
    _check_originator(originator)
    if not batches or not any(b.debits for b in batches):
        raise NachaError("A NACHA file needs at least one debit.")
    modifier = file_id_modifier.upper()
    if len(modifier) != 1 or not (modifier.isascii() and modifier.isalnum()):
        raise NachaError("The file id modifier is one letter A-Z or digit 0-9.")
    odfi8 = originator.odfi_routing[:8]
    records = [_file_header(originator, created_at, modifier)]
    written: list[WrittenEntry] = []
    sequence = first_trace_sequence
    file_count = file_hash = batch_count = 0
    file_debit = 0
    for number, batch in enumerate((b for b in batches if b.debits), start=1):
        batch_count += 1
        records.append(_batch_header(originator, batch, number))
        count = entry_hash = total = 0
        for debit in batch.debits:
            cents = _cents(debit)
            if not 1 <= sequence <= 9_999_999:
                raise NachaError("Trace sequence numbers run from 1 to 9999999.")
            trace = f"{odfi8}{sequence:07d}"
            sequence += 1
            records.append(_entry(debit, cents, trace))
            count += 1
            if debit.addenda:
                records.append(_addenda(debit.addenda, trace))
                count += 1
            entry_hash += int(debit.routing_number[:8])
            total += cents
            written.append(
                WrittenEntry(trace, debit.individual_id, debit.amount, debit.prenote,
                             batch.effective_date)
            )
        records.append(_batch_control(originator, count, entry_hash, total, number))
        file_count += count
        file_hash += entry_hash
        file_debit += total
    blocks = math.ceil((len(records) + 1) / BLOCKING_FACTOR)
    records.append(_file_control(batch_count, blocks, file_count, file_hash, file_debit))
    records.extend(["9" * RECORD_LENGTH] * (blocks * BLOCKING_FACTOR - len(records)))
    for record in records:
        if len(record) != RECORD_LENGTH:  # a layout bug here, never the caller's input
            raise AssertionError(f"NACHA record of {len(record)} characters: {record!r}")
    return NachaFile(
        text=line_end.join(records) + line_end,
        entries=tuple(written),
        batch_count=batch_count,
        entry_addenda_count=file_count,
        entry_hash=file_hash % 10**10,
        total_debit=Decimal(file_debit) / 100,
        block_count=blocks,
    )


def _check_originator(o: Originator) -> None:
    for name, routing in (
        ("immediate destination", o.immediate_destination),
        ("originating bank", o.odfi_routing),
    ):
        if not routing_checksum_ok(routing):
            raise NachaError(f"The {name} routing number {routing!r} is not valid.")
    origin = o.immediate_origin
    if len(origin) not in (9, 10) or not origin.isascii() or not origin.isalnum():
        raise NachaError("The immediate origin is 9 or 10 letters or digits.")
    if not o.company_id or len(o.company_id) > 10 or not o.company_id.isascii():
        raise NachaError("The company identification is 1 to 10 characters.")
    if not _text(o.company_name, 16).strip():
        raise NachaError("The company name is required.")


def _cents(debit: Debit) -> int:
    if not routing_checksum_ok(debit.routing_number):
        raise NachaError(f"Debit {debit.individual_id}: the routing number is not valid.")
    acct = debit.account_number
    if not (4 <= len(acct) <= 17 and acct.isascii() and acct.isdigit()):
        raise NachaError(f"Debit {debit.individual_id}: the account number is not 4-17 digits.")
    amount = debit.amount
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise NachaError(f"Debit {debit.individual_id}: the amount must be a Decimal.")
    if debit.prenote:
        if amount != 0:
            raise NachaError(f"Prenote {debit.individual_id}: a prenote carries no amount.")
        return 0
    places = -int(amount.as_tuple().exponent)
    if amount <= 0 or places > 2 or amount > MAX_ENTRY_AMOUNT:
        raise NachaError(
            f"Debit {debit.individual_id}: the amount must be more than zero, in cents, "
            f"and at most {MAX_ENTRY_AMOUNT}."
        )
    return int(amount * 100)


def _text(value: str, width: int) -> str:
    """Upper-case ASCII, accents dropped ('Peña' → 'PENA'), cut or space-padded to width."""
    plain = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    plain = "".join(c if " " <= c <= "~" else " " for c in plain).upper()
    return plain[:width].ljust(width)


def _num(value: int, width: int) -> str:
    text = str(value)
    if value < 0 or len(text) > width:
        raise NachaError(f"{value} does not fit a {width}-digit field.")
    return text.zfill(width)


def _file_header(o: Originator, created_at: datetime, modifier: str) -> str:
    origin = o.immediate_origin.rjust(10)
    return (
        "1" + "01" + " " + o.immediate_destination + origin
        + created_at.strftime("%y%m%d%H%M") + modifier + "094" + "10" + "1"
        + _text(o.immediate_destination_name, 23) + _text(o.immediate_origin_name, 23)
        + " " * 8
    )


def _batch_header(o: Originator, batch: Batch, number: int) -> str:
    return (
        "5" + str(SERVICE_CLASS_DEBITS) + _text(o.company_name, 16) + " " * 20
        + _text(o.company_id, 10) + "PPD"
        + _text(batch.company_entry_description or o.company_entry_description, 10)
        + _text(batch.descriptive_date, 6) + batch.effective_date.strftime("%y%m%d")
        + " " * 3 + "1" + o.odfi_routing[:8] + _num(number, 7)
    )


def _entry(debit: Debit, cents: int, trace: str) -> str:
    code = _TRANSACTION_CODES[(AccountType(debit.account_type), debit.prenote)]
    return (
        "6" + str(code) + debit.routing_number + debit.account_number.ljust(17)
        + _num(cents, 10) + _text(debit.individual_id, 15) + _text(debit.individual_name, 22)
        + "  " + ("1" if debit.addenda else "0") + trace
    )


def _addenda(info: str, trace: str) -> str:
    return "7" + "05" + _text(info, 80) + "0001" + trace[-7:]


def _batch_control(o: Originator, count: int, entry_hash: int, debit: int, number: int) -> str:
    return (
        "8" + str(SERVICE_CLASS_DEBITS) + _num(count, 6) + _num(entry_hash % 10**10, 10)
        + _num(debit, 12) + _num(0, 12) + _text(o.company_id, 10) + " " * 19 + " " * 6
        + o.odfi_routing[:8] + _num(number, 7)
    )


def _file_control(batches: int, blocks: int, count: int, entry_hash: int, debit: int) -> str:
    return (
        "9" + _num(batches, 6) + _num(blocks, 6) + _num(count, 8)
        + _num(entry_hash % 10**10, 10) + _num(debit, 12) + _num(0, 12) + " " * 39
    )
