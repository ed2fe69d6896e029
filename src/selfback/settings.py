"""User settings: one JSON file, validated by one pydantic model."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from selfback.errors import DataError, UsageError
from selfback.fsutil import atomic_write
from selfback.paths import Paths

_TRUE = {"1", "true", "yes", "y", "on"}
_FALSE = {"0", "false", "no", "n", "off"}


class Settings(BaseModel):
    # Strict: `"log_crisis_openings": 0` or `"reduced_motion": "yes"` in the file is an
    # error that says which setting, never quietly read as something else.
    model_config = ConfigDict(extra="ignore", validate_assignment=True, strict=True)

    country: str | None = Field(
        default=None,
        description="Two-letter country code (e.g. US, GB, AU) used to show crisis lines.",
    )
    reduced_motion: bool = Field(
        default=False, description="Turn off animation (breathing pacer, countdowns)."
    )
    log_crisis_openings: bool = Field(
        default=True,
        description="Record (only on this machine) when the crisis screen is opened.",
    )
    measure_reminders: bool = Field(
        default=True,
        description="Mention on the home screen when a measure you take is over 2 weeks old.",
    )

    @field_validator("country", mode="before")
    @classmethod
    def _country(cls, value: Any) -> Any:
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise ValueError("must be a two-letter country code such as US, GB or AU")
        code = value.strip().upper()
        if code == "UK":
            code = "GB"
        if len(code) != 2 or not code.isascii() or not code.isalpha():
            raise ValueError("must be a two-letter country code such as US, GB or AU")
        return code


def setting_keys() -> list[str]:
    return list(Settings.model_fields)


def load_settings(paths: Paths) -> Settings:
    path = paths.config_file
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except OSError as exc:
        raise DataError(f"Could not read the settings file {path} ({exc.strerror}).") from exc
    except UnicodeDecodeError:
        raw = "\x00"  # not JSON: reported as damaged below
    try:
        data = json.loads(raw) if raw.strip() else {}
        if not isinstance(data, dict):
            raise ValueError
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise DataError(_wrong_value(path, exc)) from exc
    except (ValueError, RecursionError) as exc:  # not JSON, too deep, a 5000-digit number
        raise DataError(
            f"The settings file {path} is damaged. Fix it by hand, or delete it to go back "
            "to the defaults."
        ) from exc


def _wrong_value(path: object, exc: ValidationError) -> str:
    """A wrong value in the settings file, as one sentence naming the setting."""
    error = exc.errors()[0]
    key = str(error["loc"][0]) if error["loc"] else "a setting"
    field = Settings.model_fields.get(key)
    if field is not None and field.annotation is bool:
        expected = "must be true or false"
    else:
        expected = str(error["msg"]).removeprefix("Value error, ")
    return (
        f"The settings file {path} has a wrong value: {key} {expected}. Fix it by hand, "
        f"change it with `selfback config set {key} ...`, or delete the file to go back to "
        "the defaults."
    )


def save_settings(paths: Paths, settings: Settings) -> None:
    paths.ensure()
    text = json.dumps(settings.model_dump(), indent=2, sort_keys=True) + "\n"
    atomic_write(paths.config_file, text)


def coerce_value(key: str, raw: str) -> Any:
    """Turn the text given on the command line into the setting's type."""
    field = Settings.model_fields[key]
    if field.annotation is bool:
        low = raw.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise UsageError(f"'{raw}' is not a valid value for {key}: use yes or no.")
    if key == "country":
        if raw.strip().lower() in {"none", "unset", ""}:
            return None
        return _country_code(raw)
    return raw


def _country_code(raw: str) -> str:
    """An ISO 3166-1 alpha-2 code from what was typed ("uk" -> "GB"), or a UsageError."""
    from selfback.safety.crisis import is_country_code, normalize_country

    code = normalize_country(raw)
    if code is None or not is_country_code(code):
        shown = " ".join(raw.split())[:40]
        raise UsageError(
            f"'{shown}' is not a country code: use your country's two-letter ISO 3166 code, "
            "such as GB, US or IN."
        )
    return code


def set_value(settings: Settings, key: str, raw: str) -> Settings:
    if key not in Settings.model_fields:
        known = ", ".join(setting_keys())
        raise UsageError(f"There is no setting called '{key}'. Settings are: {known}.")
    value = coerce_value(key, raw)
    data = settings.model_dump()
    data[key] = value
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        msg = exc.errors()[0]["msg"].removeprefix("Value error, ")
        raise UsageError(f"'{raw}' is not a valid value for {key}: {msg}.") from exc
