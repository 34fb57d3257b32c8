"""The Occupant copy is decided in SQL (`notice_same_address`, set-based over a day's
notices); the copy's view of an account decides it in Python (`copy.domain.same_address`).
One rule, two implementations: they must agree on every pair of addresses."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from services.collections.copy.domain import same_address

_piece = st.text(alphabet="aAbBzZ12 .,\t\n-ñÑéÉøØÇçŁłĀā\u00a0", max_size=6)
_addr = st.fixed_dictionaries({}, optional={
    "line1": _piece, "line2": _piece, "city": _piece,
    "postal_code": st.sampled_from(["95000", "95000-1234", "9500", "", "95001"])})


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs=st.lists(st.tuples(_addr, _addr), min_size=1, max_size=20))
async def test_sql_and_python_agree_on_what_is_the_same_address(bound, pairs):
    # half of the pairs are one address against a respelling of itself
    pairs = [(a, {k: (v.upper() + " " if i % 2 else v) for k, v in a.items()} if i % 3 == 0
              else b) for i, (a, b) in enumerate(pairs)]
    got = (await bound["collections"].execute(text(
        "SELECT notice_same_address(x->0, x->1) FROM jsonb_array_elements(CAST(:p AS jsonb)) "
        "WITH ORDINALITY t(x, o) ORDER BY o"), {"p": json.dumps(pairs)})).scalars().all()
    assert got == [same_address(a, b) for a, b in pairs]
