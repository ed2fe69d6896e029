"""Two terminals at once, and a writer killed mid-stream: nothing is lost or damaged."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from selfback.paths import get_paths
from selfback.store.db import open_store
from selfback.store.maintenance import integrity_check

WRITER = r"""
import sys
from datetime import datetime, timedelta
from selfback.paths import get_paths
from selfback.store.db import open_store
from selfback.store.checkins import NewCheckin, add_checkin

tag, count = sys.argv[1], int(sys.argv[2])
store = open_store(get_paths())
start = datetime.fromisoformat("2026-01-01T08:00:00+00:00")
sys.stdout.write("ready\n")
sys.stdout.flush()
for i in range(count):
    uid = f"{tag}-{i:06d}"
    add_checkin(store, NewCheckin(at=start + timedelta(minutes=i), mood=i % 11,
                                  tags=[tag], note="n" * (i % 300), uid=uid))
    sys.stdout.write(uid + "\n")  # printed only after the commit returned
    sys.stdout.flush()
store.close()
"""


def _writer(home: Path, tag: str, count: int) -> subprocess.Popen[str]:
    env = dict(os.environ, SELFBACK_HOME=str(home))
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, tag, str(count)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_processes_writing_500_each_end_with_exactly_1000(home: Path) -> None:
    # Both start on a database that does not exist yet: creation and migration race too.
    a = _writer(home, "a", 500)
    b = _writer(home, "b", 500)
    out_a, err_a = a.communicate(timeout=120)
    out_b, err_b = b.communicate(timeout=120)
    assert a.returncode == 0, err_a
    assert b.returncode == 0, err_b
    store = open_store(get_paths())
    try:
        assert store.query("SELECT COUNT(*) FROM checkins")[0][0] == 1000
        rows = store.query("SELECT value, COUNT(*) FROM checkin_tags GROUP BY value")
        by_tag = {r[0]: r[1] for r in rows}
        assert by_tag == {"a": 500, "b": 500}
        assert store.query("SELECT COUNT(*) FROM schema_migrations")[0][0] >= 1
    finally:
        store.close()
    assert integrity_check(get_paths().database) == []


def test_writer_killed_mid_stream_keeps_every_committed_row(home: Path) -> None:
    proc = _writer(home, "k", 100_000)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    committed: list[str] = []
    deadline = time.monotonic() + 60
    while len(committed) < 300 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        committed.append(line.strip())
    os.kill(proc.pid, signal.SIGKILL)  # no chance to clean up
    # Read the rest through the same buffered reader: communicate(timeout=...) reads the
    # raw pipe and would miss lines the reader already holds.
    rest = proc.stdout.read()
    proc.wait(timeout=30)
    committed += [ln.strip() for ln in rest.splitlines() if ln.strip()]
    assert proc.returncode == -signal.SIGKILL
    assert len(committed) >= 300

    assert integrity_check(get_paths().database) == []
    store = open_store(get_paths())
    try:
        stored = {r[0] for r in store.query("SELECT uid FROM checkins")}
        assert set(committed) <= stored
        # at most the one being written when the kill came may be missing from the output
        assert len(stored) - len(committed) <= 1
        orphans = store.query(
            "SELECT COUNT(*) FROM checkin_tags t LEFT JOIN checkins c ON c.id = t.checkin_id"
            " WHERE c.id IS NULL"
        )[0][0]
        assert orphans == 0
    finally:
        store.close()
