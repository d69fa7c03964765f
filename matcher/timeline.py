"""Positions -> the experience timeline: the months each position covers and the years they add up to.

One interval rule (``position_interval``) serves both the candidate's years of experience and the
years of each skill (``matcher.profile``): a position covers its start month to its end month; a
current one runs to ``as_of``; an end after ``as_of`` is clamped to it; a position with a start but
no end that is not current covers its start month only (like a lone date); a position without a
start, or starting after ``as_of``, covers nothing. ``experience_years`` merges the intervals of
``experience`` positions (volunteering is evidence for skills but not years of experience). See
``matcher.dates`` for the month conventions (inclusive months; a year-only range "2019 – 2022" is
Jan 2019 .. Dec 2022, a lone year is July).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from .dates import month_floor, total_years
from .types import Position, SkillMention

__all__ = [
    "position_interval",
    "experience_years",
    "evidence_years",
]

#: Section kinds whose positions count towards ``experience_years``.
_YEARS_KINDS = frozenset({"experience"})


def position_interval(position: Position, as_of: date) -> tuple[date, date] | None:
    """The (first, last) months ``position`` covers as of ``as_of``, or None when it covers none.

    Current positions run to ``as_of``'s month and later ends are clamped to it; a start without
    an end (and not current) covers its start month only; no start, or a start after ``as_of``,
    covers nothing.
    """
    if position.start is None:
        return None
    now = month_floor(as_of)
    start = month_floor(position.start)
    if start > now:
        return None
    if position.current:
        end = now
    elif position.end is None:
        end = start
    else:
        end = min(month_floor(position.end), now)
    return start, max(start, end)


def experience_years(positions: Sequence[Position], as_of: date) -> float | None:
    """Years of experience on ``as_of``: the ``position_interval`` of every ``experience`` position
    (not ``volunteering``), overlaps merged, inclusive months / 12, rounded half-up to 0.1. None
    when no position covers any month.
    """
    spans = [
        span for p in positions
        if p.section in _YEARS_KINDS and (span := position_interval(p, as_of)) is not None
    ]
    return total_years(spans) if spans else None


def evidence_years(evidence: Sequence[SkillMention], intervals: Mapping[int, tuple[date, date] | None]
                   ) -> tuple[float | None, date | None]:
    """A skill's (years, last used) from its evidence: the merged ``position_interval`` of the dated
    positions it was seen in (``intervals`` by position index), and the latest end among them;
    (None, None) when none of it is in a dated position."""
    spans = {intervals[m.position] for m in evidence if m.position is not None and intervals.get(m.position)}
    if not spans:
        return None, None
    return total_years(spans), max(end for _, end in spans)
