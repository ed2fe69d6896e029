"""Assembles the Typer app from one module per command group.

Each module only imports typer and the standard library at the top; anything heavy (rich,
YAML, pydantic, sqlite3) is imported inside the command that needs it, so ``--help`` and
quick commands stay fast.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import typer

from selfback.cli.context import env_of

HELP = (
    "selfback: a private, offline coping companion. Everything stays on this machine.\n\n"
    "Hard right now? Run selfback cope. In crisis? Run selfback sos."
)

# Modules that contribute commands, in the order they appear in --help.
COMMAND_MODULES = [
    "selfback.cli.cope",
    "selfback.cli.sos",
    "selfback.cli.checkin",
    "selfback.cli.history",
    "selfback.cli.sessions",
    "selfback.cli.trends",
    "selfback.cli.measure",
    "selfback.cli.plan",
    "selfback.cli.hope",
    "selfback.cli.skills",
    "selfback.cli.trackers",
    "selfback.cli.export",
    "selfback.cli.importer",
    "selfback.cli.maintenance",
    "selfback.cli.remind",
    "selfback.cli.privacy",
    "selfback.cli.config",
    "selfback.cli.help",
]


# Which module defines each top-level command, so that running one command imports and
# builds only its module (``--help`` and unknown names still build them all).
COMMAND_OWNERS = {
    "cope": "selfback.cli.cope",
    "sos": "selfback.cli.sos",
    "checkin": "selfback.cli.checkin",
    "history": "selfback.cli.history",
    "sessions": "selfback.cli.sessions",
    "trends": "selfback.cli.trends",
    "measure": "selfback.cli.measure",
    "plan": "selfback.cli.plan",
    "hope": "selfback.cli.hope",
    "skills": "selfback.cli.skills",
    "trackers": "selfback.cli.trackers",
    "export": "selfback.cli.export",
    "import": "selfback.cli.importer",
    "backup": "selfback.cli.maintenance",
    "doctor": "selfback.cli.maintenance",
    "nudge": "selfback.cli.maintenance",
    "remind": "selfback.cli.remind",
    "passphrase": "selfback.cli.privacy",
    "unlock": "selfback.cli.privacy",
    "lock": "selfback.cli.privacy",
    "config": "selfback.cli.config",
    "help": "selfback.cli.help",
}


def _version_callback(value: bool) -> None:
    if value:
        from selfback import __version__

        typer.echo(f"selfback {__version__}")
        raise typer.Exit()


def build_app(only: str | None = None) -> typer.Typer:
    """The Typer app; with ``only`` (a module name), just that module's commands."""
    import importlib

    app = typer.Typer(
        name="selfback",
        help=HELP,
        add_completion=True,
        no_args_is_help=False,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    @app.callback(invoke_without_command=True)
    def root(
        ctx: typer.Context,
        plain: bool = typer.Option(
            False, "--plain", help="Plain text: no colour, no boxes, no animation."
        ),
        version: bool = typer.Option(
            False,
            "--version",
            "-V",
            callback=_version_callback,
            is_eager=True,
            help="Show the version and exit.",
        ),
    ) -> Any:
        env = env_of(ctx)
        if plain:
            env.force_plain = True
        if ctx.invoked_subcommand is None:
            from selfback.cli.home import show_home
            from selfback.cli.welcome import maybe_welcome

            maybe_welcome(env, None)
            show_home(env)

    for name in COMMAND_MODULES if only is None else [only]:
        module = importlib.import_module(name)
        module.register(app)
    return app


TYPER_MINOR = "0.29"  # the Typer minor version the start-up patch below is written for


def _plain_text_parameters_skip_pydantic() -> None:
    """Typer 0.29 builds a pydantic TypeAdapter to coerce every non-flag parameter, which
    imports pydantic (~0.1 s) even for plain text options that need no coercion. Text,
    flag and repeatable text parameters (``list[str]``) without a custom parser are
    passed through as they are, so commands whose options are only those (cope, checkin,
    history, trends, ...) start that much sooner.

    It replaces ``typer._coercion.build_runtime_param``, a private function, so
    pyproject.toml pins Typer to the minor version it is written for (``TYPER_MINOR``) and
    tests/test_startup.py fails when it stops working. With any other Typer it does
    nothing (Typer's own coercion stays, only slower)."""
    try:
        from typer import _coercion
        from typer import core as typer_core
    except ImportError:  # pragma: no cover - another Typer version
        return
    if not typer.__version__.startswith(TYPER_MINOR + "."):  # pragma: no cover
        return
    original = _coercion.build_runtime_param
    if original.__name__ == "_selfback_build_runtime_param":
        return

    class TextList(_coercion.RuntimeParam):
        """A repeated text option: the strings as typed, in a list."""

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            return list(value) if isinstance(value, list | tuple) else [value]

    def _selfback_build_runtime_param(descriptor: Any) -> Any:
        info = descriptor.parameter_info
        if descriptor.file_annotation is None and info.parser is None:
            if descriptor.annotation in (str, bool):
                return _coercion.PassThroughRuntimeParam(
                    annotation=descriptor.annotation, parameter_info=info
                )
            if descriptor.annotation == list[str]:
                return TextList(annotation=descriptor.annotation, parameter_info=info)
        return original(descriptor)

    _coercion.build_runtime_param = _selfback_build_runtime_param
    typer_core.build_runtime_param = _selfback_build_runtime_param  # type: ignore[attr-defined,unused-ignore]


SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def _install_completion(ctx: Any, param: Any, value: Any) -> Any:
    """``--install-completion``: Typer's installer, in selfback's words."""
    if not value or ctx.resilient_parsing:
        return value
    from typer._completion_shared import _get_shell_name, install

    from selfback.errors import UsageError

    shell = value if isinstance(value, str) else _get_shell_name()
    if shell not in SHELLS:
        raise UsageError(
            "selfback could not tell which shell this is; tab completion can be set up for "
            "bash, zsh, fish or PowerShell."
        )
    shell, path = install(shell=shell)
    typer.echo(f"Tab completion for {shell} is set up in {path}. Open a new terminal to use it.")
    raise typer.Exit()


def _own_completion_words(command: Any) -> None:
    for param in command.params:
        if param.name == "install_completion":
            param.callback = _install_completion


@cache
def get_click_command(only: str | None = None) -> Any:
    from selfback.cli.helpfmt import prepare
    from selfback.cli.welcome import before_screens

    _plain_text_parameters_skip_pydantic()
    command = prepare(typer.main.get_command(build_app(only)))
    before_screens(command)
    _own_completion_words(command)
    return command


def command_module_for(args: list[str]) -> str | None:
    """The module that owns the command in ``args`` (None: build every command)."""
    for arg in args:
        if arg in ("--plain",):
            continue
        if arg.startswith("-"):
            return None  # --help, --version or something unknown: the full app
        return COMMAND_OWNERS.get(arg)
    return None
