#!/usr/bin/env python
"""Time ``matcher.documents.read_document`` against pdfminer's own ``extract_text``.

    python bench/bench_pdf.py [--repeat N] [--no-generated] [--dir DIR]

For every PDF under ``DIR`` (default: ``tests/data/resume-pdfs``, vendored in the repository) plus a
few generated ones (single column, two columns with a sidebar, a 5-page document), both readers
run ``N`` times on the same bytes, interleaved (ours, theirs, ours, ...); the best time of each is
kept (the median is shown too). ``--clock cpu`` (default) measures process CPU time, which other load on the machine
disturbs less than wall-clock time (``--clock wall``). Prints a table and the overall overhead
(sum of best times). Product target: overhead <= 20 %; the exit status is 2 when it is missed.
"""

from __future__ import annotations

import argparse
import gc
import io
import logging
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pdfminer.high_level import extract_text  # noqa: E402

from matcher.documents import read_document  # noqa: E402

TARGET = 20.0


def _generated(tmp: Path) -> list[tuple[str, bytes]]:
    try:
        from reportlab.lib.pagesizes import A4
        from reportlab.pdfgen import canvas
    except ImportError:  # reportlab is a test extra
        return []

    words = (
        "Designed and implemented a real-time fraud detection pipeline processing 50K events per "
        "second using Kafka and Go while mentoring three engineers and reducing latency"
    ).split()

    def para(i: int, n: int) -> str:
        return " ".join(words[(i + k) % len(words)] for k in range(n))

    out: list[tuple[str, bytes]] = []

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    y = 800
    for i in range(60):
        c.setFont("Helvetica", 10)
        c.drawString(50, y, ("• " if i % 4 else "") + para(i, 14))
        y -= 13
    c.showPage()
    c.save()
    out.append(("generated/single-column.pdf", buf.getvalue()))

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    y = 800
    for i in range(55):
        c.setFont("Helvetica", 10)
        c.drawString(40, y, ("• " if i % 3 else "") + para(i, 9))
        y -= 14
    y = 800
    for i in range(60):
        c.setFont("Helvetica", 8.5)
        c.drawString(400, y, para(i * 3, 4))
        y -= 11.5
    c.showPage()
    c.save()
    out.append(("generated/two-column.pdf", buf.getvalue()))

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for page in range(5):
        y = 800
        for i in range(58):
            c.setFont("Times-Roman", 10)
            c.drawString(50, y, para(page * 7 + i, 15))
            y -= 13
        c.showPage()
    c.save()
    out.append(("generated/five-pages.pdf", buf.getvalue()))
    return out


def _time(fn, data: bytes, clock) -> float:
    gc.collect()
    t = clock()
    fn(data)
    return clock() - t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5, help="runs per reader per file (best is kept)")
    ap.add_argument("--dir", type=Path, default=REPO / "tests" / "data" / "resume-pdfs")
    ap.add_argument("--no-generated", action="store_true", help="only the PDFs under --dir")
    ap.add_argument("--clock", choices=("cpu", "wall"), default="cpu", help="process CPU time or wall time")
    args = ap.parse_args(argv)
    logging.disable(logging.WARNING)  # pdfminer's font warnings would flood the table

    files: list[tuple[str, bytes]] = []
    if args.dir.is_dir():
        for p in sorted(args.dir.rglob("*.pdf")):
            files.append((str(p.relative_to(args.dir)), p.read_bytes()))
    else:
        print(f"note: {args.dir} not found; generated PDFs only", file=sys.stderr)
    if not args.no_generated:
        with tempfile.TemporaryDirectory() as tmp:
            files.extend(_generated(Path(tmp)))
    if not files:
        print("no PDFs to time", file=sys.stderr)
        return 1

    def ours(data: bytes) -> None:
        read_document(data)

    def theirs(data: bytes) -> None:
        extract_text(io.BytesIO(data))

    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    print(f"{len(files)} PDFs, best of {args.repeat} runs each, {args.clock} time")
    rows = []
    for name, data in files:
        ours(data)  # warm-up (imports, font caches)
        theirs(data)
        t_ours: list[float] = []
        t_theirs: list[float] = []
        for _ in range(args.repeat):
            t_ours.append(_time(ours, data, clock))
            t_theirs.append(_time(theirs, data, clock))
        rows.append((name, len(data), t_theirs, t_ours))

    w = max(len(r[0]) for r in rows)
    print(
        f"{'file':<{w}}  {'KB':>5}  {'extract_text ms':>15}  {'read_document ms':>16}  "
        f"{'overhead (best)':>15}  {'(median)':>8}"
    )
    for name, size, a, b in rows:
        best = (min(b) / min(a) - 1) * 100
        med = (median(b) / median(a) - 1) * 100
        print(
            f"{name:<{w}}  {size / 1024:5.0f}  {min(a) * 1000:15.1f}  {min(b) * 1000:16.1f}  "
            f"{best:+14.1f}%  {med:+7.1f}%"
        )
    total_a = sum(min(r[2]) for r in rows)
    total_b = sum(min(r[3]) for r in rows)
    overhead = (total_b / total_a - 1) * 100
    overhead_med = (sum(median(r[3]) for r in rows) / sum(median(r[2]) for r in rows) - 1) * 100
    print(
        f"{'TOTAL':<{w}}  {'':>5}  {total_a * 1000:15.1f}  {total_b * 1000:16.1f}  "
        f"{overhead:+14.1f}%  {overhead_med:+7.1f}%"
    )
    worst = max((min(b) / min(a) - 1) * 100 for _, _, a, b in rows)
    verdict = "OK" if overhead <= TARGET else "OVER TARGET"
    print(
        f"overall overhead {overhead:+.1f}% on best times ({overhead_med:+.1f}% on medians; "
        f"worst file {worst:+.1f}%), target <= {TARGET:.0f}%: {verdict}"
    )
    return 0 if overhead <= TARGET else 2


if __name__ == "__main__":
    raise SystemExit(main())
