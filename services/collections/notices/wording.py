"""What each notice says, in English and Spanish (pure: text from the notice's stored facts).

SB 998 (Health & Safety Code §116908) asks the shut-off notice for: the customer's name and
address, the amount delinquent, the date by which payment or an arrangement avoids
disconnection, how to ask for more time to pay, how to contest the bill and appeal, how to ask
for a deferred, reduced or alternative payment schedule (amortisation), and a telephone number
for help. A copy goes to "Occupant" at the premise when it is not the mailing address, and
where the landlord is the customer the tenants are told (§116918) that they may become
customers without paying the landlord's debt. The district's own policy is on its website.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

_MONTHS_ES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
              "septiembre", "octubre", "noviembre", "diciembre")
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


@dataclass(frozen=True, slots=True)
class District:
    """The letterhead: who sends the letter and how to reach them."""

    name: str
    address: tuple[str, ...]
    phone: str
    hours_en: str
    hours_es: str
    website: str


@dataclass(frozen=True, slots=True)
class Facts:
    """What one letter names (all stored with the notice)."""

    kind: str
    addressee: str
    account_number: str
    name: str
    service_address: str
    amount: Decimal | None
    action_on: date | None
    deliver_by: date | None
    created_on: date
    details: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Letter:
    title: str
    greeting: str
    paragraphs: tuple[str, ...]
    facts: tuple[tuple[str, str], ...]  # label/value rows printed in a box
    tagline: str  # the other language's one-line pointer


def day(d: date | None, lang: str) -> str:
    if d is None:
        return "—"
    if lang == "es":
        return f"{d.day} de {_MONTHS_ES[d.month - 1]} de {d.year}"
    return f"{_MONTHS_EN[d.month - 1]} {d.day}, {d.year}"


def money(a: Decimal | None) -> str:
    return "—" if a is None else f"${a:,.2f}"


#: Detail labels the callers may use as keys; they print in the letter's language.
LABELS: dict[str, tuple[str, str]] = {
    "late_charge": ("Late charge added", "Cargo por pago tardío agregado"),
    "bill_date": ("Bill date", "Fecha de la factura"),
    "due_date": ("Due date", "Fecha de vencimiento"),
    "past_due": ("Amount past due", "Cantidad vencida"),
    "instalment": ("Instalment", "Pago parcial"),
    "instalments": ("Instalments", "Pagos parciales"),
    "monthly": ("Monthly payment", "Pago mensual"),
    "total": ("Total", "Total"),
    "reconnection_fee": ("Reconnection fee", "Cargo por reconexión"),
    "agency": ("Collection agency", "Agencia de cobranza"),
    "apn": ("Assessor's parcel number", "Número de parcela (APN)"),
    "recorded_on": ("Recorded on", "Registrado el"),
}


#: Detail keys whose value is an amount: a bare number ("5.00") prints as money ("$5.00").
MONEY_KEYS = frozenset({"late_charge", "past_due", "monthly", "total", "reconnection_fee"})
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_LEADING_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})(.*)", re.S)


def value(key: str, v: str, lang: str) -> str:
    """A detail's value as the letter prints it: amounts as money, a leading ISO date (an
    instalment's "2026-06-01: $50.00") in the letter's language."""
    if key in MONEY_KEYS and _NUMBER.fullmatch(v):
        return money(Decimal(v))
    m = _LEADING_DAY.fullmatch(v)
    if m:
        try:
            return day(date.fromisoformat(m.group(1)), lang) + m.group(2)
        except ValueError:
            return v
    return v


def label(key: str, lang: str) -> str:
    pair = LABELS.get(key)
    return key if pair is None else pair[1 if lang == "es" else 0]


def _help(d: District, lang: str) -> str:
    if lang == "es":
        return (f"Llámenos al {d.phone} ({d.hours_es}) o visite {d.website}. Nuestra política "
                "de desconexión del servicio residencial por falta de pago está en nuestro "
                "sitio web.")
    return (f"Call us at {d.phone} ({d.hours_en}) or visit {d.website}. Our policy on "
            "discontinuation of residential service for nonpayment is on our website.")


def _options(d: District, lang: str) -> tuple[str, ...]:
    """SB 998's required ways out: more time, another schedule, an appeal, medical grounds."""
    if lang == "es":
        return (
            "Para evitar la desconexión: pague la cantidad vencida, o llámenos antes de esa "
            "fecha para pedir más tiempo para pagar, o un plan de pagos alternativo: "
            "amortización de la cantidad vencida hasta en 12 meses, un pago diferido, un pago "
            "reducido o un calendario de pagos alternativo.",
            "Si cree que su factura es incorrecta, puede impugnarla y pedir una revisión y "
            f"apelación llamando al {d.phone} o por escrito a nuestra oficina. No "
            "desconectaremos el servicio mientras su apelación esté abierta.",
            "No desconectaremos el servicio si un médico certifica que la desconexión pondría "
            "en peligro la vida o la salud de alguien en el hogar, el hogar no puede pagar "
            "(recibe CalFresh, CalWORKs, Medi-Cal, SSI/SSP o WIC, o tiene ingresos menores al "
            "200 % del nivel federal de pobreza) y usted acepta un plan de pagos. Los hogares "
            "de bajos ingresos pagan un cargo de reconexión limitado.",
        )
    return (
        "To avoid disconnection: pay the past-due amount, or call us before that date to ask "
        "for more time to pay, or an alternative payment arrangement: amortisation of the "
        "past-due amount over up to 12 months, a deferred payment, a reduced payment or an "
        "alternative payment schedule.",
        "If you believe your bill is wrong, you may contest it and ask for a bill review and "
        f"appeal by calling {d.phone} or writing to our office. We will not shut off your "
        "service while your appeal is open.",
        "We will not shut off service if a doctor certifies that it would be life-threatening "
        "or a serious threat to the health of someone in the household, the household cannot "
        "pay (it receives CalFresh, CalWORKs, Medi-Cal, SSI/SSP or WIC, or its income is below "
        "200% of the federal poverty line) and you agree to a payment arrangement. Low-income "
        "households pay a capped reconnection fee.",
    )


def _tenant_rights(d: District, lang: str) -> str:
    if lang == "es":
        return ("Los inquilinos u ocupantes tienen derecho a ser clientes del distrito, a "
                "quienes se les facturará el servicio, sin tener que pagar la deuda de la "
                "cuenta atrasada. Para hacerlo, llame al "
                f"{d.phone} con un comprobante de que vive aquí (un contrato de alquiler o "
                "recibos de renta) y acepte los términos del servicio.")
    return ("Tenants and occupants have the right to become customers of the district, to "
            "whom the service will then be billed, without paying any amount due on the "
            f"delinquent account. To do so, call {d.phone} with proof that you live here (a "
            "lease or rent receipts) and agree to the terms of service.")


def _tagline(d: District, lang: str) -> str:
    if lang == "es":
        return ("This notice is important. For a copy in English, call "
                f"{d.phone}.")
    return f"Este aviso es importante. Para una copia en español, llame al {d.phone}."


def letter(f: Facts, d: District, lang: str) -> Letter:
    """The letter for one notice in `lang` ('en' or 'es')."""
    es = lang == "es"
    amt, when = money(f.amount), day(f.action_on, lang)
    where = f.service_address or ("su propiedad" if es else "your premises")
    if f.addressee == "occupant":
        greeting = "Estimado ocupante:" if es else "Dear Occupant:"
    elif f.addressee == "tenant":
        greeting = "Estimados residentes:" if es else "Dear Residents:"
    else:
        greeting = f"Estimado(a) {f.name}:" if es else f"Dear {f.name}:"
    account = ("Cuenta" if es else "Account", f.account_number)
    facts: list[tuple[str, str]] = [account]
    if f.service_address:
        facts.append(("Dirección del servicio" if es else "Service address", f.service_address))
    title, body = _body(f, d, lang, amt, when, where)
    if f.amount is not None and f.addressee != "tenant":  # the landlord's debt is theirs
        facts.append((_amount_label(f.kind, lang), amt))
    if f.action_on is not None:
        facts.append((_date_label(f.kind, lang), when))
    facts.extend((label(k, lang), value(k, v, lang)) for k, v in f.details)
    return Letter(title=title, greeting=greeting, paragraphs=body, facts=tuple(facts),
                  tagline=_tagline(d, lang))


def _amount_label(kind: str, lang: str) -> str:
    es = lang == "es"
    if kind in ("arrangement_confirmed", "arrangement_completed"):
        return "Cantidad del plan" if es else "Arrangement amount"
    if kind == "reconnect_notice":
        return "Cargo por reconexión" if es else "Reconnection fee"
    if kind in ("lien_notice", "lien_release"):
        return "Cantidad del gravamen" if es else "Lien amount"
    return "Cantidad vencida" if es else "Amount past due"


def _date_label(kind: str, lang: str) -> str:
    es = lang == "es"
    if kind in ("shutoff_notice", "final_notice"):
        return "Fecha de desconexión" if es else "Disconnection date"
    if kind == "arrangement_confirmed":
        return "Primer pago" if es else "First instalment"
    if kind == "reconnect_notice":
        return "Servicio restablecido" if es else "Service restored"
    if kind == "lien_notice":
        return "Fecha del gravamen" if es else "Lien date"
    if kind == "lien_release":
        return "Liberado el" if es else "Released on"
    if kind in ("arrangement_broken", "arrangement_completed"):
        return "Fecha" if es else "Date"
    return "Pague antes del" if es else "Pay by"


def _body(f: Facts, d: District, lang: str, amt: str, when: str,
          where: str) -> tuple[str, tuple[str, ...]]:
    es = lang == "es"
    k = f.kind
    if k == "reminder":
        return (("Recordatorio de pago", (
            f"Nuestros registros muestran que {amt} de su cuenta está vencido. Por favor "
            f"pague antes del {when}. Si ya pagó, gracias, y no tome en cuenta este aviso.",
            _help(d, lang))) if es else ("Payment reminder", (
                f"Our records show that {amt} on your account is past due. Please pay by "
                f"{when}. If you have already paid, thank you, and please disregard this "
                "reminder.", _help(d, lang))))
    if k == "first_notice":
        return (("Primer aviso de pago vencido", (
            f"Su cuenta tiene {amt} vencido. Pague antes del {when} o llámenos para acordar "
            "un plan de pagos.", _help(d, lang))) if es else ("First past-due notice", (
                f"Your account is {amt} past due. Please pay by {when} or call us to arrange "
                "a payment plan.", _help(d, lang))))
    if k == "second_notice":
        late = dict(f.details).get("late_charge")
        late = None if late is None else value("late_charge", late, lang)
        charge_es = (f"Se agregó a su cuenta un cargo por pago tardío de {late}, según la "
                     "política del distrito. ") if late else ""
        charge_en = (f"A late charge of {late} has been added to your account, as the "
                     "district's policy provides. ") if late else ""
        return (("Segundo aviso de pago vencido", (
            f"Su cuenta sigue con {amt} vencido. {charge_es}Pague antes del {when} para "
            "evitar más cobros y un aviso de desconexión.", _help(d, lang)))
            if es else ("Second past-due notice", (
                f"Your account is still {amt} past due. {charge_en}Please pay by {when} to "
                "avoid further charges and a notice of disconnection.", _help(d, lang))))
    if k in ("shutoff_notice", "final_notice"):
        return _shutoff(f, d, lang, amt, when, where)
    if k == "arrangement_confirmed":
        return (("Confirmación de su plan de pagos", (
            f"Acordamos un plan de pagos de {amt}. El primer pago vence el {when}; el "
            "calendario está abajo. Mientras cumpla con el plan, no desconectaremos su "
            "servicio por esta deuda.", _help(d, lang))) if es else (
            "Your payment arrangement", (
                f"We have agreed a payment arrangement for {amt}. The first instalment is due "
                f"on {when}; the schedule is below. While you keep to it, we will not shut "
                "off your service for this debt.", _help(d, lang))))
    if k == "arrangement_broken":
        return (("Su plan de pagos no se cumplió", (
            f"Un pago de su plan lleva más de 60 días vencido, por lo que el plan se "
            f"considera incumplido. Quedan {amt} pendientes. Llámenos de inmediato; de lo "
            "contrario recibirá un aviso final en su propiedad antes de la desconexión.",
            _help(d, lang))) if es else ("Your payment arrangement is broken", (
                "An instalment of your arrangement is more than 60 days past due, so the "
                f"arrangement is broken. {amt} remains unpaid. Call us at once; otherwise a "
                "final notice will be posted at your premises before disconnection.",
                _help(d, lang))))
    if k == "arrangement_completed":
        return (("Su plan de pagos está completo", (
            f"Gracias. Pagó todo su plan de pagos ({amt}).", _help(d, lang))) if es else (
            "Your payment arrangement is complete", (
                f"Thank you. You have paid your arrangement in full ({amt}).",
                _help(d, lang))))
    if k in ("collection_letter_1", "collection_letter_2"):
        second = k == "collection_letter_2"
        warn_es = (f" Si no paga antes del {when}, su cuenta se enviará a una agencia de "
                   "cobranza.") if second else ""
        warn_en = (f" Unless it is paid by {when}, your account will be referred to a "
                   "collection agency.") if second else ""
        return (("Segundo aviso: saldo pendiente de una cuenta cerrada" if second
                 else "Saldo pendiente de una cuenta cerrada", (
            f"Su cuenta cerrada tiene un saldo de {amt}. Pague antes del {when} o llámenos "
            f"para acordar un plan de pagos.{warn_es}", _help(d, lang))) if es else (
            "Second notice: balance owing on a closed account" if second
            else "Balance owing on a closed account", (
                f"Your closed account has a balance of {amt}. Please pay by {when} or call "
                f"us to arrange payment.{warn_en}", _help(d, lang))))
    if k == "agency_referral":
        return (("Su cuenta fue enviada a cobranza", (
            f"Como el saldo de {amt} de su cuenta cerrada no se pagó, la enviamos el {when} a "
            "la agencia de cobranza que se indica abajo. Los pagos se hacen ahora a la "
            "agencia.", _help(d, lang))) if es else ("Your account has been referred", (
                f"As the balance of {amt} on your closed account was not paid, we referred "
                f"it on {when} to the collection agency named below. Payments are now made "
                "to the agency.", _help(d, lang))))
    if k == "lien_notice":
        return (("Aviso de gravamen sobre la propiedad", (
            f"Los cargos de agua vencidos de {amt} de la propiedad de abajo se agregarán a "
            f"la lista de impuestos a la propiedad del condado el {when} si no se pagan "
            "antes. Tiene derecho a una audiencia ante el distrito antes de esa fecha.",
            _help(d, lang))) if es else ("Notice of lien on the property tax roll", (
                f"Delinquent water charges of {amt} for the property below will be placed on "
                f"the county's property tax roll on {when} unless paid before then. You may "
                "ask for a hearing before the district before that date.", _help(d, lang))))
    if k == "lien_release":
        return (("Liberación del gravamen", (
            f"Se pagó el gravamen de {amt} sobre la propiedad de abajo. Lo liberamos el "
            f"{when}.", _help(d, lang))) if es else ("Release of lien", (
                f"The lien of {amt} on the property below has been paid. We released it on "
                f"{when}.", _help(d, lang))))
    if k == "reconnect_notice":
        return (("Servicio de agua restablecido", (
            f"Restablecimos su servicio de agua en {where} el {when}. El cargo por "
            f"reconexión de {amt} aparecerá en su próxima factura.", _help(d, lang)))
            if es else ("Water service restored", (
                f"We restored your water service at {where} on {when}. The reconnection fee "
                f"of {amt} will appear on your next bill.", _help(d, lang))))
    raise ValueError(f"no wording for {k!r}")


def _shutoff(f: Facts, d: District, lang: str, amt: str, when: str,
             where: str) -> tuple[str, tuple[str, ...]]:
    es = lang == "es"
    final = f.kind == "final_notice"
    if es:
        title = ("AVISO FINAL: DESCONEXIÓN DEL SERVICIO DE AGUA" if final
                 else "AVISO DE DESCONEXIÓN DEL SERVICIO DE AGUA")
        opening = (f"La cuenta del servicio de agua en {where} tiene {amt} vencido. Si no se "
                   f"paga, o no se acuerda un plan de pagos, antes del {when}, el servicio de "
                   f"agua en {where} se desconectará ese día o después.")
        if final:
            opening = ("El plan de pagos de esta cuenta no se cumplió por más de 60 días. "
                       + opening)
    else:
        title = ("FINAL NOTICE: DISCONNECTION OF WATER SERVICE" if final
                 else "NOTICE OF DISCONNECTION OF WATER SERVICE")
        opening = (f"The water account at {where} is {amt} past due. Unless it is paid, or a "
                   f"payment arrangement is made, by {when}, water service at {where} will "
                   "be shut off on or after that date.")
        if final:
            opening = ("The payment arrangement on this account has not been kept for more "
                       "than 60 days. " + opening)
    if f.addressee == "tenant":  # the landlord's debt is not told to the tenants
        opening = (f"La cuenta del servicio de agua en {where} está atrasada. Si no se paga, o "
                   f"no se acuerda un plan de pagos, antes del {when}, el servicio de agua en "
                   f"{where} se desconectará ese día o después." if es else
                   f"The water account at {where} is past due. Unless it is paid, or a payment "
                   f"arrangement is made, by {when}, water service at {where} will be shut "
                   "off on or after that date.")
    paragraphs: list[str] = [opening]
    if f.addressee == "occupant":
        paragraphs.append(
            "Este aviso se envía a la propiedad porque la factura se envía a otra dirección."
            if es else "This notice is sent to the premises because the bill is mailed "
            "to another address.")
    if f.addressee in ("occupant", "tenant"):
        paragraphs.append(_tenant_rights(d, lang))
    if f.addressee == "tenant" and f.deliver_by is not None and f.action_on is not None:
        days = (f.action_on - f.deliver_by).days
        paragraphs.append(
            f"Este aviso se entrega a los residentes al menos {days} días antes de la "
            "desconexión." if es else
            f"This notice is given to the residents at least {days} days before "
            "disconnection.")
    paragraphs.extend(_options(d, lang))
    paragraphs.append(_help(d, lang))
    return title, tuple(paragraphs)
