"""Search by words through a dictionary of distinct words: `search_words` (trigram GIN, tens of
thousands of rows) finds the words like a typed token, `search_index.words` (GIN array) finds
the documents holding those words. Backfilled from the existing search rows.

Revision ID: accounts_0003
Revises: accounts_0002
"""
from alembic import op

revision = "accounts_0003"
down_revision = "accounts_0002"
branch_labels = None
depends_on = None

UP = r"""
ALTER TABLE search_index ADD COLUMN words text[]
    GENERATED ALWAYS AS (regexp_split_to_array(doc, '[^[:alnum:]]+')) STORED;
COMMENT ON COLUMN search_index.words IS
    'the words of doc as pg_trgm splits them (runs of letters and digits)';
CREATE INDEX search_index_words_gin ON search_index USING gin (words);

-- Every distinct word ever indexed (never pruned: a word no document holds any more only
-- costs a row and matches nothing).
CREATE TABLE search_words (word text PRIMARY KEY);
INSERT INTO search_words (word)
SELECT DISTINCT w FROM search_index, unnest(words) w WHERE w <> '';
CREATE INDEX search_words_trgm ON search_words USING gin (word gin_trgm_ops);
"""

DOWN = r"""
DROP TABLE IF EXISTS search_words;
DROP INDEX IF EXISTS search_index_words_gin;
ALTER TABLE search_index DROP COLUMN IF EXISTS words;
"""


def upgrade() -> None:
    op.execute(UP)


def downgrade() -> None:
    op.execute(DOWN)
