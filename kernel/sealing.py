"""Secrets sealed at rest with keys that rotate: bank account numbers, second-factor seeds.

A value that would let its reader act as someone (a bank account with its routing number, the seed
of a customer's authenticator app) never sits in a table in the clear. Each kind of secret has its
own keyring, configured as `id:base64key[,id:base64key…]` newest first: the first key seals, any
listed key opens, and each token names the key that made it, so keys rotate without a flag day
(add a new key in front, re-seal the stored tokens, drop the old key). Without configuration a key
is generated once into the keys directory for `make run`, like the JWT keys.

A token is `<version>.<key id>.<base64url(nonce ‖ ciphertext ‖ tag)>` under AES-256-GCM. The
keyring's purpose, the key id and the caller's `context` (the row it belongs to) are authenticated
data: a token copied to another row, relabelled with another key id or used for another purpose
fails to open instead of yielding someone else's secret.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
import threading
from dataclasses import dataclass, field
from typing import ClassVar, Self

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kernel.keys import local_secret_file
from kernel.settings import Settings

#: Keyrings already read in this process, by class, setting and key file (`Keyring.configured`).
_CONFIGURED: dict[tuple[type, str, str], Keyring] = {}
_CONFIGURED_LOCK = threading.Lock()

_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_NONCE_BYTES = 12


class SealingKeyError(RuntimeError):
    """The configured keys are missing or malformed: an operator's mistake, not a client's."""


class Unsealable(RuntimeError):
    """A token made with a key no longer configured, or altered: never guess, never log it."""


@dataclass(frozen=True)
class Keyring:
    """AES-256-GCM keys by id for one purpose; the first seals, all open."""

    keys: tuple[tuple[str, bytes], ...] = field(repr=False)

    #: Names the secret in messages and binds tokens to it (authenticated data).
    purpose: ClassVar[str] = "secret"
    #: The token's first part; also tells a token from a value stored before sealing began.
    version: ClassVar[str] = "s1"
    key_error: ClassVar[type[SealingKeyError]] = SealingKeyError
    unsealable: ClassVar[type[Unsealable]] = Unsealable

    def __post_init__(self) -> None:
        if not self.keys:
            raise self.key_error(f"no {self.purpose} key configured")
        ids = [kid for kid, _ in self.keys]
        if len(set(ids)) != len(ids):
            raise self.key_error(f"{self.purpose} key ids must be unique")
        for kid, key in self.keys:
            if not _KEY_ID.match(kid):
                raise self.key_error(f"{self.purpose} key id {kid!r}: 1-32 of A-Z a-z 0-9 _ -")
            if len(key) != 32:
                raise self.key_error(f"{self.purpose} key {kid!r} must be 32 bytes (AES-256)")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(key_ids={[kid for kid, _ in self.keys]})"

    @property
    def current_key_id(self) -> str:
        return self.keys[0][0]

    @classmethod
    def parse(cls, spec: str) -> Self:
        """`id:base64key[,id:base64key…]`, newest first (the form of the settings)."""
        keys: list[tuple[str, bytes]] = []
        for part in spec.replace("\n", ",").split(","):
            part = part.strip()
            if not part:
                continue
            kid, sep, encoded = part.partition(":")
            if not sep:
                raise cls.key_error(f"each {cls.purpose} key is written id:base64key")
            try:
                key = base64.urlsafe_b64decode(_padded(encoded.strip()))
            except (binascii.Error, ValueError) as exc:
                raise cls.key_error(f"{cls.purpose} key {kid.strip()!r} is not base64") from exc
            keys.append((kid.strip(), key))
        return cls(tuple(keys))

    @classmethod
    def configured(cls, settings: Settings, spec: str | None, file_name: str) -> Self:
        """The keyring from its setting; without one, a key generated once into the keys
        directory (atomically, never replaced: processes starting at once agree on it).

        Read once per process: every seal and open would otherwise read and parse the key
        file again (a login with a second factor, each autopay enrolment). Like the JWT
        keyring, a rotated keyring (deploy/RUNBOOK.md) takes effect when the process restarts."""
        cache_key = (cls, spec or "", str(settings.keys_dir / file_name))
        with _CONFIGURED_LOCK:
            ring = _CONFIGURED.get(cache_key)
            if ring is None:
                if spec:
                    ring = cls.parse(spec)
                else:
                    ring = cls.parse(local_secret_file(settings, file_name,
                                                       lambda: f"k1:{cls.generate_key()}\n"))
                _CONFIGURED[cache_key] = ring
        assert isinstance(ring, cls)
        return ring

    @staticmethod
    def generate_key() -> str:
        """A new key in the configuration's base64 form (for `id:` + this)."""
        return base64.urlsafe_b64encode(AESGCM.generate_key(bit_length=256)).decode()

    def is_token(self, value: str) -> bool:
        parts = value.split(".")
        return len(parts) == 3 and parts[0] == self.version and bool(_KEY_ID.match(parts[1]))

    def key_id_of(self, token: str) -> str:
        return self._split(token)[1]

    def encrypt(self, plain: str, *, context: str = "") -> str:
        kid, key = self.keys[0]
        nonce = secrets.token_bytes(_NONCE_BYTES)
        sealed = AESGCM(key).encrypt(nonce, plain.encode(), self._aad(kid, context))
        body = base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
        return f"{self.version}.{kid}.{body}"

    def decrypt(self, token: str, *, context: str = "") -> str:
        _, kid, body = self._split(token)
        key = dict(self.keys).get(kid)
        if key is None:
            raise self.unsealable(f"{self.purpose} key {kid!r} is not configured")
        try:
            raw = base64.urlsafe_b64decode(_padded(body))
            plain = AESGCM(key).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:],
                                        self._aad(kid, context))
        except (InvalidTag, binascii.Error, ValueError) as exc:
            raise self.unsealable(f"{self.purpose} token does not authenticate") from exc
        return plain.decode()

    def needs_rotation(self, token: str) -> bool:
        return self.key_id_of(token) != self.current_key_id

    def rotate(self, token: str, *, context: str = "") -> str:
        """The same secret under the newest key (unchanged if already under it)."""
        if not self.needs_rotation(token):
            return token
        return self.encrypt(self.decrypt(token, context=context), context=context)

    def _aad(self, kid: str, context: str) -> bytes:
        return f"tapline.{self.purpose}|{self.version}|{kid}|{context}".encode()

    def _split(self, token: str) -> tuple[str, str, str]:
        if not self.is_token(token):
            raise self.unsealable(f"not a {self.purpose} token")
        version, kid, body = token.split(".")
        return version, kid, body


def _padded(b64: str) -> str:
    return b64 + "=" * (-len(b64) % 4)
