"""Carrier keywords (CTIA's messaging principles, and what Twilio's opt-out handling honours).

Any text whose only word is one of these is that keyword, whatever its case or punctuation. A
STOP word must end every text programme it reaches (text-to-pay today, notifications later);
HELP answers with who we are and how to reach a person. The service's own keywords (PAY, YES)
are its business: `classify` returns them as `Keyword.OTHER` with the word in `word`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Keyword(StrEnum):
    STOP = "stop"
    START = "start"
    HELP = "help"
    OTHER = "other"


STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT",
                        "REVOKE", "STOP ALL", "OPT OUT"})
START_WORDS = frozenset({"START", "UNSTOP", "OPTIN", "OPT IN"})
HELP_WORDS = frozenset({"HELP", "INFO"})
_NOISE = re.compile(r"[^A-Z0-9 ]+")


@dataclass(frozen=True)
class Classified:
    keyword: Keyword
    #: The text reduced to upper-case letters, digits and single spaces ("pay!" -> "PAY").
    word: str


def classify(body: str) -> Classified:
    word = " ".join(_NOISE.sub(" ", (body or "").upper()).split())
    if word in STOP_WORDS:
        return Classified(Keyword.STOP, word)
    if word in START_WORDS:
        return Classified(Keyword.START, word)
    if word in HELP_WORDS:
        return Classified(Keyword.HELP, word)
    return Classified(Keyword.OTHER, word)
