"""Train the mention detector (matcher/detector.py) and write it to matcher/models/detector/.

    python scripts/train_detector.py                  # the shipped model: all 310 Dotin résumés + labelled set
    python scripts/train_detector.py --out /tmp/det   # elsewhere
    python scripts/train_detector.py --epochs 12 --seed 0

CPU only, fixed seeds, nothing downloaded: the same command on the same data writes the same
weights. Training data:

- the 310 Dotin training résumés (taxonomies/sources/resumes-dotin, CC0), their ``Tech Tools``
  spans, read by ``bench/quality_parse.dotin_documents``;
- the 44 résumés of the labelled set (tests/data/labelled): its labels name skills, not spans, so the
  spans are the phrase matcher's mentions (after the ambiguity rules) of named tools, as labelled
  skills or in a negated or wished-for clause (those are still tool names); what the rules reject
  ("Ray Chen", "beam search", "go-to") is left unlabelled and so teaches the model what is no tool.

Each résumé is cut into pieces of at most ``PIECE_CHARS`` characters at line breaks for batching.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import spacy  # noqa: E402
import yaml  # noqa: E402
from spacy.language import Language  # noqa: E402
from spacy.training import Example  # noqa: E402
from spacy.util import filter_spans, minibatch  # noqa: E402

from matcher.detector import LABEL, MAX_SPAN_TOKENS, MODEL_DIR, SPANS_KEY  # noqa: E402
from matcher.nlp import build_nlp  # noqa: E402
from matcher.documents import read_document  # noqa: E402
from matcher.extraction import extract_mentions  # noqa: E402
from matcher.pipeline import Engine, default_engine  # noqa: E402
from matcher.roles import is_practice  # noqa: E402
from matcher.sections import find_positions, find_sections  # noqa: E402
from matcher.types import Document  # noqa: E402
from quality_parse import DOTIN, LABELLED, dotin_documents  # noqa: E402

#: (name, text, [(start, end)]) — one training résumé and its tool spans.
Labelled = tuple[str, str, list[tuple[int, int]]]

PIECE_CHARS = 1200
EPOCHS = 12
SEED = 0
#: The shipped decision threshold (chosen by bench/quality_detector.py) and the floor below which
#: the span categorizer keeps no span at all.
THRESHOLD = 0.25
SPANCAT_FLOOR = 0.2
#: The score from which a detected mention needs no tool context (a skills section, a keyword line,
#: a labelled list, a taxonomy skill on its line); chosen with THRESHOLD.
SURE = 0.95
#: The model: hash embeddings of four lexical features, two window-1 CNN layers, a mean/max span
#: reducer and one logistic output. Small on purpose: it must cost about as much as tokenizing.
WIDTH = 64
DEPTH = 2
ROWS = [10000, 2000, 2000, 1000]
HIDDEN = 64


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _tool_mentions(document, engine: Engine) -> list:
    sections = find_sections(document)
    mentions = extract_mentions(document, sections, find_positions(document, sections), engine.skill_matcher)
    return [m for m in mentions if not is_practice(engine.taxonomy[m.skill_id])]


def dotin_corpus(engine: Engine, folder: Path = DOTIN) -> list[Labelled]:
    """The Dotin résumés with their ``Tech Tools`` spans, plus the phrase matcher's tool mentions
    that no label touches (Dotin labels only some mentions; an unlabelled "Python" would teach the
    model that Python is no tool)."""
    out = []
    for name, text, spans in dotin_documents(folder):
        gold = [_strip(text, s, e) for s, e, _ in spans]
        silver = [
            (m.start, m.end) for m in _tool_mentions(Document(text=text, format="text"), engine)
            if not any(s < m.end and e > m.start for s, e in gold)
        ]
        out.append((name, text, sorted(gold + silver)))
    return out


def labelled_corpus(engine: Engine, folder: Path = LABELLED) -> list[Labelled]:
    labels = yaml.safe_load((folder / "labels.yaml").read_text(encoding="utf-8"))
    tax = engine.taxonomy
    out = []
    for entry in labels["resumes"]:
        names = [item["name"] for item in entry.get("skills", [])] + list(entry.get("also_ok", []))
        want = {sk.id for n in names if (sk := tax.resolve(n)) is not None}
        document = read_document((folder / entry["file"]).read_bytes())
        spans = {
            (m.start, m.end) for m in _tool_mentions(document, engine)
            if m.skill_id in want or m.modality != "asserted"
        }
        out.append((entry["file"], document.text, sorted(spans)))
    return out


def pieces(item: Labelled, size: int = PIECE_CHARS) -> Iterable[tuple[str, list[tuple[int, int]]]]:
    """The résumé cut at line breaks into pieces of at most ``size`` characters (a longer line is
    one piece), with the spans inside each piece."""
    _name, text, spans = item
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n", start + 1, end)
            end = cut + 1 if cut > start else (text.find("\n", end) + 1 or len(text))
        yield text[start:end], [(s - start, e - start) for s, e in spans if s >= start and e <= end]
        start = end


def build_pipeline() -> Language:
    nlp = build_nlp()
    tok2vec = {
        "@architectures": "spacy.Tok2Vec.v2",
        "embed": {"@architectures": "spacy.MultiHashEmbed.v2", "width": WIDTH,
                  "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE"], "rows": ROWS, "include_static_vectors": False},
        "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": WIDTH, "depth": DEPTH,
                   "window_size": 1, "maxout_pieces": 2},
    }
    spancat = nlp.add_pipe("spancat", config={
        "spans_key": SPANS_KEY,
        "threshold": SPANCAT_FLOOR,
        "suggester": {"@misc": "skillmatch.tool_suggester.v1", "max_len": MAX_SPAN_TOKENS},
        "model": {"@architectures": "spacy.SpanCategorizer.v1",
                  "reducer": {"@layers": "spacy.mean_max_reducer.v1", "hidden_size": HIDDEN},
                  "scorer": {"@layers": "spacy.LinearLogistic.v1"}, "tok2vec": tok2vec},
    })
    spancat.add_label(LABEL)
    return nlp


def examples(nlp: Language, corpus: Sequence[Labelled]) -> list[Example]:
    out = []
    for item in corpus:
        for text, spans in pieces(item):
            pred = nlp.make_doc(text)
            ref = nlp.make_doc(text)
            gold = [sp for s, e in spans if (sp := ref.char_span(s, e, label=LABEL, alignment_mode="expand")) is not None]
            ref.spans[SPANS_KEY] = filter_spans(gold)
            out.append(Example(pred, ref))
    return out


def train(corpus: Sequence[Labelled], *, epochs: int = EPOCHS, seed: int = SEED,
          log: Callable[[str], None] = print) -> Language:
    """A detector trained on ``corpus``: same corpus, seed and epochs give the same weights."""
    spacy.util.fix_random_seed(seed)
    rng = random.Random(seed)
    nlp = build_pipeline()
    train_examples = examples(nlp, corpus)
    optimizer = nlp.initialize(lambda: train_examples)
    for epoch in range(epochs):
        rng.shuffle(train_examples)
        losses: dict[str, float] = {}
        t = time.perf_counter()
        for batch in minibatch(train_examples, size=16):
            nlp.update(batch, sgd=optimizer, drop=0.1, losses=losses)
        log(f"  epoch {epoch + 1}/{epochs}: loss {losses.get('spancat', 0.0):.2f} ({time.perf_counter() - t:.1f} s)")
    return nlp


def save(nlp: Language, out: Path, meta: dict) -> None:
    out.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    (out / "detector.json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def full_corpus(engine: Engine) -> list[Labelled]:
    return dotin_corpus(engine) + labelled_corpus(engine)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=MODEL_DIR)
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args()
    if args.epochs < 1:
        ap.error("--epochs must be at least 1")
    if not DOTIN.is_dir():
        print(f"train_detector: {DOTIN} not found", file=sys.stderr)
        sys.exit(2)
    corpus = full_corpus(default_engine())
    print(f"training on {len(corpus)} résumés, {sum(len(s) for *_, s in corpus)} tool spans")
    nlp = train(corpus, epochs=args.epochs, seed=args.seed)
    save(nlp, args.out, {"threshold": THRESHOLD, "sure": SURE, "epochs": args.epochs, "seed": args.seed, "label": LABEL,
                         "training": "Dotin train (310) + tests/data/labelled (44)", "width": WIDTH})
    size = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    print(f"wrote {args.out} ({size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
