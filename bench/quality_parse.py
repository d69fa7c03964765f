"""Extraction quality on the labelled résumé set (tests/data/labelled) and on the Dotin résumés.

    python bench/quality_parse.py                 # labelled set: skill P/R, traps, years
    python bench/quality_parse.py --dotin         # + Tech Tools recall on taxonomies/sources/resumes-dotin
    python bench/quality_parse.py --verbose       # per-file misses and false positives

Skill names in labels.yaml are resolved through the taxonomy (name or alias); a label the taxonomy
can't resolve counts as a miss and is listed.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import yaml  # noqa: E402

from matcher.pipeline import Engine, default_engine, parse_bytes, parse_document  # noqa: E402
from matcher.roles import is_practice  # noqa: E402
from matcher.types import Document  # noqa: E402

LABELLED = REPO / "tests" / "data" / "labelled"
#: The Dotin résumés (CC0), vendored with the taxonomy build inputs (taxonomies/sources/README.md).
DOTIN = REPO / "taxonomies" / "sources" / "resumes-dotin" / "train" / "545_cvs_train_v2"


@dataclass
class ParseQuality:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    trap_total: int = 0
    trap_hits: int = 0  # not_skills wrongly extracted
    years_total: int = 0
    years_ok: int = 0  # within 0.25 years (null must be null)
    exp_total: int = 0
    exp_ok: int = 0
    unresolved: list[str] = field(default_factory=list)
    tool_tp: int = 0  # the same counts over named tools only (practices like "Data analysis" left out)
    tool_fp: int = 0
    tool_fn: int = 0
    per_file: list[dict] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def tool_precision(self) -> float:
        return self.tool_tp / (self.tool_tp + self.tool_fp) if self.tool_tp + self.tool_fp else 0.0

    @property
    def tool_recall(self) -> float:
        return self.tool_tp / (self.tool_tp + self.tool_fn) if self.tool_tp + self.tool_fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _years_match(got, want) -> bool:
    if want is None or got is None:
        return want is None and got is None
    return abs(got - want) <= 0.25


def evaluate_labelled(engine: Engine, labelled: Path = LABELLED) -> ParseQuality:
    labels = yaml.safe_load((labelled / "labels.yaml").read_text(encoding="utf-8"))
    as_of = labels["as_of"] if isinstance(labels["as_of"], date) else date.fromisoformat(str(labels["as_of"]))
    tax = engine.taxonomy
    q = ParseQuality()
    for entry in labels["resumes"]:
        profile = parse_bytes((labelled / entry["file"]).read_bytes(), engine, as_of)
        got = {s.id: s for s in profile.skills}
        want: dict[str, float | None] = {}
        for item in entry.get("skills", []):
            skill = tax.resolve(item["name"])
            if skill is None:
                q.unresolved.append(f"{entry['file']}: {item['name']}")
                q.fn += 1
                continue
            want[skill.id] = item.get("years")
        also_ok = {sk.id for n in entry.get("also_ok", []) if (sk := tax.resolve(n)) is not None}
        hits = set(got) & set(want)
        q.tp += len(hits)
        fps = sorted(set(got) - set(want) - also_ok)
        fns = sorted(set(want) - set(got))
        q.fp += len(fps)
        q.fn += len(fns)
        tool = lambda sid: not is_practice(tax[sid])  # noqa: E731
        q.tool_tp += sum(map(tool, hits))
        q.tool_fp += sum(map(tool, fps))
        q.tool_fn += sum(map(tool, fns))
        for sid in hits:
            q.years_total += 1
            q.years_ok += _years_match(got[sid].years, want[sid])
        traps = []
        for name in entry.get("not_skills", []):
            skill = tax.resolve(name)
            q.trap_total += 1
            if skill is not None and skill.id in got:
                q.trap_hits += 1
                traps.append(name)
        if "experience_years" in entry:
            q.exp_total += 1
            q.exp_ok += _years_match(profile.experience_years, entry["experience_years"])
        q.per_file.append(
            {
                "file": entry["file"],
                "false_positives": fps,
                "misses": fns,
                "trap_hits": traps,
                "experience": (profile.experience_years, entry.get("experience_years")),
                "years_wrong": [(s, got[s].years, want[s]) for s in sorted(hits) if not _years_match(got[s].years, want[s])],
            }
        )
    return q


_TAG = re.compile(r"<label type=\"([^\"]+)\">(.*?)</label>", re.DOTALL)


def dotin_documents(folder: Path = DOTIN):
    """(name, plain text, [(start, end, surface)] of Tech Tools) for each Dotin résumé."""
    for path in sorted(folder.glob("*.xml"), key=lambda p: int(p.stem) if p.stem.isdigit() else 0):
        raw = path.read_text(encoding="utf-8", errors="replace")
        raw = re.sub(r"^<\?xml[^>]*>\s*", "", raw)
        raw = raw.replace("<cv>", "").replace("</cv>", "")
        out, spans, pos = [], [], 0
        for m in _TAG.finditer(raw):
            before = html.unescape(re.sub(r"<[^>]+>", "", raw[pos : m.start()]))
            out.append(before)
            inner = html.unescape(re.sub(r"<[^>]+>", "", m.group(2)))
            start = sum(len(x) for x in out)
            out.append(inner)
            if m.group(1) == "Tech Tools":
                spans.append((start, start + len(inner), inner))
            pos = m.end()
        out.append(html.unescape(re.sub(r"<[^>]+>", "", raw[pos:])))
        yield path.name, "".join(out), spans


def evaluate_dotin(engine: Engine, folder: Path = DOTIN) -> dict:
    """Recall of the annotated Tech Tools: by span (an extracted mention overlaps the label) and
    by skill (the label's surface resolves to a skill the profile has), over labels the taxonomy
    can resolve and over all labels."""
    labels = span_hits = 0
    resolvable = resolvable_hits = 0
    files = 0
    for _name, text, spans in dotin_documents(folder):
        files += 1
        profile = parse_document(Document(text=text, format="text"), engine, date(2026, 11, 1))
        mention_spans = sorted((m.start, m.end) for s in profile.skills for m in s.evidence)
        got = {s.id for s in profile.skills}
        for start, end, surface in spans:
            labels += 1
            if any(ms < end and me > start for ms, me in mention_spans):
                span_hits += 1
            skill = engine.taxonomy.resolve(surface.strip())
            if skill is not None:
                resolvable += 1
                resolvable_hits += skill.id in got
    return {
        "files": files,
        "labels": labels,
        "span_recall": span_hits / labels if labels else 0.0,
        "resolvable_labels": resolvable,
        "skill_recall_resolvable": resolvable_hits / resolvable if resolvable else 0.0,
        "skill_recall_all": resolvable_hits / labels if labels else 0.0,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dotin", action="store_true")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    engine = default_engine()
    q = evaluate_labelled(engine)
    print(f"labelled set: {len(q.per_file)} résumés, taxonomy {engine.taxonomy.version}")
    print(f"  skills: precision {q.precision:.3f}  recall {q.recall:.3f}  F1 {q.f1:.3f}  (tp {q.tp}, fp {q.fp}, fn {q.fn})")
    print(f"  named tools only (practices such as 'Data analysis' left out on both sides): "
          f"precision {q.tool_precision:.3f}  recall {q.tool_recall:.3f}  (tp {q.tool_tp}, fp {q.tool_fp}, fn {q.tool_fn})")
    print(f"  traps (not_skills) wrongly extracted: {q.trap_hits}/{q.trap_total}")
    print(f"  years per skill within 0.25 (null = null): {q.years_ok}/{q.years_total}")
    print(f"  total experience within 0.25 years: {q.exp_ok}/{q.exp_total}")
    if q.unresolved:
        print(f"  labels the taxonomy can't resolve: {len(q.unresolved)}: " + "; ".join(q.unresolved[:20]))
    if args.verbose:
        for f in q.per_file:
            if f["false_positives"] or f["misses"] or f["trap_hits"] or f["years_wrong"] or f["experience"][0] != f["experience"][1]:
                print(f"- {f['file']}: FP {f['false_positives']} MISS {f['misses']} TRAP {f['trap_hits']} "
                      f"EXP {f['experience']} YEARS {f['years_wrong']}")
    if args.dotin:
        if not DOTIN.exists():
            print(f"dotin: {DOTIN} not found", file=sys.stderr)
            sys.exit(2)
        d = evaluate_dotin(engine)
        print(f"dotin: {d['files']} résumés, {d['labels']} Tech Tools labels")
        print(f"  span recall (an extracted mention overlaps the label): {d['span_recall']:.3f}")
        print(f"  skill recall over labels the taxonomy resolves ({d['resolvable_labels']}): {d['skill_recall_resolvable']:.3f}")
        print(f"  skill recall over all labels: {d['skill_recall_all']:.3f}")


if __name__ == "__main__":
    main()
