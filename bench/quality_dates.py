"""Dated positions and total years on real résumés, per source (issue 17, part 4).

    python bench/quality_dates.py                  # every source: PDF set, DOCX set, Dotin, labelled
    python bench/quality_dates.py --source docx    # one source
    python bench/quality_dates.py --misses         # list the files without a dated position

For each source it parses every file through ``matcher.parse_bytes`` (the public surface) and counts
the résumés that parse, that have at least one dated position, and that get a total of experience
years. The share that matters is over the résumés **with dates a reader can see**: a file whose text
holds two or more years (1950..2049) on different lines, or a year and a "present"-like word.
The DOCX set's manifest also says, per file, whether a reader sees *work* dates at all
(``work_dates`` column, checked by hand); that set's target share is over those files.

Sources (all vendored, nothing read from outside the repository):
  pdf      tests/data/resume-pdfs/**/*.pdf         (real PDFs from public templates; MANIFEST.csv)
  docx     bench/data/resume-docx/*.docx           (real Word résumés, ODbL/DbCL; README.md)
  dotin    taxonomies/sources/resumes-dotin/...    (310 real résumés as text, CC0)
  labelled tests/data/labelled/*.txt|*.md          (hand-labelled set; written for the tests)
"""

from __future__ import annotations

import argparse
import csv
import logging
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import matcher  # noqa: E402

sys.path.insert(0, str(REPO / "bench"))
from quality_parse import dotin_documents  # noqa: E402

PDFS = REPO / "tests" / "data" / "resume-pdfs"
DOCX = REPO / "bench" / "data" / "resume-docx"
LABELLED = REPO / "tests" / "data" / "labelled"
#: A fixed "today" so the figures do not drift with the calendar.
AS_OF = date(2025, 6, 1)

_YEAR = re.compile(r"(?<![\d.])(?:19[5-9]\d|20[0-4]\d)(?![\d.])")
_PRESENT = re.compile(r"\b(?:present|current|till date|to date|now|ongoing)\b", re.IGNORECASE)


def visible_dates(text: str) -> bool:
    """Whether a reader sees dates: years on two different lines, or a year and "present"."""
    lines = {i for i, line in enumerate(text.splitlines()) if _YEAR.search(line)}
    return len(lines) >= 2 or (len(lines) == 1 and bool(_PRESENT.search(text)))


@dataclass
class SourceResult:
    name: str
    files: int = 0
    parsed: int = 0
    visible: int = 0
    work_dates: int = 0  # hand-checked (DOCX manifest), else equal to visible
    dated: int = 0  # ≥ 1 dated position, among the visible
    dated_work: int = 0  # ≥ 1 dated position, among the work_dates files
    years: int = 0  # a total of experience years, among the visible
    misses: list[str] = field(default_factory=list)

    def share(self, num: int, den: int) -> str:
        return f"{num}/{den} = {num / den:.3f}" if den else "n/a"


def _docx_work_dates() -> dict[str, bool]:
    manifest = DOCX / "MANIFEST.csv"
    if not manifest.exists():
        return {}
    with manifest.open(newline="", encoding="utf-8") as fh:
        return {row["file"]: row["work_dates"] == "yes" for row in csv.DictReader(fh)}


def source_files(source: str) -> Iterator[tuple[str, bytes]]:
    if source == "pdf":
        for p in sorted(PDFS.rglob("*.pdf")):
            yield str(p.relative_to(PDFS)), p.read_bytes()
    elif source == "docx":
        for p in sorted(DOCX.glob("*.docx"), key=lambda p: (len(p.stem), p.stem)):
            yield p.name, p.read_bytes()
    elif source == "dotin":
        for name, text, _spans in dotin_documents():
            yield name, text.encode("utf-8")
    elif source == "labelled":
        for p in sorted([*LABELLED.glob("*.txt"), *LABELLED.glob("*.md")]):
            if p.name != "README.md":
                yield p.name, p.read_bytes()
    else:
        raise ValueError(f"unknown source {source!r}")


def evaluate(source: str, engine: matcher.Engine) -> SourceResult:
    res = SourceResult(source)
    work = _docx_work_dates() if source == "docx" else {}
    for name, data in source_files(source):
        res.files += 1
        try:
            profile = matcher.parse_bytes(data, engine, as_of=AS_OF)
        except matcher.DocumentError as exc:
            res.misses.append(f"{name}: unreadable ({exc.code})")
            continue
        res.parsed += 1
        if not visible_dates(profile.text):
            continue
        res.visible += 1
        has_work = work.get(name, True)
        res.work_dates += has_work
        dated = any(p.start is not None for p in profile.positions)
        res.dated += dated
        res.dated_work += dated and has_work
        res.years += profile.experience_years is not None
        if not dated:
            res.misses.append(f"{name}: no dated position" + ("" if has_work else " (no work dates)"))
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", choices=("pdf", "docx", "dotin", "labelled"), action="append")
    ap.add_argument("--misses", action="store_true", help="list the files without a dated position")
    args = ap.parse_args(argv)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font warnings of the PDF set
    engine = matcher.default_engine()
    print("| source | files | parsed | dates visible | ≥ 1 dated position | total years | dated, of files with work dates |")
    print("|---|---|---|---|---|---|---|")
    for source in args.source or ("pdf", "docx", "dotin", "labelled"):
        r = evaluate(source, engine)
        print(f"| {r.name} | {r.files} | {r.parsed} | {r.visible} | {r.share(r.dated, r.visible)} "
              f"| {r.share(r.years, r.visible)} | {r.share(r.dated_work, r.work_dates)} |")
        if args.misses:
            for m in r.misses:
                print(f"    {m}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
