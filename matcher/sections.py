"""Document -> sections (headings), dated positions, and the experience timeline.

The résumé section reader, in three jobs over one text layer:

- ``matcher.headings``: which lines are headings and the sections they open (``find_sections``,
  ``heading_kind``, ``section_at``);
- ``matcher.positions``: the dated positions inside experience and volunteering sections
  (``find_positions``, ``position_at``), their header lines read by ``matcher.job_header``;
- ``matcher.timeline``: the months a position covers and the years of experience they add up to
  (``position_interval``, ``experience_years``).

Lines, bullets and heading shapes come from ``matcher.text``; heading phrases, title and
organization words and places from ``matcher.vocab.resume``. This module keeps the names the rest
of the engine, the tests and the benches import.
"""

from __future__ import annotations

from .headings import POSITION_SECTION_KINDS, find_sections, heading_kind, section_at
from .positions import find_positions, position_at
from .text import HARD_BULLETS  # noqa: F401 - kept importable for roles.py; use matcher.text
from .timeline import experience_years, position_interval

__all__ = [
    "find_sections",
    "find_positions",
    "experience_years",
    "position_interval",
    "section_at",
    "position_at",
    "heading_kind",
    "POSITION_SECTION_KINDS",
]
