"""The skills taxonomy: the bundled data and the loader's validation."""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matcher.errors import TaxonomyError
from matcher.taxonomy import (
    Ambiguity,
    Skill,
    SkillLink,
    Taxonomy,
    alias_key,
    default_taxonomy,
    load_taxonomy,
    normalize_surface,
)

ONET_ATTRIBUTION = (
    "This product includes information from the O*NET 29.2 Database by the U.S. Department of "
    "Labor, Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 license."
)


@pytest.fixture(scope="module")
def tx() -> Taxonomy:
    return load_taxonomy()


# ------------------------------------------------------------------------------------------------
# Surface normalization
# ------------------------------------------------------------------------------------------------

NORMALIZE = [
    ("  PyTorch   Lightning ", "pytorch lightning"),
    ("C++", "c++"),
    ("C#", "c#"),
    (" .NET ", ".net"),
    ("Node.js", "node.js"),
    ("Weights & Biases", "weights & biases"),
    ("CI/CD", "ci/cd"),
    ("Scikit\u2011learn", "scikit-learn"),  # non-breaking hyphen
    ("A\u2013B testing", "a-b testing"),  # en dash
    ("Raiser\u2019s Edge", "raiser's edge"),  # curly quote
    ("TensorFlow\u00a0Serving", "tensorflow serving"),  # no-break space
    ("Py\u200bTorch", "pytorch"),  # zero-width space
    ("ＳＱＬ", "sql"),  # full-width letters
]


@pytest.mark.parametrize(("text", "expected"), NORMALIZE, ids=[t for t, _ in NORMALIZE])
def test_normalize_surface(text: str, expected: str) -> None:
    assert normalize_surface(text) == expected


ALIAS_KEYS = [
    ("Tensor RT", "tensorrt"),
    ("TensorRT", "tensorrt"),
    ("ML Flow", "mlflow"),
    ("apache-spark", "apachespark"),
    ("Apache Spark", "apachespark"),
    ("Node.js", "nodejs"),
    ("NodeJS", "nodejs"),
    ("scikit_learn", "scikitlearn"),
    ("c++", "c++"),
    ("C#", "c#"),
    (".NET", ".net"),
    ("dot net", "dotnet"),
    ("Python.", "python"),
    ("W&B", "w&b"),
]


@pytest.mark.parametrize(("text", "expected"), ALIAS_KEYS, ids=[t for t, _ in ALIAS_KEYS])
def test_alias_key(text: str, expected: str) -> None:
    assert alias_key(text) == expected


def test_alias_key_keeps_c_family_apart() -> None:
    keys = {alias_key(t) for t in ["C", "C++", "C#", ".NET", "NET", "F#", "R"]}
    assert len(keys) == 7


@given(st.text(max_size=40))
def test_normalization_is_idempotent(text: str) -> None:
    once = normalize_surface(text)
    assert normalize_surface(once) == once
    assert alias_key(once) == alias_key(text)
    assert alias_key(alias_key(text)) == alias_key(text)


# ------------------------------------------------------------------------------------------------
# The bundled taxonomy
# ------------------------------------------------------------------------------------------------


def test_bundled_taxonomy_loads_and_validates(tx: Taxonomy) -> None:
    assert tx.schema_version == 1
    assert tx.version.count(".") == 2
    assert len(tx) > 1000
    assert len(tx.categories) >= 20
    assert ONET_ATTRIBUTION in tx.attribution
    assert any("CC BY-SA 4.0" in a and "Stack" in a for a in tx.attribution)
    assert {s.category for s in tx} <= set(tx.categories)


def test_bundled_file_is_the_default(tx: Taxonomy) -> None:
    assert default_taxonomy() is default_taxonomy()
    assert len(default_taxonomy()) == len(tx)
    bundled = Path(__file__).resolve().parents[2] / "taxonomies" / "skills.json"
    assert len(load_taxonomy(bundled)) == len(tx)
    assert len(load_taxonomy(str(bundled))) == len(tx)


def test_bundled_taxonomy_loads_fast() -> None:
    load_taxonomy()  # warm the imports
    started = time.thread_time()  # this thread's CPU time: other processes on a busy machine don't count
    load_taxonomy()
    # The target is well under 0.5 s; the bound here is loose so slow CI machines don't flake.
    assert time.thread_time() - started < 1.5


def test_bundled_skills_are_well_formed(tx: Taxonomy) -> None:
    for skill in tx:
        assert isinstance(skill, Skill)
        assert skill.sources, skill.id
        assert all(0 < link.weight <= 1 for link in (*skill.parents, *skill.related)), skill.id
        if skill.hot:
            assert any(s.startswith("onet:") for s in skill.sources), skill.id
    # Forms too dangerous to be aliases at all.
    for form, skill_id in tx.surface_forms():
        assert form.strip() not in {"IT", "AI", "CV", "A", "I", "it", "ai"}, (form, skill_id)


def test_container_protocol(tx: Taxonomy) -> None:
    assert "pytorch" in tx
    assert "no-such-skill" not in tx
    assert tx["pytorch"].name == "PyTorch"
    assert tx.get("pytorch") is tx["pytorch"]
    assert tx.get("no-such-skill") is None
    with pytest.raises(KeyError, match="no-such-skill"):
        tx["no-such-skill"]
    assert sum(1 for _ in tx) == len(tx)


# Every skill of the example ML engineer job page, with the spelling variants recruiters and
# candidates write.
RESOLVE = [
    # job page: required skills
    ("PyTorch", "pytorch"),
    ("Pytorch", "pytorch"),
    ("pytorch", "pytorch"),
    ("py-torch", "pytorch"),
    ("JAX", "jax"),
    ("Horovod", "horovod"),
    ("DeepSpeed", "deepspeed"),
    ("Deep Speed", "deepspeed"),
    ("FSDP", "fsdp"),
    ("Fully Sharded Data Parallel", "fsdp"),
    ("Apache Spark", "apache-spark"),
    ("apache-spark", "apache-spark"),
    ("Spark", "apache-spark"),
    ("Beam", "apache-beam"),
    ("Apache Beam", "apache-beam"),
    ("TensorRT", "tensorrt"),
    ("Tensor RT", "tensorrt"),
    ("ONNX", "onnx"),
    ("TorchServe", "torchserve"),
    ("Torch Serve", "torchserve"),
    ("MLflow", "mlflow"),
    ("ML Flow", "mlflow"),
    ("Weights & Biases", "weights-and-biases"),
    ("Weights and Biases", "weights-and-biases"),
    ("W&B", "weights-and-biases"),
    ("wandb", "weights-and-biases"),
    ("SQL", "sql"),
    ("data warehousing", "data-warehousing"),
    ("feature stores", "feature-store"),
    ("feature store", "feature-store"),
    ("A/B testing", "a-b-testing"),
    ("A/B experiments", "a-b-testing"),
    ("causal inference", "causal-inference"),
    ("Kubernetes", "kubernetes"),
    ("K8s", "kubernetes"),
    ("K8S", "kubernetes"),
    ("k8s", "kubernetes"),
    ("Docker", "docker"),
    # job page: the rest of the text
    ("Python", "python"),
    ("C++", "c-plus-plus"),
    ("cpp", "c-plus-plus"),
    ("Scala", "scala"),
    ("Java", "java"),
    ("TensorBoard", "tensorboard"),
    ("feature engineering", "feature-engineering"),
    ("quantization", "model-quantization"),
    # modern ML stack
    ("vLLM", "vllm"),
    ("Triton Inference Server", "triton-inference-server"),
    ("Triton", "triton-inference-server"),
    ("OpenAI Triton", "triton-lang"),
    ("Triton kernels", "triton-lang"),
    ("TensorRT-LLM", "tensorrt-llm"),
    ("TRT-LLM", "tensorrt-llm"),
    ("ONNX Runtime", "onnx-runtime"),
    ("Ray", "ray"),
    ("Dask", "dask"),
    ("Kubeflow", "kubeflow"),
    ("Airflow", "apache-airflow"),
    ("Dagster", "dagster"),
    ("Prefect", "prefect"),
    ("Feast", "feast"),
    ("DVC", "dvc"),
    ("Hugging Face Transformers", "hugging-face-transformers"),
    ("LangChain", "langchain"),
    ("LlamaIndex", "llamaindex"),
    ("PEFT", "peft"),
    ("LoRA", "lora"),
    ("QLoRA", "lora"),
    ("Megatron-LM", "megatron-lm"),
    ("Accelerate", "hugging-face-accelerate"),
    ("XGBoost", "xgboost"),
    ("LightGBM", "lightgbm"),
    ("CatBoost", "catboost"),
    ("Optuna", "optuna"),
    ("BentoML", "bentoml"),
    ("Seldon", "seldon-core"),
    ("KServe", "kserve"),
    ("SageMaker", "amazon-sagemaker"),
    ("Vertex AI", "vertex-ai"),
    ("Databricks", "databricks"),
    ("Snowflake", "snowflake"),
    ("BigQuery", "bigquery"),
    ("Redshift", "amazon-redshift"),
    ("dbt", "dbt"),
    ("Kafka", "apache-kafka"),
    ("Flink", "apache-flink"),
    ("Delta Lake", "delta-lake"),
    ("Iceberg", "apache-iceberg"),
    ("OpenAI API", "openai-api"),
    ("CUDA", "cuda"),
    ("Flax", "flax"),
    ("Optax", "optax"),
    ("pandas", "pandas"),
    ("NumPy", "numpy"),
    ("polars", "polars"),
    ("statsmodels", "statsmodels"),
    ("PySpark", "pyspark"),
    ("Spark SQL", "spark-sql"),
    ("Keras", "keras"),
    ("PyTorch Lightning", "pytorch-lightning"),
    # required variants
    ("Sci-kit learn", "scikit-learn"),
    ("sklearn", "scikit-learn"),
    ("scikit-learn", "scikit-learn"),
    ("Postgres", "postgresql"),
    ("PostgreSQL", "postgresql"),
    ("Golang", "go"),
    ("Go", "go"),
    ("NodeJS", "node-js"),
    ("Node.js", "node-js"),
    ("C#", "c-sharp"),
    ("C", "c"),
    ("R", "r"),
    (".NET", "dot-net"),
    ("dotnet", "dot-net"),
    ("JS", "javascript"),
    ("TS", "typescript"),
    ("AWS", "amazon-web-services"),
    ("Amazon Web Services", "amazon-web-services"),
    ("amazon-web-services", "amazon-web-services"),
    ("GCP", "google-cloud"),
    ("Azure", "microsoft-azure"),
    ("EKS", "amazon-eks"),
    ("GKE", "google-kubernetes-engine"),
    ("AKS", "azure-kubernetes-service"),
    # Java APIs that must never become JAX
    ("JAX-WS", "jax-ws"),
    ("JAX WS", "jax-ws"),
    ("JAX-RS", "jax-rs"),
    # office and engineering tools, cleaned from O*NET names
    ("Excel", "microsoft-excel"),
    ("MS Excel", "microsoft-excel"),
    ("Microsoft Excel", "microsoft-excel"),
    ("Word", "microsoft-word"),
    ("MATLAB", "matlab"),
    ("The MathWorks MATLAB", "matlab"),
    ("Oracle Java", "java"),
    ("AutoCAD", "autocad"),
    ("Autodesk AutoCAD", "autocad"),
    ("SolidWorks", "solidworks"),
    ("Jira", "jira"),
    ("Atlassian JIRA", "jira"),
]


@pytest.mark.parametrize(("surface", "skill_id"), RESOLVE, ids=[s for s, _ in RESOLVE])
def test_resolve(tx: Taxonomy, surface: str, skill_id: str) -> None:
    skill = tx.resolve(surface)
    assert skill is not None, f"{surface!r} does not resolve"
    assert skill.id == skill_id


UNRESOLVED = ["", "   ", "IT", "AI", "CV", "definitely not a skill", "Jax-WS-ish"]


@pytest.mark.parametrize("surface", UNRESOLVED, ids=[repr(s) for s in UNRESOLVED])
def test_resolve_unknown(tx: Taxonomy, surface: str) -> None:
    assert tx.resolve(surface) is None


def test_jax_ws_is_not_jax(tx: Taxonomy) -> None:
    jax_ws = tx.resolve("JAX-WS")
    assert jax_ws is not None and jax_ws.id == "jax-ws"
    assert "jax" not in tx.implied("jax-ws")
    assert "jax" not in tx.related("jax-ws")
    assert tx["jax"].ambiguity is not None and "-ws" in tx["jax"].ambiguity.reject_after


def test_surface_forms(tx: Taxonomy) -> None:
    forms = list(tx.surface_forms())
    assert ("K8s", "kubernetes") in forms
    assert ("PyTorch", "pytorch") in forms
    assert {skill_id for _, skill_id in forms} == {s.id for s in tx}
    assert len(forms) == len(tx) + sum(len(s.aliases) for s in tx)
    # Every form resolves back to its own skill.
    for form, skill_id in forms:
        resolved = tx.resolve(form)
        assert resolved is not None and resolved.id == skill_id, form


# ------------------------------------------------------------------------------------------------
# Implications and related skills
# ------------------------------------------------------------------------------------------------

IMPLIES = [
    ("pyspark", "apache-spark", 0.8, 1.0),
    ("pyspark", "python", 0.5, 1.0),
    ("fsdp", "pytorch", 0.8, 1.0),
    ("fsdp", "distributed-training", 0.8, 1.0),
    ("torchserve", "pytorch", 0.3, 0.79),
    ("tensorrt-llm", "tensorrt", 0.6, 1.0),
    ("postgresql", "sql", 0.8, 1.0),
    ("mysql", "sql", 0.8, 1.0),
    ("kubeflow", "kubernetes", 0.3, 0.99),
    ("amazon-eks", "kubernetes", 0.8, 1.0),
    ("google-kubernetes-engine", "kubernetes", 0.8, 1.0),
    ("azure-kubernetes-service", "kubernetes", 0.8, 1.0),
    ("keras", "tensorflow", 0.3, 0.79),
    ("flax", "jax", 0.8, 1.0),
    ("pytorch-lightning", "pytorch", 0.8, 1.0),
    ("spark-sql", "apache-spark", 0.8, 1.0),
    ("spark-sql", "sql", 0.7, 1.0),
    ("bigquery", "data-warehousing", 0.7, 1.0),
    ("bigquery", "sql", 0.7, 1.0),
    ("snowflake", "data-warehousing", 0.7, 1.0),
    ("amazon-redshift", "sql", 0.7, 1.0),
    ("pytorch", "deep-learning", 0.7, 1.0),
    # transitive: fsdp -> distributed-training -> deep-learning -> machine-learning
    ("fsdp", "machine-learning", 0.3, 0.9),
]


@pytest.mark.parametrize(
    ("child", "parent", "low", "high"), IMPLIES, ids=[f"{c}->{p}" for c, p, *_ in IMPLIES]
)
def test_implied(tx: Taxonomy, child: str, parent: str, low: float, high: float) -> None:
    implied = tx.implied(child)
    assert parent in implied, f"{child} does not imply {parent}: {implied}"
    assert low <= implied[parent] <= high


def test_implied_excludes_itself_and_is_weaker_transitively(tx: Taxonomy) -> None:
    for skill in tx:
        implied = tx.implied(skill.id)
        assert skill.id not in implied
        assert all(0 < w <= 1 for w in implied.values())
    fsdp = tx.implied("fsdp")
    assert fsdp["machine-learning"] < fsdp["deep-learning"] < 1


def test_implied_unknown_skill(tx: Taxonomy) -> None:
    with pytest.raises(KeyError, match="nope"):
        tx.implied("nope")
    with pytest.raises(KeyError, match="nope"):
        tx.related("nope")


RELATED = [
    ("pytorch", "tensorflow"),
    ("pytorch", "jax"),
    ("tensorflow", "jax"),
    ("horovod", "deepspeed"),
    ("deepspeed", "fsdp"),
    ("fsdp", "megatron-lm"),
    ("apache-spark", "apache-beam"),
    ("apache-beam", "apache-flink"),
    ("apache-flink", "dask"),
    ("tensorrt", "onnx-runtime"),
    ("onnx-runtime", "openvino"),
    ("mlflow", "weights-and-biases"),
    ("weights-and-biases", "neptune-ai"),
    ("neptune-ai", "comet-ml"),
    ("kubernetes", "docker-swarm"),
    ("kubernetes", "nomad"),
    ("docker", "podman"),
    ("amazon-web-services", "google-cloud"),
    ("google-cloud", "microsoft-azure"),
    ("xgboost", "lightgbm"),
    ("snowflake", "bigquery"),
    ("postgresql", "mysql"),
]


@pytest.mark.parametrize(("a", "b"), RELATED, ids=[f"{a}~{b}" for a, b in RELATED])
def test_related_pairs(tx: Taxonomy, a: str, b: str) -> None:
    assert b in tx.related(a)
    assert tx.related(a)[b] == tx.related(b)[a]
    assert 0.3 <= tx.related(a)[b] <= 0.8


def test_related_is_symmetric_everywhere(tx: Taxonomy) -> None:
    for skill in tx:
        for other, weight in tx.related(skill.id).items():
            assert tx.related(other).get(skill.id) == weight, (skill.id, other)
            assert other != skill.id


# ------------------------------------------------------------------------------------------------
# Ambiguity
# ------------------------------------------------------------------------------------------------

AMBIGUOUS = [
    # (skill id, ambiguous surface, case_sensitive)
    ("go", "Go", True),
    ("r", "R", True),
    ("c", "C", True),
    ("apache-spark", "Spark", True),
    ("ray", "Ray", True),
    ("apache-beam", "Beam", True),
    ("apache-airflow", "Airflow", True),
    ("microsoft-excel", "Excel", True),
    ("microsoft-word", "Word", True),
    ("microsoft-access", "Access", True),
    ("microsoft-project", "Project", True),
    ("microsoft-teams", "Teams", True),
    ("microsoft-outlook", "Outlook", True),
    ("snowflake", "Snowflake", True),
    ("amazon-redshift", "Redshift", True),
    ("flask", "Flask", True),
    ("julia", "Julia", True),
    ("rust", "Rust", True),
    ("swift", "Swift", True),
    ("ruby", "Ruby", True),
    ("chef", "Chef", True),
    ("puppet", "Puppet", True),
    ("saltstack", "Salt", True),
    ("unity", "Unity", True),
    ("spring-framework", "Spring", True),
    ("express-js", "Express", True),
    ("jest", "Jest", True),
    ("triton-inference-server", "Triton", True),
    ("docker", "docker", False),
    ("jenkins", "Jenkins", False),
]


@pytest.mark.parametrize(
    ("skill_id", "surface", "case_sensitive"), AMBIGUOUS, ids=[f"{i}:{s}" for i, s, _ in AMBIGUOUS]
)
def test_ambiguous_forms(tx: Taxonomy, skill_id: str, surface: str, case_sensitive: bool) -> None:
    ambiguity = tx.ambiguity_for(skill_id, surface)
    assert isinstance(ambiguity, Ambiguity)
    assert ambiguity.case_sensitive is case_sensitive
    assert ambiguity.needs_context or ambiguity.reject_before or ambiguity.reject_after


def test_ambiguity_spares_unambiguous_forms(tx: Taxonomy) -> None:
    assert tx.ambiguity_for("apache-spark", "Apache Spark") is None
    assert tx.ambiguity_for("microsoft-excel", "Microsoft Excel") is None
    assert tx.ambiguity_for("go", "Golang") is None
    assert tx.ambiguity_for("pytorch", "PyTorch") is None
    assert tx.ambiguity_for("kubernetes", "Kubernetes") is None


def test_ambiguity_rules_content(tx: Taxonomy) -> None:
    spark = tx["apache-spark"].ambiguity
    assert spark is not None
    assert "apache" in spark.qualifiers
    assert {"ignition", "plug"} <= set(spark.reject_after)
    beam = tx["apache-beam"].ambiguity
    assert beam is not None and "search" in beam.reject_after
    excel = tx["microsoft-excel"].ambiguity
    assert excel is not None and {"microsoft", "ms"} <= set(excel.qualifiers)
    airflow = tx["apache-airflow"].ambiguity
    assert airflow is not None and {"analysis", "rate"} <= set(airflow.reject_after)


def test_every_ambiguity_applies_to_own_forms(tx: Taxonomy) -> None:
    for skill in tx:
        if skill.ambiguity is None:
            continue
        own = {alias_key(f) for f in (skill.name, *skill.aliases)}
        assert {alias_key(f) for f in skill.ambiguity.applies_to} <= own, skill.id


# ------------------------------------------------------------------------------------------------
# Coverage: labelled résumé skills and frequent Dotin Tech Tools surfaces (release 2026.11.1)
# ------------------------------------------------------------------------------------------------

COVERAGE = [
    # lab and science
    ("HPLC", "hplc"), ("High-performance liquid chromatography", "hplc"), ("UPLC", "uplc"),
    ("UHPLC", "uplc"), ("GC-MS", "gc-ms"), ("GC/MS", "gc-ms"), ("FTIR", "ftir"), ("FT-IR", "ftir"),
    ("UV-Vis", "uv-vis"), ("Karl Fischer titration", "karl-fischer-titration"),
    ("Waters Empower", "waters-empower"), ("Empower 3", "waters-empower"),
    ("Agilent ChemStation", "agilent-chemstation"), ("LabWare LIMS", "labware-lims"),
    ("LabWare", "labware-lims"), ("qPCR", "qpcr"), ("ELISA", "elisa"),
    ("Flow cytometry", "flow-cytometry"), ("FlowJo", "flowjo"), ("REDCap", "redcap"),
    ("lme4", "lme4"), ("R Markdown", "r-markdown"), ("RMarkdown", "r-markdown"), ("Astropy", "astropy"),
    # embedded and automotive
    ("ETAS INCA", "etas-inca"), ("Infineon AURIX", "infineon-aurix"), ("AURIX", "infineon-aurix"),
    ("Vector DaVinci", "vector-davinci"), ("Vector CANoe", "vector-canoe"), ("CANoe", "vector-canoe"),
    ("LIN", "lin-bus"), ("LIN bus", "lin-bus"), ("UDS", "unified-diagnostic-services"),
    ("Lauterbach TRACE32", "lauterbach-trace32"), ("Trace 32", "lauterbach-trace32"),
    ("Microchip PIC", "microchip-pic"), ("PIC microcontrollers", "microchip-pic"),
    ("IBM DOORS", "ibm-doors"), ("Polyspace", "polyspace"), ("MISRA C:2012", "embedded-c"),
    # software
    ("Apache CXF", "apache-cxf"), ("Spring Web Services", "spring-web-services"), ("Spring-WS", "spring-web-services"),
    ("REST Assured", "rest-assured"), ("Room", "android-room"), ("Retrofit", "retrofit-android"),
    ("Combine", "apple-combine"), ("XCTest", "xctest"), ("Singularity", "singularity-containers"),
    ("Apptainer", "singularity-containers"), ("etcd", "etcd"), ("pybind11", "pybind11"), ("cuBLAS", "cublas"),
    ("Apache ZooKeeper", "apache-zookeeper"), ("Oracle Hyperion Financial Management", "oracle-hyperion"),
    ("Power Pivot", "power-pivot"), ("IDEA", "caseware-idea"),
    # recruiting and sales
    ("Greenhouse", "greenhouse-ats"), ("Lever", "lever-ats"), ("Gem", "gem-recruiting"),
    ("LinkedIn Recruiter", "linkedin-recruiter"), ("hireEZ", "hireez"), ("Gong", "gong-io"),
    ("Boolean search", "boolean-search"),
    # versioned forms seen often in the Dotin Tech Tools labels
    ("SQL Server 2008", "microsoft-sql-server"), ("SQL Server 2000", "microsoft-sql-server"),
    ("Microsoft SQL Server 2008 R2", "microsoft-sql-server"), ("Exchange Server 2010", "microsoft-exchange"),
    ("Drupal 6", "drupal"), ("Microsoft Visual Studio 2010", "visual-studio"), ("IIS 5.0", "iis"),
    ("MS Office 2010", "microsoft-office"), ("Hibernate 3.0", "hibernate"), ("Tomcat 5.0", "apache-tomcat"),
    ("MySQL 5.0", "mysql"), ("Microsoft SharePoint 2013", "microsoft-sharepoint"), ("Java 1.8", "java"),
    (".NET CF 2.0", "dot-net"), ("Windows CE 5.0", "windows-ce"),
]


@pytest.mark.parametrize(("surface", "skill_id"), COVERAGE, ids=[s for s, _ in COVERAGE])
def test_coverage_resolves(tx: Taxonomy, surface: str, skill_id: str) -> None:
    skill = tx.resolve(surface)
    assert skill is not None, f"{surface!r} does not resolve"
    assert skill.id == skill_id


NOT_ALIASES = ["Vista", "Facebook", "LinkedIn", "QC", "Exchange", "DCL", "Empower", "DaVinci"]


@pytest.mark.parametrize("surface", NOT_ALIASES)
def test_ordinary_or_unsafe_names_stay_unresolved(tx: Taxonomy, surface: str) -> None:
    assert tx.resolve(surface) is None


COVERAGE_IMPLIES = [
    ("r-markdown", "r"), ("lme4", "r"), ("uplc", "hplc"), ("labware-lims", "lims"),
    ("infineon-aurix", "microcontrollers"), ("microchip-pic", "microcontrollers"),
    ("vector-canoe", "can-bus"), ("spring-web-services", "spring-framework"), ("power-pivot", "microsoft-excel"),
    ("astronomer", "apache-airflow"), ("atlantis-terraform", "terraform"), ("kueue", "kubernetes"),
]


@pytest.mark.parametrize(("child", "parent"), COVERAGE_IMPLIES, ids=[f"{c}->{p}" for c, p in COVERAGE_IMPLIES])
def test_coverage_implications(tx: Taxonomy, child: str, parent: str) -> None:
    assert parent in tx.implied(child)


def test_new_skills_use_sensible_categories(tx: Taxonomy) -> None:
    assert "lab_methods" in tx.categories
    for sid in ("hplc", "gc-ms", "ftir", "qpcr", "elisa", "flow-cytometry"):
        assert tx[sid].category == "lab_methods", sid
    assert tx["lin-bus"].category == "eda_embedded"
    assert tx["greenhouse-ats"].category == "enterprise_apps"
    assert tx["android-room"].category == "mobile"


NEW_AMBIGUOUS = [
    # short or ordinary-word names: case-sensitive and needing technical context
    ("lin-bus", "LIN"), ("unified-diagnostic-services", "UDS"), ("etas-inca", "INCA"),
    ("ibm-doors", "DOORS"), ("android-room", "Room"), ("retrofit-android", "Retrofit"),
    ("apple-combine", "Combine"), ("greenhouse-ats", "Greenhouse"), ("lever-ats", "Lever"),
    ("gem-recruiting", "Gem"), ("gong-io", "Gong"), ("pact-contract-testing", "Pact"),
    ("atlantis-terraform", "Atlantis"), ("singularity-containers", "Singularity"),
    ("astronomer", "Astronomer"), ("alembic", "Alembic"), ("hotwire", "Hotwire"),
    ("caseware-idea", "IDEA"), ("microsoft-pix", "PIX"), ("fable", "fable"),
    ("sbi-simulation-based-inference", "sbi"), ("quartz-scheduler", "Quartz"), ("atom-editor", "Atom"),
    ("ptc-integrity", "MKS"), ("carrier-hap", "HAP"),
]


@pytest.mark.parametrize(("skill_id", "surface"), NEW_AMBIGUOUS, ids=[f"{i}:{s}" for i, s in NEW_AMBIGUOUS])
def test_new_ambiguous_forms(tx: Taxonomy, skill_id: str, surface: str) -> None:
    ambiguity = tx.ambiguity_for(skill_id, surface)
    assert isinstance(ambiguity, Ambiguity)
    assert ambiguity.case_sensitive and ambiguity.needs_context


def test_new_ambiguity_rules_content(tx: Taxonomy) -> None:
    greenhouse = tx["greenhouse-ats"].ambiguity
    assert greenhouse is not None and {"gas", "emissions"} <= set(greenhouse.reject_after)
    retrofit = tx["retrofit-android"].ambiguity
    assert retrofit is not None and {"project", "projects"} <= set(retrofit.reject_after)
    room = tx["android-room"].ambiguity
    assert room is not None and {"conference", "meeting"} <= set(room.reject_before)
    idea = tx["caseware-idea"].ambiguity
    assert idea is not None and "intellij" in idea.reject_before
    # the multi-word forms stay unambiguous
    assert tx.ambiguity_for("lin-bus", "LIN bus") is None
    assert tx.ambiguity_for("android-room", "Android Room") is None
    assert tx.ambiguity_for("ibm-doors", "IBM DOORS") is None


# ------------------------------------------------------------------------------------------------
# Search
# ------------------------------------------------------------------------------------------------

SEARCH = [
    # (query, expected first result)
    ("k8s", "kubernetes"),
    ("pytorch", "pytorch"),
    ("Tensor RT", "tensorrt"),
    ("wandb", "weights-and-biases"),
    ("postgres", "postgresql"),
    ("spark", "apache-spark"),
]


@pytest.mark.parametrize(("query", "first"), SEARCH, ids=[q for q, _ in SEARCH])
def test_search_exact_first(tx: Taxonomy, query: str, first: str) -> None:
    results = tx.search(query)
    assert results and results[0].id == first


def test_search_prefix_then_substring(tx: Taxonomy) -> None:
    ids = [s.id for s in tx.search("tensorf", limit=20)]
    assert ids[0] == "tensorflow"  # canonical name prefix
    assert {"tensorflow-lite", "tensorflow-serving"} <= set(ids)
    flow = [s.id for s in tx.search("flow", limit=50)]
    assert {"mlflow", "tensorflow", "apache-airflow"} <= set(flow)  # substring matches
    assert flow.index("tensorflow") < flow.index("mlflow") or tx["tensorflow"].hot


def test_search_hot_first_on_ties(tx: Taxonomy) -> None:
    results = tx.search("py", limit=10)
    assert results[0].id == "python"  # hot, and a prefix match like the others


def test_search_limits(tx: Taxonomy) -> None:
    assert tx.search("") == []
    assert tx.search("   ") == []
    assert tx.search("a", limit=0) == []
    assert len(tx.search("a", limit=5)) == 5
    assert tx.search("zzzz-no-such-thing") == []


# ------------------------------------------------------------------------------------------------
# Invalid taxonomies
# ------------------------------------------------------------------------------------------------


def _minimal() -> dict[str, Any]:
    return {
        "schema_version": 1,
        "version": "2026.11.0",
        "attribution": ["test"],
        "categories": {"ml_frameworks": "ML frameworks", "languages": "Languages"},
        "skills": [
            {
                "id": "python",
                "name": "Python",
                "category": "languages",
                "aliases": ["py3"],
                "parents": [],
                "related": [],
                "hot": True,
                "sources": ["manual"],
                "ambiguity": None,
            },
            {
                "id": "pytorch",
                "name": "PyTorch",
                "category": "ml_frameworks",
                "aliases": ["Pytorch", "torch"],
                "parents": [{"id": "python", "weight": 0.7}],
                "related": [{"id": "tensorflow", "weight": 0.6}],
                "hot": False,
                "sources": ["manual"],
                "ambiguity": {"case_sensitive": True, "applies_to": ["torch"]},
            },
            {
                "id": "tensorflow",
                "name": "TensorFlow",
                "category": "ml_frameworks",
                "aliases": ["Tensor Flow"],
                "parents": [{"id": "python", "weight": 0.6}],
                "related": [],
                "hot": True,
                "sources": ["onet:43232605", "so:tensorflow"],
            },
        ],
    }


def _write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "skills.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_minimal_taxonomy_is_valid(tmp_path: Path) -> None:
    tx = load_taxonomy(_write(tmp_path, _minimal()))
    assert len(tx) == 3
    assert tx.related("tensorflow") == {"pytorch": 0.6}  # one-sided link, read both ways
    assert tx.implied("pytorch") == {"python": 0.7}
    assert tx["pytorch"].parents == (SkillLink("python", 0.7),)
    assert tx.ambiguity_for("pytorch", "torch") is not None
    assert tx.ambiguity_for("pytorch", "PyTorch") is None


def _dup_id(d: dict[str, Any]) -> None:
    d["skills"].append({**copy.deepcopy(d["skills"][0]), "aliases": []})


def _dangling_parent(d: dict[str, Any]) -> None:
    d["skills"][1]["parents"].append({"id": "deep-learning", "weight": 0.8})


def _dangling_related(d: dict[str, Any]) -> None:
    d["skills"][1]["related"].append({"id": "jax", "weight": 0.6})


def _cycle(d: dict[str, Any]) -> None:
    d["skills"][0]["parents"] = [{"id": "tensorflow", "weight": 0.5}]


def _self_parent(d: dict[str, Any]) -> None:
    d["skills"][0]["parents"] = [{"id": "python", "weight": 0.5}]


def _collision(d: dict[str, Any]) -> None:
    d["skills"][2]["aliases"].append("Py-Torch")  # same key as PyTorch


def _weight_zero(d: dict[str, Any]) -> None:
    d["skills"][1]["parents"][0]["weight"] = 0


def _weight_high(d: dict[str, Any]) -> None:
    d["skills"][1]["related"][0]["weight"] = 1.5


def _unknown_category(d: dict[str, Any]) -> None:
    d["skills"][2]["category"] = "frameworks"


def _bad_id(d: dict[str, Any]) -> None:
    d["skills"][0]["id"] = "Python 3"


def _missing_name(d: dict[str, Any]) -> None:
    del d["skills"][2]["name"]


def _unknown_field(d: dict[str, Any]) -> None:
    d["skills"][1]["alias"] = ["typo"]


def _schema_version(d: dict[str, Any]) -> None:
    d["schema_version"] = 99


def _bad_version(d: dict[str, Any]) -> None:
    d["version"] = "latest"


def _inconsistent_related(d: dict[str, Any]) -> None:
    d["skills"][2]["related"] = [{"id": "pytorch", "weight": 0.3}]


def _applies_to_foreign(d: dict[str, Any]) -> None:
    d["skills"][1]["ambiguity"]["applies_to"] = ["flame"]


def _empty_alias(d: dict[str, Any]) -> None:
    d["skills"][0]["aliases"].append("--")


INVALID = [
    ("duplicate-id", _dup_id, r"duplicate skill id 'python'"),
    ("dangling-parent", _dangling_parent, r"'pytorch'.*parents.*unknown skill 'deep-learning'"),
    ("dangling-related", _dangling_related, r"'pytorch'.*related.*unknown skill 'jax'"),
    ("cycle", _cycle, r"parent cycle: .*python.*tensorflow.*python"),
    ("self-parent", _self_parent, r"'python'.*links the skill to itself"),
    ("alias-collision", _collision, r"alias collision: 'Py-Torch' \(key 'pytorch'\)"),
    ("weight-zero", _weight_zero, r"'pytorch'.*parents\[0\]\.weight.*greater than 0"),
    ("weight-above-one", _weight_high, r"'pytorch'.*related\[0\]\.weight.*less than or equal to 1"),
    ("unknown-category", _unknown_category, r"'tensorflow'.*unknown category 'frameworks'"),
    ("bad-id", _bad_id, r"skill #0.*field 'id'"),
    ("missing-name", _missing_name, r"'tensorflow'.*field 'name'.*required"),
    ("unknown-field", _unknown_field, r"'pytorch'.*field 'alias'"),
    ("schema-version", _schema_version, r"unsupported schema_version 99"),
    ("version", _bad_version, r"field 'version'"),
    ("inconsistent-related", _inconsistent_related, r"related weight .* one way and .* the other"),
    ("applies-to-foreign", _applies_to_foreign, r"'pytorch'.*applies_to names 'flame'"),
    ("empty-alias", _empty_alias, r"'python'.*'--' is empty after normalization"),
]


@pytest.mark.parametrize(("mutate", "message"), [c[1:] for c in INVALID], ids=[c[0] for c in INVALID])
def test_invalid_taxonomy(tmp_path: Path, mutate: Any, message: str) -> None:
    data = _minimal()
    mutate(data)
    with pytest.raises(TaxonomyError, match=message) as info:
        load_taxonomy(_write(tmp_path, data))
    assert info.value.code == "invalid_taxonomy"
    assert str(tmp_path) in info.value.message  # names the file


MALFORMED = [
    ("truncated", '{"schema_version": 1, "skills": [', r"malformed JSON at line 1 column"),
    ("not-json", "skills:\n  - pytorch\n", r"malformed JSON"),
    ("not-object", "[1, 2, 3]", r"top level must be a JSON object, not list"),
    ("empty", "", r"malformed JSON"),
]


@pytest.mark.parametrize(("text", "message"), [c[1:] for c in MALFORMED], ids=[c[0] for c in MALFORMED])
def test_malformed_json(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(TaxonomyError, match=message):
        load_taxonomy(_write(tmp_path, text))


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "skills.json"
    path.write_bytes(b'{"version": "\xff\xfe"}')
    with pytest.raises(TaxonomyError, match="invalid taxonomy"):
        load_taxonomy(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match="cannot read taxonomy .*nope.json"):
        load_taxonomy(tmp_path / "nope.json")


def test_many_problems_are_summarized(tmp_path: Path) -> None:
    data = _minimal()
    for i in range(30):
        data["skills"][0]["parents"].append({"id": f"missing-{i}", "weight": 0.5})
    with pytest.raises(TaxonomyError, match=r"and \d+ more"):
        load_taxonomy(_write(tmp_path, data))
