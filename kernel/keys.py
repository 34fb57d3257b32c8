"""Signing keys for access tokens: an EC P-256 pair generated on first run, kept out of git.

Only the gateway (and the dev/test tooling) reads the private key; services read the public keys.
In production both come from the environment or mounted secrets.

Keys rotate without signing anyone out: the public-key setting (`TAPLINE_JWT_PUBLIC_KEY`, or
`jwt-public.pem`) holds one PEM block or several, the **keyring**; the private key signs and names
its key in the token's `kid` header, and every process verifies a token with the keyring's key
of that id. A key's id is derived from the key itself (`key_id`), so there is no second setting
to keep in step with the first. Rotation (deploy/RUNBOOK.md): add the new public key to the
keyring everywhere, then sign with the new private key, then drop the old public key once the
last token it signed has expired.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import secrets
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

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


_PEM_BLOCK = re.compile(r"-----BEGIN PUBLIC KEY-----.+?-----END PUBLIC KEY-----", re.DOTALL)


class JwtKeyError(RuntimeError):
    """The configured JWT keys are missing or do not fit together: an operator's mistake."""


def _key_id_of(key: PublicKeyTypes) -> str:
    der = key.public_bytes(serialization.Encoding.DER,
                           serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.urlsafe_b64encode(hashlib.sha256(der).digest()).decode()[:16]


@lru_cache(maxsize=16)
def key_id(pem: str) -> str:
    """A key's id (the token's `kid`): the first 16 characters of the unpadded base64url
    SHA-256 of its public half's DER form, the same for the private and the public PEM, so
    an operator can compute it too: `openssl pkey -pubin -outform DER | openssl dgst -sha256
    -binary | basenc --base64url | cut -c1-16`."""
    data = pem.encode()
    if b"PRIVATE KEY" in data:
        return _key_id_of(serialization.load_pem_private_key(data, password=None).public_key())
    return _key_id_of(serialization.load_pem_public_key(data))


@lru_cache(maxsize=8)
def _parse_keyring(text: str) -> dict[str, str]:
    blocks = _PEM_BLOCK.findall(text)
    if not blocks:
        raise JwtKeyError("the JWT public key setting holds no PEM public key")
    ring: dict[str, str] = {}
    for block in blocks:
        try:
            ring[key_id(block)] = block + "\n"
        except ValueError as exc:
            raise JwtKeyError("a JWT public key in the keyring is not a valid PEM key") from exc
    return ring


def public_keyring(settings: Settings) -> dict[str, str]:
    """Every key that may have signed a live token, by id: the PEM blocks of the public-key
    setting (environment or file)."""
    return keyring_at(settings.keys_dir)


def keyring_at(keys_dir: Path) -> dict[str, str]:
    """`public_keyring` of the installation whose keys directory is `keys_dir`."""
    return _parse_keyring(_read("TAPLINE_JWT_PUBLIC_KEY", keys_dir / "jwt-public.pem"))


def signing_key(settings: Settings) -> tuple[str, str]:
    """The private key that signs (PEM) with its id, read once per process like the keyring
    every process verifies with (a rotation takes a restart, deploy/RUNBOOK.md). Refused when
    its public half is not in the keyring: every token it signed would be refused everywhere."""
    return _signing_key(settings.keys_dir, os.environ.get("TAPLINE_JWT_PRIVATE_KEY"),
                        os.environ.get("TAPLINE_JWT_PUBLIC_KEY"))


@lru_cache(maxsize=4)
def _signing_key(keys_dir: Path, env_private: str | None,
                 env_public: str | None) -> tuple[str, str]:
    pem = env_private or _read("TAPLINE_JWT_PRIVATE_KEY", keys_dir / "jwt-private.pem")
    ring = _parse_keyring(env_public or _read("TAPLINE_JWT_PUBLIC_KEY",
                                              keys_dir / "jwt-public.pem"))
    kid = key_id(pem)
    if kid not in ring:
        raise JwtKeyError(f"the JWT signing key {kid} is not in the public keyring: add its "
                          "public key to TAPLINE_JWT_PUBLIC_KEY first (deploy/RUNBOOK.md)")
    return kid, pem
