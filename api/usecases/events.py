"""What goes in the audit event log: the scores a person was shown (with the inputs hash and
versions that reproduce each) and candidates' requests for a human review."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from ..store import events
from ..store.models import Candidate
from ..store.models import Role as RoleRow

SCORES_SHOWN = "scores_shown"
REVIEW_REQUESTED = "human_review_requested"


def log_scores_shown(db: Session, tenant_id: str, actor: str, row: RoleRow, items: Sequence[dict[str, Any]],
                     versions: dict[str, Any]) -> None:
    """An event for scores a person was shown: ``items`` of candidate id, score and inputs hash."""
    if items:
        events.add_event(db, tenant_id, SCORES_SHOWN, actor, {"role_revision": row.revision, **versions,
                                                               "items": list(items)}, role_id=row.id)


def request_review(db: Session, cand: Candidate, row: RoleRow, actor: str, message: str) -> None:
    """A candidate asks for a person to review the assessment of their application to ``row``."""
    events.add_event(db, cand.tenant_id, REVIEW_REQUESTED, actor, {"message": message.strip()[:2000]},
                     role_id=row.id, candidate_id=cand.id)
