#!/usr/bin/env bash
# The restore drill (deploy/RUNBOOK.md): restore a dump into a scratch database on the server of
# DATABASE_URL (an admin URL) and run the reconciliation checks on it; the scratch database is
# dropped afterwards unless --keep.
#
#   DATABASE_URL=postgresql://admin:...@db:5432/tapline deploy/restore-drill.sh --dump tapline.dump
#   DATABASE_URL=... deploy/restore-drill.sh --from-live          # dump the live database first
#   kubectl -n tapline run drill --rm -it --image=<tapline image> --env DATABASE_URL=... \
#       -- python -m tapline.restore_drill --from-live            # the same from the image
#
# For a point-in-time restore (CloudNativePG), restore the cluster first (RUNBOOK.md), then run
# this with --from-live against the restored cluster's DATABASE_URL.
# Exit status: 0 every check passed, 1 a check failed, 2 the restore failed.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-}
if [[ -z "$python" ]]; then
  if [[ -x "$here/.venv/bin/python" ]]; then python="$here/.venv/bin/python"; else python=python3; fi
fi
: "${DATABASE_URL:?set DATABASE_URL to an admin connection (the drill creates a database)}"
cd "$here"
exec "$python" -m tapline.restore_drill "$@"
