"""bytes -> :class:`~matcher.types.Document`: format detection and the PDF, DOCX and text readers.

    read_document(data, limits=ReadLimits()) -> Document
    detect_format(data) -> "pdf" | "docx" | "text"

Everything that goes wrong with the input is raised as a :class:`~matcher.errors.DocumentError`
subclass; no pdfminer / zipfile / lxml exception leaves this package.
"""

from __future__ import annotations

import dataclasses

from ..errors import DocumentTooLarge, EmptyDocument
from ..types import Document
from .detect import detect_format, is_container
from .limits import ReadLimits
from .normalize import mixed_script_words

__all__ = ["ReadLimits", "detect_format", "is_container", "read_document"]


def read_document(data: bytes, *, limits: ReadLimits | None = None) -> Document:
    """Read an uploaded résumé (PDF, DOCX or plain/Markdown text) into a :class:`Document`."""
    limits = limits or ReadLimits()
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if not isinstance(data, bytes):
        raise TypeError(f"read_document expects bytes, not {type(data).__name__}")
    if not data:
        raise EmptyDocument("empty file")
    if len(data) > limits.max_bytes:
        raise DocumentTooLarge(f"file is {len(data)} bytes; the limit is {limits.max_bytes}")
    fmt = detect_format(data)
    if fmt == "pdf":
        from .pdf import read_pdf

        doc = read_pdf(data, limits)
    elif fmt == "docx":
        from .docx import read_docx

        doc = read_docx(data, limits)
    else:
        from .text import read_text

        doc = read_text(data, limits)
    if len(doc.text) > limits.max_chars:
        raise DocumentTooLarge(f"document text is over {limits.max_chars} characters")
    if not doc.text.strip():
        raise EmptyDocument("no visible text in this document")
    mixed = mixed_script_words(doc.text)
    if mixed:
        warning = (f"mixed-script words (Latin with Cyrillic/Greek look-alike letters), not matched as skills: "
                   f"{', '.join(mixed)}")
        doc = dataclasses.replace(doc, warnings=(*doc.warnings, warning))
    return doc
