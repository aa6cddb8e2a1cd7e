"""One entry point from a computed summary to a file: Markdown, JSON or .docx, with the
content type and the file name the CLI and the download view use."""

import datetime
import json
from dataclasses import dataclass

from thidua.reports.summary import Summary


@dataclass(frozen=True)
class Rendered:
    content: bytes
    content_type: str
    filename: str


FORMATS = ("md", "json", "docx")
CONTENT_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def filename(summary: Summary, fmt: str) -> str:
    """`bao-cao-tong-ket-KB-2020.docx` (the unit's code, which is ASCII-safe in the
    demo; a download header quotes it in any case)."""
    return f"bao-cao-tong-ket-{summary.unit.code}-{summary.year}.{fmt}"


def render(summary: Summary, fmt: str, *, day: datetime.date | None = None) -> Rendered:
    """The summary in `fmt` (one of FORMATS). `day` dates the .docx report."""
    if fmt == "md":
        from thidua.reports.markdown import render_markdown

        content = render_markdown(summary).encode("utf-8")
    elif fmt == "json":
        content = json.dumps(summary.as_dict(), ensure_ascii=False, indent=2).encode("utf-8")
    elif fmt == "docx":
        from thidua.reports.document import render_docx

        content = render_docx(summary, day=day)
    else:
        raise ValueError(fmt)
    return Rendered(content, CONTENT_TYPES[fmt], filename(summary, fmt))
