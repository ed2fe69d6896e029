"""Kept for ``selfback.cli.importer``, which wraps its summary lines with ``wrapped``:
the writing of what was heard lives in ``selfback.ui.crisis``."""

from __future__ import annotations

from selfback.ui.crisis import wrapped

__all__ = ["wrapped"]
