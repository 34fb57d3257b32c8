"""ACH returns and notifications of change from the bank, and what each means for autopay.

The bank sends back, as a NACHA file, the debits it could not collect (entries with a 99 addenda
carrying an R-code) and the corrections a customer's bank asks for (COR entries with a 98 addenda
carrying a C-code and the corrected data). Both name the original debit only by its trace number.

Rules (NACHA, and the district's policy):
- R01 (insufficient funds) and R09 (uncollected funds): the payment is reversed, the enrolment
  stays, and the debit may be presented again at most twice (in a batch described
  nacha.RETRY_DESCRIPTION).
- Every other return reverses the payment and ends the enrolment, with a reason the customer
  can act on; unauthorised and revoked debits (R05, R07, R10, R29, R51) are never presented again.
- A notification of change updates the enrolment's bank details before the next debit.

Wired: returnfile.py matches each `ReturnedEntry` and `ChangeNotice` to its debit (or prenote)
by `original_trace`, reverses the payment through the returns feature (`payments.PaymentReturned`,
once per original trace), ends or keeps the enrolment per `classify_return`, and re-encrypts
corrected numbers with kernel.bankaccount. Not yet: presenting R01/R09 debits again; processor
ACH returns (Stripe's failure codes) are reversed by the webhooks, not mapped here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from kernel.bankaccount import AccountType
from kernel.errors import Unprocessable

RECORD_LENGTH = 94
#: A district's return file is a few hundred lines; this refuses a wrong upload early.
MAX_FILE_BYTES = 5_000_000
#: Presentations after the first that NACHA allows for an R01/R09 return.
MAX_REPRESENTMENTS = 2


class ReturnFileError(Unprocessable):
    code, title = "ach-return-file-invalid", "ACH return file is not valid"


class ReturnAction(StrEnum):
    REVERSE_KEEP_ENROLMENT = "reverse_keep_enrolment"
    REVERSE_END_ENROLMENT = "reverse_end_enrolment"


@dataclass(frozen=True)
class ReturnedEntry:
    """A debit the customer's bank sent back."""

    original_trace: str
    return_code: str
    amount: Decimal
    transaction_code: int
    individual_id: str
    individual_name: str
    original_rdfi: str
    date_of_death: date | None
    addenda_information: str
    trace_number: str


@dataclass(frozen=True)
class CorrectedData:
    """What the customer's bank says is right; fields it did not correct are None."""

    routing_number: str | None = None
    account_number: str | None = field(default=None, repr=False)
    account_type: AccountType | None = None
    individual_name: str | None = None
    individual_id: str | None = None


@dataclass(frozen=True)
class ChangeNotice:
    """A notification of change (NOC): correct the enrolment before the next debit."""

    original_trace: str
    change_code: str
    individual_id: str
    original_rdfi: str
    corrected: CorrectedData
    raw_corrected_data: str = field(repr=False)
    trace_number: str


@dataclass(frozen=True)
class ReturnFile:
    returns: tuple[ReturnedEntry, ...]
    changes: tuple[ChangeNotice, ...]


@dataclass(frozen=True)
class ReturnDecision:
    code: str
    action: ReturnAction
    #: Insufficient or uncollected funds: counts toward the cash-only threshold and the fee.
    nsf: bool
    #: Whether the debit may be presented again (R01/R09, at most twice).
    may_represent: bool
    #: Plain words for the customer's letter or portal message.
    customer_reason: str


_REASONS: dict[str, str] = {
    "R01": "Your bank returned the payment for insufficient funds.",
    "R02": "Your bank says the account is closed. Please enrol a new account.",
    "R03": "Your bank could not find the account. Please check the account and routing numbers.",
    "R04": "Your bank says the account number is not valid. Please enrol the account again.",
    "R05": "Your bank says the debit was not authorised.",
    "R06": "The payment was returned at our bank's request.",
    "R07": "You revoked the authorisation for automatic payments with your bank.",
    "R08": "Your bank stopped the payment at your request.",
    "R09": "Your bank returned the payment because the funds were not yet available.",
    "R10": "Your bank says the debit was not authorised by the account holder.",
    "R11": "Your bank says the debit did not match the authorisation you gave.",
    "R12": "Your bank says the account was moved to another bank. Please enrol it again.",
    "R14": "Your bank reports that the account holder can no longer act on the account.",
    "R15": "Your bank reports that the account holder is deceased.",
    "R16": "Your bank says the account is frozen.",
    "R17": "Your bank could not process the account details we sent.",
    "R20": "Your bank says the account does not allow debits. Please enrol a checking account.",
    "R23": "Your bank refused the entry.",
    "R24": "Your bank says the debit was a duplicate.",
    "R29": "Your bank says the debit was not authorised.",
    "R51": "Your bank says the debit was not authorised.",
}
_NSF = frozenset({"R01", "R09"})
_NEVER_AGAIN = frozenset({"R05", "R07", "R08", "R10", "R11", "R29", "R51"})
_R_CODE = re.compile(r"^R\d{2}$")
_C_CODE = re.compile(r"^C\d{2}$")


def classify_return(code: str, *, representments_so_far: int = 0) -> ReturnDecision:
    """What a return code means for the payment and the enrolment."""
    code = code.strip().upper()
    if not _R_CODE.match(code):
        raise ReturnFileError(f"{code!r} is not an ACH return reason code.")
    if code in _NSF:
        return ReturnDecision(
            code,
            ReturnAction.REVERSE_KEEP_ENROLMENT,
            nsf=True,
            may_represent=representments_so_far < MAX_REPRESENTMENTS,
            customer_reason=_REASONS[code],
        )
    return ReturnDecision(
        code,
        ReturnAction.REVERSE_END_ENROLMENT,
        nsf=False,
        may_represent=False,
        customer_reason=_REASONS.get(
            code, f"Your bank returned the payment (reason {code}). Please contact us."
        ),
    )


def never_present_again(code: str) -> bool:
    """Unauthorised, revoked or stopped: a new signed authorisation is needed first."""
    return code.strip().upper() in _NEVER_AGAIN


def corrected_data(change_code: str, data: str) -> CorrectedData:
    """The NACHA layouts of the 29-character corrected-data field, by change code."""
    d = data.ljust(29)

    def routing(s: str) -> str:
        return s.strip()

    def account(s: str) -> str:
        return s.strip()

    match change_code:
        case "C01":
            return CorrectedData(account_number=account(d[0:17]))
        case "C02":
            return CorrectedData(routing_number=routing(d[0:9]))
        case "C03":
            return CorrectedData(routing_number=routing(d[0:9]), account_number=account(d[12:29]))
        case "C04":
            return CorrectedData(individual_name=d[0:22].strip())
        case "C05":
            return CorrectedData(account_type=_account_type(d[0:2]))
        case "C06":
            return CorrectedData(
                account_number=account(d[0:17]), account_type=_account_type(d[20:22])
            )
        case "C07":
            return CorrectedData(
                routing_number=routing(d[0:9]),
                account_number=account(d[9:26]),
                account_type=_account_type(d[26:28]),
            )
        case "C09":
            return CorrectedData(individual_id=d[0:22].strip())
        case _:
            return CorrectedData()


def apply_change(
    routing_number: str, account_number: str, account_type: AccountType, notice: ChangeNotice
) -> tuple[str, str, AccountType]:
    """The enrolment's bank details after a notification of change."""
    c = notice.corrected
    return (
        c.routing_number or routing_number,
        c.account_number or account_number,
        c.account_type or account_type,
    )


def _account_type(code: str) -> AccountType | None:
    code = code.strip()
    if len(code) == 2 and code.isdigit():
        if code[0] == "2":
            return AccountType.CHECKING
        if code[0] == "3":
            return AccountType.SAVINGS
    return None


def parse_return_file(data: bytes | str) -> ReturnFile:
    """Every return and change in a bank's NACHA return file.

    Lenient where banks differ harmlessly (CRLF, trailing spaces trimmed, missing 9-padding),
    strict where a mistake would misapply money (unknown record types, an entry's amount that is
    not digits, a 99/98 addenda without its entry, controls that do not add up).
    """
    if isinstance(data, bytes):
        if len(data) > MAX_FILE_BYTES:
            raise ReturnFileError(f"A return file is at most {MAX_FILE_BYTES} bytes.")
        try:
            data = data.decode("ascii")
        except UnicodeDecodeError as exc:
            raise ReturnFileError("A NACHA file is plain ASCII text.") from exc
    elif len(data) > MAX_FILE_BYTES:
        raise ReturnFileError(f"A return file is at most {MAX_FILE_BYTES} bytes.")
    lines = [line.rstrip("\r") for line in data.split("\n")]
    returns: list[ReturnedEntry] = []
    changes: list[ChangeNotice] = []
    seen_header = False
    entry: str | None = None
    entry_used = True
    batch_debits = batch_credits = batch_count = 0
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        if len(raw) > RECORD_LENGTH:
            raise ReturnFileError(f"Line {number} is longer than {RECORD_LENGTH} characters.")
        rec = raw.ljust(RECORD_LENGTH)
        kind = rec[0]
        if kind == "1":
            seen_header = True
        elif not seen_header:
            raise ReturnFileError("The file does not start with a file header (record 1).")
        elif kind == "5":
            batch_debits = batch_credits = batch_count = 0
            entry, entry_used = None, True
        elif kind == "6":
            _require_addenda_used(entry, entry_used, number)
            amount = rec[29:39]
            if not amount.isdigit():
                raise ReturnFileError(f"Line {number}: the entry amount is not digits.")
            if not rec[1:3].isdigit():
                raise ReturnFileError(f"Line {number}: the transaction code is not digits.")
            if int(rec[2]) >= 5:
                batch_debits += int(amount)
            else:
                batch_credits += int(amount)
            batch_count += 1
            entry, entry_used = rec, rec[78] != "1"
        elif kind == "7":
            batch_count += 1
            if entry is None:
                raise ReturnFileError(f"Line {number}: an addenda record without its entry.")
            addenda_type = rec[1:3]
            if addenda_type == "99":
                returns.append(_returned(entry, rec, number))
            elif addenda_type == "98":
                changes.append(_change(entry, rec, number))
            entry_used = True
        elif kind == "8":
            _require_addenda_used(entry, entry_used, number)
            _check_batch_control(rec, (batch_count, batch_debits, batch_credits), number)
            entry = None
        elif kind == "9":
            if set(rec) == {"9"}:
                continue
        else:
            raise ReturnFileError(f"Line {number}: unknown record type {kind!r}.")
    if not seen_header:
        raise ReturnFileError("The file is empty or has no file header.")
    _require_addenda_used(entry, entry_used, len(lines))
    return ReturnFile(tuple(returns), tuple(changes))


def _require_addenda_used(entry: str | None, used: bool, line: int) -> None:
    if entry is not None and not used:
        raise ReturnFileError(f"Line {line}: an entry flagged with an addenda has none.")


def _check_batch_control(rec: str, actual: tuple[int, int, int], line: int) -> None:
    """Count, debit and credit totals must match the batch: a damaged file is refused whole."""
    declared = (rec[4:10], rec[20:32], rec[32:44])
    for name, text, value in zip(("record count", "debit total", "credit total"), declared,
                                 actual, strict=True):
        if not text.isdigit() or int(text) != value:
            raise ReturnFileError(
                f"Line {line}: the batch control's {name} is {text.strip() or 'blank'}, "
                f"the batch's is {value}."
            )


def _returned(entry: str, add: str, line: int) -> ReturnedEntry:
    code = add[3:6].strip().upper()
    if not _R_CODE.match(code):
        raise ReturnFileError(f"Line {line}: {code!r} is not a return reason code.")
    original_trace = add[6:21].strip()
    if not original_trace.isdigit():
        raise ReturnFileError(f"Line {line}: the original trace number is not digits.")
    return ReturnedEntry(
        original_trace=original_trace,
        return_code=code,
        amount=Decimal(int(entry[29:39])) / 100,
        transaction_code=int(entry[1:3]),
        individual_id=entry[39:54].strip(),
        individual_name=entry[54:76].strip(),
        original_rdfi=add[27:35].strip(),
        date_of_death=_yymmdd(add[21:27]),
        addenda_information=add[35:79].strip(),
        trace_number=add[79:94].strip(),
    )


def _change(entry: str, add: str, line: int) -> ChangeNotice:
    code = add[3:6].strip().upper()
    if not _C_CODE.match(code):
        raise ReturnFileError(f"Line {line}: {code!r} is not a change code.")
    original_trace = add[6:21].strip()
    if not original_trace.isdigit():
        raise ReturnFileError(f"Line {line}: the original trace number is not digits.")
    raw = add[35:64]
    return ChangeNotice(
        original_trace=original_trace,
        change_code=code,
        individual_id=entry[39:54].strip(),
        original_rdfi=add[27:35].strip(),
        corrected=corrected_data(code, raw),
        raw_corrected_data=raw.rstrip(),
        trace_number=add[79:94].strip(),
    )


def _yymmdd(text: str) -> date | None:
    if not text.isdigit() or len(text) != 6:
        return None
    try:
        return date(2000 + int(text[:2]), int(text[2:4]), int(text[4:6]))
    except ValueError:
        return None
