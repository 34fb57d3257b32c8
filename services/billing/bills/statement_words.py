"""Every word a statement prints, in English and Spanish, and money, dates and numbers as the
customer's language writes them. One table for the PDF, the HTML and the tests: a label added
here is in both languages or the unit test of this table fails."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

#: key -> (English, Spanish)
WORDS: dict[str, tuple[str, str]] = {
    "title": ("Water Service Statement", "Estado de cuenta del servicio de agua"),
    "preview": ("PREVIEW - NOT A BILL", "VISTA PREVIA - NO ES UNA FACTURA"),
    "cancelled": ("CANCELLED - DO NOT PAY", "CANCELADA - NO PAGUE"),
    "account": ("Account number", "Número de cuenta"),
    "bill_date": ("Bill date", "Fecha de factura"),
    "due_date": ("Due date", "Fecha de vencimiento"),
    "period": ("Service period", "Periodo de servicio"),
    "phone": ("Customer service", "Servicio al cliente"),
    "hours": ("Hours", "Horario"),
    "web": ("Web", "Web"),
    "portal": ("Pay and manage your account online", "Pague y administre su cuenta en línea"),
    "summary": ("Account summary", "Resumen de la cuenta"),
    "previous_balance": ("Previous balance", "Saldo anterior"),
    "payment_on": ("Payment received {on}", "Pago recibido el {on}"),
    "no_payments": ("Payments received since last bill", "Pagos recibidos desde la última factura"),
    "adjustments": ("Adjustments and credits", "Ajustes y créditos"),
    "current_charges": ("Current charges", "Cargos actuales"),
    "budget_deferral": ("Budget billing difference", "Diferencia de facturación presupuestada"),
    "total_due": ("Total amount due", "Total a pagar"),
    "due_by": ("Please pay by {on}", "Por favor pague antes del {on}"),
    "late": ("If payment is not received by {on}, a late charge of {pct}% of the past-due "
             "amount{minimum} will be added.",
             "Si no recibimos el pago antes del {on}, se agregará un cargo por pago tardío del "
             "{pct}% del saldo vencido{minimum}."),
    "late_min": (" (at least {amount})", " (como mínimo {amount})"),
    "late_none": ("Please pay by the due date to keep your account current.",
                  "Pague antes de la fecha de vencimiento para mantener su cuenta al día."),
    "credit_balance": ("Credit balance - nothing to pay", "Saldo a favor - no hay nada que pagar"),
    "service_details": ("Service details", "Detalles del servicio"),
    "service_address": ("Service address", "Dirección del servicio"),
    "meter": ("Meter", "Medidor"),
    "meter_size": ("size {size}\"", "tamaño {size}\""),
    "previous_read": ("Previous read", "Lectura anterior"),
    "current_read": ("Current read", "Lectura actual"),
    "actual": ("actual", "real"),
    "estimated": ("estimated", "estimada"),
    "used": ("Units used", "Unidades consumidas"),
    "unit_gallons": ("1 {unit} = {gallons} gallons", "1 {unit} = {gallons} galones"),
    "days": ("Days in period", "Días del periodo"),
    "gpd": ("Gallons per day", "Galones por día"),
    "gallons": ("gallons", "galones"),
    "charges": ("Charges", "Cargos"),
    "charges_for": ("{service} charges", "Cargos de {service}"),
    "segment": ("{start} to {end} ({days} of {pdays} days, rates '{version}')",
                "{start} al {end} ({days} de {pdays} días, tarifas '{version}')"),
    "rate_change": ("Rates changed during this period: charges are split by days.",
                    "Las tarifas cambiaron durante este periodo: los cargos se dividen por días."),
    "tier_first": ("Tier {tier}: first {upper} {unit} at {price}",
                   "Nivel {tier}: primeros {upper} {unit} a {price}"),
    "tier_range": ("Tier {tier}: {lower}-{upper} {unit} at {price}",
                   "Nivel {tier}: {lower}-{upper} {unit} a {price}"),
    "tier_over": ("Tier {tier}: over {lower} {unit} at {price}",
                  "Nivel {tier}: más de {lower} {unit} a {price}"),
    "tier_all": ("All use at {price} per {unit}", "Todo el consumo a {price} por {unit}"),
    "billed_qty": ("{qty} {unit}", "{qty} {unit}"),
    "fixed": ("Service charge, {size}\" meter", "Cargo fijo, medidor de {size}\""),
    "winter": ("Wastewater use (winter average)", "Uso de alcantarillado (promedio de invierno)"),
    "surcharge": ("Drought surcharge, stage {stage}", "Recargo por sequía, etapa {stage}"),
    "minimum": ("Minimum charge top-up", "Ajuste al cargo mínimo"),
    "service_total": ("Total {service}", "Total de {service}"),
    "budget": ("Budget billing", "Facturación presupuestada"),
    "budget_amount": ("Budget amount", "Monto presupuestado"),
    "budget_actual": ("Actual charges this period", "Cargos reales de este periodo"),
    "budget_running": ("Running difference (actual minus budget)",
                       "Diferencia acumulada (real menos presupuesto)"),
    "usage": ("Your water use", "Su consumo de agua"),
    "usage_last_year": ("Same period last year", "Mismo periodo del año pasado"),
    "usage_this": ("This period", "Este periodo"),
    "usage_last_period": ("Last period", "Periodo anterior"),
    # the usage comparison message (issue 15): average daily use against the last period
    # and the same period last year
    "cmp_msg": ("Your average daily water use this period was {vs}.",
                "Su consumo diario promedio de agua en este periodo fue {vs}."),
    "cmp_more": ("{pct}% higher than {than}", "un {pct}% mayor que {than}"),
    "cmp_less": ("{pct}% lower than {than}", "un {pct}% menor que {than}"),
    "cmp_same": ("the same as {than}", "igual que {than}"),
    "cmp_prev": ("last period", "en el periodo anterior"),
    "cmp_year": ("the same period last year", "en el mismo periodo del año pasado"),
    "cmp_and": ("and", "y"),
    "avg_daily": ("Average daily use", "Consumo diario promedio"),
    "no_history": ("Not enough history yet", "Aún no hay historial suficiente"),
    "messages": ("Messages", "Mensajes"),
    "msg_autopay": ("Autopay will draw {amount} from {display} on {on}. Do not send a payment.",
                    "El pago automático cobrará {amount} de {display} el {on}. No envíe un pago."),
    "msg_past_due": ("Your account is past due by {amount}. Please pay now to avoid collection "
                     "action, or call us about a payment arrangement.",
                     "Su cuenta tiene un saldo vencido de {amount}. Pague ahora para evitar "
                     "acciones de cobro, o llámenos para un plan de pagos."),
    "msg_paperless": ("Go paperless: get your bill by e-mail and pay online at {portal}.",
                      "Reciba su factura por correo electrónico y pague en línea en {portal}."),
    "translation": ("Para recibir esta factura en español, llame al {phone}.",
                    "To get this bill in English, call {phone}."),
    "stub_return": ("Please return this portion with your payment",
                    "Por favor devuelva esta parte con su pago"),
    "amount_due": ("Amount due", "Cantidad a pagar"),
    "after_due": ("Amount after {on}", "Cantidad después del {on}"),
    "enclosed": ("Amount enclosed", "Cantidad incluida"),
    "remit_to": ("Make checks payable to", "Haga su cheque a nombre de"),
    "stub_autopay": ("AUTOPAY - do not pay", "PAGO AUTOMÁTICO - no pague"),
    "page": ("Page {n} of {of}", "Página {n} de {of}"),
    "services": ("water", "agua"),
    "prorated": ("{days} of {pdays} days", "{days} de {pdays} días"),
    "qty_at": ("{qty} {unit} at {price}", "{qty} {unit} a {price}"),
}

#: Ledger entries between two bills, as the account summary names them.
KINDS: dict[str, tuple[str, str]] = {
    "payment": ("Payment received {on}", "Pago recibido el {on}"),
    "payment_reversal": ("Returned payment {on}", "Pago devuelto el {on}"),
    "adjustment": ("Adjustment {on}", "Ajuste del {on}"),
    "late_charge": ("Late charge {on}", "Cargo por pago tardío del {on}"),
    "leak_credit": ("Leak credit {on}", "Crédito por fuga del {on}"),
    "rebate_credit": ("Conservation rebate {on}", "Reembolso por conservación {on}"),
    "deposit": ("Deposit {on}", "Depósito del {on}"),
    "deposit_applied": ("Deposit applied {on}", "Depósito aplicado el {on}"),
    "refund": ("Refund {on}", "Reembolso del {on}"),
    "transfer_in": ("Balance transferred in {on}", "Saldo transferido el {on}"),
    "transfer_out": ("Balance transferred out {on}", "Saldo transferido el {on}"),
    "bill_cancel": ("Cancelled bill {on}", "Factura cancelada el {on}"),
    "budget_settlement": ("Budget billing settle-up {on}", "Ajuste anual del presupuesto {on}"),
    "budget_deferral": ("Budget billing difference {on}", "Diferencia del presupuesto {on}"),
    "returned_payment_fee": ("Returned payment fee {on}", "Cargo por pago devuelto {on}"),
    "reconnection_fee": ("Reconnection fee {on}", "Cargo por reconexión {on}"),
    "collection_fee": ("Collection fee {on}", "Cargo de cobranza {on}"),
    "agency_payment": ("Payment through agency {on}", "Pago por agencia {on}"),
    "write_off": ("Amount written off {on}", "Monto cancelado {on}"),
    "bill": ("Bill {on}", "Factura {on}"),
}


def kind_words(kind: str, lang: str, on: str) -> str:
    en, es = KINDS.get(kind, (kind.replace("_", " ").capitalize() + " {on}",) * 2)
    return (es if lang == "es" else en).format(on=on)

SERVICE_NAMES: dict[str, tuple[str, str]] = {
    "water": ("Water", "Agua"), "wastewater": ("Wastewater", "Alcantarillado"),
    "fire_line": ("Fire line", "Línea contra incendios"), "irrigation": ("Irrigation", "Riego"),
    "recycled": ("Recycled water", "Agua reciclada"),
}
_MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "es": ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"),
}


def lang_of(language: str | None) -> str:
    return "es" if (language or "").lower().startswith("es") else "en"


def w(key: str, lang: str, **kw: object) -> str:
    en, es = WORDS[key]
    text = es if lang == "es" else en
    return text.format(**kw) if kw else text


def service_name(service: str, lang: str) -> str:
    en, es = SERVICE_NAMES.get(service, (service.replace("_", " ").title(),) * 2)
    return es if lang == "es" else en


def money(d: Decimal) -> str:
    """'$1,234.56', '-$12.00' (US districts: the same in both languages)."""
    q = d.quantize(Decimal("0.01"))
    return f"-${-q:,.2f}" if q < 0 else f"${q:,.2f}"


def price(d: Decimal) -> str:
    """A unit price with cents and no trailing zeros beyond: $3.00, $4.125."""
    n = d.normalize()
    q = n.quantize(Decimal("0.01")) if -n.as_tuple().exponent <= 2 else n  # type: ignore[operator]
    return f"${q:f}"


def qty(d: Decimal) -> str:
    """A quantity without trailing zeros, at most 2 places: 13, 4.5, 0.52."""
    n = d.quantize(Decimal("0.01")).normalize()
    return f"{n:f}" if n != n.to_integral() else f"{n.to_integral():,f}"


def day(d: date | None, lang: str) -> str:
    """'Jan 31, 2026' / '31 ene 2026'."""
    if d is None:
        return ""
    m = _MONTHS[lang][d.month - 1]
    return f"{d.day} {m} {d.year}" if lang == "es" else f"{m} {d.day}, {d.year}"


def short_month(d: date, lang: str) -> str:
    return _MONTHS[lang][d.month - 1]
