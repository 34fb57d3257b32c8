"""JWT signing keys rotate without signing anyone out: tokens name their key (`kid`), every
process verifies against a keyring, and a refresh after the switch gets a token of the new key."""

from __future__ import annotations

import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from kernel.keys import JwtKeyError, key_id, private_key, public_key, signing_key
from kernel.settings import get_settings
from tests.conftest import mint_token
from tests.gateway.factories import PASSWORD, staff_user

SERVICE_ROUTE = "/api/payments/admin/events/parked"  # an admin route of a service, not the gateway


def _new_pair() -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return private, public


def _kid(token: str) -> str | None:
    return jwt.get_unverified_header(token).get("kid")


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def old_pair() -> tuple[str, str]:
    settings = get_settings()
    return private_key(settings), public_key(settings)


async def test_a_token_names_the_key_that_signed_it(client):
    token = mint_token("admin")
    assert _kid(token) == key_id(public_key(get_settings()))
    assert _kid(token) == key_id(private_key(get_settings()))  # one id for both halves
    assert (await client.get(SERVICE_ROUTE, headers=_bearer(token))).status_code == 200


async def test_keys_rotate_in_three_steps_and_nobody_is_signed_out(
    client, bound, gateway_app, monkeypatch, old_pair
):
    old_private, old_public = old_pair
    await staff_user(gateway_app, "rotor", "admin")
    login = (await client.post("/api/auth/token",
                               data={"username": "rotor", "password": PASSWORD})).json()
    before = login["access_token"]
    new_private, new_public = _new_pair()

    # 1. every process learns the new public key (the keyring holds both)
    monkeypatch.setenv("TAPLINE_JWT_PUBLIC_KEY", old_public + new_public)
    assert (await client.get(SERVICE_ROUTE, headers=_bearer(before))).status_code == 200

    # 2. the gateway signs with the new key; the token issued before still works, and the
    #    session's refresh token yields a token of the new key
    monkeypatch.setenv("TAPLINE_JWT_PRIVATE_KEY", new_private)
    assert (await client.get(SERVICE_ROUTE, headers=_bearer(before))).status_code == 200
    r = await client.post("/api/auth/refresh", json={"refresh_token": login["refresh_token"]})
    assert r.status_code == 200
    after = r.json()["access_token"]
    assert _kid(after) == key_id(new_public) != _kid(before)
    assert (await client.get(SERVICE_ROUTE, headers=_bearer(after))).status_code == 200

    # 3. once the old key's last token has expired, the old key leaves the keyring: a token it
    #    signed is refused, the new key's tokens are not
    monkeypatch.setenv("TAPLINE_JWT_PUBLIC_KEY", new_public)
    assert (await client.get(SERVICE_ROUTE, headers=_bearer(before))).status_code == 401
    assert (await client.get(SERVICE_ROUTE, headers=_bearer(after))).status_code == 200


async def test_a_token_signed_before_keys_had_ids_still_verifies(client, old_pair):
    s = get_settings()
    now = int(time.time())
    claims = {"sub": "legacy", "role": "admin", "typ": "access", "iss": s.jwt_issuer,
              "aud": s.jwt_audience, "iat": now, "exp": now + 60}
    token = jwt.encode(claims, old_pair[0], algorithm="ES256")
    assert _kid(token) is None
    assert (await client.get(SERVICE_ROUTE, headers=_bearer(token))).status_code == 200


async def test_a_token_naming_a_key_outside_the_keyring_is_refused_even_if_a_known_key_signed_it(
    client, old_pair
):
    s = get_settings()
    now = int(time.time())
    claims = {"sub": "x", "role": "admin", "typ": "access", "iss": s.jwt_issuer,
              "aud": s.jwt_audience, "iat": now, "exp": now + 60}
    token = jwt.encode(claims, old_pair[0], algorithm="ES256", headers={"kid": "no-such-key"})
    r = await client.get(SERVICE_ROUTE, headers=_bearer(token))
    assert r.status_code == 401


async def test_a_kidless_token_of_a_foreign_key_is_refused_by_a_two_key_ring(
    client, monkeypatch, old_pair
):
    _, new_public = _new_pair()
    monkeypatch.setenv("TAPLINE_JWT_PUBLIC_KEY", old_pair[1] + new_public)
    foreign, _ = _new_pair()
    s = get_settings()
    now = int(time.time())
    token = jwt.encode({"sub": "x", "role": "admin", "typ": "access", "iss": s.jwt_issuer,
                        "aud": s.jwt_audience, "iat": now, "exp": now + 60},
                       foreign, algorithm="ES256")
    assert (await client.get(SERVICE_ROUTE, headers=_bearer(token))).status_code == 401


def test_the_gateway_will_not_sign_with_a_key_the_keyring_does_not_hold(monkeypatch, old_pair):
    new_private, _ = _new_pair()
    monkeypatch.setenv("TAPLINE_JWT_PUBLIC_KEY", old_pair[1])
    monkeypatch.setenv("TAPLINE_JWT_PRIVATE_KEY", new_private)
    with pytest.raises(JwtKeyError, match="not in the public keyring"):
        signing_key(get_settings())
    from gateway.app import create_app

    with pytest.raises(JwtKeyError):
        create_app()


def test_a_keyring_without_a_pem_public_key_is_an_operators_error(monkeypatch):
    monkeypatch.setenv("TAPLINE_JWT_PUBLIC_KEY", "k1:not-a-pem")
    with pytest.raises(JwtKeyError, match="no PEM public key"):
        signing_key(get_settings())


def test_a_process_reads_its_key_files_once_and_a_restart_reads_the_new_ones(tmp_path,
                                                                            monkeypatch):
    from kernel import keys
    from kernel.settings import Settings

    monkeypatch.delenv("TAPLINE_JWT_PRIVATE_KEY", raising=False)
    monkeypatch.delenv("TAPLINE_JWT_PUBLIC_KEY", raising=False)
    settings = Settings(data_dir=tmp_path)
    settings.keys_dir.mkdir(parents=True)
    first_private, first_public = _new_pair()
    (settings.keys_dir / "jwt-private.pem").write_text(first_private)
    (settings.keys_dir / "jwt-public.pem").write_text(first_public)
    assert signing_key(settings)[0] == key_id(first_public)

    second_private, second_public = _new_pair()
    (settings.keys_dir / "jwt-private.pem").write_text(second_private)
    (settings.keys_dir / "jwt-public.pem").write_text(first_public + second_public)
    assert signing_key(settings)[0] == key_id(first_public)  # this process: as it started

    keys._signing_key.cache_clear()  # what a restart does
    assert signing_key(settings)[0] == key_id(second_public)
    assert set(keys.public_keyring(settings)) == {key_id(first_public), key_id(second_public)}
