"""The entry point, and the one place where selfback exits with a status.

Quick paths come first: ``--version`` and ``sos`` never load Typer, rich, YAML, pydantic
or the database, so they answer at once even when everything else is broken.

Every run starts the private crash log (``selfback.crashlog``) first, so whatever goes
wrong behind the scenes is written down; an unexpected error is written there too, and
the person sees one kind line that says where.
"""

from __future__ import annotations

import contextlib
import os
import sys

from selfback.errors import ExitCode
from selfback.messages import common as msg


def _plain(text: str) -> str:
    """An error message as terminal text: no control sequences (a message may quote a
    file or an import) and no markdown backticks (plain words read better)."""
    from selfback.text import clean

    return clean(text).replace("`", "")


def _write_err(text: str) -> None:
    """Write an error: in a terminal wrapped by whole words to its width (a narrow one
    must not break a word); otherwise one line per paragraph, as it is."""
    try:
        out = _plain(text)
        if sys.stderr.isatty():
            from selfback.text import terminal_width, wrap_block

            out = "\n".join(wrap_block(out, terminal_width(sys.stderr) - 1))
        sys.stderr.write(out + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _sentence(text: str) -> str:
    """``text`` as a sentence: ending with its own full stop, question or exclamation
    mark, and one only ("Did you mean 'cope'?" stays as it is)."""
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def _install_crash_log() -> str | None:
    """Start the private crash log for this run; its path, or None when the folders cannot
    even be found (a broken home must still run)."""
    try:
        from selfback import crashlog
        from selfback.paths import get_paths

        paths = get_paths()
        crashlog.install(paths)
        return crashlog.crash_log_path(paths)
    except Exception:  # noqa: BLE001 - there is no log to write to yet
        return None


def _crash_report(exc: BaseException, where: str | None) -> str:
    """The one line for an unexpected error, after writing its traceback to the log."""
    from selfback.crashlog import log

    log.error("selfback stopped on an unexpected error", exc_info=exc)
    text = msg.BUG
    if where is not None and os.path.exists(where):
        text += " " + msg.BUG_DETAILS.format(path=where)
    return f"{text} {msg.BUG_CRISIS}"


# SIGTERM (a shutdown, `kill`) and SIGHUP (the terminal window closed) stop selfback the
# way Ctrl-C does: the handler raises KeyboardInterrupt, so the session under way is
# saved as stopped, every `finally` removes its draft or temporary file, and the run
# exits with 128 + the signal's number.
_STOP_SIGNALS = ("SIGTERM", "SIGHUP")
_VERSION = (["--version"], ["-V"])


class _Signals:
    """Signal handlers for one run, put back as they were when it ends (the tests run
    selfback inside pytest's process)."""

    def __init__(self) -> None:
        self.received: int | None = None
        self.previous: dict[int, object] = {}

    def _handle(self, signum: int, frame: object) -> None:
        import signal

        if self.received is None:
            from selfback.errors import Stopped

            self.received = signum
            raise Stopped
        # A second signal while cleaning up: stop at once (the next start sweeps).
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    def __enter__(self) -> _Signals:
        import signal

        for name in _STOP_SIGNALS:
            number = getattr(signal, name, None)  # no SIGHUP on Windows
            if number is None:
                continue
            try:
                self.previous[number] = signal.signal(number, self._handle)
            except ValueError:  # not the main thread: leave the signals alone
                break
        return self

    def __exit__(self, *exc: object) -> None:
        import signal

        for number, handler in self.previous.items():
            with contextlib.suppress(ValueError, OSError, TypeError):
                signal.signal(number, handler)  # type: ignore[arg-type]

    def status(self) -> int:
        return 128 + self.received if self.received is not None else ExitCode.INTERRUPTED


def _sweep() -> None:
    """Remove what a killed run left behind (drafts, temporary files): cheap, and never
    in the way of the run (``selfback.scratch``)."""
    try:
        from selfback.paths import get_paths
        from selfback.scratch import sweep

        paths = get_paths()
        removed = sweep(paths)
        if any(p.name.startswith("plan-") for p in removed):
            # A plan was being saved when the run was stopped: the copy sos reads may be
            # behind the database (this opens the database only then).
            from selfback.safety.plan_copy import repair_plan_copy

            repair_plan_copy(paths)
    except Exception:  # logged: a broken home must still run
        from selfback.crashlog import log

        log.exception("removing leftovers of an earlier run")


def _clean_own() -> None:
    """After a stop: this run's own temporary files, in case a `finally` was cut short."""
    try:
        from selfback.paths import get_paths
        from selfback.scratch import clean_own

        clean_own(get_paths())
    except Exception:  # logged: stopping must not fail
        from selfback.crashlog import log

        log.exception("removing this run's temporary files after a stop")


def run(args: list[str]) -> int:
    """Run selfback with ``args`` and return the exit status (never raises)."""
    crash_log = _install_crash_log()
    keys = sys.modules.get("selfback.store.keys")
    if keys is not None:  # a key found by an earlier run in this process is not this run's
        keys.forget_keys()
    with _Signals() as signals:
        try:
            # `--version` answers at once; doctor sweeps itself and says what it removed.
            if args[:1] != ["doctor"] and args not in _VERSION:
                _sweep()
            code = _run(args, crash_log)
            if signals.received is None:
                return code
            # A command that turned the stop into its own kind line (cope, plan edit).
            _clean_own()
            return signals.status()
        except KeyboardInterrupt:
            _clean_own()
            _write_err("\n" + msg.STOPPED)
            return signals.status()


def _run(args: list[str], crash_log: str | None) -> int:
    from selfback.errors import SelfbackError

    try:
        if args in _VERSION:
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
    except EOFError:
        _write_err("\n" + msg.NO_MORE_INPUT)
        return ExitCode.PROBLEM
    except BrokenPipeError:
        # Output was cut off (e.g. piped into `head`): that is not an error to report.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return ExitCode.OK
    except Exception as exc:  # noqa: BLE001 - logged in the crash log, one line shown
        _write_err(_crash_report(exc, crash_log))
        return ExitCode.PROBLEM


COMPLETE_VAR = "_SELFBACK_COMPLETE"


def _run_typer(args: list[str]) -> int:
    import typer
    from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError

    from selfback.cli.app import command_module_for, get_click_command

    if os.environ.get(COMPLETE_VAR):
        # Shell completion (the script from --show-completion runs selfback with this set).
        command = get_click_command(None)
        try:
            command._main_shell_completion({}, "selfback", COMPLETE_VAR)
        except SystemExit as exc:
            return exc.code if isinstance(exc.code, int) else ExitCode.OK
        return ExitCode.OK
    command = get_click_command(command_module_for(args))
    try:
        # Not command.main(): Typer would turn Ctrl-C and end of input into silent exits.
        # Here they reach run(), which says a kind line and returns the right status.
        from selfback.env import Env

        # One environment per run, carried on the root context (cli.context.env_of).
        with command.make_context("selfback", list(args), obj=Env()) as ctx:
            result = command.invoke(ctx)
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except SystemExit as exc:  # --show-completion and --install-completion end this way
        return exc.code if isinstance(exc.code, int) else ExitCode.OK
    except typer.Abort:
        _write_err("\n" + msg.STOPPED)
        return ExitCode.INTERRUPTED
    except NoArgsIsHelpError as exc:
        sys.stdout.write(exc.format_message() + "\n")
        return ExitCode.OK
    except UsageError as exc:
        hint = ""
        if exc.ctx is not None:
            hint = msg.TRY_HELP.format(command=exc.ctx.command_path)
        _write_err(f"selfback: {_sentence(exc.format_message())}{hint}")
        return ExitCode.USAGE
    except ClickException as exc:
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
