"""Statement rules without a database: tier ranges, the late-charge sentence and amount, the
account summary read from the ledger as it stood at the bill, messages by target, presort."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from datetime import date
from decimal import Decimal

from services.billing.bills.statement_compose import after_due, compose
from services.billing.bills.statement_model import late_words, tier_range
from services.billing.bills.statement_repository import SEntry
from services.billing.bills.statement_service import presort, write_batch
from services.billing.config.statement import District, LateCharge, Message, with_defaults
from tests.billing.statement_helpers import bill_data

D = Decimal


def test_tier_ranges_read_as_a_customer_counts_units():
    assert tier_range(1, D(0), D(10), D(1), D("3.00"), "HCF", "en") == \
        "Tier 1: first 10 HCF at $3.00"
    assert tier_range(2, D(10), D(20), D(1), D("4.90"), "HCF", "en") == \
        "Tier 2: 11-20 HCF at $4.90"
    assert tier_range(3, D(20), None, D(1), D("5.875"), "HCF", "en") == \
        "Tier 3: over 20 HCF at $5.875"
    assert tier_range(1, D(0), None, D(1), D("4.21"), "HCF", "es") == \
        "Todo el consumo a $4.21 por HCF"
    # 16 of 31 days of a 10-unit block: the bounds the run used, to the hundredth
    assert tier_range(2, D(10), D(20), D(16) / D(31), D("4.90"), "HCF", "en") == \
        "Tier 2: 5.16-10.32 HCF at $4.90"


def test_the_late_charge_is_said_in_plain_words_and_priced_on_the_stub():
    assert late_words(date(2026, 2, 23), D(10), D(0), "en") == (
        "If payment is not received by Feb 23, 2026, a late charge of 10% of the past-due "
        "amount will be added.")
    assert "(como mínimo $2.00)" in late_words(date(2026, 2, 23), D("1.5"), D(2), "es")
    d = District(late_charge=LateCharge(percent=D(10), minimum=D(2)))
    assert after_due(D("96.65"), d) == D("106.32")  # 9.665 rounds half up
    assert after_due(D("5.00"), d) == D("7.00")  # the minimum
    assert after_due(D("-3.00"), d) == D(0)  # a credit owes nothing later either


def test_the_summary_is_the_ledger_between_the_previous_bill_and_this_one():
    d = bill_data(1)
    later = SEntry(d.bill.account_id, 9, "payment", D("-96.65"), date(2026, 2, 10), None, "p2")
    d.entries.append(later)  # paid after the bill: the statement still says what was mailed
    st = compose(d, with_defaults(District()))
    rows = [(r.label, r.amount) for r in st.summary]
    assert rows == [("Previous balance", D("80.10")),
                    ("Payment received Dec 18, 2025", D("-80.10")),
                    ("Adjustment Jan 10, 2026", D("-5.00")),
                    ("Current charges", D("96.65"))]
    assert st.total_due.amount == D("91.65") and st.stub is not None
    assert st.stub.scanline.startswith(d.bill.account_number.replace("-", "") + " 0000009165 ")


def test_a_draft_is_a_preview_whose_total_adds_the_bill_to_the_balance_so_far():
    d = bill_data(2)
    d.bill = dataclasses.replace(d.bill, status="draft")
    d.entries = d.entries[:3]  # the bill is not posted yet
    st = compose(d, with_defaults(District()))
    assert st.preview == "PREVIEW - NOT A BILL" and st.total_due.amount == D("91.65")


def test_a_cancelled_bill_says_so_on_its_face():
    d = bill_data(2, language="es")
    d.bill = dataclasses.replace(d.bill, status="cancelled")
    assert compose(d, with_defaults(District())).preview == "CANCELADA - NO PAGUE"


def test_budget_billing_shows_budget_actual_and_running_difference():
    d = bill_data(3, budget=D("80.00"))
    d.entries.append(SEntry(d.bill.account_id, 5, "budget_deferral", D("-16.65"),
                            date(2026, 2, 2), None, str(d.bill.id)))
    st = compose(d, with_defaults(District()))
    assert [(r.label, r.amount) for r in st.budget] == [
        ("Budget amount", D("80.00")), ("Actual charges this period", D("96.65")),
        ("Running difference (actual minus budget)", D("16.65"))]
    assert ("Budget billing difference", D("-16.65")) in [(r.label, r.amount)
                                                          for r in st.summary]


def test_district_messages_go_to_their_cycle_and_class_while_in_force():
    msgs = [Message(en="all"), Message(en="cycle C1", cycles=["C1"]),
            Message(en="cycle C9", cycles=["C9"]), Message(en="com", rate_classes=["COM"]),
            Message(en="res", es="residencial", rate_classes=["RES"]),
            Message(en="over", ends=date(2026, 1, 1))]
    dist = with_defaults(District(messages=msgs, paperless_offer=False))
    assert compose(bill_data(4), dist).messages == ["all", "cycle C1", "res"]
    assert compose(bill_data(4, language="es"), dist).messages == \
        ["all", "cycle C1", "residencial"]


def test_autopay_replaces_the_request_to_pay():
    st = compose(bill_data(5, autopay="checking ****6789"), with_defaults(District()))
    assert st.alerts == ["Autopay will draw $91.65 from checking ****6789 on Feb 23, 2026. "
                         "Do not send a payment."]
    assert st.stub is not None and st.stub.autopay == "AUTOPAY - do not pay"


def test_the_batch_is_presorted_by_zip_and_indexes_pages():
    dist = with_defaults(District())
    sts = [compose(bill_data(i, postal=z), dist) for i, z in
           enumerate(["95010", "95001", "95005", "95001"])]
    assert [s.postal_code for s in presort(sts)] == ["95001", "95001", "95005", "95010"]
    z = zipfile.ZipFile(_written(sts))
    rows = [r.split(",") for r in z.read("index.csv").decode().splitlines()[1:]]
    assert [(r[2], r[3], r[4]) for r in rows] == [
        ("1", "2", "95001"), ("3", "2", "95001"), ("5", "2", "95005"), ("7", "2", "95010")]


def test_a_large_batch_is_drawn_by_several_processes_into_several_files_in_presort_order():
    dist = with_defaults(District())
    sts = [compose(bill_data(i, postal=str(95009 - i % 10)), dist) for i in range(10)]
    z = zipfile.ZipFile(_written(sts, per_file=3, workers=2))
    rows = [r.split(",") for r in z.read("index.csv").decode().splitlines()[1:]]
    assert [r[1] for r in rows] == ["statements-001.pdf"] * 3 + ["statements-002.pdf"] * 3 \
        + ["statements-003.pdf"] * 3 + ["statements-004.pdf"]
    assert [r[4] for r in rows] == sorted(r[4] for r in rows)
    assert [r[2] for r in rows[:4]] == ["1", "3", "5", "1"]  # pages restart in each file
    assert '"pages": 20' in z.read("manifest.json").decode()
    assert all(z.read(f"statements-00{n}.pdf").startswith(b"%PDF") for n in range(1, 5))


def _written(sts, **kw):  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    assert write_batch(sts, date(2026, 2, 2), d_uuid(), out, **kw) == len(sts)
    out.seek(0)
    return out


def d_uuid():  # type: ignore[no-untyped-def]
    import uuid

    return uuid.UUID(int=7)
