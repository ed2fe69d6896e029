"""The PDF's body font ships inside selfback (with its licence), and the wheel carries it."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "LICENSE-DejaVu.txt")


def test_the_body_font_is_package_data_with_its_licence() -> None:
    from fontTools.ttLib import TTFont

    from selfback.export.fonts import bundled_font

    found = bundled_font()
    assert found is not None and found[1] is not None
    regular, bold = Path(found[0]), Path(found[1])
    assert regular.parent.name == "fonts" and regular.parent.parent.name == "export"
    licence = (regular.parent / "LICENSE-DejaVu.txt").read_text(encoding="utf-8")
    assert "Bitstream Vera" in licence and "Arev" in licence
    for path in (regular, bold):
        cmap = TTFont(str(path), lazy=True).getBestCmap()
        for ch in "ZoëשלוםمرحباΩЖ→·":
            assert ord(ch) in cmap, (path.name, ch)
    # a reasonable size: regular and bold, no other faces
    assert sum(p.stat().st_size for p in regular.parent.glob("*.ttf")) < 2_000_000


@pytest.mark.slow
def test_the_wheel_carries_the_font_and_its_licence(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        text=True,
    )
    [wheel] = list(tmp_path.glob("selfback-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        for name in FONT_FILES:
            assert f"selfback/export/fonts/{name}" in names, name
        requires = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = zf.read(requires).decode("utf-8")
    assert "Requires-Dist: uharfbuzz" in metadata
