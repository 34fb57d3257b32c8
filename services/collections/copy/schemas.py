"""API shapes of the copy (the rebuild's are the kernel's, shared by every copy)."""

from __future__ import annotations

from kernel.copy import RebuildRequest, RebuildResult

__all__ = ["RebuildRequest", "RebuildResult"]
