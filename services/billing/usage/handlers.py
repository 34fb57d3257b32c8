"""Usage consumes no events: its alerts come from billing's own AMI data (`detect_leaks`, run
for a day by the nightly job or `POST /api/billing/usage/leaks/detect`), and the accounts and
meters it checks are billing's copy, which `copy/handlers.py` keeps."""

from __future__ import annotations

from kernel.inbox import Handlers

handlers = Handlers()
