"""Small shared API types of the billing service."""

from __future__ import annotations

from kernel.clock import Day

#: A business date (periods, reads, effective dates): plain ISO date within 1900-2999.
BizDate = Day
