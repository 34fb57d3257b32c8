"""Token verification: the cache of verified tokens never accepts what verification would not."""

from __future__ import annotations

import time

import jwt
import pytest

from kernel import auth
from kernel.auth import Principal, _VerifiedTokens, verify_token
from kernel.errors import Unauthorized
from kernel.keys import private_key
from kernel.settings import get_settings


def _token(exp: int, **override: object) -> str:
    s = get_settings()
    now = int(time.time())
    claims = {"sub": "u1", "role": "csr1", "typ": "access", "iss": s.jwt_issuer,
              "aud": s.jwt_audience, "iat": now, "exp": exp, **override}
    return jwt.encode(claims, private_key(s), algorithm=s.jwt_algorithm)


def test_a_verified_token_is_refused_once_it_expires():
    exp = int(time.time()) + 1
    token = _token(exp)
    assert verify_token(token).sub == "u1"
    assert verify_token(token).sub == "u1"  # from the cache
    time.sleep(max(0.0, exp + 1.1 - time.time()))
    with pytest.raises(Unauthorized):
        verify_token(token)


def test_a_refused_token_is_refused_again_and_never_cached():
    token = _token(int(time.time()) + 60, aud="someone-else")
    before = len(auth._verified._entries)
    for _ in range(2):
        with pytest.raises(Unauthorized):
            verify_token(token)
    assert len(auth._verified._entries) == before


def test_a_token_verified_under_one_audience_is_not_accepted_under_another():
    token = _token(int(time.time()) + 60)
    assert verify_token(token).role == "csr1"
    other = get_settings().model_copy(update={"jwt_audience": "another-api"})
    with pytest.raises(Unauthorized):
        verify_token(token, other)


def test_a_gateway_clock_a_few_seconds_ahead_is_tolerated_but_not_a_future_token():
    now = int(time.time())
    assert verify_token(_token(now + 60, iat=now + 3, nbf=now - 2)).sub == "u1"
    with pytest.raises(Unauthorized):
        verify_token(_token(now + 600, iat=now + 300, nbf=now + 300))


def test_the_cache_keeps_the_most_recently_used_tokens_only():
    cache = _VerifiedTokens(size=2)
    far = time.time() + 60
    for name in ("a", "b"):
        cache.put((name,), far, Principal(sub=name, role="csr1"))
    assert cache.get(("a",)) is not None  # "a" is now the most recent
    cache.put(("c",), far, Principal(sub="c", role="csr1"))
    assert cache.get(("b",)) is None
    assert cache.get(("a",)) is not None and cache.get(("c",)) is not None
    cache.put(("old",), time.time() - 1, Principal(sub="old", role="csr1"))
    assert cache.get(("old",)) is None
