"""Names as written (versions, editions, vendor prefixes, slash pairs: extraction.normalize_name), office
tools listed beside their kind, and where tools are named (technical_context)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matcher.extraction import (
    extract_mentions,
    normalize_key,
    normalize_name,
    resolve_name,
    split_version,
    technical_context,
    version_after,
)
from matcher.pipeline import default_engine
from matcher.sections import find_positions, find_sections
from matcher.types import Document


@pytest.fixture(scope="module")
def taxonomy():
    return default_engine().taxonomy


@pytest.mark.parametrize(
    ("surface", "name", "version"),
    [
        ("TFS 2012", "TFS", "2012"),
        ("WinRunner 7.6", "WinRunner", "7.6"),
        ("Java 8", "Java", "8"),
        ("Python 3.11", "Python", "3.11"),
        ("jboss 7.1", "jboss", "7.1"),
        ("Jboss 4x", "Jboss", "4x"),
        ("Jdeveloper 10.x", "Jdeveloper", "10.x"),
        ("Oracle 9i/10g", "Oracle", "9i/10g"),
        ("Windows 95/98/NT/2000/XP", "Windows", "95/98/NT/2000/XP"),
        ("Mule ESB 3.8.4", "Mule ESB", "3.8.4"),
        ("Web Logic (11G and 12C Version)", "Web Logic", "11G and 12C"),
        ("C++ (MFC)", "C++", None),
        ("Java1.8", "Java", "1.8"),
        ("Trace32", "Trace32", None),
        ("365", "365", None),
        ("Kubernetes", "Kubernetes", None),
    ],
    ids=["tfs-year", "winrunner", "java-8", "python-3-11", "jboss-dotted", "jboss-4x", "dot-x", "oracle-9i-10g",
         "windows-list", "mule-three-part", "paren-versions", "paren-qualifier", "glued-dotted", "glued-name-digits",
         "only-a-version", "no-version"],
)
def test_split_version(surface, name, version):
    assert split_version(surface) == (name, version)


@pytest.mark.parametrize(
    ("surface", "expected"),
    [
        ("TFS 2012", ["team-foundation-server"]),
        ("WinRunner 7.6", ["winrunner"]),
        ("Java 8", ["java"]),
        ("Python 3.11", ["python"]),
        ("C/C++", ["c", "c-plus-plus"]),
        ("HTML/CSS", ["html", "css"]),
        ("PL/SQL", ["pl-sql"]),
        ("Oracle PL/SQL", ["pl-sql"]),
        ("MS Excel", ["microsoft-excel"]),
        ("Microsoft Excel", ["microsoft-excel"]),
        ("SAP FICO", ["sap-fico"]),
        ("SQL Server BI", ["microsoft-sql-server"]),
        ("Power BI", ["power-bi"]),
        ("Oracle Data Integrator (ODI)", ["oracle-data-integrator"]),
        ("Windows 95/98/NT/2000/XP", ["microsoft-windows"]),
    ],
    ids=["tfs", "winrunner", "java", "python", "c-slash-cpp", "html-css", "plsql", "oracle-plsql", "ms-excel",
         "microsoft-excel", "sap-module", "sql-server-edition", "power-bi-not-an-edition", "name-acronym", "windows"],
)
def test_resolve_name(taxonomy, surface, expected):
    assert list(resolve_name(surface, taxonomy)) == expected


def test_edition_kept_as_attribute(taxonomy):
    (n,) = normalize_name("SQL Server BI", taxonomy)
    assert (n.name, n.edition, n.version) == ("SQL Server", "BI", None)


def test_slash_pair_without_taxonomy_keeps_known_slash_names():
    assert [n.name for n in normalize_name("C/C++")] == ["C", "C++"]
    assert [n.name for n in normalize_name("PL/SQL")] == ["PL/SQL"]
    assert [n.name for n in normalize_name("TCP/IP")] == ["TCP/IP"]


@pytest.mark.parametrize(
    ("surface", "key"),
    [("MS Visio 2010", "visio"), ("Microsoft Visio", "visio"), ("Win Runner 7.6", "winrunner"),
     ("jboss 7.1", "jboss"), ("Apache Kafka", "kafka"), ("Oracle Forms", "oracleforms"), ("Microsoft", "microsoft")],
    ids=["ms-version", "microsoft", "spaced-version", "lower-version", "apache", "oracle-kept", "vendor-alone"],
)
def test_normalize_key(surface, key):
    assert normalize_key(surface) == key


@pytest.mark.parametrize(
    ("text", "name", "version"),
    [("Python 3.11, Java", "Python", "3.11"), ("TFS 2012.", "TFS", "2012"), ("Java 8 and Spring", "Java", "8"),
     ("Python3 scripts", "Python", "3"), ("Python 3 years", "Python", None), ("Java 2019 - 2021", "Java", None),
     ("Java 5+ years", "Java", None), ("Java, Python", "Java", None), ("Java 1.8.0_121", "Java", None),
     ("Java (8 yrs)", "Java", None)],
    ids=["dotted", "year-full-stop", "single-digit", "glued", "duration", "date-range", "plus-years", "no-version",
         "build-number", "paren-duration"],
)
def test_version_after(text, name, version):
    assert version_after(text, text.index(name) + len(name)) == version


@given(st.text(max_size=60))
def test_normalizers_total(surface):
    name, version = split_version(surface)
    assert isinstance(name, str) and (version is None or version.strip())
    normalize_key(surface)
    for n in normalize_name(surface):
        assert n.name and n.key is not None


def _asserted_ids(text):
    doc = Document(text=text, format="text")
    sections = find_sections(doc)
    found = extract_mentions(doc, sections, find_positions(doc, sections), default_engine().skill_matcher)
    return {m.skill_id for m in found if m.modality == "asserted"}


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("Proficient with Microsoft Word, Excel, and PowerPoint for reports.", {"microsoft-excel"}, set()),
        ("Built decks in PowerPoint/Excel for the board.", {"microsoft-excel"}, set()),
        ("I will excel in this role, and I used Microsoft Word daily.", set(), {"microsoft-excel"}),
        ("Airflow balancing reports in Microsoft Excel.", set(), {"apache-airflow"}),
    ],
    ids=["office-list", "office-slash-pair", "verb-near-office-tool", "hvac-airflow"],
)
def test_office_tool_listed_beside_its_kind(text, present, absent):
    got = _asserted_ids(text)
    assert present <= got and not (absent & got)


@pytest.mark.parametrize(
    ("line", "expected"),
    [("Social Media: LinkedIn, Facebook, Twitter", True), ("Operating systems: Windows and Linux", True),
     ("I met John, Paul and Mary at the fair", False), ("Led a team of four analysts.", False)],
    ids=["labelled-list", "keyword-label", "prose-list", "prose"],
)
def test_technical_context(line, expected):
    assert technical_context(line, line.index(line.split()[-1]), len(line), "experience", ()) is expected
