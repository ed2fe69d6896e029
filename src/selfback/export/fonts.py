"""Fonts for the PDF report.

- The body font is DejaVu Sans, shipped inside selfback (``export/fonts/``, with its
  licence), so accents, Greek, Cyrillic, Arabic, Hebrew and many symbols print the same
  on every computer. If those files are missing (a damaged install), a Unicode font of
  the computer is used, and as a last resort the PDF's built-in Helvetica.
- Characters DejaVu has no glyph for (Chinese, Japanese, Korean, colour emoji, other
  scripts) are looked up in the fonts installed on the computer: fontconfig's ``fc-list``
  is asked for a font with that character where it exists (Linux, BSD), and a short list
  of known font files is tried everywhere (macOS and Windows fonts included). Nothing is
  ever fetched from a network.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from selfback.crashlog import log

BUNDLED_REGULAR = "DejaVuSans.ttf"
BUNDLED_BOLD = "DejaVuSans-Bold.ttf"
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")

# (regular, bold file name in the same folder): Unicode fonts of the computer, used only
# when the bundled ones cannot be read.
SYSTEM_BODY_FONTS: list[tuple[str, str]] = [
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu/DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/TTF/DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("/usr/local/share/fonts/dejavu/DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    ("/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    ("/usr/share/fonts/noto/NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    ("/System/Library/Fonts/Supplemental/Arial.ttf", "Arial Bold.ttf"),
    ("/Library/Fonts/Arial.ttf", "Arial Bold.ttf"),
]

# Fonts with wide coverage of what DejaVu lacks, where systems usually put them. Tried in
# this order, each only when it has a character still missing.
KNOWN_FALLBACKS: list[str] = [
    # Linux: Noto CJK (Debian/Ubuntu, Fedora, Arch), Droid Sans Fallback, WenQuanYi
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/google-droid-sans-fonts/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    # Linux: colour emoji
    "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf",
    "/usr/share/fonts/noto/NotoColorEmoji.ttf",
    "/usr/share/fonts/google-noto-emoji/NotoColorEmoji.ttf",
    "/usr/share/fonts/noto-emoji/NotoColorEmoji.ttf",
    # macOS
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "/System/Library/Fonts/Hiragino Sans GB.ttc",
    "/System/Library/Fonts/AppleSDGothicNeo.ttc",
    "/System/Library/Fonts/Supplemental/Songti.ttc",
]
# Windows (under %WINDIR%\Fonts): YaHei, Yu Gothic, Malgun Gothic, SimSun, Segoe UI
# Emoji (colour), Segoe UI Symbol, Nirmala UI (Indian scripts), Arial Unicode.
WINDOWS_FALLBACKS = [
    "msyh.ttc",
    "YuGothR.ttc",
    "malgun.ttf",
    "simsun.ttc",
    "seguiemj.ttf",
    "seguisym.ttf",
    "Nirmala.ttf",
    "arialuni.ttf",
]

# fc-list is quick (a few ms a call), but a note in an unknown script could ask for many
# characters: after this many calls only the fonts already found are used.
MAX_FC_CALLS = 40
MAX_FALLBACK_FONTS = 8


def bundled_font() -> tuple[str, str | None] | None:
    """The DejaVu Sans files shipped with selfback, or None when they are missing."""
    from importlib import resources

    folder = resources.files("selfback.export") / "fonts"
    regular, bold = folder / BUNDLED_REGULAR, folder / BUNDLED_BOLD
    try:
        if regular.is_file():
            return str(regular), str(bold) if bold.is_file() else None
    except OSError:
        log.exception("looking for the bundled PDF font")
    return None


def system_body_font() -> tuple[str, str | None] | None:
    candidates = list(SYSTEM_BODY_FONTS)
    windir = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT")
    if windir:
        fonts = Path(windir) / "Fonts"
        candidates += [(str(fonts / "arial.ttf"), "arialbd.ttf")]
        candidates += [(str(fonts / "segoeui.ttf"), "segoeuib.ttf")]
    for regular, bold in candidates:
        if os.path.isfile(regular):
            bold_path = os.path.join(os.path.dirname(regular), bold)
            return regular, bold_path if os.path.isfile(bold_path) else None
    return None


def usable(path: str, index: int = 0) -> frozenset[int] | None:
    """The characters a font file can draw, or None when fpdf2 could not draw from it
    (not an outline or a supported colour font, such as Apple's bitmap emoji)."""
    try:
        from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

        font = TTFont(path, fontNumber=index, lazy=True)
        tables = set(font.keys())
        if not tables & {"glyf", "CFF ", "CFF2", "COLR", "CBDT"}:
            return None
        if "sbix" in tables and not tables & {"COLR", "CBDT"}:
            return None
        cmap = font.getBestCmap() or {}
        font.close()
        return frozenset(cmap)
    except Exception:  # any file fontTools cannot read is simply not used
        log.exception("reading a font file for the PDF")
        return None


def _style_rank(style: str) -> int:
    low = style.lower()
    if any(w in low for w in ("bold", "italic", "oblique", "black", "heavy", "light", "thin")):
        return 1
    return 0


class FallbackFinder:
    """Finds, one character at a time, an installed font that can draw it.

    Each font file is offered at most once; characters no font has are remembered, so
    a second rendering of the same report asks nothing again."""

    def __init__(self) -> None:
        self.offered: set[tuple[str, int]] = set()
        self.found: list[tuple[str, int, frozenset[int]]] = []  # in the order offered
        self.none_for: set[str] = set()
        self.fc_calls = 0
        self._fc = shutil.which("fc-list")
        self._cmaps: dict[tuple[str, int], frozenset[int] | None] = {}

    def cmap(self, path: str, index: int) -> frozenset[int] | None:
        key = (path, index)
        if key not in self._cmaps:
            self._cmaps[key] = usable(path, index)
        return self._cmaps[key]

    def find(self, ch: str) -> tuple[str, int, frozenset[int]] | None:
        """A font not offered before that has a glyph for ``ch``: (path, face, cmap)."""
        if ch in self.none_for or len(self.offered) >= MAX_FALLBACK_FONTS:
            return None
        cp = ord(ch)
        for path, index in self._candidates(cp):
            if (path, index) in self.offered:
                continue
            cmap = self.cmap(path, index)
            if cmap is not None and cp in cmap:
                self.offered.add((path, index))
                self.found.append((path, index, cmap))
                return path, index, cmap
        self.none_for.add(ch)
        return None

    def _candidates(self, cp: int) -> Iterator[tuple[str, int]]:
        yield from self._fc_list(cp)
        for path in KNOWN_FALLBACKS:
            if os.path.isfile(path):
                yield path, 0
        windir = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT")
        if windir:
            for name in WINDOWS_FALLBACKS:
                path = os.path.join(windir, "Fonts", name)
                if os.path.isfile(path):
                    yield path, 0

    def _fc_list(self, cp: int) -> list[tuple[str, int]]:
        if not self._fc or self.fc_calls >= MAX_FC_CALLS:
            return []
        self.fc_calls += 1
        try:
            proc = subprocess.run(
                [self._fc, "--format", "%{file}\t%{index}\t%{style}\n", f":charset={cp:x}"],
                capture_output=True,
                text=True,
                timeout=5,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return []
        found = []
        for line in proc.stdout.splitlines():
            parts = line.split("\t")
            if len(parts) < 2 or not parts[0].lower().endswith(FONT_SUFFIXES):
                continue
            try:
                index = int(parts[1])
            except ValueError:
                index = 0
            style = parts[2] if len(parts) > 2 else ""
            found.append((_style_rank(style), parts[0], index))
        found.sort()
        return [(path, index) for _rank, path, index in found]
