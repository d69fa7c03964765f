"""Fairness operations: voluntary self-identification, the impact-ratio bias audit (NYC Local Law
144 style), the audit event log.

Impact ratios, per category of sex, of race/ethnicity and of their intersection, over every
(candidate, role) pair scored for the roles in scope whose candidate arrived in the date range:

- **scoring rate**: the share of the category scoring above the median score of its role;
- **selection rate**: the share whose standing decision for the role is advance or hire;
- **impact ratio**: a category's rate over the highest rate among the categories that are not
  small; a category under 2 % of the pairs is flagged ``small`` (LL144 lets an auditor leave such
  categories out of the highest rate) and candidates who gave no answer or declined are counted
  as ``unknown``, reported but never compared.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from ..state import AppState
from ..store import audit as store
from ..store import queries
from ..store.models import Candidate, utc_iso
from ..store.models import Role as RoleRow
from .ranking import freshen, refresh_scores

#: EEO-1 categories, as LL144 bias audits use them; "decline_to_answer" is counted as unknown.
SEX_LABELS = {"female": "Female", "male": "Male"}
RACE_LABELS = {
    "hispanic_or_latino": "Hispanic or Latino",
    "white": "White",
    "black_or_african_american": "Black or African American",
    "native_hawaiian_or_pacific_islander": "Native Hawaiian or Other Pacific Islander",
    "asian": "Asian",
    "american_indian_or_alaska_native": "American Indian or Alaska Native",
    "two_or_more_races": "Two or More Races",
}
DECLINE = "decline_to_answer"
#: A category under this share of the pairs is flagged small.
SMALL_SHARE = 0.02


def self_id_view(row) -> dict[str, Any]:
    """``SelfIdentificationOut`` (None: nothing given)."""
    if row is None:
        return {"given": False, "sex": None, "race_ethnicity": None, "updated_at": None}
    return {"given": True, "sex": row.sex, "race_ethnicity": row.race_ethnicity, "updated_at": utc_iso(row.updated_at)}


def give_self_id(db: Session, cand: Candidate, sex: str, race_ethnicity: str) -> dict[str, Any]:
    return self_id_view(store.set_self_id(db, cand, sex, race_ethnicity))


def withdraw_self_id(db: Session, cand: Candidate) -> bool:
    return store.delete_self_id(db, cand)


def read_self_id(db: Session, cand: Candidate) -> dict[str, Any]:
    return self_id_view(store.get_self_id(db, cand))


def _known(value: str, labels: dict[str, str]) -> str | None:
    return value if value in labels else None


def _table(pairs: Sequence[tuple[str | None, bool, bool]], labels: Iterable[str]) -> list[dict[str, Any]]:
    """Rows per category: (category or None for unknown, scored above the median, selected)."""
    total = len(pairs)
    n, above, chosen = Counter(), Counter(), Counter()
    for cat, up, sel in pairs:
        key = cat if cat is not None else store.UNKNOWN
        n[key] += 1
        above[key] += up
        chosen[key] += sel
    rows = []
    for cat in [*labels, store.UNKNOWN]:
        if not n[cat] and cat == store.UNKNOWN:
            continue
        rows.append({"category": cat, "n": n[cat], "share": n[cat] / total if total else 0.0,
                     "scored_above_median": above[cat], "scoring_rate": above[cat] / n[cat] if n[cat] else None,
                     "selected": chosen[cat], "selection_rate": chosen[cat] / n[cat] if n[cat] else None,
                     "small": cat != store.UNKNOWN and (n[cat] / total if total else 0.0) < SMALL_SHARE,
                     "unknown": cat == store.UNKNOWN})
    for rate in ("scoring_rate", "selection_rate"):
        best = max((r[rate] for r in rows if not r["small"] and not r["unknown"] and r[rate] is not None), default=None)
        for r in rows:
            ok = best and r[rate] is not None and not r["unknown"]
            r[rate.replace("rate", "impact_ratio")] = r[rate] / best if ok else None
    return rows


def _bounds(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """[start, end] as days in UTC: from the start of ``start`` to the end of ``end``."""
    lo = datetime.combine(start, time(), UTC) if start else None
    hi = datetime.combine(end + timedelta(days=1), time(), UTC) if end else None
    return lo, hi


def impact_ratios(db: Session, state: AppState, tenant_id: str, role: RoleRow | None, start: date | None,
                  end: date | None) -> dict[str, Any]:
    """``ImpactRatios`` for one role or every role of the tenant. Stale scores are refreshed the way a
    ranking page refreshes them (``ranking.freshen``): inline up to ``ranking_inline_max``, else by a
    queued job, the audit then counting the last complete scores (``roles_stale``)."""
    roles = [role] if role is not None else list(queries.all_roles(db, tenant_id))
    stale = 0
    for r in roles:
        if freshen(db, state, tenant_id, r) is None:
            refresh_scores(db, state, tenant_id, r)
        else:
            stale += 1
    db.commit()
    lo, hi = _bounds(start, end)
    found = store.applicants(db, tenant_id, [r.id for r in roles], lo, hi)
    medians = {rid: statistics.median([a.score for a in found if a.role_id == rid])
               for rid in {a.role_id for a in found}}
    versions = queries.score_versions(db, tenant_id, [r.id for r in roles])
    model = queries.latest_learned_model(db, tenant_id)
    rows = [(a, a.score > medians[a.role_id]) for a in found]
    sex = [(_known(a.sex, SEX_LABELS), up, a.selected) for a, up in rows]
    race = [(_known(a.race_ethnicity, RACE_LABELS), up, a.selected) for a, up in rows]
    inter = [((s + "/" + r) if s and r else None, up, sel) for (s, up, sel), (r, _, _) in zip(sex, race, strict=True)]
    return {
        "role_id": role.id if role else None,
        "roles": len(roles),
        "from": start.isoformat() if start else None,
        "to": end.isoformat() if end else None,
        "roles_stale": stale,
        "applicants": len(found),
        "selected": sum(a.selected for a in found),
        "versions": {"scoring": sorted({v for v, _ in versions}),
                     "taxonomy": sorted({t for _, t in versions}),
                     "model": model.model_version if model else None},
        "sex": _table(sex, SEX_LABELS),
        "race_ethnicity": _table(race, RACE_LABELS),
        "intersectional": _table(inter, [f"{s}/{r}" for s in SEX_LABELS for r in RACE_LABELS]),
        "small_share": SMALL_SHARE,
    }


CSV_COLUMNS = ("dimension", "category", "n", "share", "scored_above_median", "scoring_rate", "scoring_impact_ratio",
               "selected", "selection_rate", "selection_impact_ratio", "small", "unknown")


def impact_ratios_csv(report: dict[str, Any]) -> str:
    """The audit as CSV: one row per category, the range and versions in a header block."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["# impact ratios", f"from={report['from'] or ''}", f"to={report['to'] or ''}",
                f"role_id={report['role_id'] or 'all'}", f"applicants={report['applicants']}",
                f"scoring_versions={' '.join(report['versions']['scoring'])}",
                f"taxonomy_versions={' '.join(report['versions']['taxonomy'])}",
                f"model_version={report['versions']['model'] or ''}"])
    w.writerow(CSV_COLUMNS)
    for dim in ("sex", "race_ethnicity", "intersectional"):
        for r in report[dim]:
            w.writerow([dim, *(("" if r[c] is None else (f"{r[c]:.4f}" if isinstance(r[c], float) else r[c]))
                               for c in CSV_COLUMNS[1:])])
    return out.getvalue()
