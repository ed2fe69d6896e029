"""The environment a command runs in: streams, terminal flags, clock and folders.

Passed to the UI instead of globals so tests can simulate any terminal.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, TextIO

from selfback.clock import Clock
from selfback.errors import SelfbackError
from selfback.paths import Paths, get_paths

if TYPE_CHECKING:
    from selfback.settings import Settings


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


@dataclass
class Env:
    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    clock: Clock = field(default_factory=Clock.from_env)
    paths: Paths = field(default_factory=get_paths)
    force_plain: bool = False

    @cached_property
    def stdin_isatty(self) -> bool:
        return _isatty(self.stdin)

    @cached_property
    def stdout_isatty(self) -> bool:
        return _isatty(self.stdout)

    @property
    def interactive(self) -> bool:
        return self.stdin_isatty and self.stdout_isatty

    @cached_property
    def plain(self) -> bool:
        """Plain text: no colour, no boxes, no animation (``--plain`` or ``SELFBACK_PLAIN``)."""
        return self.force_plain or bool(os.environ.get("SELFBACK_PLAIN"))

    @cached_property
    def color(self) -> bool:
        if self.plain or "NO_COLOR" in os.environ or not self.stdout_isatty:
            return False
        return os.environ.get("TERM", "") != "dumb"

    @cached_property
    def settings(self) -> Settings:
        from selfback.settings import load_settings

        return load_settings(self.paths)

    @cached_property
    def reduced_motion(self) -> bool:
        """No animation: plain mode, no colour, not a TTY, or the reduced-motion setting."""
        if self.plain or not self.color or not self.stdout_isatty:
            return True
        if os.environ.get("SELFBACK_REDUCED_MOTION"):
            return True
        try:
            return self.settings.reduced_motion
        except SelfbackError:  # a damaged settings file: animation stays as it is
            return False
