"""Word search through the dictionary only: the documents' own trigram index goes away.

A typed word is first turned into the dictionary words it may mean (exact, prefix, trigram
similarity, or the same sound by Double Metaphone) in `search_words`, a table of tens of thousands
of rows; the documents holding those words come from the GIN array index on
`search_index.words`, whose scan intersects a rare word's short posting list with a common
word's long one without reading the long one. Trigram-matching whole documents read long
posting lists for common trigrams, which cost 30 ms and more per search at 1,000,000 accounts.

Words exclude runs with a digit of six or more characters: typed, those are identifiers and go
to `search_keys`; kept, every e-mail name with digits in it would make the dictionary as big as
the customer file. The dictionary sorts in byte order so a prefix is an index range in any
database collation.

Revision ID: accounts_0004
Revises: accounts_0003
"""
from alembic import op

revision = "accounts_0004"
down_revision = "accounts_0003"
branch_labels = None
depends_on = None

UP = r"""
CREATE FUNCTION search_words_of(doc text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY(
    SELECT DISTINCT m[1] FROM regexp_matches(doc, '[[:alnum:]]+', 'g') AS m
    WHERE NOT (length(m[1]) >= 6 AND m[1] ~ '[0-9]'));
COMMENT ON FUNCTION search_words_of(text) IS
    'the distinct words of a search document, less identifier-like runs (see search_keys)';

DROP INDEX search_index_doc_trgm;
DROP INDEX search_index_words_gin;
ALTER TABLE search_index DROP COLUMN words;
ALTER TABLE search_index ADD COLUMN words text[]
    GENERATED ALWAYS AS (search_words_of(doc)) STORED;
COMMENT ON COLUMN search_index.words IS 'the words of doc, matched through search_words';
-- fastupdate off: a pending list would be scanned unsorted by every search.
CREATE INDEX search_index_words_gin ON search_index USING gin (words) WITH (fastupdate = off);

DROP TABLE search_words;
CREATE TABLE search_words (
    word  text COLLATE "C" PRIMARY KEY,
    sound text GENERATED ALWAYS AS (nullif(public.dmetaphone(word), '')) STORED
);
COMMENT ON TABLE search_words IS
    'every distinct word ever indexed; never pruned (a stale word only matches nothing)';
INSERT INTO search_words (word)
SELECT DISTINCT w FROM search_index, unnest(words) w WHERE w <> '';
CREATE INDEX search_words_trgm ON search_words USING gin (word gin_trgm_ops)
    WITH (fastupdate = off);
CREATE INDEX search_words_sound ON search_words (sound);
"""

DOWN = r"""
DROP TABLE search_words;
CREATE TABLE search_words (word text PRIMARY KEY);
DROP INDEX search_index_words_gin;
ALTER TABLE search_index DROP COLUMN words;
ALTER TABLE search_index ADD COLUMN words text[]
    GENERATED ALWAYS AS (regexp_split_to_array(doc, '[^[:alnum:]]+')) STORED;
CREATE INDEX search_index_words_gin ON search_index USING gin (words);
INSERT INTO search_words (word)
SELECT DISTINCT w FROM search_index, unnest(words) w WHERE w <> '';
CREATE INDEX search_words_trgm ON search_words USING gin (word gin_trgm_ops);
CREATE INDEX search_index_doc_trgm ON search_index USING gin (doc gin_trgm_ops);
DROP FUNCTION search_words_of(text);
"""


def upgrade() -> None:
    op.execute(UP)


def downgrade() -> None:
    op.execute(DOWN)
