"""Loading the questionnaires shipped inside the package."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from pydantic import ValidationError

from selfback.errors import SelfbackError, UsageError
from selfback.measures.schema import Instrument

# The order people see them in: the full measures first, then the quick screens.
ORDER: tuple[str, ...] = ("phq9", "gad7", "who5", "pcl5", "phq2", "gad2")


def _load(instrument_id: str) -> Instrument:
    ref = resources.files("selfback.measures").joinpath("data", f"{instrument_id}.json")
    try:
        raw = ref.read_text(encoding="utf-8")
        return Instrument.model_validate(json.loads(raw))
    except (OSError, ValueError, ValidationError) as exc:
        # A broken file shipped with selfback is a bug, not something the user did.
        raise SelfbackError(
            f"The built-in questionnaire '{instrument_id}' could not be loaded ({exc}). "
            "Please reinstall selfback; `selfback sos` still works."
        ) from exc


@cache
def instruments() -> dict[str, Instrument]:
    """Every shipped instrument by id, in display order (validated once, then cached)."""
    loaded = {i: _load(i) for i in ORDER}
    for inst in loaded.values():
        if inst.screen_for is not None and inst.screen_for not in loaded:
            raise SelfbackError(f"The questionnaire {inst.id} points to a missing one.")
    return loaded


def get_instrument(instrument_id: str) -> Instrument:
    """The instrument called ``instrument_id`` (case and dashes ignored: PHQ-9 = phq9)."""
    key = instrument_id.strip().lower().replace("-", "").replace("_", "")
    found = instruments().get(key)
    if found is None:
        known = ", ".join(ORDER)
        raise UsageError(
            f"There is no measure called '{instrument_id}'. The measures are: {known}."
        )
    return found


def display_name(instrument_id: str) -> str:
    """The display name (PHQ-9), or the id itself for an instrument this version lacks."""
    inst = instruments().get(instrument_id)
    return inst.name if inst is not None else instrument_id
