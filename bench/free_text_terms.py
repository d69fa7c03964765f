"""Free-text requirements found in the 246 real postings (bench/data/job-postings): how many postings
get any, and every term with its count, for reading by eye (a precision check; issue 17).

    python bench/free_text_terms.py
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import matcher  # noqa: E402


def main() -> int:
    engine = matcher.default_engine()
    terms: Counter[str] = Counter()
    postings = parsed = with_terms = 0
    for path in sorted((REPO / "bench" / "data" / "job-postings" / "postings").rglob("*")):
        if not path.is_file():
            continue
        postings += 1
        try:
            role, _spec, _warnings = matcher.load_role(path.read_bytes(), engine, filename=path.name)
        except matcher.MatcherError:
            continue
        parsed += 1
        names = [t.name for g in role.groups for t in g.free_text]
        with_terms += bool(names)
        terms.update(names)
    print(f"{postings} postings, {parsed} parsed, {with_terms} with free-text requirements, "
          f"{sum(terms.values())} terms ({len(terms)} distinct)")
    print(", ".join(f"{t} {n}" for t, n in terms.most_common()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
