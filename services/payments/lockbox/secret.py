"""The district's remitter-hash secret: from configuration, else generated once per data dir."""

from __future__ import annotations

import os
import secrets

from kernel.settings import Settings


def remitter_secret(settings: Settings) -> bytes:
    """`TAPLINE_LOCKBOX_REMITTER_SECRET`, or a file generated atomically and never replaced
    (two processes starting at once agree on one secret, as with the bank keys)."""
    if settings.lockbox_remitter_secret:
        return settings.lockbox_remitter_secret.get_secret_value().encode()
    path = settings.keys_dir / "lockbox-remitter-secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".lockbox-secret.{os.getpid()}.{secrets.token_hex(4)}")
        tmp.write_text(secrets.token_urlsafe(32))
        tmp.chmod(0o600)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip().encode()
