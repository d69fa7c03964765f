"""Resource limits for reading one uploaded document (uploads are hostile until proven otherwise)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReadLimits:
    """Hard limits applied while turning bytes into a :class:`~matcher.types.Document`.

    Every limit raises :class:`~matcher.errors.DocumentTooLarge` when exceeded.

    * ``max_bytes``: size of the upload itself.
    * ``max_pages``: PDF pages (checked before any page is laid out).
    * ``max_decompressed_bytes``: what a DOCX's zip directory declares uncompressed, and what a
      PDF's Flate streams inflate to (checked with a bounded inflater before pdfminer runs).
    * ``max_chars``: characters of the final ``Document.text`` (also checked page by page).
    """

    max_bytes: int = 20_000_000
    max_pages: int = 50
    max_decompressed_bytes: int = 100_000_000
    max_chars: int = 2_000_000
