"""The built-in skills' names, for showing a skill named by its id in a person's answers
("opposite-action" in the diary card's "Skills used" -> "Opposite action").

Read from the shipped YAML without building the skill models, only when a word needs
it, once per run (a test keeps these names equal to the validated library's titles).
"""

from __future__ import annotations

from functools import cache


@cache
def builtin_titles() -> dict[str, str]:
    """id -> short title of every built-in skill: the title up to a colon ("DEAR MAN:
    asking for what you need" -> "DEAR MAN")."""
    import yaml

    from selfback.paths import builtin_skills_dir

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    out: dict[str, str] = {}
    try:
        for path in sorted(builtin_skills_dir().glob("*.yaml")):
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
            if isinstance(data, dict) and isinstance(data.get("id"), str):
                title = str(data.get("title") or data["id"])
                out[data["id"]] = title.split(":", 1)[0].strip() or title
    except (OSError, ValueError, yaml.YAMLError):  # pragma: no cover - shipped files
        from selfback.crashlog import log

        log.exception("reading the built-in skill names")
    return out


def skill_word(word: str) -> str:
    """A word of the diary card's "Skills used": a built-in skill's name for its id, else
    the word as the person wrote it."""
    return builtin_titles().get(word.strip().lower(), word)
