"""Signing keys for access tokens: an EC P-256 pair generated on first run, kept out of git.

Only the gateway (and the dev/test tooling) reads the private key; services read the public key.
In production both come from the environment or mounted secrets.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from kernel.settings import Settings


def local_secret_file(settings: Settings, name: str, make: Callable[[], str]) -> str:
    """The text of a secret of this installation kept in a file under the keys directory,
    written by `make` on first use, atomically and never replaced, so processes starting at
    once agree on one value (the loser of the race reads the winner's file)."""
    path = settings.keys_dir / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{name}.{os.getpid()}.{secrets.token_hex(4)}")
        tmp.write_text(make())
        tmp.chmod(0o600)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text()


def local_secret(settings: Settings, name: str) -> bytes:
    """A random secret of this installation (`local_secret_file`)."""
    return local_secret_file(settings, name, lambda: secrets.token_urlsafe(32)).strip().encode()


def ensure_keys(settings: Settings) -> None:
    if os.environ.get("TAPLINE_JWT_PRIVATE_KEY"):
        return
    private = settings.keys_dir / "jwt-private.pem"
    public = settings.keys_dir / "jwt-public.pem"
    if private.exists() and public.exists():
        return
    settings.keys_dir.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    tmp = private.with_suffix(".tmp")
    tmp.write_bytes(pem)
    tmp.chmod(0o600)
    tmp.replace(private)
    public.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )


def _read(env: str, path: Path) -> str:
    value = os.environ.get(env)
    if value:
        return value
    if not path.exists():
        raise RuntimeError(f"{env} is not set and {path} does not exist (run `tapline setup`)")
    return path.read_text()


def private_key(settings: Settings) -> str:
    return _read("TAPLINE_JWT_PRIVATE_KEY", settings.keys_dir / "jwt-private.pem")


def public_key(settings: Settings) -> str:
    return _read("TAPLINE_JWT_PUBLIC_KEY", settings.keys_dir / "jwt-public.pem")
