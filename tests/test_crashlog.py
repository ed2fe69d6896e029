"""The private crash log: lazily opened, 0600, capped, never raises."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

from selfback import crashlog
from selfback.paths import get_paths


def test_records_go_to_a_private_file_only_after_install(home: Path) -> None:
    paths = get_paths()
    target = Path(crashlog.crash_log_path(paths))
    crashlog.log.warning("before install")
    assert not target.exists()
    crashlog.install(paths)
    crashlog.install(paths)  # once per process
    try:
        raise ValueError("boom")
    except ValueError:
        crashlog.log.exception("while testing")
    text = target.read_text()
    assert "while testing" in text and "ValueError: boom" in text
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sum(isinstance(h, crashlog.PrivateFileHandler) for h in crashlog.log.handlers) == 1


def test_it_is_capped_and_never_raises(tmp_path: Path, monkeypatch: object) -> None:
    path = tmp_path / "logs" / "crash.log"
    handler = crashlog.PrivateFileHandler(path)
    path.parent.mkdir()
    path.write_bytes(b"x" * (crashlog.MAX_BYTES + 1))
    handler.emit(crashlog.log.makeRecord("selfback", 40, __file__, 1, "new", (), None))
    assert path.read_text().strip().endswith("new")
    assert (tmp_path / "logs" / "crash.log.1").stat().st_size > crashlog.MAX_BYTES
    bad = crashlog.PrivateFileHandler("/proc/definitely/not/writable/crash.log")
    bad.emit(crashlog.log.makeRecord("selfback", 40, __file__, 1, "lost", (), None))


def test_a_record_about_a_persons_words_keeps_the_error_but_not_its_message(
    tmp_path: Path,
) -> None:
    path = tmp_path / "crash.log"
    handler = crashlog.PrivateFileHandler(path)
    words = "the words someone typed"
    try:
        raise KeyError(words)
    except KeyError:
        record = crashlog.log.makeRecord(
            "selfback",
            40,
            __file__,
            1,
            "noticing risk",
            (),
            sys.exc_info(),
            extra=crashlog.TEXT_INVOLVED,
        )
    handler.emit(record)
    text = path.read_text()
    assert "noticing risk" in text and "KeyError" in text and "test_crashlog.py" in text
    assert "the words someone typed" not in text
