"""The crisis screen. Stdlib only; never touches the database before printing.
(Placeholder, replaced by the safety work.)"""

from __future__ import annotations

import sys


def run_sos(args: list[str]) -> int:
    sys.stdout.write(
        "If you are in danger right now, call your local emergency number.\n"
        "Find a crisis line in your country: https://findahelpline.com\n"
    )
    sys.stdout.flush()
    return 0
