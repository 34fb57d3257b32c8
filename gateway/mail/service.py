"""Who may read the development inbox, and what it holds."""

from __future__ import annotations

from gateway.mail.schemas import DevMailOut
from kernel.auth import Principal
from kernel.errors import Forbidden, NotFound
from kernel.mail import dev_inbox, uses_dev_inbox
from kernel.settings import Settings


def inbox(settings: Settings, who: Principal | None) -> list[DevMailOut]:
    """The inbox exists only while mail is kept instead of sent (demo mode, no SMTP URL).

    It is the demo's stand-in for every customer's mailbox, so in demo mode anyone may read
    it (the demo's data and logins are public); a signed-in customer may not, because their
    token says they are one customer, and the inbox holds everybody's mail."""
    if not uses_dev_inbox(settings):
        raise NotFound("No development inbox: mail is sent over SMTP or not at all")
    if who is not None and not who.is_staff:
        raise Forbidden("The development inbox is for staff and the demo")
    return [DevMailOut(**vars(m)) for m in dev_inbox(settings)]
