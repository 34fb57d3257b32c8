"""A real SMTP server in the test process (aiosmtpd), and a fixture that points Tapline at it.

Use it from any test module or conftest:

    from tests.kernel.smtp import smtp_fixture  # noqa: F401  (the fixture `smtp`)

    async def test_x(smtp, client):
        ...
        mail = await smtp.wait_for("ana@example.org")
        link = smtp.links(mail)[0]

`smtp` starts a server on a free port for the test, sets `TAPLINE_SMTP_URL` on the cached
settings (and the environment, for processes the test starts) and stops it afterwards. Every
message went through a real SMTP conversation (EHLO, MAIL, RCPT, DATA), not a mock.
For a server shared by a whole live stack, use `smtp_server()` directly.
"""

from __future__ import annotations

import asyncio
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from pydantic import SecretStr

_LINK = re.compile(r"https?://[^\s<>\"']+")


@dataclass(frozen=True)
class Received:
    """One message as the server received it: the envelope and the parsed message."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"] or "")

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return str(part.get_content()) if isinstance(part, EmailMessage) else ""

    @property
    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        return str(part.get_content()) if isinstance(part, EmailMessage) else ""

    def links(self) -> list[str]:
        """The links in the plain-text part, in order."""
        return _LINK.findall(self.text)


@dataclass
class SmtpInbox:
    """What the in-process server received, in arrival order."""

    host: str
    port: int
    received: list[Received] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    def messages(self) -> list[Received]:
        with self._lock:
            return list(self.received)

    def to(self, address: str) -> list[Received]:
        """Messages whose envelope names `address` (case-insensitive)."""
        wanted = address.lower()
        return [m for m in self.messages() if wanted in (r.lower() for r in m.rcpt_tos)]

    async def wait_for(self, address: str, count: int = 1, seconds: float = 10.0) -> Received:
        """The `count`-th message to `address`, waiting up to `seconds` for it."""
        deadline = time.monotonic() + seconds
        while True:
            found = self.to(address)
            if len(found) >= count:
                return found[count - 1]
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(found)} message(s) to {address}, wanted {count}")
            await asyncio.sleep(0.02)

    def clear(self) -> None:
        with self._lock:
            self.received.clear()

    # aiosmtpd's handler hook: called on the server's thread once DATA is complete.
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.original_content or envelope.content,
                                    policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        with self._lock:
            self.received.append(Received(envelope.mail_from, tuple(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def smtp_server() -> Iterator[SmtpInbox]:
    """An SMTP server on 127.0.0.1 for the duration of the block."""
    inbox = SmtpInbox("127.0.0.1", _free_port())
    controller = Controller(inbox, hostname=inbox.host, port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture(name="smtp")
def smtp_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpInbox]:
    """A fresh SMTP server that Tapline's settings send to, for one test."""
    from kernel.settings import get_settings

    with smtp_server() as inbox:
        monkeypatch.setenv("TAPLINE_SMTP_URL", inbox.url)
        monkeypatch.setattr(get_settings(), "smtp_url", SecretStr(inbox.url))
        yield inbox
