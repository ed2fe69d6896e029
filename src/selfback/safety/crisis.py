"""Crisis resources: the dated data file, the user's country, and the crisis text.

This module is on the ``selfback sos`` fast path, so at module level it imports only the
standard library and selfback's stdlib-only modules (``text`` and the ``safety`` modules
below); never the database, pydantic, rich or YAML. The database is touched only by
``record_opening``, which callers run after their output is flushed and which never raises.

Public pieces other parts of selfback use:

- ``crisis_text(paths, color=..., compact=..., cope_line=..., width=None, lead=None)``:
  what ``sos`` prints, reusable by cope (distress 9-10, the crisis key, the "urge to hurt
  myself" situation), risk language and measures (PHQ-9 item 9 above 0). Wrapped by whole
  words to ``width`` columns (None: the width of stdout's terminal). ``lead`` is an
  optional gentle first line for the compact text ("What you wrote sounds really hard.").
- ``record_opening(paths, source)``: log that the crisis screen was shown (if the user
  allows it); silent on any failure.
- ``stale_entries(today)``: entries verified more than 12 months before ``today``
  (``selfback doctor`` and the test suite call it); ``schema_problems(data)``: every way
  the data file breaks its format.
- ``iso_countries()``, ``is_country_code(code)``, ``country_name(code)``: the shipped
  ISO 3166-1 list; ``known_countries()``: the codes with checked lines.

The pieces live in their own modules (``crisis_data``, ``crisis_schema``, ``country``,
``crisis_screen``); this module is their public face, and every name above is importable
from here.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from selfback.safety.country import (
    CountryChoice,
    country_from_config,
    country_from_locale,
    normalize_country,
    resolve_country,
)
from selfback.safety.crisis_data import (
    DATA_DIR,
    DATA_FILE,
    FINDAHELPLINE,
    ISO_FILE,
    SET_COUNTRY,
    SET_COUNTRY_HINT,
    SOURCE_KINDS,
    STALE_AFTER_MONTHS,
    country_name,
    eu_eea_codes,
    is_country_code,
    iso_countries,
    iter_entries,
    known_countries,
    load_resources,
    resources_for,
    stale_entries,
)
from selfback.safety.crisis_schema import schema_problems
from selfback.safety.crisis_screen import (
    MIN_WIDTH,
    covered_lines,
    crisis_lines,
    crisis_text,
    emergency_only_lines,
)

if TYPE_CHECKING:
    from selfback.paths import Paths

__all__ = [
    "DATA_DIR",
    "DATA_FILE",
    "FINDAHELPLINE",
    "ISO_FILE",
    "MIN_WIDTH",
    "SET_COUNTRY",
    "SET_COUNTRY_HINT",
    "SOURCE_KINDS",
    "STALE_AFTER_MONTHS",
    "CountryChoice",
    "country_from_config",
    "country_from_locale",
    "country_name",
    "covered_lines",
    "crisis_lines",
    "crisis_text",
    "emergency_only_lines",
    "eu_eea_codes",
    "is_country_code",
    "iso_countries",
    "iter_entries",
    "known_countries",
    "load_resources",
    "logging_allowed",
    "normalize_country",
    "record_opening",
    "resolve_country",
    "resources_for",
    "schema_problems",
    "stale_entries",
]


def logging_allowed(paths: Paths) -> bool:
    """Whether the settings allow logging an opening: yes when the setting is absent or
    ``true``; no for ``false`` and for anything else written there (``0``, ``"no"``: the
    settings check calls those an error, and here the private choice wins)."""
    try:
        with open(paths.config_file, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError, RecursionError):
        return True
    if not isinstance(data, dict):
        return True
    return data.get("log_crisis_openings", True) is True


def record_opening(paths: Paths, source: str) -> None:
    """Log one opening of the crisis screen to ``crisis_openings``, if the user allows it.

    Run it after the crisis text is flushed. Never raises (but lets a stop by SIGTERM or
    SIGHUP through: ``selfback.errors.Stopped``) and never prints: a missing,
    locked, read-only or damaged database simply means nothing is logged. Waits at most
    about a second for a busy database.
    """
    try:
        if not logging_allowed(paths):
            return
        from selfback.clock import Clock
        from selfback.store.db import open_store, set_busy_timeout
        from selfback.store.keys import is_locked
        from selfback.store.safety import insert_crisis_opening

        when = Clock.from_env().now()
        if is_locked(paths):  # sealed for the next unlock, as a locked check-in is
            from selfback.inbox import seal_record

            seal_record(paths, "opening", {"source": source}, when)
            return
        store = open_store(paths)
        try:
            set_busy_timeout(store, 1000)
            with store.tx() as db:
                insert_crisis_opening(db, source=source, when=when)
        finally:
            store.close()
    except KeyboardInterrupt as exc:
        from selfback.errors import Stopped

        if isinstance(exc, Stopped):  # SIGTERM or SIGHUP: the run stops
            raise
        return  # the text is already out: Ctrl-C here only skips the log entry
    except Exception:
        from selfback.crashlog import log

        log.exception("recording that the crisis screen was shown")
