"""Write the merged OpenAPI document without a running system: `python -m gateway.openapi_dump`.

The frontend's typed client is generated from this file (`frontend/openapi.json`), and `make test`
fails when the committed client no longer matches the API. Every app is built in-process, as
`make run` builds it, but nothing is started: no database connection is opened, and keys or
secrets the apps generate on the way go to a throwaway data directory.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any


def document() -> dict[str, Any]:
    """The document the gateway serves at `/api/openapi.json` when every service is up."""
    with tempfile.TemporaryDirectory(prefix="tapline-openapi-") as scratch:
        # The settings are read once per process: this must run before anything reads them.
        os.environ["TAPLINE_DATA_DIR"] = scratch
        os.environ.setdefault("TAPLINE_DATABASE_URL",
                              "postgresql://openapi:unused@127.0.0.1:1/openapi")
        from gateway.app import create_app
        from gateway.openapi import merge
        from kernel.settings import SERVICES, get_settings

        get_settings.cache_clear()
        docs = {s: importlib.import_module(f"services.{s}.app").create_app().openapi()
                for s in SERVICES}
        docs["nightly"] = importlib.import_module("nightly.app").create_app().openapi()
        return merge(create_app().openapi(), docs)


def main(argv: list[str]) -> int:
    text = json.dumps(document(), indent=2, ensure_ascii=False) + "\n"
    if len(argv) > 1:
        Path(argv[1]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
