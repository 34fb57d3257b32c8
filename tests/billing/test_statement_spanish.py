"""A Spanish-speaking customer's statement is in Spanish, every label, message and the stub,
with the line in English on how to get it translated; budget billing and autopay are said."""

from __future__ import annotations

import pytest

from services.billing.bills.statement_words import KINDS, SERVICE_NAMES, WORDS
from tests.billing import statement_district as demo
from tests.billing.test_statement import URL, flat, pdf_pages


@pytest.fixture
def sup2(auth):
    return auth("supervisor", "sue")


async def test_a_spanish_customers_statement_is_in_spanish_with_an_english_line(
        client, feed, service_apps, bound, tech, sup, sup2):
    d = await demo.build(client, feed, service_apps, bound, tech, sup, sup2, months=13)
    r = await client.put(f"{URL}/config", headers=sup, json={"messages": [
        {"en": "Stage 2 drought: water on Tuesdays only.",
         "es": "Sequía etapa 2: riegue solo los martes.", "kind": "drought"}]})
    assert r.status_code == 200, r.text
    r = await client.get(f"{URL}/{d.es.bills[-1]}.pdf", headers=tech)
    text = flat(pdf_pages(r.content))
    for needed in (
            "Estado de cuenta del servicio de agua", "Número de cuenta", "Fecha de factura",
            "Periodo de servicio", "1 ene 2026 - 31 ene 2026", "Fecha de vencimiento",
            "23 feb 2026", "Total a pagar", "Resumen de la cuenta", "Saldo anterior",
            "Cargos actuales", "Servicio al cliente", "Horario: lunes a viernes",
            "se agregará un cargo por pago tardío del 10% del saldo vencido",
            "Su consumo de agua", "Mismo periodo del año pasado", "consumo diario promedio",
            "Lectura anterior", "Lectura actual", "(real)", "Unidades consumidas",
            "galones (1 HCF = 748 galones)", "Días del periodo", "Galones por día",
            "Nivel 1: primeros 6 HCF a $3.12", "Cargos de Agua", "Cargos de Alcantarillado",
            "Facturación presupuestada", "Monto presupuestado", "Diferencia acumulada",
            "Diferencia de facturación presupuestada",
            "Sequía etapa 2: riegue solo los martes.",
            "El pago automático cobrará", "de checking ****6789 el 23 feb 2026",
            "To get this bill in English, call (555) 010-0100.",
            "Por favor devuelva esta parte con su pago", "Cantidad a pagar",
            "Cantidad después del 23 feb 2026", "Cantidad incluida",
            "Haga su cheque a nombre de", "PAGO AUTOMÁTICO - no pague", "Lucía Hernández"):
        assert needed in text, needed
    for english in ("Account number", "Total amount due", "Amount enclosed", "Previous read",
                    "Stage 2 drought", "Please return"):
        assert english not in text, english
    html = (await client.get(f"{URL}/{d.es.bills[-1]}.html", headers=tech)).text
    assert '<html lang="es">' in html and "Cantidad incluida" in html
    assert '<p class="translation" lang="en">' in html


def test_every_label_has_both_languages():
    for table in (WORDS, KINDS, SERVICE_NAMES):
        for key, (en, es) in table.items():
            assert en.strip() and es.strip(), key
            # the same placeholders in both, so neither language loses a figure
            assert sorted(_fields(en)) == sorted(_fields(es)), key


def _fields(s: str) -> list[str]:
    import string

    return [f for _, f, _, _ in string.Formatter().parse(s) if f]
