"""Cost of everything after reading a text file vs spaCy's bare tokenizer on the same texts.

    python bench/bench_parse.py [--repeat 5]

Texts: the 310 Dotin résumés (tags stripped) and the labelled set. "Bare tokenizer" is
``spacy.blank("en").tokenizer`` (spaCy's own English rules, no pipeline); "after reading" is
``parse_document``: sections, positions, our tokenizer, phrase matching, ambiguity and modality,
and the profile. Both are timed over all texts, best of --repeat runs, one process.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import spacy  # noqa: E402

from matcher.documents import read_document  # noqa: E402
from matcher.pipeline import default_engine, parse_document  # noqa: E402
from matcher.sections import find_positions, find_sections  # noqa: E402
from matcher.types import Document  # noqa: E402
from quality_parse import DOTIN, LABELLED, dotin_documents  # noqa: E402


def _time(fn, repeat: int) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return min(runs), statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    texts = [t for _n, t, _s in dotin_documents(DOTIN)]
    texts += [read_document(p.read_bytes()).text for p in sorted(LABELLED.glob("*.*")) if p.suffix in {".txt", ".md"}]
    docs = [Document(text=t, format="text") for t in texts]
    chars = sum(len(t) for t in texts)
    bare = spacy.blank("en").tokenizer
    engine = default_engine()
    ours = engine.skill_matcher.nlp.tokenizer
    as_of = date(2026, 11, 1)
    for d in docs[:5]:  # warm up
        parse_document(d, engine, as_of)

    # Interleaved: each repeat times every variant once, so machine load hits them alike.
    runs: dict[str, list[float]] = {"bare": [], "ours": [], "sections": [], "full": []}
    for _ in range(args.repeat):
        for name, fn in (
            ("bare", lambda: [bare(t) for t in texts]),
            ("ours", lambda: [ours(t) for t in texts]),
            ("sections", lambda: [find_positions(d, find_sections(d)) for d in docs]),
            ("full", lambda: [parse_document(d, engine, as_of) for d in docs]),
        ):
            runs[name].append(_time(fn, 1)[0])
    tok_best, tok_med = min(runs["bare"]), statistics.median(runs["bare"])
    our_tok_best = min(runs["ours"])
    sec_best = min(runs["sections"])
    full_best, full_med = min(runs["full"]), statistics.median(runs["full"])
    print(f"texts: {len(texts)}, {chars / 1e6:.2f} M characters")
    print(f"spaCy bare tokenizer (blank 'en'):       best {tok_best * 1000:8.1f} ms  median {tok_med * 1000:8.1f} ms")
    print(f"our tokenizer alone:                     best {our_tok_best * 1000:8.1f} ms")
    print(f"sections + positions alone:              best {sec_best * 1000:8.1f} ms")
    print(f"parse_document (everything after read):  best {full_best * 1000:8.1f} ms  median {full_med * 1000:8.1f} ms")
    print(f"ratio after-read / bare tokenizer:       {full_best / tok_best:.2f}x best, "
          f"{full_med / tok_med:.2f}x median (target <= 2x)")


if __name__ == "__main__":
    main()
