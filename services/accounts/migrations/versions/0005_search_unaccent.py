"""Accents and capitals do not matter to word search: Peña is found as "pena" and as "peña",
Ángel as "angel".

The words of a document are decomposed (NFD), stripped of combining marks and lower-cased in
that order: `lower()` in a database created with the C locale leaves non-ASCII capitals as they
are, but their decomposed base letter is ASCII. The query side does the same in Python. Only
documents with non-ASCII characters change, so only those are recomputed.

Revision ID: accounts_0005
Revises: accounts_0004
"""
from alembic import op

revision = "accounts_0005"
down_revision = "accounts_0004"
branch_labels = None
depends_on = None

UP = r"""
CREATE OR REPLACE FUNCTION search_words_of(doc text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY(
    SELECT DISTINCT m[1]
    FROM regexp_matches(lower(regexp_replace(normalize(doc, NFD), '[\u0300-\u036f]', '', 'g')),
                        '[[:alnum:]]+', 'g') AS m
    WHERE NOT (length(m[1]) >= 6 AND m[1] ~ '[0-9]'));
UPDATE search_index SET doc = doc WHERE doc ~ '[^\x01-\x7f]';
INSERT INTO search_words (word)
SELECT DISTINCT w FROM search_index, unnest(words) w
WHERE w <> '' AND doc ~ '[^\x01-\x7f]' ON CONFLICT DO NOTHING;
"""

DOWN = r"""
CREATE OR REPLACE FUNCTION search_words_of(doc text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY(
    SELECT DISTINCT m[1] FROM regexp_matches(doc, '[[:alnum:]]+', 'g') AS m
    WHERE NOT (length(m[1]) >= 6 AND m[1] ~ '[0-9]'));
UPDATE search_index SET doc = doc WHERE doc ~ '[^\x01-\x7f]';
"""


def upgrade() -> None:
    op.execute(UP)


def downgrade() -> None:
    op.execute(DOWN)
