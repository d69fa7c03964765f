"""The engine's errors: one small tree, every member carrying a stable machine-readable ``code``.

    MatcherError                      code: matcher_error
    ├── DocumentError                 anything wrong with an input document
    │   ├── UnsupportedFormat         unsupported_format   (legacy .doc, images, unknown binary)
    │   ├── EncryptedDocument         encrypted_document   (password-protected PDF/DOCX)
    │   ├── NoTextLayer               no_text_layer        (scanned PDF: pages are images)
    │   ├── UnreadableDocument        unreadable_document  (corrupt / truncated / malformed file)
    │   ├── EmptyDocument             empty_document       (readable, but holds no text)
    │   └── DocumentTooLarge          document_too_large   (past a configured limit)
    ├── TaxonomyError                 invalid_taxonomy     (taxonomy data fails its schema)
    │   └── TaxonomyAdditionError     invalid_taxonomy_addition (an alias or skill of one's own that can't be added)
    │       └── TaxonomyConflict      taxonomy_conflict    (the name already names a skill)
    └── RoleError                     invalid_role         (a role spec or job text that can't be used)

Lower-level exceptions (pdfminer's, zipfile's, lxml's, pydantic's) are translated into these at
the edge where they happen and never leak out of ``matcher``. ``api/`` maps ``code`` to HTTP in one
place; the CLI prints ``code`` and ``message`` in its JSON output.
"""

from __future__ import annotations

from typing import Any


class MatcherError(Exception):
    """Base of every error the engine raises on purpose."""

    code: str = "matcher_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


class DocumentError(MatcherError):
    """The input document can't be turned into text.

    The API answers 422 Unprocessable Content for every kind below but two: an unsupported format
    (415) and a document past a limit (413)."""

    code = "document_error"


class UnsupportedFormat(DocumentError):
    """The bytes are not a format we read (legacy .doc, image, archive, executable...).

    HTTP 415 Unsupported Media Type: the same bytes will never be read; send PDF, DOCX or text."""

    code = "unsupported_format"


class EncryptedDocument(DocumentError):
    """The document is password-protected.

    HTTP 422: there is no way to send a password; an unprotected copy reads."""

    code = "encrypted_document"


class NoTextLayer(DocumentError):
    """A PDF whose pages carry no text (a scan or an image export).

    HTTP 422. There is no OCR: a PDF exported from the original document (or the DOCX) reads."""

    code = "no_text_layer"


class UnreadableDocument(DocumentError):
    """The file claims a format we read but is corrupt, truncated or malformed.

    HTTP 422: the bytes start like a format we read, so the format is right (not 415), the file not."""

    code = "unreadable_document"


class EmptyDocument(DocumentError):
    """The document was read but contains no visible text.

    HTTP 422. Text a reader can't see (white, tiny, hidden) does not count: it is never evidence."""

    code = "empty_document"


class DocumentTooLarge(DocumentError):
    """The document exceeds a configured limit (bytes, pages, decompressed size).

    HTTP 413 Content Too Large (``ReadLimits`` and the API's settings set the limits)."""

    code = "document_too_large"


class TaxonomyError(MatcherError):
    """Taxonomy data that fails validation on load.

    A deployment's error, not a client's: the message names the skill and what is wrong with it.
    Over HTTP, 422 like every engine error without a status of its own."""

    code = "invalid_taxonomy"


class TaxonomyAdditionError(TaxonomyError):
    """An alias or skill of one's own (``matcher.TaxonomyAdditions``) that can't be added: an empty,
    too long or too ordinary name, an unknown category or skill id. HTTP 422; the message names it."""

    code = "invalid_taxonomy_addition"


class TaxonomyConflict(TaxonomyAdditionError):
    """An added name that already names a skill (or is a word an ambiguity rule relies on). HTTP 409."""

    code = "taxonomy_conflict"


class RoleError(MatcherError):
    """A role spec or job description that can't be turned into requirements.

    ``details`` says what would help, where the engine knows: for a job description with no skill
    requirements, ``sections`` (the headings found and how each was read) and ``unknown_terms``
    (skill-like words that are not in the taxonomy) and ``role_title`` (the title read). HTTP 422,
    with ``details`` as extra problem fields."""

    code = "invalid_role"

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.details = details or {}

    def to_dict(self) -> dict:
        return {**super().to_dict(), **self.details}

    def __reduce__(self):  # the details cross a process boundary (parse workers) with the message
        return (self.__class__, (self.message, self.details))


__all__ = [
    "MatcherError",
    "DocumentError",
    "UnsupportedFormat",
    "EncryptedDocument",
    "NoTextLayer",
    "UnreadableDocument",
    "EmptyDocument",
    "DocumentTooLarge",
    "TaxonomyError",
    "TaxonomyAdditionError",
    "TaxonomyConflict",
    "RoleError",
]
