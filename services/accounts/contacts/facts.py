"""What happens in the contact log (recorded by the use cases, settled before commit)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from kernel.reactions import Happened
from services.accounts.contacts.schemas import DocumentOut


@dataclass(frozen=True)
class LetterSent:
    """A letter was rendered, kept with the account and noted in its contact log."""

    letter: DocumentOut


def letter_sent(settled: list[Happened], account_id: uuid.UUID, template: str) -> DocumentOut:
    """The letter that settling a use case's facts sent (a workflow answers with its id)."""
    for h in settled:
        if (isinstance(h.fact, LetterSent) and h.fact.letter.account_id == account_id
                and h.fact.letter.template == template):
            return h.fact.letter
    raise LookupError(f"no {template} letter was sent to account {account_id}")
