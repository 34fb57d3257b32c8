"""The SMS gateway: one interface for texting customers and hearing them answer.

Payments' text-to-pay uses it today; notifications (issue 16) will send e-bill, receipt and
reminder texts through the same interface. Two implementations: a sandbox (in-process outbox
the demo and tests read; its inbound messages are signed exactly as Twilio signs them, so the
same verification runs) and Twilio (the official `twilio` library). `from_settings` picks the
configured one (`TAPLINE_SMS_PROVIDER`).
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
