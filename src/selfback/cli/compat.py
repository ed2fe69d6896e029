"""Typer 0.29+ vendors click; older versions use click itself."""

from __future__ import annotations

try:  # pragma: no cover - depends on the installed Typer
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover
    from click import exceptions as click_exceptions  # type: ignore[no-redef]

__all__ = ["click_exceptions"]
