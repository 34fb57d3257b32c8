"""From a bill's rows and the district's configuration to a `Statement` (pure, no I/O).

The account summary is read from the ledger as it stood when the bill posted (the entries up to
the bill's own), so a statement printed again next month says what the mailed one said.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from kernel.checkdigit import printed
from services.billing.bills.statement_model import (
    Bar,
    Chart,
    Fact,
    Row,
    Segment,
    ServiceBlock,
    Statement,
    Stub,
    gallons_per_unit,
    late_words,
    read_facts,
    service_title,
    tier_range,
)
from services.billing.bills.statement_repository import (
    BillData,
    SEntry,
    SLine,
    SPeriod,
    SRead,
)
from services.billing.bills.statement_scanline import scanline
from services.billing.bills.statement_words import (
    day,
    kind_words,
    lang_of,
    money,
    price,
    qty,
    service_name,
    short_month,
    w,
)
from services.billing.config.statement import District

CENT = Decimal("0.01")
METERED = ("water", "irrigation", "recycled")
_ORDER = {"fixed": 0, "volume": 1, "surcharge": 2, "fee": 3, "minimum": 4}


def address_lines(a: dict[str, object] | None) -> list[str]:
    if not a:
        return []
    city, state, postal = (str(a.get(k) or "") for k in ("city", "state", "postal_code"))
    last = ", ".join(x for x in (city, " ".join(x for x in (state, postal) if x)) if x)
    return [str(x) for x in (a.get("line1"), a.get("line2"), last) if x]


def _ledger(d: BillData) -> tuple[Decimal, list[SEntry], Decimal | None, Decimal, Decimal]:
    """(previous balance, entries since the previous bill, this bill's budget deferral,
    total due, running budget difference) as of this bill."""
    ref = str(d.bill.id)
    own = [e for e in d.entries if e.reference == ref and e.kind in ("bill", "budget_deferral")]
    if own:
        first, cut = min(e.seq for e in own), max(e.seq for e in own)
    else:  # a draft: everything posted so far, the bill to come
        first = cut = (d.entries[-1].seq + 1) if d.entries else 1
    earlier = [e for e in d.entries if e.seq < first and e.kind == "bill"]
    prev_cut = 0
    if earlier:
        prev_ref = earlier[-1].reference
        prev_cut = max(e.seq for e in d.entries if e.reference == prev_ref and e.seq < first)
    previous = sum((e.amount for e in d.entries if e.seq <= prev_cut), Decimal("0.00"))
    since = [e for e in d.entries if prev_cut < e.seq <= cut and e not in own]
    deferral: Decimal | None = next((e.amount for e in own if e.kind == "budget_deferral"), None)
    if not own and d.bill.budget is not None and d.bill.budget != d.bill.total:
        deferral = d.bill.budget - d.bill.total
    total = previous + sum((e.amount for e in since), Decimal(0)) + d.bill.total \
        + (deferral or 0)
    settled = max((e.seq for e in d.entries if e.kind == "budget_settlement" and e.seq <= cut),
                  default=0)
    running = -sum((e.amount for e in d.entries if e.kind == "budget_deferral"
                    and settled < e.seq <= cut), Decimal(0))
    if not own and deferral is not None:
        running -= deferral
    return previous, since, deferral, total, running


def _line_row(ln: SLine, pdays: int, unit: str, lang: str) -> Row:
    days = (ln.seg_end - ln.seg_start).days + 1
    part = w("prorated", lang, days=days, pdays=pdays) if days < pdays else ""
    svc = service_name(ln.service, lang)
    if ln.kind == "fixed":
        return Row(f"{svc}: {w('fixed', lang, size=ln.size or '')}", ln.amount, part)
    if ln.kind == "volume":
        scale = Decimal(ln.units if ln.widths_per_unit else 1) * days / pdays
        upper = None if ln.lower is None or ln.width is None else ln.lower + ln.width
        label = tier_range(ln.tier or 1, ln.lower or Decimal(0), upper, scale, ln.unit_price,
                           unit, lang) if ln.lower is not None else \
            w("qty_at", lang, qty="", unit=unit, price=price(ln.unit_price)).strip()
        if "winter average" in ln.description:
            label = f"{w('winter', lang)}: {label}"
        return Row(label, ln.amount, w("billed_qty", lang, qty=qty(ln.quantity), unit=unit))
    if ln.kind == "surcharge":
        return Row(w("surcharge", lang, stage=ln.drought_stage or ""), ln.amount,
                   w("qty_at", lang, qty=qty(ln.quantity), unit=unit,
                     price=price(ln.unit_price)))
    if ln.kind == "minimum":
        return Row(w("minimum", lang), ln.amount, part)
    return Row(ln.description, ln.amount, part)  # a fee: named by the district's rates


def _reads(d: BillData, ln: SLine, lang: str, pdays: int, volume: Decimal) -> list[Fact]:
    r: SRead | None = next((x for x in d.reads if x.meter_id == ln.meter_id), None)
    cur = prev = None
    if r is not None and r.cur_value is not None and r.cur_on is not None:
        cur = (r.cur_value, r.cur_on, r.cur_kind or "actual")
    if r is not None and r.prev_value is not None and r.prev_on is not None:
        prev = (r.prev_value, r.prev_on, r.prev_kind or "actual")
    elif ln.install_read is not None and ln.installed_at is not None:
        prev = (ln.install_read, ln.installed_at, "actual")
    used = r.used if r is not None and r.used is not None else volume
    return read_facts(lang, ln.serial or "", ln.size or "", ln.unit or "HCF", prev, cur, used,
                      pdays)


def _services(d: BillData, lang: str) -> tuple[list[ServiceBlock], bool]:
    pdays = (d.bill.period_end - d.bill.period_start).days + 1
    by_sa: OrderedDict[object, list[SLine]] = OrderedDict()
    for ln in d.lines:
        by_sa.setdefault(ln.sa_id, []).append(ln)
    seen_meters: set[object] = set()
    blocks, changed = [], False
    for lines in by_sa.values():
        first = lines[0]
        unit = first.unit or "HCF"
        facts = [Fact(w("service_address", lang),
                      ", ".join(address_lines(first.premise_address)))]
        volume = sum((x.quantity for x in lines if x.kind == "volume"), Decimal(0))
        if first.meter_id is not None and first.meter_id not in seen_meters and (
                first.service in METERED or first.basis == "metered"):
            seen_meters.add(first.meter_id)
            facts += _reads(d, first, lang, pdays, volume)
        segs: OrderedDict[tuple[date, date, str], list[SLine]] = OrderedDict()
        for ln in sorted(lines, key=lambda x: (x.seg_start, _ORDER.get(x.kind, 9), x.tier or 0)):
            segs.setdefault((ln.seg_start, ln.seg_end, ln.version_name), []).append(ln)
        split = len(segs) > 1
        changed = changed or len({k[2] for k in segs}) > 1
        segments = []
        for (start, end, version), seg_lines in segs.items():
            days = (end - start).days + 1
            heading = w("segment", lang, start=day(start, lang), end=day(end, lang), days=days,
                        pdays=pdays, version=version) if split or days < pdays else ""
            segments.append(Segment(heading, [_line_row(x, pdays, unit, lang)
                                              for x in seg_lines]))
        total = sum((x.amount for x in lines), Decimal("0.00"))
        blocks.append(ServiceBlock(service_title(first.service, lang), facts, segments,
                                   Row(w("service_total", lang,
                                         service=service_name(first.service, lang)), total)))
    return blocks, changed


def _chart(d: BillData, lang: str) -> Chart | None:
    hist = sorted(d.history, key=lambda p: p.period_end)[-13:]
    if not hist:
        return None
    unit = next((x.unit for x in d.lines if x.unit), None) or "HCF"
    gal = gallons_per_unit(unit)
    bars = [Bar(short_month(p.period_end, lang), p.qty, p.period_end == d.bill.period_end)
            for p in hist]

    def per_day(p_qty: Decimal, start: date, end: date) -> str:
        days = (end - start).days + 1
        return f"{(p_qty * gal / days).quantize(Decimal(1)):,f} {w('gallons', lang)}"

    cur, prev, last = _compared(d)
    facts = []
    if cur is not None:
        facts.append(Fact(w("usage_this", lang), f"{qty(cur.qty)} {unit}, "
                          f"{w('avg_daily', lang).lower()} "
                          f"{per_day(cur.qty, cur.period_start, cur.period_end)}"))
    if prev is not None:
        facts.append(Fact(w("usage_last_period", lang), f"{qty(prev.qty)} {unit}, "
                          f"{w('avg_daily', lang).lower()} "
                          f"{per_day(prev.qty, prev.period_start, prev.period_end)}"))
    if last is not None:
        facts.append(Fact(w("usage_last_year", lang), f"{qty(last.qty)} {unit}, "
                          f"{w('avg_daily', lang).lower()} "
                          f"{per_day(last.qty, last.period_start, last.period_end)}"))
    else:
        facts.append(Fact(w("usage_last_year", lang), w("no_history", lang)))
    return Chart(w("usage", lang), unit, bars, facts)


def _compared(d: BillData) -> tuple[SPeriod | None, SPeriod | None, SPeriod | None]:
    """(this period, the period before it, the same period last year: the one ending within
    20 days of a year before this one's end) from the bill's history."""
    hist = sorted(d.history, key=lambda p: p.period_end)
    end = d.bill.period_end
    cur = next((p for p in hist if p.period_end == end), None)
    prev = max((p for p in hist if p.period_end < (cur.period_start if cur else end)),
               key=lambda p: p.period_end, default=None)
    target = end - timedelta(days=365)
    last = min((p for p in hist if abs((p.period_end - target).days) <= 20),
               key=lambda p: abs((p.period_end - target).days), default=None)
    return cur, prev, last


def _per_day(p: SPeriod) -> Decimal:
    return p.qty / ((p.period_end - p.period_start).days + 1)


def usage_comparison(d: BillData, lang: str) -> str | None:
    """The usage comparison message: this period's average daily use against the last
    period's and the same period's last year, in whole percent (per day, because periods
    differ in length). None when there is nothing to compare with (no earlier use)."""
    cur, prev, last = _compared(d)
    if cur is None:
        return None
    parts = []
    for other, than in ((prev, "cmp_prev"), (last, "cmp_year")):
        if other is None or other.qty <= 0:
            continue
        change = ((_per_day(cur) / _per_day(other) - 1) * 100).quantize(
            Decimal(1), ROUND_HALF_UP)
        key = "cmp_same" if change == 0 else "cmp_more" if change > 0 else "cmp_less"
        parts.append(w(key, lang, pct=abs(change), than=w(than, lang)))
    if not parts:
        return None
    return w("cmp_msg", lang, vs=f" {w('cmp_and', lang)} ".join(parts))


def _district_messages(d: BillData, dist: District, lang: str) -> list[str]:
    classes = {x.rate_class for x in d.lines}
    on = d.bill.bill_date or d.bill.period_end
    out = []
    for m in dist.messages:
        if m.cycles and d.bill.cycle not in m.cycles:
            continue
        if m.rate_classes and not classes.intersection(m.rate_classes):
            continue
        if (m.starts and on < m.starts) or (m.ends and on > m.ends):
            continue
        out.append(m.es if lang == "es" and m.es else m.en)
    return out


def _scanline(number: str, due: Decimal) -> str:
    """No scanline for a number that is not nine digits (an imported legacy number): the bank
    keys such a stub by hand rather than reading a line that would not check."""
    try:
        return scanline(number, due)
    except ValueError:
        return ""


def after_due(total_due: Decimal, dist: District) -> Decimal:
    """What is owed after the due date if nothing is paid: the late charge on all of it."""
    if total_due <= 0 or dist.late_charge.percent <= 0:
        return max(total_due, Decimal(0))
    charge = (total_due * dist.late_charge.percent / 100).quantize(CENT, ROUND_HALF_UP)
    return total_due + max(charge, dist.late_charge.minimum)


def compose(d: BillData, dist: District) -> Statement:
    b = d.bill
    mail = b.mailing or {}
    lang = lang_of(b.language)
    previous, since, deferral, total_due, running = _ledger(d)
    summary = [Row(w("previous_balance", lang), previous)]
    payments = [e for e in since if e.kind == "payment"]
    summary += [Row(kind_words("payment", lang, day(e.posted_on, lang)), e.amount)
                for e in payments] or [Row(w("no_payments", lang), Decimal("0.00"))]
    summary += [Row(kind_words(e.kind, lang, day(e.posted_on, lang)), e.amount)
                for e in since if e.kind != "payment"]
    summary.append(Row(w("current_charges", lang), b.total))
    if deferral is not None:
        summary.append(Row(w("budget_deferral", lang), deferral))
    due = max(total_due, Decimal(0))
    services, changed = _services(d, lang)
    number = printed(b.account_number or "")
    messages = [w("rate_change", lang)] if changed else []
    comparison = usage_comparison(d, lang)
    messages += [comparison] if comparison else []
    messages += _district_messages(d, dist, lang)
    messages += list(b.messages)
    if any(x.kind == "surcharge" for x in d.lines):
        messages.append("Se aplica un recargo por sequía al consumo de agua mientras la etapa "
                        "de sequía esté vigente. Gracias por conservar." if lang == "es" else
                        "A drought surcharge applies to water use while the drought stage is "
                        "in effect. Thank you for conserving.")
    past_due = previous + sum((e.amount for e in since), Decimal(0))
    alerts = []
    if b.autopay and due > 0:
        alerts.append(w("msg_autopay", lang, amount=money(due), display=b.autopay,
                        on=day(b.due_date, lang)))
    elif past_due > 0:
        alerts.append(w("msg_past_due", lang, amount=money(past_due)))
    if not b.paperless and dist.paperless_offer:
        messages.append(w("msg_paperless", lang, portal=dist.portal))
    after = after_due(total_due, dist)
    budget: list[Row] = []
    if b.budget is not None:
        budget = [Row(w("budget_amount", lang), b.total + (deferral or 0)),
                  Row(w("budget_actual", lang), b.total),
                  Row(w("budget_running", lang), running)]
    hours = dist.hours_es if lang == "es" else dist.hours_en
    stub = Stub(
        heading=w("stub_return", lang), account_label=w("account", lang), account=number,
        due_label=w("due_date", lang), due=day(b.due_date, lang),
        amount_label=w("amount_due", lang), amount=money(due),
        after_label=w("after_due", lang, on=day(b.due_date, lang)), after=money(after),
        enclosed_label=w("enclosed", lang), remit_label=w("remit_to", lang),
        remit_to=list(dist.remit_to), scanline=_scanline(b.account_number or "", due),
        autopay=w("stub_autopay", lang) if b.autopay and due > 0 else "")
    return Statement(
        lang=lang, title=w("title", lang),
        preview=w("preview", lang) if b.status == "draft" else
        w("cancelled", lang) if b.status == "cancelled" else "",
        district_name=dist.name,
        district_lines=[*dist.address, f"{w('phone', lang)}: {dist.phone}",
                        f"{w('hours', lang)}: {hours}", f"{w('web', lang)}: {dist.website}",
                        f"{w('portal', lang)}: {dist.portal}"],
        logo=dist.logo(), mailing=[b.name or "", *address_lines(b.mailing)],
        return_address=[dist.name, *dist.address],
        header=[Fact(w("account", lang), number), Fact(w("bill_date", lang),
                                                       day(b.bill_date, lang)),
                Fact(w("period", lang),
                     f"{day(b.period_start, lang)} - {day(b.period_end, lang)}"),
                Fact(w("due_date", lang), day(b.due_date, lang)),
                Fact(w("total_due", lang), money(due))],
        summary_title=w("summary", lang), summary=summary,
        total_due=Row(w("total_due", lang), total_due),
        late_words=late_words(b.due_date, dist.late_charge.percent, dist.late_charge.minimum,
                              lang),
        services_title=w("service_details", lang), services=services,
        charges_title=w("charges", lang), budget=budget, budget_title=w("budget", lang),
        chart=_chart(d, lang), messages_title=w("messages", lang), messages=messages,
        alerts=alerts,
        translation=w("translation", lang, phone=dist.phone),
        stub=stub, postal_code=str((b.mailing or {}).get("postal_code") or ""),
        account_number=number, bill_id=str(b.id), bill_date=b.bill_date, due_date=b.due_date,
        amount_due=due, mailing_parts=(
            str(mail.get("line1") or ""), str(mail.get("line2") or ""),
            str(mail.get("city") or ""), str(mail.get("state") or "")))
