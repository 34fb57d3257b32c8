"""Message templates: one Jinja file per kind and language (`templates/<lang>/<kind>.j2`, with
the blocks `subject`, `text` and `html`), money and dates written the customer's way by Babel.

A district adds a language by adding a folder of templates (`TAPLINE_NOTIFICATION_TEMPLATES`
names an extra folder searched first, so a district can also reword ours without a fork); a kind
missing in a language falls back to English. HTML is autoescaped; the plain-text part is not
(it is never read as markup).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_currency
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, Template
from jinja2 import TemplateNotFound as _Missing
from markupsafe import Markup

from kernel.errors import NotFound

HERE = Path(__file__).parent / "templates"
FALLBACK = "en"
LOCALES = {"en": "en_US", "es": "es_US"}


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str | None
    #: The short form a text message carries (the subject when the template has none).
    sms: str


class TemplateNotFound(NotFound):
    code, title = "template-not-found", "No such message template"


@lru_cache(maxsize=32)
def _locale(language: str) -> Locale:
    """Parsed once per language: Babel parsing a locale name is most of a format call."""
    return Locale.parse(LOCALES.get(language, language))


@lru_cache(maxsize=32)
def _formatters(language: str, zone: str) -> dict[str, Any]:
    """The template functions for a language: money, a day, an instant in the utility's zone."""
    loc, tz = _locale(language), ZoneInfo(zone)

    def money(value: object) -> str:
        return format_currency(Decimal(str(value)), "USD", locale=loc)

    def day(value: object, fmt: str = "long") -> str:
        d = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
        return format_date(d, format=fmt, locale=loc)

    def when(value: object) -> str:
        at = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        return format_datetime(at, format="short", tzinfo=tz, locale=loc)

    return {"money": money, "day": day, "when": when}


@lru_cache(maxsize=8)
def _environment(extra: str | None, html: bool) -> Environment:
    """Two environments over the same files: the HTML block is rendered with escaping on (the
    facts hold customers' names and addresses), the subject and text without."""
    loaders = [FileSystemLoader(extra)] if extra else []
    loaders.append(FileSystemLoader(str(HERE)))
    # The text environment renders subjects, plain text and texts: never read as markup.
    return Environment(loader=ChoiceLoader(loaders), autoescape=html,  # noqa: S701
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                       keep_trailing_newline=False)


def _template(env: Environment, kind: str, language: str) -> tuple[Template, str]:
    for lang in dict.fromkeys((language, FALLBACK)):
        try:
            return env.get_template(f"{lang}/{kind}.j2"), lang
        except _Missing:
            continue
    raise TemplateNotFound(f"No template for {kind!r}", field="kind")


def languages(extra: str | None = None) -> list[str]:
    found = {p.name for p in HERE.iterdir() if p.is_dir()}
    if extra and Path(extra).is_dir():
        found |= {p.name for p in Path(extra).iterdir() if p.is_dir()}
    return sorted(found)


def render(kind: str, language: str, facts: dict[str, Any], *, district: dict[str, Any],
           zone: str, extra: str | None = None) -> Rendered:
    """The message of `kind` in `language` (or English) from its facts."""
    tmpl, lang = _template(_environment(extra, False), kind, language)
    values = {**facts, "district": district, **_formatters(lang, zone)}
    subject = " ".join("".join(tmpl.blocks["subject"](tmpl.new_context(values))).split())
    text = "".join(tmpl.blocks["text"](tmpl.new_context(values))).strip() + "\n"
    html = None
    if "html" in tmpl.blocks:
        env = _environment(extra, True)
        escaped, _ = _template(env, kind, lang)
        # rendered with escaping on just above: safe to place in the layout as it is
        body = Markup("".join(escaped.blocks["html"](escaped.new_context(values))))  # noqa: S704
        html = _layout(extra).render(body=body, subject=subject, district=district, lang=lang)
    sms = subject
    if "sms" in tmpl.blocks:
        sms = " ".join("".join(tmpl.blocks["sms"](tmpl.new_context(values))).split())
    return Rendered(subject, text, html, sms)


@lru_cache(maxsize=8)
def _layout(extra: str | None) -> Template:
    """The HTML frame around every message, compiled once."""
    return _environment(extra, True).from_string(_LAYOUT)


_LAYOUT = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ subject }}</title></head>
<body style="font-family: Arial, sans-serif; color: #1a1a1a; max-width: 36em; margin: 0 auto">
<p style="font-size: 1.1em"><strong>{{ district.name }}</strong></p>
{{ body }}
<p style="color: #555; font-size: 0.9em">{{ district.name }} · {{ district.phone }}
· <a href="{{ district.portal_url }}">{{ district.portal_url }}</a></p>
</body></html>
"""
