"""The job-shape bench (bench/quality_roles.py) runs and keeps its output structure."""

from __future__ import annotations

import json

from bench.quality_roles import main


def test_bench_runs_on_a_few_postings(tmp_path):
    out = tmp_path / "quality_roles.json"
    result = main(["--limit", "5", "--shapes", "markdown,paragraph,html", "--out", str(out), "--quiet"])
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(json.dumps(result))
    assert result["postings"] == 5
    assert set(result["shapes"]) == {"markdown", "paragraph", "html"}
    assert result["baseline_ms"]["median"] > 0
    for s in result["shapes"].values():
        assert s["postings"] == 5
        assert 0.0 <= s["parse_rate"] <= 1.0
        assert s["crashes"] == [] or all({"posting", "error"} <= set(c) for c in s["crashes"])
        assert {"precision", "recall", "required_accuracy", "postings"} <= set(s["labels"])
        assert s["ms_median"] > 0 and s["ms_p90"] >= s["ms_median"]
    md = result["shapes"]["markdown"]
    assert md["jaccard_vs_markdown"] in (None, 1.0)
    assert md["parse_rate_where_markdown_parses"] in (None, 1.0)
