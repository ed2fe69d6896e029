"""The shape of the code (docs/architecture.md): layers, no import cycles, SQL only in the
store, no module over 500 lines.

The import graph is read from the source with ``ast``: every ``import`` and ``from ...
import`` anywhere in a module counts (inside functions and ``if TYPE_CHECKING:`` blocks
too), and so does ``importlib.import_module("selfback....")`` with a literal name.

Layers, from the top: ``main``; ``cli`` and ``ui`` (they talk to the person); ``actions``
(the use cases); the core (every other package and module); ``store`` (SQL). The rules:

- the store and the core never import cli, ui or actions;
- ui never imports the store (it asks an action);
- actions never import cli or ui;
- nothing imports cli except ``selfback.main`` and cli itself.

Today's known breaks are listed below, each with its file and why. The lists only shrink:
a second test fails when a listed break no longer happens, so delete its entry then.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "selfback"
MAX_LINES = 500

# (importer, imported) -> why it still happens. Modules, not files: `selfback.ui.walkthrough`
# is src/selfback/ui/walkthrough.py.
KNOWN_UPWARD: dict[tuple[str, str], str] = {}

# Import cycles (the modules of each strongly connected part of the graph) -> why.
KNOWN_CYCLES: dict[frozenset[str], str] = {}

# Files outside src/selfback/store/ with SQL in a string -> why.
KNOWN_SQL: dict[str, str] = {}

# Files over MAX_LINES lines -> why.
KNOWN_LONG: dict[str, str] = {}


# -- reading the source ----------------------------------------------------------------------


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _targets(name: str, path: Path, tree: ast.Module, modules: set[str]) -> Iterator[str]:
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                yield sub if sub in modules else target
        elif (
            isinstance(node, ast.Call)
            and (
                (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
                or (
                    isinstance(node.func, ast.Name)
                    and node.func.id in ("import_module", "__import__")
                )
            )
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.args[0].value


def import_graph() -> dict[str, set[str]]:
    """Every selfback module -> the selfback modules it imports."""
    sources = _sources()
    modules = set(sources)
    graph: dict[str, set[str]] = {}
    for name, path in sources.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        found = {t for t in _targets(name, path, tree, modules) if t.split(".")[0] == "selfback"}
        # `import selfback.a.b` names a module; keep the deepest one that exists.
        graph[name] = {_existing(t, modules) for t in found} - {name}
    return graph


def _existing(target: str, modules: set[str]) -> str:
    while target not in modules and "." in target:
        target = target.rsplit(".", 1)[0]
    return target


def layer(module: str) -> str:
    parts = module.split(".")
    if module in ("selfback.main", "selfback.__main__"):
        return "main"
    if len(parts) > 1 and parts[1] in ("cli", "ui", "actions", "store"):
        return parts[1]
    return "core"


# (from layer, to layer) that break the rules above.
FORBIDDEN = {
    ("store", "cli"), ("store", "ui"), ("store", "actions"),
    ("core", "cli"), ("core", "ui"), ("core", "actions"),
    ("ui", "store"), ("ui", "cli"),
    ("actions", "cli"), ("actions", "ui"),
}  # fmt: skip


def upward_imports(graph: dict[str, set[str]]) -> set[tuple[str, str]]:
    return {
        (src, dst)
        for src, targets in graph.items()
        for dst in targets
        if (layer(src), layer(dst)) in FORBIDDEN
    }


def cycles(graph: dict[str, set[str]]) -> set[frozenset[str]]:
    """The strongly connected parts of the graph with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: set[frozenset[str]] = set()

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                part.add(w)
                if w == v:
                    break
            if len(part) > 1:
                found.add(frozenset(part))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


SQL = re.compile(
    r"\bSELECT\b[\s\S]*\bFROM\b|\bINSERT\s+(?:OR\s+[A-Z]+\s+)?INTO\b|\bUPDATE\s+\w+\s+SET\b"
    r"|\bDELETE\s+FROM\b|\b(?:CREATE|DROP)\s+(?:TEMP\s+)?(?:TABLE|INDEX|VIEW|TRIGGER)\b"
    r"|\bALTER\s+TABLE\b|\bPRAGMA\s+\w+|\bBEGIN\s+(?:IMMEDIATE|EXCLUSIVE|DEFERRED)\b|\bVACUUM\b"
)


def _docstrings(tree: ast.Module) -> set[int]:
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def files_with_sql() -> dict[str, int]:
    """Files outside the store -> how many string literals in them hold SQL."""
    out: dict[str, int] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel.startswith("selfback/store/"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        docs = _docstrings(tree)
        hits = sum(
            1
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docs
            and SQL.search(node.value)
        )
        if hits:
            out[rel] = hits
    return out


def long_files() -> dict[str, int]:
    out: dict[str, int] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            out[path.relative_to(SRC).as_posix()] = lines
    return out


# -- the rules -------------------------------------------------------------------------------


def test_the_graph_is_read_from_every_kind_of_import() -> None:
    graph = import_graph()
    # a TYPE_CHECKING import, a function-level import and an import of a package's module
    assert "selfback.paths" in graph["selfback.crashlog"]
    assert "selfback.store.db" in graph["selfback.safety.plan"]
    assert "selfback.safety.crisis" in graph["selfback.settings"]
    assert "selfback.main" in graph["selfback.__main__"]


def test_no_import_runs_up_the_layers() -> None:
    new = sorted(upward_imports(import_graph()) - set(KNOWN_UPWARD))
    assert not new, "\n".join(
        [f"{a} ({layer(a)}) imports {b} ({layer(b)}), which runs up the layers:" for a, b in new]
        + ["see docs/architecture.md, 'Layers'"]
    )


def test_no_import_cycle() -> None:
    new = cycles(import_graph()) - set(KNOWN_CYCLES)
    assert not new, "import cycles: " + "; ".join(" <-> ".join(sorted(c)) for c in new)


def test_sql_only_in_the_store() -> None:
    new = sorted(set(files_with_sql()) - set(KNOWN_SQL))
    assert not new, f"SQL outside src/selfback/store/: {new}; add a typed store function"


def test_no_module_over_500_lines() -> None:
    new = {f: n for f, n in long_files().items() if f not in KNOWN_LONG}
    assert not new, f"modules over {MAX_LINES} lines: {new}; split them"


def test_the_known_lists_only_hold_what_still_happens() -> None:
    graph = import_graph()
    stale = [f"KNOWN_UPWARD {a} -> {b}" for a, b in set(KNOWN_UPWARD) - upward_imports(graph)]
    stale += [f"KNOWN_CYCLES {sorted(c)}" for c in set(KNOWN_CYCLES) - cycles(graph)]
    stale += [f"KNOWN_SQL {f}" for f in set(KNOWN_SQL) - set(files_with_sql())]
    stale += [f"KNOWN_LONG {f}" for f in set(KNOWN_LONG) - set(long_files())]
    assert not stale, "no longer happens, delete from tests/test_layers.py: " + ", ".join(
        sorted(stale)
    )


def test_the_checks_catch_what_they_are_for() -> None:
    graph = {
        "selfback.store.x": {"selfback.cli.y"},
        "selfback.ui.a": {"selfback.store.x", "selfback.actions.b"},
        "selfback.actions.b": {"selfback.ui.a"},
        "selfback.main": {"selfback.cli.y"},
    }
    assert upward_imports(graph) == {
        ("selfback.store.x", "selfback.cli.y"),
        ("selfback.ui.a", "selfback.store.x"),
        ("selfback.actions.b", "selfback.ui.a"),
    }
    assert cycles(graph) == {frozenset({"selfback.ui.a", "selfback.actions.b"})}
    assert SQL.search("INSERT OR IGNORE INTO checkins (uid) VALUES (?)")
    assert SQL.search("\n  SELECT count(*) AS n\n  FROM checkins")
    assert not SQL.search("Select one from the list, or press Enter to skip.")
