"""The district's remitter-hash secret: from configuration, else generated once per data dir."""

from __future__ import annotations

from kernel.keys import local_secret
from kernel.settings import Settings


def remitter_secret(settings: Settings) -> bytes:
    """`TAPLINE_LOCKBOX_REMITTER_SECRET`, or a file generated atomically and never replaced
    (two processes starting at once agree on one secret, as with the bank keys)."""
    if settings.lockbox_remitter_secret:
        return settings.lockbox_remitter_secret.get_secret_value().encode()
    return local_secret(settings, "lockbox-remitter-secret")
