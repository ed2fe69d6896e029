"""Run selfback with every network call failing, and record any attempt.

Usage: python tests/support/nonet.py LOGFILE selfback-args...
"""

from __future__ import annotations

import socket
import sys

log_path = sys.argv[1]


def _refuse(*args: object, **kwargs: object) -> None:
    with open(log_path, "a", encoding="utf-8") as fh:
        fh.write(f"network attempt: {args!r:.200}\n")
    raise OSError("network disabled by the no-network test")


socket.socket.connect = _refuse  # type: ignore[method-assign,assignment]
socket.socket.connect_ex = _refuse  # type: ignore[method-assign,assignment]
socket.socket.sendto = _refuse  # type: ignore[method-assign,assignment]
socket.create_connection = _refuse  # type: ignore[assignment]
socket.getaddrinfo = _refuse  # type: ignore[assignment]
socket.gethostbyname = _refuse  # type: ignore[assignment]

from selfback.main import main  # noqa: E402

sys.argv = ["selfback", *sys.argv[2:]]
main()
