"""The layers of the interactive half hold: ui/ renders and prompts and never opens the
store; actions/ never reaches up into cli/ or ui/; the message catalogue is only text.
Every import counts, also those inside functions and under TYPE_CHECKING."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "selfback"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _selfback_imports(package: str) -> dict[str, set[str]]:
    return {
        str(path.relative_to(SRC)): {m for m in _imports(path) if m.startswith("selfback")}
        for path in sorted((SRC / package).rglob("*.py"))
    }


@pytest.mark.parametrize(
    ("package", "never"),
    [
        ("ui", ("selfback.store", "selfback.cli")),
        ("actions", ("selfback.cli", "selfback.ui")),
        ("messages", ("selfback.store", "selfback.cli", "selfback.ui", "selfback.actions")),
    ],
)
def test_no_import_runs_the_wrong_way(package: str, never: tuple[str, ...]) -> None:
    wrong = {
        f"{name} imports {module}"
        for name, modules in _selfback_imports(package).items()
        for module in modules
        if module.startswith(never)
    }
    assert not wrong, sorted(wrong)


def test_the_message_catalogue_is_only_text() -> None:
    for name, modules in _selfback_imports("messages").items():
        assert modules <= {"selfback.messages", "selfback.messages.common"}, name
