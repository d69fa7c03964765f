"""Cost of parsing text résumés with the mention detector vs spaCy's bare tokenizer on the same texts.

    python bench/bench_detector.py [--repeat 5]

Texts: those of ``bench_parse.py`` (the 310 Dotin résumés, tags stripped, and the labelled set).
Timed, interleaved, best of --repeat runs, one process (one core):

- ``bare``: ``spacy.blank("en").tokenizer`` (the baseline, as in bench_parse.py);
- ``dictionary``: ``parse_document`` on an engine without the detector (``build_engine(detector=False)``:
  sections, positions, phrase matching, rules, profile);
- ``detector``: the detector's model alone (``detector.scorer``, ``matcher/detector_model.py``) on
  Docs already tokenized: candidate spans and their scores;
- ``with detector``: ``parse_document`` on the default engine, as the service and the CLI parse:
  one tokenization shared by ``extract_mentions`` and ``detect_mentions`` (with the phrase-matcher
  filter and the sections), then the profile.

Reports each as a ratio to ``bare``, words (tokens) per second on one core, and the model's size.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import spacy  # noqa: E402

from bench_parse import _time  # noqa: E402
from matcher.detector import MODEL_DIR, default_detector, tool_spans  # noqa: E402
from matcher.documents import read_document  # noqa: E402
from matcher.pipeline import build_engine, default_engine, parse_document  # noqa: E402
from matcher.types import Document  # noqa: E402
from quality_parse import DOTIN, LABELLED, dotin_documents  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    texts = [t for _n, t, _s in dotin_documents(DOTIN)]
    texts += [read_document(p.read_bytes()).text for p in sorted(LABELLED.glob("*.*")) if p.suffix in {".txt", ".md"}]
    docs = [Document(text=t, format="text") for t in texts]
    engine = default_engine()
    dictionary = build_engine(detector=False)
    detector = default_detector()
    sm = engine.skill_matcher
    bare = spacy.blank("en").tokenizer
    tokenized = [sm.nlp.make_doc(t) for t in texts]
    words = sum(len(d) for d in tokenized)
    as_of = date(2026, 11, 1)

    def with_detector() -> None:
        for d in docs:
            parse_document(d, engine, as_of)

    def detector_alone() -> None:
        for doc in tokenized:
            detector.scorer.scores(doc, tool_spans(doc))

    with_detector()  # warm up
    runs: dict[str, list[float]] = {"bare": [], "dictionary": [], "detector": [], "with detector": []}
    for _ in range(args.repeat):
        for name, fn in (
            ("bare", lambda: [bare(t) for t in texts]),
            ("dictionary", lambda: [parse_document(d, dictionary, as_of) for d in docs]),
            ("detector", detector_alone),
            ("with detector", with_detector),
        ):
            runs[name].append(_time(fn, 1)[0])
    base = min(runs["bare"])
    size = sum(p.stat().st_size for p in MODEL_DIR.rglob("*") if p.is_file())
    print(f"texts: {len(texts)}, {sum(map(len, texts)) / 1e6:.2f} M characters, {words:,} tokens; "
          f"model {size / 1e6:.2f} MB ({MODEL_DIR.relative_to(REPO)})")
    for name, times in runs.items():
        best = min(times)
        print(f"  {name:14s} best {best * 1000:8.1f} ms   {words / best:10,.0f} words/s/core   {best / base:5.2f}x bare")
    print(f"ratio with detector / bare tokenizer: {min(runs['with detector']) / base:.2f}x (target <= 3x); "
          f"dictionary alone {min(runs['dictionary']) / base:.2f}x")


if __name__ == "__main__":
    main()
