"""The entry point, and the one place where selfback exits with a status.

Quick paths come first: ``--version`` and ``sos`` never load Typer, rich, YAML, pydantic
or the database, so they answer at once even when everything else is broken.
"""

from __future__ import annotations

import contextlib
import os
import sys

from selfback.errors import ExitCode

STOPPED_MESSAGE = "Stopped. Take care of yourself; selfback sos is here if you need it."


def _plain(text: str) -> str:
    """An error message as terminal text: no control sequences (a message may quote a
    file or an import) and no markdown backticks (plain words read better)."""
    from selfback.text import clean

    return clean(text).replace("`", "")


def _write_err(text: str) -> None:
    try:
        sys.stderr.write(_plain(text) + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _crash_report(exc: BaseException) -> str | None:
    """Write the traceback to a private file and return its path, never raising."""
    try:
        import traceback
        from datetime import datetime

        from selfback.fsutil import atomic_write
        from selfback.paths import get_paths

        path = get_paths().data_dir / "crash.log"
        text = f"{datetime.now().astimezone().isoformat()}\n" + "".join(
            traceback.format_exception(exc)
        )
        atomic_write(path, text)
        return str(path)
    except Exception:
        return None


def run(args: list[str]) -> int:
    """Run selfback with ``args`` and return the exit status (never raises)."""
    from selfback.errors import SelfbackError

    try:
        if args in (["--version"], ["-V"]):
            from selfback import __version__

            sys.stdout.write(f"selfback {__version__}\n")
            return ExitCode.OK
        if args and args[0] == "sos" and not ({"--help", "-h"} & set(args[1:])):
            from selfback.safety.sos import run_sos

            return run_sos(args[1:])
        return _run_typer(args)
    except SelfbackError as exc:
        _write_err(exc.message)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        _write_err("\n" + STOPPED_MESSAGE)
        return ExitCode.INTERRUPTED
    except EOFError:
        _write_err("\nNo more input, so selfback stopped. Nothing was half-saved.")
        return ExitCode.PROBLEM
    except BrokenPipeError:
        # Output was cut off (e.g. piped into `head`): that is not an error to report.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return ExitCode.OK
    except Exception as exc:
        where = _crash_report(exc)
        msg = "Something went wrong inside selfback (a bug, not something you did)."
        if where:
            msg += f" Details are in {where}."
        msg += " Crisis help always works: run selfback sos."
        _write_err(msg)
        return ExitCode.PROBLEM


def _run_typer(args: list[str]) -> int:
    import typer

    from selfback.cli.app import command_module_for, get_click_command
    from selfback.cli.compat import click_exceptions as ce

    command = get_click_command(command_module_for(args))
    try:
        # Not command.main(): Typer would turn Ctrl-C and end of input into silent exits.
        # Here they reach run(), which says a kind line and returns the right status.
        from selfback.env import current_env

        with command.make_context("selfback", list(args), obj=current_env()) as ctx:
            result = command.invoke(ctx)
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except typer.Abort:
        _write_err("\n" + STOPPED_MESSAGE)
        return ExitCode.INTERRUPTED
    except ce.NoArgsIsHelpError as exc:
        sys.stdout.write(exc.format_message() + "\n")
        return ExitCode.OK
    except ce.UsageError as exc:
        hint = ""
        if exc.ctx is not None:
            hint = f" Try {exc.ctx.command_path} --help."
        _write_err(f"selfback: {exc.format_message()}.{hint}".replace("..", "."))
        return ExitCode.USAGE
    except ce.ClickException as exc:
        _write_err(f"selfback: {exc.format_message()}")
        return int(exc.exit_code or 1)
    if isinstance(result, int):
        return result
    return ExitCode.OK


def main() -> None:
    code = run(sys.argv[1:])
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()
    sys.exit(int(code))
