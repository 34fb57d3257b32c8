"""Letters (no I/O): templates in the customer's language, rendered to PDF with fpdf2."""

from __future__ import annotations

from datetime import date
from typing import Any

from fpdf import FPDF

from kernel.pdftext import latin1

TEMPLATES: dict[str, dict[str, tuple[str, str]]] = {
    "welcome": {
        "en": ("Welcome to {utility}",
               "Dear {name},\n\nWelcome! Water service at {premise} starts on {date} under "
               "account {number}. A technician will read the meter to open your account."
               "{deposit}\n\nQuestions? Call us, or visit the customer portal."),
        "es": ("Bienvenido a {utility}",
               "Estimado/a {name}:\n\nBienvenido. El servicio de agua en {premise} comienza el "
               "{date} con la cuenta {number}. Un t\u00e9cnico leer\u00e1 el medidor para abrir "
               "su cuenta.{deposit}\n\n\u00bfPreguntas? Ll\u00e1menos o visite el portal."),
    },
    "closing": {
        "en": ("Your service is stopping",
               "Dear {name},\n\nAs you asked, service at {premise} on account {number} stops "
               "on {date}. We will read the meter and send a closing bill to your mailing "
               "address. Any deposit held is applied to it and a credit is refunded."),
        "es": ("Su servicio termina",
               "Estimado/a {name}:\n\nComo lo solicit\u00f3, el servicio en {premise} de la "
               "cuenta {number} termina el {date}. Leeremos el medidor y le enviaremos una "
               "factura final. Cualquier dep\u00f3sito se aplicar\u00e1 a esa factura."),
    },
    "service_order": {
        "en": ("Service visit scheduled",
               "Dear {name},\n\nA field technician will visit {premise} on {date} "
               "(order {order}: {kind}). You do not need to be home unless told otherwise."),
        "es": ("Visita de servicio programada",
               "Estimado/a {name}:\n\nUn t\u00e9cnico visitar\u00e1 {premise} el {date} "
               "(orden {order}: {kind}). No necesita estar en casa salvo aviso contrario."),
    },
    # rebates (issue 15): sent by services/accounts/rebates/reactions.py
    "rebate_approved": {
        "en": ("Your rebate is approved",
               "Dear {name},\n\nThank you for saving water. Your {programme} rebate on account "
               "{number} was approved on {date}: {amount}, paid {how}."),
        "es": ("Su reembolso fue aprobado",
               "Estimado/a {name}:\n\nGracias por ahorrar agua. Su reembolso de {programme} "
               "de la cuenta {number} fue aprobado el {date}: {amount}, pagado {how}."),
    },
    "rebate_denied": {
        "en": ("Your rebate application",
               "Dear {name},\n\nWe could not approve your {programme} rebate application on "
               "account {number} ({date}): {reason}.\n\nQuestions? Call us; you may apply "
               "again once the reason no longer applies."),
        "es": ("Su solicitud de reembolso",
               "Estimado/a {name}:\n\nNo pudimos aprobar su solicitud de reembolso de "
               "{programme} de la cuenta {number} ({date}): {reason}.\n\n\u00bfPreguntas? "
               "Ll\u00e1menos; puede volver a solicitarlo cuando el motivo ya no aplique."),
    },
}


def template_text(template: str, language: str) -> tuple[str, str]:
    variants = TEMPLATES[template]
    return variants.get(language.split("-")[0], variants["en"])


def render_letter(template: str, language: str, utility: str, mailing: list[str],
                  fields: dict[str, Any], today: date) -> bytes:
    """A one-page letter as PDF bytes."""
    title, body = template_text(template, language)
    values = {"utility": utility, **{k: str(v) for k, v in fields.items()}}
    pdf = FPDF(format="Letter")
    pdf.set_margins(25, 25, 25)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, latin1(utility), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    pdf.cell(0, 6, today.isoformat(), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    for line in mailing:
        pdf.cell(0, 5, latin1(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 8, latin1(title.format(**values)), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, latin1(body.format(**values)))
    return bytes(pdf.output())

