"""Ranking quality: NDCG@5 of the matcher vs two baselines on the graded set (tests/data/ranking).

    python bench/quality_rank.py [--k 5] [--verbose]

Baselines, computed here on the same files:
- TF-IDF cosine: scikit-learn TfidfVectorizer (English stop words, sublinear tf) fitted on the job
  text and the role's résumés; cosine similarity of each résumé to the job text.
- Keyword overlap: the share of the job page's skills (every taxonomy skill found anywhere in the
  job text) that appear anywhere in the résumé text (no sections, no negation, no depth).
Gains are 2^grade - 1 (grades 0-3); ties are broken by file name, the same for every method.
"""

from __future__ import annotations

import argparse
import math
import sys
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
import yaml  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.metrics.pairwise import cosine_similarity  # noqa: E402

from matcher.documents import read_document  # noqa: E402
from matcher.extraction import match_skills  # noqa: E402
from matcher.pipeline import default_engine, load_role, match_profile, parse_bytes  # noqa: E402

RANKING = REPO / "tests" / "data" / "ranking"
AS_OF = date(2026, 11, 1)  # used only when grades.yaml gives no as_of


def ndcg_at_k(scores: list[float], grades: list[int], names: list[str], k: int) -> float:
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], names[i]))
    dcg = sum((2 ** grades[i] - 1) / math.log2(r + 2) for r, i in enumerate(order[:k]))
    ideal = sorted(grades, reverse=True)
    idcg = sum((2**g - 1) / math.log2(r + 2) for r, g in enumerate(ideal[:k]))
    return dcg / idcg if idcg else 0.0


def evaluate(k: int = 5, verbose: bool = False) -> dict[str, dict[str, float]]:
    engine = default_engine()
    spec = yaml.safe_load((RANKING / "grades.yaml").read_text(encoding="utf-8"))
    as_of = spec.get("as_of", AS_OF)
    as_of = as_of if isinstance(as_of, date) else date.fromisoformat(str(as_of))
    results: dict[str, dict[str, float]] = {}
    for role_entry in spec["roles"]:
        job_bytes = (REPO / role_entry["job_file"]).read_bytes()
        job_text = read_document(job_bytes).text
        role, _, _ = load_role(job_bytes, engine)
        files = [RANKING / r["file"] for r in role_entry["resumes"]]
        grades = [int(r["grade"]) for r in role_entry["resumes"]]
        names = [f.name for f in files]
        texts = [read_document(f.read_bytes()).text for f in files]

        matcher_scores = [match_profile(parse_bytes(f.read_bytes(), engine, as_of), role, engine).score for f in files]

        vec = TfidfVectorizer(stop_words="english", sublinear_tf=True)
        m = vec.fit_transform([job_text, *texts])
        tfidf_scores = cosine_similarity(m[0], m[1:]).ravel().tolist()

        job_skills = {s for s, *_ in match_skills(job_text, engine.skill_matcher)}
        overlap_scores = []
        for t in texts:
            have = {s for s, *_ in match_skills(t, engine.skill_matcher)}
            overlap_scores.append(len(job_skills & have) / len(job_skills) if job_skills else 0.0)

        row = {
            "matcher": ndcg_at_k(matcher_scores, grades, names, k),
            "tfidf": ndcg_at_k(tfidf_scores, grades, names, k),
            "keyword_overlap": ndcg_at_k(overlap_scores, grades, names, k),
            "n": len(files),
            # keyword stuffers (a skills block, no use shown) against every résumé graded 2 or 3:
            # the lowest such score minus the highest stuffer's (> 0: every stuffer ranks below)
            "stuffer_gap": min(matcher_scores[i] for i in range(len(files)) if grades[i] >= 2)
            - max([matcher_scores[i] for i in range(len(files)) if "keyword-stuffer" in names[i]] or [0.0]),
        }
        results[role_entry["role"]] = row
        if verbose:
            print(f"\n{role_entry['role']} ({role.title}):")
            for i in sorted(range(len(files)), key=lambda i: -matcher_scores[i]):
                print(f"  {matcher_scores[i]:5.1f}  grade {grades[i]}  tfidf {tfidf_scores[i]:.3f}  kw {overlap_scores[i]:.2f}  {names[i]}")
    results["mean"] = {
        key: float(np.mean([r[key] for name, r in results.items()])) for key in ("matcher", "tfidf", "keyword_overlap")
    }
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    res = evaluate(args.k, args.verbose)
    print(f"\nNDCG@{args.k}          matcher   TF-IDF   keyword overlap   stuffer gap (points)")
    for name, r in res.items():
        gap = f"{r['stuffer_gap']:+.1f}" if "stuffer_gap" in r else ""
        print(f"{name:20s} {r['matcher']:.3f}     {r['tfidf']:.3f}    {r['keyword_overlap']:.3f}             {gap}")


if __name__ == "__main__":
    main()
