"""Reading a spreadsheet-like text file as phones and spreadsheets write it: in UTF-8
(with or without a byte-order mark), UTF-16 (Excel's "Unicode text"), or, when it is
none of those, Windows-1252 (what Excel on a Western European Windows saves); separated
by commas, semicolons (European Excel) or tabs; with Windows (CRLF) or Unix line ends.

``open_table`` looks at the file once (the encoding, checked over the whole file without
holding it; the separator, from the header line) and returns a ``Table`` whose ``rows()``
streams the records again each time it is called, so a file of any size is read in
constant memory. Nothing here prints.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from selfback.errors import UsageError

__all__ = ["SEPARATORS", "Table", "guess_encoding", "open_table"]

CHUNK = 1 << 20
SEPARATORS = {",": "commas", ";": "semicolons", "\t": "tabs"}
# What a person would call each encoding.
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "cp1252": "Windows-1252 (Western European)",
}


@dataclass(frozen=True)
class Table:
    path: Path
    encoding: str  # a Python codec name
    separator: str
    header: tuple[str, ...]  # lower case, stripped
    sample: str | None  # for a file that is not UTF-8: a line that shows the guess

    @property
    def encoding_name(self) -> str:
        return ENCODING_NAMES.get(self.encoding, self.encoding)

    @property
    def is_unicode(self) -> bool:
        return self.encoding.startswith("utf")

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """``(line number, {column: value})`` for every record after the header."""
        with self.path.open(encoding=self.encoding, errors="replace", newline="") as fh:
            reader = csv.reader(fh, delimiter=self.separator)
            next(reader, None)
            line = reader.line_num + 1
            for values in reader:
                if any(v.strip() for v in values):
                    yield line, dict(zip(self.header, values, strict=False))
                line = reader.line_num + 1


def _unreadable(path: Path, exc: OSError) -> UsageError:
    return UsageError(f"Could not read {path} ({exc.strerror or exc}).")


def guess_encoding(head: bytes) -> str:
    """The encoding of a file that starts with ``head``, from its first bytes alone."""
    return _bom_encoding(head) or "utf-8"


def _bom_encoding(head: bytes) -> str | None:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    # UTF-16 without a mark: every other byte of the (ASCII) header is a zero.
    if len(head) >= 8 and head[1:8:2] == b"\0\0\0\0" and head[0:8:2].count(0) == 0:
        return "utf-16-le"
    if len(head) >= 8 and head[0:8:2] == b"\0\0\0\0" and head[1:8:2].count(0) == 0:
        return "utf-16-be"
    return None


def _is_utf8(path: Path) -> bool:
    """Whether the whole file decodes as UTF-8 (read a chunk at a time)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as fh:
        try:
            while chunk := fh.read(CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _sample(path: Path, encoding: str) -> str | None:
    """The first line with a character outside ASCII, as read with ``encoding``."""
    with path.open(encoding=encoding, errors="replace", newline="") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.isascii():
                text = " ".join(line.split())
                return f"line {n}: {text[:70]}{'…' if len(text) > 70 else ''}"
    return None


def _separator(header_line: str) -> str:
    """The separator that makes the most columns of the header line."""
    best, most = ",", 0
    for sep in SEPARATORS:
        n = len(next(csv.reader([header_line], delimiter=sep), []))
        if n > most:
            best, most = sep, n
    return best


def open_table(path: Path) -> Table:
    """Look at ``path``: its encoding, separator and header (see the module docstring)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
        encoding = _bom_encoding(head) or ("utf-8" if _is_utf8(path) else "cp1252")
        with path.open(encoding=encoding, errors="replace", newline="") as fh:
            first = fh.readline()
    except OSError as exc:
        raise _unreadable(path, exc) from None
    first = first.lstrip("\ufeff").rstrip("\r\n")
    separator = _separator(first)
    header = tuple(f.strip().lower() for f in next(csv.reader([first], delimiter=separator), []))
    sample = None if encoding.startswith("utf") else _sample(path, encoding)
    return Table(path, encoding, separator, header, sample)
