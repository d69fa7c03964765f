"""Shared fixtures: a small hand-written taxonomy (fast, stable) and the bundled engine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TEST_DATA = REPO / "tests" / "data"  # vendored fixtures; each folder's README.md gives sources and licenses


def _skill(id, name, category="ml_frameworks", aliases=(), parents=(), related=(), ambiguity=None):
    return {
        "id": id,
        "name": name,
        "category": category,
        "aliases": list(aliases),
        "parents": [{"id": p, "weight": w} for p, w in parents],
        "related": [{"id": r, "weight": w} for r, w in related],
        "hot": False,
        "sources": ["manual"],
        "ambiguity": ambiguity,
    }


SMALL_TAXONOMY = {
    "schema_version": 1,
    "version": "2026.1.0",
    "attribution": [],
    "categories": {
        "ml_frameworks": "ML frameworks",
        "programming_languages": "Programming languages",
        "containers_orchestration": "Containers",
        "data_processing": "Data processing",
        "serving_inference": "Serving",
        "databases": "Databases",
    },
    "skills": [
        _skill("pytorch", "PyTorch", aliases=["Pytorch", "torch"], related=[("jax", 0.6)]),
        _skill("jax", "JAX"),
        _skill("jax-ws", "JAX-WS", "programming_languages"),
        _skill("fsdp", "FSDP", aliases=["Fully Sharded Data Parallel"], parents=[("pytorch", 0.8)]),
        _skill("tensorrt", "TensorRT", "serving_inference", aliases=["Tensor RT"]),
        _skill("tensorrt-llm", "TensorRT-LLM", "serving_inference", parents=[("tensorrt", 0.9)]),
        _skill("kubernetes", "Kubernetes", "containers_orchestration", aliases=["k8s"]),
        _skill("docker", "Docker", "containers_orchestration",
               ambiguity={"case_sensitive": False, "needs_context": False, "qualifiers": [],
                          "reject_before": ["loading"], "reject_after": ["worker", "workers"]}),
        _skill("python", "Python", "programming_languages"),
        _skill("c-plus-plus", "C++", "programming_languages", aliases=["cpp"]),
        _skill("c-sharp", "C#", "programming_languages"),
        _skill("cuda", "CUDA", "programming_languages"),
        _skill("node-js", "Node.js", "programming_languages", aliases=["NodeJS", "node"]),
        _skill("go", "Go", "programming_languages", aliases=["Golang"],
               ambiguity={"case_sensitive": True, "needs_context": True, "qualifiers": ["google"],
                          "reject_before": [], "reject_after": ["live", "to"]}),
        _skill("apache-spark", "Apache Spark", "data_processing", aliases=["Spark", "apache-spark"],
               ambiguity={"case_sensitive": True, "needs_context": True, "qualifiers": ["apache"],
                          "reject_before": [], "reject_after": ["ignition", "plug", "plugs"]}),
        _skill("apache-beam", "Apache Beam", "data_processing", aliases=["Beam"],
               ambiguity={"case_sensitive": True, "needs_context": True, "qualifiers": ["apache"],
                          "reject_before": [], "reject_after": ["search", "deflection"]}),
        _skill("ray", "Ray", "data_processing",
               ambiguity={"case_sensitive": True, "needs_context": True, "qualifiers": [],
                          "reject_before": [], "reject_after": []}),
        _skill("sql", "SQL", "databases"),
        _skill("postgresql", "PostgreSQL", "databases", aliases=["Postgres"], parents=[("sql", 0.9)]),
        _skill("sap", "SAP", "databases"),
    ],
}


@pytest.fixture(scope="session")
def small_taxonomy_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("taxonomy") / "skills.json"
    path.write_text(json.dumps(SMALL_TAXONOMY), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def small_taxonomy(small_taxonomy_path):
    from matcher.taxonomy import load_taxonomy

    return load_taxonomy(small_taxonomy_path)


@pytest.fixture(scope="session")
def small_engine(small_taxonomy):
    from matcher.pipeline import build_engine

    return build_engine(small_taxonomy)


@pytest.fixture(scope="session")
def engine():
    """The engine on the bundled taxonomy (built once per test process)."""
    from matcher.pipeline import default_engine

    return default_engine()
