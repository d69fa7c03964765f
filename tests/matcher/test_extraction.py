"""Skill extraction: tokenizer, longest match, ambiguity and modality (small hand-written taxonomy)."""

from __future__ import annotations

import pytest

from matcher.extraction import build_skill_matcher, extract_mentions, match_skills
from matcher.nlp import build_nlp
from matcher.sections import find_positions, find_sections
from matcher.types import Document


@pytest.fixture(scope="module")
def sm(small_taxonomy):
    return build_skill_matcher(small_taxonomy)


def _mentions(text, sm):
    doc = Document(text=text, format="text")
    sections = find_sections(doc)
    positions = find_positions(doc, sections)
    return extract_mentions(doc, sections, positions, sm)


def _asserted(text, sm):
    return [m.skill_id for m in _mentions(text, sm) if m.modality == "asserted"]


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("C++/CUDA", ["C++", "/", "CUDA"]),
        ("Node.js, C#, .NET", ["Node.js", ",", "C#", ",", ".NET"]),
        ("k8s,", ["k8s", ","]),
        ("PyTorch/TensorFlow", ["PyTorch", "/", "TensorFlow"]),
        ("•Kubernetes", ["•", "Kubernetes"]),
        ("C#/.NET", ["C#", "/", ".NET"]),
    ],
    ids=["cpp-slash-cuda", "node-csharp-dotnet", "k8s-comma", "slash-pair", "glued-bullet", "csharp-slash-dotnet"],
)
def test_tokenizer_keeps_tech_tokens(text, tokens):
    assert [t.text for t in build_nlp().make_doc(text)] == tokens


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Built kernels in C++/CUDA.", ["c-plus-plus", "cuda"]),
        ("Services in NodeJS and C#", ["node-js", "c-sharp"]),
        ("Deployed on K8S, with Pytorch", ["kubernetes", "pytorch"]),
        ("Optimized with Tensor RT and TensorRT-LLM", ["tensorrt", "tensorrt-llm"]),
        ("SOAP services with JAX-WS", ["jax-ws"]),
        ("Trained models in JAX", ["jax"]),
        ("Used Postgres daily", ["postgresql"]),
        ("Fully Sharded Data Parallel training", ["fsdp"]),
    ],
    ids=["cpp-cuda", "node-csharp", "k8s-pytorch-case", "tensorrt-variants", "jax-ws-not-jax", "jax", "postgres", "multiword-alias"],
)
def test_surface_variants_resolve(sm, text, expected):
    assert [s for s, *_ in match_skills(text, sm)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("She is my go-to person for reviews, with Python.", ["python"]),
        ("Ready to go live with Python and Kubernetes.", ["python", "kubernetes"]),
        ("Wrote microservices in Go with Kubernetes.", ["go", "kubernetes"]),
        ("Skills: Go, Python", ["go", "python"]),
        ("Research on spark ignition engines.", []),
        ("Implemented beam search decoding in PyTorch.", ["pytorch"]),
        ("ETL jobs on Apache Spark.", ["apache-spark"]),
        ("Batch jobs in Spark and Kubernetes.", ["apache-spark", "kubernetes"]),
        ("I reported to Ray Chen for two years.", []),
        ("Distributed training with Ray and PyTorch.", ["ray", "pytorch"]),
        ("Supervised the loading dock team.", []),
        ("Containerized services with Docker.", ["docker"]),
        ("Worked with designer Ray Donovan on tools in PyTorch.", ["pytorch"]),
        ("Go/No-Go test fixtures in Python.", ["python"]),
        ("Backends in Go/Python.", ["go", "python"]),
    ],
    ids=[
        "go-to", "go-live", "go-with-context", "go-in-skills", "spark-ignition", "beam-search",
        "apache-spark", "spark-with-context", "ray-person", "ray-with-context", "loading-dock", "docker",
        "proper-noun-after", "go-slash-no-go", "go-slash-skill",
    ],
)
def test_ambiguous_names_need_evidence(sm, text, expected):
    assert _asserted(text, sm) == expected


@pytest.mark.parametrize(
    ("text", "skill", "modality"),
    [
        ("I have not used Kubernetes in production.", "kubernetes", "negated"),
        ("No prior Docker experience.", "docker", "negated"),
        ("Currently learning JAX on weekends.", "jax", "aspiration"),
        ("I want to learn CUDA next year.", "cuda", "aspiration"),
        ("Interested in exploring Ray for PyTorch tuning.", "ray", "aspiration"),
        ("Learning: JAX, CUDA", "jax", "aspiration"),
        ("Never used Kubernetes, but I use Docker daily.", "docker", "asserted"),
        ("Never used Kubernetes, but I use Docker daily.", "kubernetes", "negated"),
        ("Trained PyTorch models for machine learning research.", "pytorch", "asserted"),
        ("Kubernetes (currently learning)", "kubernetes", "aspiration"),
        ("Docker was not used; the API ran on bare VMs.", "docker", "negated"),
        ("I have never worked with\nKubernetes; our tests ran on VMs.", "kubernetes", "negated"),
        ("- Hired whole teams of Go and Kubernetes engineers.", "kubernetes", "other"),
        ("- Recruited Python/PyTorch researchers for the lab.", "python", "other"),
        ("- Built services in Python with a team of four.", "python", "asserted"),
        ("Built a pipeline that never lost an event, using Kubernetes.", "kubernetes", "asserted"),
        ("Not yet: Docker, Kubernetes (planning to start a course soon)", "docker", "negated"),
        ("Hoping to move toward CUDA work next year.", "cuda", "aspiration"),
    ],
    ids=[
        "have-not-used", "no-prior", "currently-learning", "want-to-learn", "interested-exploring",
        "learning-colon", "contrast-resets-clause", "negated-before-but", "machine-learning-is-not-a-cue",
        "learning-after", "was-not-used", "negation-across-wrapped-line", "other-peoples-skills",
        "other-peoples-slash", "own-skill-with-team", "never-in-an-achievement", "not-yet-list",
        "hoping-to-move-toward",
    ],
)
def test_modality(sm, text, skill, modality):
    found = {m.skill_id: m.modality for m in _mentions(text, sm)}
    assert found.get(skill) == modality


def test_mentions_carry_exact_offsets_and_context(sm):
    text = (
        "Jane Doe\n\nEXPERIENCE\nML Engineer, Acme Corp\nMar 2021 – Present\n"
        "• Trained Pytorch models on k8s.\n\nSKILLS\nPython, Docker, JAX\n"
    )
    mentions = _mentions(text, sm)
    for m in mentions:
        assert text[m.start : m.end] == m.text
    by_id = {m.skill_id: m for m in mentions}
    assert by_id["pytorch"].source == "position" and by_id["pytorch"].position == 0
    assert by_id["pytorch"].section == "experience"
    assert by_id["python"].source == "skills_list" and by_id["python"].position is None
    assert by_id["python"].section == "skills"


def test_keyword_line_outside_positions_is_a_skills_list(sm):
    text = "Summary\nSeasoned engineer.\nKeywords: Python, Docker, Kubernetes, JAX\n"
    sources = {m.skill_id: m.source for m in _mentions(text, sm)}
    assert sources == dict.fromkeys(["python", "docker", "kubernetes", "jax"], "skills_list")


def test_acronym_definitions_are_not_skills(sm):
    text = "Wrote the statistical analysis plan (SAP) in Python."
    assert [m.skill_id for m in _mentions(text, sm)] == ["python"]


def test_proficiency_levels_are_not_skills(engine):
    from matcher.extraction import match_skills

    found = {sid for sid, *_ in match_skills("Languages: English (fluent), Python (basic)", engine.skill_matcher, list_context=True)}
    assert found == {"python"}


def test_an_ambiguous_name_confirmed_elsewhere_in_the_document_counts_where_it_is_used(engine):
    """One sense per document: "dbt" in the skills list makes the bare "dbt" of a position the tool;
    a document that never confirms it keeps the word out."""
    from matcher.pipeline import parse_text

    used = "EXPERIENCE\nData Engineer — Acme, Chicago    Apr 2022 – Present\n• Own the dbt project for merchandising.\n"
    confirmed = parse_text(used + "\nSKILLS\nPython, SQL, dbt\n", engine)
    assert "position" in confirmed.skill("dbt").sources
    alone = parse_text(used, engine)
    assert alone.skill("dbt") is None
