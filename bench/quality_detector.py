"""The mention detector's quality: Dotin `Tech Tools` recall by 5-fold cross-validation, dictionary
only vs with the detector, and precision and traps on the labelled set.

    python bench/quality_detector.py                  # 5 folds, ~15 min on one core; JSON in bench/out/
    python bench/quality_detector.py --folds 5 --epochs 12 --thresholds 0.3,0.5 --sure 0.9,1.01
    python bench/quality_detector.py --shipped        # the shipped model on the labelled set (in-sample)

Each fold trains a detector (``scripts/train_detector.train``, the shipped model's recipe) on 4/5
of the Dotin résumés and 4/5 of the labelled set and measures on the held fifth of each, so every
résumé is measured once by a model that never saw it. Measures, per fold and pooled:

- span recall: a label counts when an extracted mention overlaps it (the dictionary's evidence, or
  with the detector also a detector-only asserted mention);
- strict name recall: a label counts only when the extracted skill carries its name: the label's
  surface resolves (``extraction.resolve_name``: versions, editions, slash pairs read off) to a
  skill the profile has, or, with the detector, its ``normalize_key`` equals a detected mention's;
  the raw variant resolves the label as written (the measure of ``quality_parse.py --dotin``);
- labelled set: tool precision and recall and traps, dictionary only (``quality_parse.evaluate_labelled``)
  and with each résumé's detector-only mentions added (a resolved one as its skill, an unresolved
  one under its key; a new item that is neither a label nor ``also_ok`` is a false positive).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "scripts"))

import yaml  # noqa: E402

import train_detector as training  # noqa: E402
from matcher.detector import Detector, default_detector, detect_mentions  # noqa: E402
from matcher.documents import read_document  # noqa: E402
from matcher.extraction import normalize_key, normalize_name, resolve_name  # noqa: E402
from matcher.pipeline import Engine, default_engine, parse_document  # noqa: E402
from matcher.roles import is_practice  # noqa: E402
from matcher.sections import find_sections  # noqa: E402
from matcher.types import Document  # noqa: E402
from quality_parse import LABELLED, ParseQuality, dotin_documents, evaluate_labelled  # noqa: E402

AS_OF = date(2026, 11, 1)
OUT = REPO / "bench" / "out" / "quality_detector.json"


@dataclass
class Recall:
    labels: int = 0
    span_dict: int = 0
    span_both: int = 0
    strict_raw: int = 0
    strict_dict: int = 0
    strict_both: int = 0

    def add(self, other: Recall) -> None:
        for k in vars(self):
            setattr(self, k, getattr(self, k) + getattr(other, k))

    def rates(self) -> dict[str, float]:
        n = self.labels or 1
        return {k: getattr(self, k) / n for k in vars(self) if k != "labels"}


def _detected(text: str, engine: Engine, detector: Detector | None, fmt: str = "text"):
    """Detector-only asserted mentions of a text, as the engine would see them."""
    if detector is None:
        return []
    document = Document(text=text, format=fmt)
    doc = engine.skill_matcher.nlp.make_doc(text)
    found = detect_mentions(doc, detector, skill_matcher=engine.skill_matcher, sections=find_sections(document))
    return [m for m in found if m.modality == "asserted"]


def _named(surface: str, got: set[str], keys: set[str], engine: Engine) -> bool:
    ids = resolve_name(surface, engine.taxonomy)
    names = normalize_name(surface, engine.taxonomy)
    if len(ids) != len(names):  # the whole form resolved to one skill
        return ids[0] in got
    return bool(names) and all((i is not None and i in got) or n.key in keys for i, n in zip(ids, names))


def dotin_recall(text: str, spans, engine: Engine, detector: Detector | None) -> Recall:
    profile = parse_document(Document(text=text, format="text"), engine, AS_OF)
    evidence = [(m.start, m.end) for s in profile.skills for m in s.evidence]
    got = {s.id for s in profile.skills}
    detected = _detected(text, engine, detector)
    both = evidence + [(m.start, m.end) for m in detected]
    got_both = got | {m.skill_id for m in detected if m.skill_id}
    keys = {m.key for m in detected}
    r = Recall()
    for start, end, surface in spans:
        r.labels += 1
        r.span_dict += any(s < end and e > start for s, e in evidence)
        r.span_both += any(s < end and e > start for s, e in both)
        raw = engine.taxonomy.resolve(surface.strip())
        r.strict_raw += raw is not None and raw.id in got
        r.strict_dict += _named(surface, got, set(), engine)
        r.strict_both += _named(surface, got_both, keys, engine)
    return r


def labelled_delta(entry: dict, base: dict, engine: Engine, detector: Detector) -> dict[str, object]:
    """What a résumé's detector-only mentions add to the labelled-set counts."""
    tax = engine.taxonomy
    labels = [i["name"] for i in entry.get("skills", [])]
    want_ids = {sk.id for n in labels if (sk := tax.resolve(n)) is not None}
    want_keys = {normalize_key(n) for n in labels}
    ok_ids = {sk.id for n in entry.get("also_ok", []) if (sk := tax.resolve(n)) is not None}
    ok_keys = {normalize_key(n) for n in entry.get("also_ok", [])}
    trap_ids = {sk.id for n in entry.get("not_skills", []) if (sk := tax.resolve(n)) is not None}
    trap_keys = {normalize_key(n) for n in entry.get("not_skills", [])}
    document = read_document((LABELLED / entry["file"]).read_bytes())
    detected = _detected(document.text, engine, detector, document.format)
    misses = set(base["misses"])
    seen: set[str] = set()
    d = {"tp": 0, "fp": 0, "trap": 0, "new_fp": [], "new_tp": []}
    for m in detected:
        item = m.skill_id or f"key:{m.key}"
        if item in seen:
            continue
        seen.add(item)
        if m.skill_id in trap_ids or m.key in trap_keys:
            d["trap"] += 1
        if m.skill_id in misses:
            d["tp"] += 1
            d["new_tp"].append(m.text)
        elif (m.skill_id in want_ids | ok_ids) or m.key in want_keys | ok_keys:
            continue  # already found, or neutral
        elif m.skill_id is None or not is_practice(tax[m.skill_id]):
            d["fp"] += 1
            d["new_fp"].append(m.text)
    return d


def _labelled_with(q: ParseQuality, deltas: list[dict]) -> dict[str, float]:
    tp = q.tool_tp + sum(d["tp"] for d in deltas)
    fp = q.tool_fp + sum(d["fp"] for d in deltas)
    fn = q.tool_fn - sum(d["tp"] for d in deltas)
    return {"tool_precision": tp / (tp + fp), "tool_recall": tp / (tp + fn), "tool_tp": tp, "tool_fp": fp,
            "traps": q.trap_hits + sum(d["trap"] for d in deltas), "trap_total": q.trap_total,
            "new_fp": [x for d in deltas for x in d["new_fp"]], "new_tp": [x for d in deltas for x in d["new_tp"]]}


def cross_validate(engine: Engine, folds: int, epochs: int, settings: list[tuple[float, float]]) -> dict:
    """Every (threshold, sure) setting measured on every fold's model."""
    dotin = list(dotin_documents())
    corpus_dotin = training.dotin_corpus(engine)
    corpus_lab = training.labelled_corpus(engine)
    entries = yaml.safe_load((LABELLED / "labels.yaml").read_text(encoding="utf-8"))["resumes"]
    base_q = evaluate_labelled(engine)
    base_by_file = {f["file"]: f for f in base_q.per_file}
    per_fold: dict[tuple[float, float], list[dict]] = {st: [] for st in settings}
    total = {st: Recall() for st in settings}
    deltas: dict[tuple[float, float], list[dict]] = {st: [] for st in settings}
    for k in range(folds):
        train = [x for i, x in enumerate(corpus_dotin) if i % folds != k]
        train += [x for i, x in enumerate(corpus_lab) if i % folds != k]
        t = time.perf_counter()
        nlp = training.train(train, epochs=epochs, log=lambda _s: None)
        for setting in settings:
            detector = Detector(nlp=nlp, threshold=setting[0], meta={}, sure=setting[1])
            r = Recall()
            for i, (_name, text, spans) in enumerate(dotin):
                if i % folds == k:
                    r.add(dotin_recall(text, spans, engine, detector))
            deltas[setting] += [labelled_delta(e, base_by_file[e["file"]], engine, detector)
                                for i, e in enumerate(entries) if i % folds == k]
            total[setting].add(r)
            per_fold[setting].append({"fold": k, "labels": r.labels, **r.rates()})
            rates = r.rates()
            print(f"fold {k} threshold/sure {setting}: {r.labels} labels, span recall {rates['span_dict']:.3f} -> "
                  f"{rates['span_both']:.3f}, strict {rates['strict_dict']:.3f} -> {rates['strict_both']:.3f} "
                  f"({time.perf_counter() - t:.0f} s)", flush=True)
    out = {}
    for setting in settings:
        folds_of = per_fold[setting]
        spread = {key: (statistics.mean(f[key] for f in folds_of), statistics.pstdev(f[key] for f in folds_of))
                  for key in total[setting].rates()}
        out[f"{setting[0]}/{setting[1]}"] = {
            "folds": folds_of, "pooled": total[setting].rates(), "labels": total[setting].labels, "mean_sd": spread,
            "labelled_dictionary": _labelled_with(base_q, []), "labelled_detector": _labelled_with(base_q, deltas[setting]),
        }
    return out


def _print(th: str, res: dict, folds: int) -> None:
    print(f"threshold/sure {th}: Dotin, {res['labels']} Tech Tools labels, {folds}-fold CV (mean ± sd over folds; pooled):")
    for key, label in (("span_dict", "span recall, dictionary only"), ("span_both", "span recall, with detector"),
                       ("strict_raw", "strict name recall, dictionary, label as written"),
                       ("strict_dict", "strict name recall, dictionary, normalized names"),
                       ("strict_both", "strict name recall, with detector")):
        mean, sd = res["mean_sd"][key]
        print(f"  {label:52s} {mean:.3f} ± {sd:.3f}   pooled {res['pooled'][key]:.3f}")
    for name in ("labelled_dictionary", "labelled_detector"):
        q = res[name]
        print(f"  {name}: tool precision {q['tool_precision']:.3f} recall {q['tool_recall']:.3f} "
              f"(tp {q['tool_tp']}, fp {q['tool_fp']}), traps {q['traps']}/{q['trap_total']}")
    print("  detector false positives on the labelled set:", res["labelled_detector"]["new_fp"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--epochs", type=int, default=training.EPOCHS)
    ap.add_argument("--thresholds", default=str(training.THRESHOLD), help="comma-separated, each measured")
    ap.add_argument("--sure", default=str(training.SURE),
                    help="comma-separated: score from which a mention needs no tool context (above 1: never)")
    ap.add_argument("--shipped", action="store_true", help="only the shipped model on the labelled set")
    args = ap.parse_args()
    try:
        ths = [float(x) for x in args.thresholds.split(",")]
        [float(x) for x in args.sure.split(",")]
    except ValueError:
        ap.error("--thresholds, --sure: comma-separated numbers")
    if args.folds < 2 or args.epochs < 1 or not all(training.SPANCAT_FLOOR <= t < 1 for t in ths):
        ap.error(f"need --folds >= 2, --epochs >= 1 and thresholds in [{training.SPANCAT_FLOOR}, 1)")
    engine = default_engine()
    if args.shipped:
        base_q = evaluate_labelled(engine)
        entries = yaml.safe_load((LABELLED / "labels.yaml").read_text(encoding="utf-8"))["resumes"]
        by_file = {f["file"]: f for f in base_q.per_file}
        res = _labelled_with(base_q, [labelled_delta(e, by_file[e["file"]], engine, default_detector()) for e in entries])
        print(json.dumps(res, indent=1))
        return
    thresholds = [float(x) for x in args.thresholds.split(",")]
    sures = [float(x) for x in args.sure.split(",")]
    res = cross_validate(engine, args.folds, args.epochs, [(t, u) for t in thresholds for u in sures])
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    for th, r in res.items():
        _print(th, r, args.folds)

if __name__ == "__main__":
    main()
