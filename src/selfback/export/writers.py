"""The one table of export writers. Each is imported only when used (the PDF writer
brings fpdf2), and each has the same signature (``selfback.export.request.Writer``)."""

from __future__ import annotations

from collections.abc import Callable

from selfback.export.request import Writer


def _html() -> Writer:
    from selfback.export import html

    return html.write_html


def _pdf() -> Writer:
    from selfback.export import pdf

    return pdf.write_pdf


def _md() -> Writer:
    from selfback.export import markdown

    return markdown.write_markdown


def _csv() -> Writer:
    from selfback.export import csvfiles

    return csvfiles.write_csv


def _json() -> Writer:
    from selfback.export import jsonfile

    return jsonfile.write_json


def _fhir() -> Writer:
    from selfback.export import fhir

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
