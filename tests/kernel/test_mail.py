"""E-mail leaves over real SMTP, or stays in the development inbox in demo mode."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from kernel.mail import MailUnavailable, Refusal, dev_inbox, send_mail, send_many, smtp_target
from kernel.settings import Settings
from tests.kernel.smtp import SmtpInbox, _free_port, smtp_fixture  # noqa: F401  (`smtp`)


def _message(to: str = "ana@example.org") -> EmailMessage:
    msg = EmailMessage()
    msg["To"] = to
    msg["Subject"] = "Verify your e-mail"
    msg.set_content("Open https://portal.example.org/portal/verify#t=abc to verify.")
    msg.add_alternative("<p><a href='https://portal.example.org/portal/verify#t=abc'>Verify</a>"
                        "</p>", subtype="html")
    return msg


async def test_a_message_reaches_the_smtp_server_with_both_parts(smtp, tmp_path: Path):
    settings = Settings(data_dir=tmp_path, smtp_url=SecretStr(smtp.url),
                        mail_from="District <billing@example.org>")
    await send_mail(settings, _message())
    got = await smtp.wait_for("ana@example.org")
    assert got.mail_from == "billing@example.org"
    assert got.subject == "Verify your e-mail"
    assert got.links() == ["https://portal.example.org/portal/verify#t=abc"]
    assert "Verify</a>" in got.html
    assert got.message["Message-ID"] and got.message["Date"]
    assert not (tmp_path / "mail").exists(), "sent over SMTP, so nothing kept locally"


async def test_the_fixture_points_the_cached_settings_at_its_server(smtp):
    from kernel.settings import get_settings

    await send_mail(get_settings(), _message("bo@example.org"))
    assert (await smtp.wait_for("bo@example.org")).subject == "Verify your e-mail"
    assert smtp.to("ana@example.org") == []


async def test_demo_mode_without_smtp_keeps_mail_in_the_development_inbox(tmp_path: Path):
    settings = Settings(data_dir=tmp_path, demo=True, smtp_url=None)
    await send_mail(settings, _message("first@example.org"))
    await send_mail(settings, _message("second@example.org"))
    inbox = dev_inbox(settings)
    assert [m.to for m in inbox] == ["second@example.org", "first@example.org"]  # newest first
    assert "portal/verify#t=abc" in inbox[0].text
    assert inbox[0].html and "Verify</a>" in inbox[0].html
    assert not list((tmp_path / "mail").glob(".*.tmp"))


async def test_outside_demo_mode_no_smtp_url_refuses_rather_than_dropping_mail(tmp_path: Path):
    settings = Settings(data_dir=tmp_path, demo=False, smtp_url=None)
    with pytest.raises(MailUnavailable):
        await send_mail(settings, _message())
    assert dev_inbox(settings) == []


async def test_an_unreachable_server_is_a_503_problem_not_a_crash(tmp_path: Path):
    settings = Settings(data_dir=tmp_path,
                        smtp_url=SecretStr(f"smtp://127.0.0.1:{_free_port()}"),
                        smtp_timeout=2.0)
    with pytest.raises(MailUnavailable) as caught:
        await send_mail(settings, _message())
    assert caught.value.status == 503


class _Refusing(SmtpInbox):
    """A server that says 550 to one mailbox (an address that no longer exists)."""

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address.startswith("gone@"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"


async def test_one_message_and_many_take_one_smtp_path_and_a_refusal_is_a_503(tmp_path: Path):
    from aiosmtpd.controller import Controller

    inbox = _Refusing("127.0.0.1", _free_port())
    controller = Controller(inbox, hostname=inbox.host, port=inbox.port)
    controller.start()
    try:
        settings = Settings(data_dir=tmp_path, smtp_url=SecretStr(inbox.url))
        answers = await send_many(settings, [_message("ana@example.org"),
                                             _message("gone@example.org")])
        assert answers[0] is None
        assert answers[1] == Refusal(True, "recipient refused")
        with pytest.raises(MailUnavailable) as caught:
            await send_mail(settings, _message("gone@example.org"))
        assert caught.value.status == 503
        await send_mail(settings, _message("bo@example.org"))
        assert sorted(m.rcpt_tos for m in inbox.messages()) == [("ana@example.org",),
                                                                ("bo@example.org",)]
    finally:
        controller.stop()


def test_the_url_names_host_port_tls_and_login():
    t = smtp_target("smtps://mailer%40district:p%2Fw@mail.example.org")
    assert (t.hostname, t.port, t.use_tls, t.start_tls) == ("mail.example.org", 465, True, False)
    assert (t.username, t.password) == ("mailer@district", "p/w")
    t = smtp_target("smtp+starttls://relay.example.org")
    assert (t.port, t.use_tls, t.start_tls, t.username) == (587, False, True, None)
    assert smtp_target("smtp://localhost:2525").start_tls is None
    with pytest.raises(ValueError):
        smtp_target("http://mail.example.org")


async def test_the_gateway_lists_the_dev_inbox_in_demo_mode_only(client, auth, monkeypatch,
                                                                  tmp_path: Path):
    from kernel.settings import get_settings

    settings = get_settings()
    assert (await client.get("/api/mail/dev-inbox")).status_code == 404  # not demo mode
    monkeypatch.setattr(settings, "demo", True)
    monkeypatch.setattr("kernel.mail.inbox_dir", lambda _settings: tmp_path / "mail")
    monkeypatch.setattr(settings, "smtp_url", None)
    await send_mail(settings, _message("demo@example.org"))
    r = await client.get("/api/mail/dev-inbox", headers=auth("csr1"))
    assert r.status_code == 200
    assert [m["to"] for m in r.json()] == ["demo@example.org"]
    assert (await client.get("/api/mail/dev-inbox")).status_code == 200  # the demo visitor
    r = await client.get("/api/mail/dev-inbox", headers=auth("customer", accounts=("x",)))
    assert r.status_code == 403  # one customer's token never reads everybody's mail
