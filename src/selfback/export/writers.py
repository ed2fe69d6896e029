"""The one table of export writers. Each is imported only when used (the PDF writer
brings fpdf2), and each has the same signature (``selfback.export.request.Writer``)."""

from __future__ import annotations

from collections.abc import Callable

from selfback.export.request import Writer


def _html() -> Writer:
    import selfback.export.html as html

    return html.write_html


def _pdf() -> Writer:
    import selfback.export.pdf as pdf

    return pdf.write_pdf


def _md() -> Writer:
    import selfback.export.markdown as markdown

    return markdown.write_markdown


def _csv() -> Writer:
    import selfback.export.csvfiles as csvfiles

    return csvfiles.write_csv


def _json() -> Writer:
    import selfback.export.jsonfile as jsonfile

    return jsonfile.write_json


def _fhir() -> Writer:
    import selfback.export.fhir as fhir

    return fhir.write_fhir


WRITERS: dict[str, Callable[[], Writer]] = {
    "html": _html,
    "pdf": _pdf,
    "md": _md,
    "csv": _csv,
    "json": _json,
    "fhir": _fhir,
}


def writer_for(fmt: str) -> Writer:
    return WRITERS[fmt]()
