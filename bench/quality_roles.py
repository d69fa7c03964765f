"""Job-description parsing on the real corpus (bench/data/job-postings), in every shape a posting
arrives in: parse rate, agreement with the Markdown shape, crashes, accuracy against the hand
labels, and speed.

    python bench/quality_roles.py                          # all 246 postings, every shape
    python bench/quality_roles.py --limit 20 --shapes markdown,paragraph,pdf
    python bench/quality_roles.py --verbose                # + per-posting differences and errors

Shapes: ``source`` is the file as stored, fed as-is to ``job_text_from_bytes`` (Markdown with
its Jekyll front matter, USAJOBS JSON records, one-paragraph ``.txt``). ``markdown`` is the
posting as its reader sees it, in Markdown: front matter and Liquid template instructions turned
into/removed from the text (``tests.jobshapes.posting_markdown``), a USAJOBS record's text fields
as ``## Summary`` / ``## Duties`` / ``## Qualifications`` ... sections, a ``.txt`` paragraph under
its title. Every other shape is rendered from that Markdown by ``tests/jobshapes.py``.

Per shape: parse rate (a role with >= 1 requirement; RoleError or any other MatcherError = not
parsed) over all postings and over the postings whose ``markdown`` shape parses; mean Jaccard of
(skill id, required) pairs against the ``markdown`` shape where both parse; crashes (exceptions
that are not MatcherError). On labels.yaml: skill precision/recall against the label groups and
required-flag accuracy over the skills both have. Speed: median/p90 ms of one posting's parse
(``job_text_from_bytes`` + ``load_role_text``), with the 11 test fixtures' Markdown as baseline.
Writes bench/out/quality_roles.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import yaml  # noqa: E402

from matcher.errors import MatcherError  # noqa: E402
from matcher.job_input import job_text_from_bytes  # noqa: E402
from matcher.pipeline import Engine, default_engine  # noqa: E402
from matcher.roles import load_role_text  # noqa: E402
from tests.jobshapes import SHAPES, Posting, posting_markdown, render, split_front_matter  # noqa: E402

CORPUS = REPO / "bench" / "data" / "job-postings"
FIXTURES = REPO / "tests" / "data" / "jobs"
OUT = REPO / "bench" / "out" / "quality_roles.json"
ALL_SHAPES = ("source",) + SHAPES
LABEL_SHAPES_MIN = ("markdown", "paragraph", "html")

#: USAJOBS record keys -> section heading (API records, scraped records, parsed pages).
_USAJOBS_FIELDS = {
    "JobSummary": "Summary", "Summary": "Summary",
    "MajorDuties": "Duties", "duties": "Duties",
    "QualificationSummary": "Qualifications", "qualifications": "Qualifications",
    "Requirements": "Requirements", "Evaluations": "How you will be evaluated", "Education": "Education",
}


# --------------------------------------------------------------------------------------------
# Corpus
# --------------------------------------------------------------------------------------------


@dataclass
class CorpusPosting:
    id: str
    file: str
    title: str
    kind: str  # "md" | "md+front-matter" | "json" | "txt"
    data: bytes
    markdown: str  # the reader's Markdown (see the module docstring)
    _posting: Posting | None = None

    @property
    def posting(self) -> Posting:
        if self._posting is None:
            self._posting = Posting.of(self.markdown, "job.md")
        return self._posting


def _usajobs_sections(obj: Any, out: dict[str, list[str]]) -> None:
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in _USAJOBS_FIELDS and v:
                texts = [v] if isinstance(v, str) else [x for x in v if isinstance(x, str)] if isinstance(v, list) else []
                if texts:
                    out.setdefault(_USAJOBS_FIELDS[k], []).extend(t.strip() for t in texts if t.strip())
                    continue
            _usajobs_sections(v, out)
    elif isinstance(obj, list):
        for v in obj:
            _usajobs_sections(v, out)


def usajobs_markdown(obj: Any, title: str) -> str:
    sections: dict[str, list[str]] = {}
    _usajobs_sections(obj, sections)
    parts = [f"# {title}"]
    for heading, texts in sections.items():
        body = texts[0] if len(texts) == 1 else "\n".join(f"- {t}" for t in texts)
        parts.append(f"## {heading}\n\n{body}")
    return "\n\n".join(parts) + "\n"


def load_corpus(limit: int | None = None) -> list[CorpusPosting]:
    rows = list(csv.DictReader((CORPUS / "MANIFEST.csv").open(encoding="utf-8")))
    if limit:
        rows = rows[:limit]
    out = []
    for r in rows:
        data = (CORPUS / r["file"]).read_bytes()
        text = data.decode("utf-8")
        suffix = Path(r["file"]).suffix
        if suffix == ".json":
            kind, md = "json", usajobs_markdown(json.loads(text), r["title"])
        elif suffix == ".txt":
            kind, md = "txt", f"# {r['title']}\n\n{text.strip()}\n"
        else:
            meta, _ = split_front_matter(text)
            kind, md = ("md+front-matter" if meta else "md"), posting_markdown(text)
        out.append(CorpusPosting(r["id"], r["file"], r["title"], kind, data, md))
    return out


# --------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    status: str  # "parsed" | "not_parsed" | "crash"
    pairs: frozenset = frozenset()  # (skill id, required)
    error: str | None = None
    ms: float = 0.0


def parse(data: bytes, filename: str | None, engine: Engine) -> Outcome:
    began = time.perf_counter()
    try:
        role, _spec, _warnings = load_role_text(job_text_from_bytes(data, filename=filename), engine.skill_matcher)
    except MatcherError as exc:
        return Outcome("not_parsed", error=f"{type(exc).__name__}: {exc.message[:160]}",
                       ms=(time.perf_counter() - began) * 1000)
    except Exception as exc:  # noqa: BLE001 - a crash is what we measure
        return Outcome("crash", error=f"{type(exc).__name__}: {str(exc)[:160]}", ms=(time.perf_counter() - began) * 1000)
    ms = (time.perf_counter() - began) * 1000
    pairs = frozenset((s, g.required) for g in role.groups for s in g.any_of)
    return Outcome("parsed" if role.groups else "not_parsed", pairs, None if role.groups else "no requirement", ms)


def jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


# --------------------------------------------------------------------------------------------
# Labels
# --------------------------------------------------------------------------------------------


def load_labels(engine: Engine) -> tuple[dict[str, dict[str, bool]], list[str]]:
    """posting id -> {skill id: required} from labels.yaml, and the names the taxonomy lacks."""
    tax = engine.taxonomy
    doc = yaml.safe_load((CORPUS / "labels.yaml").read_text(encoding="utf-8"))
    labels: dict[str, dict[str, bool]] = {}
    unresolved: list[str] = []
    for job in doc["jobs"]:
        skills: dict[str, bool] = {}
        for g in job.get("groups") or []:
            for name in g["any_of"]:
                skill = tax.get(name) or tax.resolve(name)
                if skill is None:
                    unresolved.append(name)
                    continue
                skills[skill.id] = skills.get(skill.id, False) or bool(g["required"])
        labels[job["id"]] = skills
    return labels, unresolved


@dataclass
class LabelScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    flag_total: int = 0
    flag_ok: int = 0
    postings: int = 0

    def add(self, want: dict[str, bool], got: frozenset) -> None:
        got_req: dict[str, bool] = {}
        for s, r in got:
            got_req[s] = got_req.get(s, False) or r
        self.postings += 1
        both = set(want) & set(got_req)
        self.tp += len(both)
        self.fp += len(set(got_req) - set(want))
        self.fn += len(set(want) - set(got_req))
        self.flag_total += len(both)
        self.flag_ok += sum(want[s] == got_req[s] for s in both)

    def as_dict(self) -> dict:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else None
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else None
        return {"postings": self.postings, "precision": p, "recall": r,
                "required_accuracy": self.flag_ok / self.flag_total if self.flag_total else None,
                "tp": self.tp, "fp": self.fp, "fn": self.fn, "flag_pairs": self.flag_total}


# --------------------------------------------------------------------------------------------
# Run
# --------------------------------------------------------------------------------------------


@dataclass
class ShapeStats:
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    render_errors: list[str] = field(default_factory=list)


def _render(shape: str, p: CorpusPosting) -> tuple[bytes, str | None]:
    if shape == "source":
        return p.data, Path(p.file).name
    return render(shape, p.posting)


def baseline_ms(engine: Engine, rounds: int = 3) -> list[float]:
    times = []
    files = [f for f in sorted(FIXTURES.iterdir()) if f.suffix in (".md", ".txt") and f.name != "README.md"]
    for _ in range(rounds):
        for f in files:
            times.append(parse(f.read_bytes(), f.name, engine).ms)
    return times


def run(engine: Engine, postings: list[CorpusPosting], shapes: tuple[str, ...], verbose: bool = False) -> dict:
    shapes = tuple(dict.fromkeys(("markdown",) + shapes))  # markdown is the reference
    stats: dict[str, ShapeStats] = {s: ShapeStats() for s in shapes}
    base = baseline_ms(engine)
    for p in postings:
        for shape in shapes:
            try:
                data, name = _render(shape, p)
            except Exception as exc:  # noqa: BLE001 - a renderer problem is reported, not fatal
                stats[shape].render_errors.append(f"{p.id}: {type(exc).__name__}: {exc}")
                continue
            stats[shape].outcomes[p.id] = parse(data, name, engine)
    labels, unresolved = load_labels(engine)
    ref = stats["markdown"].outcomes
    ref_parsed = {pid for pid, o in ref.items() if o.status == "parsed"}
    base_median = statistics.median(base)
    result: dict[str, Any] = {
        "postings": len(postings),
        "kinds": dict(Counter(p.kind for p in postings)),
        "baseline_ms": {"what": "markdown shape of the 11 tests/data/jobs fixtures, 3 rounds",
                        "median": base_median, "p90": _pct(base, 0.9)},
        "labels_unresolved": sorted(set(unresolved)),
        "shapes": {},
    }
    for shape in shapes:
        st = stats[shape]
        outs = st.outcomes
        n = len(outs)
        parsed = {pid for pid, o in outs.items() if o.status == "parsed"}
        both = parsed & ref_parsed
        jac = [jaccard(outs[pid].pairs, ref[pid].pairs) for pid in both]
        times = [o.ms for o in outs.values()]
        crashes = [{"posting": pid, "error": o.error} for pid, o in outs.items() if o.status == "crash"]
        label_score = LabelScore()
        for pid, want in labels.items():
            if pid in outs:
                label_score.add(want, outs[pid].pairs if outs[pid].status == "parsed" else frozenset())
        errors = Counter((o.error or "").split(" (")[0][:100] for o in outs.values() if o.status == "not_parsed")
        by_kind = {}
        for kind in sorted({p.kind for p in postings}):
            ids = [p.id for p in postings if p.kind == kind and p.id in outs]
            if ids:
                by_kind[kind] = {"postings": len(ids), "parsed": sum(outs[i].status == "parsed" for i in ids)}
        result["shapes"][shape] = {
            "postings": n,
            "parse_rate": len(parsed) / n if n else None,
            "parse_rate_where_markdown_parses": len(parsed & ref_parsed) / len(ref_parsed & set(outs)) if ref_parsed & set(outs) else None,
            "jaccard_vs_markdown": statistics.fmean(jac) if jac else None,
            "jaccard_postings": len(jac),
            "identical_to_markdown": sum(j == 1.0 for j in jac),
            "crashes": crashes,
            "render_errors": st.render_errors,
            "not_parsed_reasons": dict(errors.most_common(8)),
            "by_kind": by_kind,
            "labels": label_score.as_dict(),
            "ms_median": statistics.median(times) if times else None,
            "ms_p90": _pct(times, 0.9),
            "ms_ratio_to_baseline": statistics.median(times) / base_median if times and base_median else None,
        }
        if verbose:
            result["shapes"][shape]["per_posting"] = {
                pid: {"status": o.status, "error": o.error,
                      "jaccard": jaccard(o.pairs, ref[pid].pairs) if pid in both else None,
                      "missing": sorted(f"{s}:{'req' if r else 'pref'}" for s, r in ref[pid].pairs - o.pairs) if pid in both else None,
                      "extra": sorted(f"{s}:{'req' if r else 'pref'}" for s, r in o.pairs - ref[pid].pairs) if pid in both else None}
                for pid, o in outs.items()}
    return result


def _fmt(x: float | None, pct: bool = True) -> str:
    if x is None or x != x:
        return "–"
    return f"{100 * x:5.1f}%" if pct else f"{x:6.1f}"


def _jac(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def print_table(result: dict) -> None:
    print(f"{result['postings']} postings {result['kinds']}; baseline parse (fixtures, markdown): "
          f"median {result['baseline_ms']['median']:.1f} ms, p90 {result['baseline_ms']['p90']:.1f} ms")
    head = (f"{'shape':16} {'parsed':>7} {'|md ok':>7} {'Jacc':>6} {'same':>5} {'crash':>5} "
            f"{'lab P':>6} {'lab R':>6} {'req ok':>6} {'med ms':>7} {'p90 ms':>7} {'x base':>6}")
    print(head)
    print("-" * len(head))
    for shape, s in result["shapes"].items():
        lab = s["labels"]
        print(f"{shape:16} {_fmt(s['parse_rate']):>7} {_fmt(s['parse_rate_where_markdown_parses']):>7} "
              f"{_jac(s['jaccard_vs_markdown']):>6} "
              f"{s['identical_to_markdown']:>5} {len(s['crashes']):>5} "
              f"{_fmt(lab['precision']):>6} {_fmt(lab['recall']):>6} {_fmt(lab['required_accuracy']):>6} "
              f"{s['ms_median']:7.1f} {s['ms_p90']:7.1f} {s['ms_ratio_to_baseline']:6.2f}")
    print("\n(parsed = share with >= 1 requirement; |md ok = over postings whose markdown shape parses; "
          "Jacc = mean (skill, required) Jaccard vs markdown where both parse; same = identical sets; "
          "lab P/R/req ok = labels.yaml skill precision/recall and required-flag accuracy)")
    for shape, s in result["shapes"].items():
        if s["crashes"] or s["render_errors"]:
            print(f"{shape}: crashes {s['crashes'][:5]} render errors {s['render_errors'][:3]}")
    src = result["shapes"].get("source")
    if src:
        print(f"source by kind: {src['by_kind']}")
        print(f"source not parsed: {src['not_parsed_reasons']}")


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=None, help="only the first N postings of MANIFEST.csv")
    ap.add_argument("--shapes", default=",".join(ALL_SHAPES), help=f"comma-separated, of: {','.join(ALL_SHAPES)}")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--verbose", action="store_true", help="per-posting outcomes in the JSON")
    ap.add_argument("--quiet", action="store_true", help="no table")
    args = ap.parse_args(argv)
    shapes = tuple(s.strip() for s in args.shapes.split(",") if s.strip())
    unknown = [s for s in shapes if s not in ALL_SHAPES]
    if unknown:
        ap.error(f"unknown shape(s) {unknown}; known: {', '.join(ALL_SHAPES)}")
    engine = default_engine()
    began = time.perf_counter()
    result = run(engine, load_corpus(args.limit), shapes, verbose=args.verbose)
    result["seconds"] = round(time.perf_counter() - began, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    if not args.quiet:
        print_table(result)
        print(f"\n{result['seconds']} s; written to {args.out}")
    return result


if __name__ == "__main__":
    main()
