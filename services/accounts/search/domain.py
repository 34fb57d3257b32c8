"""Turning what a CSR types into search terms (no I/O).

Words (names, streets, house numbers, email names) are matched against a dictionary of the words
indexed, by prefix, trigram similarity and sound, so typos and partial words are forgiven.
Identifiers (account numbers, phone numbers, meter serials, APNs, email addresses) are matched
by prefix on their punctuation-free form: they share too many trigrams with each other for fuzzy
matching to mean anything, and a prefix is what partial input is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

MAX_TERMS = 5
MIN_IDENTIFIER = 6
_PHONE = re.compile(r"^\+?1?[\s().-]*\d{3}[\s().-]*\d{3}[\s.-]*\d{4}$")
_SPLIT = re.compile(r"[\s,;]+")
_PUNCT = re.compile(r"[^\w@.+]")
_ID_PUNCT = re.compile(r"[\s().\-/#]")


@dataclass
class Terms:
    words: list[str] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)


def key_form(value: str) -> str:
    """How an identifier is stored and matched: lower case, no spaces, dashes or brackets
    (an email keeps its dots)."""
    value = value.strip().lower()
    if "@" in value:
        return value
    return _ID_PUNCT.sub("", value)


def is_identifier(term: str) -> bool:
    if "@" in term:
        return True
    key = key_form(term)
    return any(ch.isdigit() for ch in key) and len(key) >= MIN_IDENTIFIER


def fold(text: str) -> str:
    """Lower case without accents, as the database folds the documents' words (NFD, combining
    marks dropped, then lower-cased)."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def split_terms(raw: str) -> Terms:
    text = fold(raw.strip())
    if _PHONE.match(text):
        digits = "".join(ch for ch in text if ch.isdigit())
        return Terms(identifiers=[digits[-10:]])
    out = Terms()
    for term in _SPLIT.split(text)[: MAX_TERMS * 2]:
        if is_identifier(term):
            out.identifiers.append(key_form(term))
        else:
            word = _PUNCT.sub("", term).strip("._")
            if len(word) >= 2 or word.isdigit():  # a house number may be one digit
                out.words.append(word)
    out.words = out.words[:MAX_TERMS]
    out.identifiers = out.identifiers[:MAX_TERMS]
    return out


def prefix_upper_bound(prefix: str) -> str:
    """The smallest string greater than every string starting with `prefix` (byte order)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)
