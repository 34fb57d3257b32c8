"""The SMS gateway: one interface for texting customers and hearing them answer.

Payments' text-to-pay uses it today; notifications (issue 16) will send e-bill, receipt and
reminder texts through the same interface. Two implementations: a sandbox (in-process outbox
the demo and tests read; its inbound messages are signed exactly as Twilio signs them, so the
same verification runs) and Twilio (the official `twilio` library). `from_settings` picks the
configured one (`TAPLINE_SMS_PROVIDER`).

For notifications (issue 16), what is here and what stays the caller's:
- `send` is async (Twilio's async client), so a sender may keep many texts in flight (text-to-pay's
  balance run keeps 16); it answers with the provider's message id, which a message record keeps
  to match the delivery reports `parse_status` reads (queued → sent → delivered / undelivered /
  failed; reports arrive in any order, so a record's status only moves forward).
- A refused number is `InvalidPhone` (Twilio 21211, 21610 "opted out", ...), other refusals
  `SmsRejected`, an unanswered provider `SmsUnavailable` (retry later with backoff).
- STOP words (`keywords.classify`) end every programme texting that number: the service that
  owns the number's inbound webhook (payments' `/sms/inbound/{provider}` today) acts on them and
  announces it (`payments.TextToPayCancelled` with reason `stop`); Twilio itself also refuses
  further texts to an opted-out number until it texts START.
- Quiet hours, templates and languages, and "sent once" (record before sending) are the
  sender's; the gateway neither queues nor retries.
"""

from kernel.sms.base import (
    InboundMessage,
    InvalidPhone,
    MessageStatus,
    SentMessage,
    SmsGateway,
    SmsMalformed,
    SmsRefused,
    SmsRejected,
    SmsSignatureMissing,
    SmsUnavailable,
    StatusUpdate,
)
from kernel.sms.keywords import Classified, Keyword, classify
from kernel.sms.phone import e164, mask

__all__ = [
    "Classified", "InboundMessage", "InvalidPhone", "Keyword", "MessageStatus", "SentMessage",
    "SmsGateway", "SmsMalformed", "SmsRefused", "SmsRejected", "SmsSignatureMissing",
    "SmsUnavailable",
    "StatusUpdate", "classify", "e164", "mask",
]
