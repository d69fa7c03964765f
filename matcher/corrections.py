"""Profile + the candidate's own corrections -> the profile that is scored.

Corrections are kept apart from what was parsed (the parse is never edited) and applied last:

- ``remove``: a skill the parser found wrongly is dropped, with all its evidence;
- ``add``: a skill the parser missed is added with the source ``"candidate"``. It has no evidence
  span, no years and no recency, so it scores like a skills-list mention (the weakest evidence),
  and reports mark it as the candidate's own statement.

A correction naming a skill the taxonomy no longer has is ignored (and reported by
:func:`apply_corrections` in ``Profile.warnings``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from .taxonomy import Taxonomy
from .types import Profile, ProfileSkill

#: The source of a skill the candidate added themselves.
CANDIDATE_SOURCE = "candidate"


@dataclass(frozen=True)
class Correction:
    skill_id: str
    action: Literal["add", "remove"]
    years: float | None = None  # what the candidate says; shown, never scored


def apply_corrections(profile: Profile, corrections: Iterable[Correction], taxonomy: Taxonomy) -> Profile:
    """The profile with ``corrections`` applied; ``profile`` itself is unchanged."""
    corrections = list(corrections)
    if not corrections:
        return profile
    removed = {c.skill_id for c in corrections if c.action == "remove"}
    skills = [s for s in profile.skills if s.id not in removed]
    have = {s.id for s in skills}
    warnings = list(profile.warnings)
    for c in corrections:
        if c.action != "add" or c.skill_id in have:
            continue
        if c.skill_id not in taxonomy:
            warnings.append(f"a corrected skill is no longer in the taxonomy: {c.skill_id}")
            continue
        sk = taxonomy[c.skill_id]
        skills.append(ProfileSkill(id=sk.id, name=sk.name, category=sk.category, years=None, last_used=None,
                                   evidence=(), sources=(CANDIDATE_SOURCE,)))
        have.add(sk.id)
    return dataclasses.replace(profile, skills=tuple(skills), warnings=tuple(warnings))
