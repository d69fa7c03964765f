"""Dates, positions, names and employers as real documents write them (issue 17, parts 4 and 5).

Each case is built from a real résumé of the same shape (bench/data/resume-docx, the PDFs in
tests/data/resume-pdfs, the labelled set); the vendored files themselves are measured by
bench/quality_dates.py.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import matcher
from matcher.dates import find_dates
from matcher.documents.normalize import normalize_chars
from tests.hostile import document_xml, docx

REPO = Path(__file__).resolve().parents[2]
AS_OF = date(2025, 6, 1)


@pytest.mark.parametrize(
    ("text", "start", "end", "current"),
    [
        ("2020, June – 2021, August", date(2020, 6, 1), date(2021, 8, 1), False),
        ("2021 August – Present", date(2021, 8, 1), None, True),
        ("20212021 BestDoctor, Senior backend dev", date(2021, 1, 1), date(2021, 12, 1), False),
        ("20152019\tAcme", date(2015, 1, 1), date(2019, 12, 1), False),
        ("Jan 2019\nMar 2021", date(2019, 1, 1), date(2021, 3, 1), False),
        ("From: Jan 2019\nTo: Mar 2021", date(2019, 1, 1), date(2021, 3, 1), False),
        ("from 01-july 2009 to\n03-july-2011", date(2009, 7, 1), date(2011, 7, 1), False),
        ("June ’11Th 2018 to Present", date(2018, 6, 1), None, True),
        ("April ’4Th 2016 –July 15 Th 2017", date(2016, 4, 1), date(2017, 7, 1), False),
        ("December(2012)- November(2015):- Worked as", date(2012, 12, 1), date(2015, 11, 1), False),
        ("Aug.2017 to Continue", date(2017, 8, 1), None, True),
    ],
    ids=["year-first-comma", "year-first-open", "fused-same-year", "fused-range", "split-lines",
         "split-from-to", "day-month-hyphen", "apostrophe-ordinal", "ordinal-spaced",
         "month-paren-year", "to-continue"],
)
def test_real_date_shapes(text, start, end, current):
    d = find_dates(text)[0]
    assert (d.start, d.end, d.current) == (start, end, current)


@pytest.mark.parametrize(
    "text",
    ["tel 2015201934", "2015\n2011", "2012\n\n2014", "Acme Jan 2019\nMar 2021 Foo", "in 2019 Marzo"],
    ids=["phone-digits", "descending-years", "blank-line-between", "dates-inside-lines",
         "foreign-month-after-year"],
)
def test_no_range_from_lookalikes(text):
    assert all(d.is_single for d in find_dates(text))


def test_cid_glyph_junk_is_dropped():
    assert normalize_chars("(cid:72) Led the team (cid:123)\n(cid:5)Python") == " Led the team\nPython"


def test_docx_converted_from_pdf_year_first_with_cid_bullets():
    """A Word file made from a PDF: icon-font junk as bullets, years first, the title below."""
    data = docx({"word/document.xml": document_xml(["Ivan Petrov", "Experience", "2020, June – 2021, August", "BestDoctor",
                  "Senior Backend Developer", "(cid:72) Built the billing service in Python",
                  "20182020 Yandex, Backend developer", "(cid:123) Wrote Go services"])})
    profile = matcher.parse_bytes(data, matcher.default_engine(), as_of=AS_OF)
    assert "(cid:" not in profile.text
    dated = [(p.start, p.end) for p in profile.positions if p.start]
    assert (date(2020, 6, 1), date(2021, 8, 1)) in dated
    assert (date(2018, 1, 1), date(2020, 12, 1)) in dated
    assert profile.experience_years is not None


def test_dated_jobs_outside_an_undated_experience_section():
    """608.docx: the dated jobs sit under "CAREER HIGHLIGHTS"; "WORK EXPERIENCE" has no dates."""
    text = ("AASHISH SHARMA\n\nCAREER HIGHLIGHTS\nDy. Manager (Power Plant)\tAug.2017 to Continue\n"
            "Erbil Steel Company\n\nSr. Executive (Engg.)\tAug.2010-Nov 2014\nRSWM Ltd.\n\n"
            "WORK EXPERIENCE\n• Handled maintenance of the power plant.\n\nEDUCATION\nB.E. 1995 - 1999\n")
    profile = matcher.parse_text(text, matcher.default_engine(), as_of=AS_OF)
    assert [(p.start, p.current) for p in profile.positions if p.start] == [
        (date(2017, 8, 1), True), (date(2010, 8, 1), False)]


def test_event_dates_in_interests_are_not_jobs():
    text = ("VIBHOR SHUKLA\n\nIndustrial Experience\nSite visits to two plants.\n\n"
            "Extra Curricular Activities\n1. Paper presentation during FIESTA 2014-15.\n")
    profile = matcher.parse_text(text, matcher.default_engine(), as_of=AS_OF)
    assert not any(p.start for p in profile.positions)


@pytest.mark.parametrize(
    ("header", "title", "org"),
    [
        ("Senior ML Engineer, Ironclad Payments, Austin TX", "Senior ML Engineer", "Ironclad Payments"),
        ("Site Reliability Engineer, Stripe — Dublin, Ireland", "Site Reliability Engineer", "Stripe"),
        ("Product Analyst, Figma | Remote", "Product Analyst", "Figma"),
        ("Software Engineer at Canva (Sydney, Australia)", "Software Engineer", "Canva"),
        ("Platform Engineer at Tidewater Robotics (Remote)", "Platform Engineer", "Tidewater Robotics"),
        ("Test Engineer, Persistent, Pune, Maharashtra", "Test Engineer", "Persistent"),
        ("Data Engineer, Zalando, Berlin, Germany", "Data Engineer", "Zalando"),
        ("ML Engineer — Shopify — Ottawa, ON", "ML Engineer", "Shopify"),
        ("Designer | Monzo | London, United Kingdom", "Designer", "Monzo"),
        ("Accountant, Firstpoint Construction, Dubai, UAE", "Accountant", "Firstpoint Construction"),
        ("Zalando — Berlin, Germany\nData Engineer", "Data Engineer", "Zalando"),
        ("Software Engineer\nWayfair — Boston, MA", "Software Engineer", "Wayfair"),
    ],
    ids=["city-st", "company-dash-city-country", "company-pipe-remote", "at-company-city-paren",
         "at-company-remote", "city-state-india", "city-country", "dashes-city-province",
         "pipes-city-country", "city-uae", "org-line-then-title", "title-then-org-line"],
)
def test_org_not_location(header, title, org):
    text = f"Jane Roe\n\nExperience\n{header}\nJan 2020 – Mar 2022\n- Built services with Python\n"
    p = matcher.parse_text(text, matcher.default_engine(), as_of=AS_OF).positions[0]
    assert (p.title, p.organization) == (title, org)


@pytest.mark.parametrize(
    ("top", "name"),
    [
        ("CURRICULUM VITAE\n\nMOHD RASHID ANSARI\nB.E., Mechanical Engineering", "MOHD RASHID ANSARI"),
        ("RESUME\nAmit Shah\tamit@example.com", "Amit Shah"),
        ("Bio Data\nName: Ravi Kumar\nPython", "Ravi Kumar"),
        ("A.HEMALATHA\nChennai", "A.HEMALATHA"),
        ("Henry Stanley Situma. (MR)\nNairobi", "Henry Stanley Situma"),
        ("CURRICULUM VITAE\n\nSURNAME\t: SHAH\n\nFIRST NAME\t: MANISH", None),
        ("Machine Learning\nJane Roe", "Jane Roe"),
        ("Technical Skills\nPython, SQL", None),
        ("NADUKKARA HOUSE THALAKODE P.O\nKerala", None),
        ("Senior Data Engineer\nAcme", None),
    ],
    ids=["title-then-name", "name-beside-contact", "name-label", "dotted-initial", "honorific",
         "split-name-fields", "skill-line-skipped", "heading", "address", "job-title"],
)
def test_person_name_from_the_first_lines(top, name):
    assert matcher.person_name(top) == name


def _real_documents():
    pdfs = sorted((REPO / "tests" / "data" / "resume-pdfs").rglob("*.pdf"))
    labelled = sorted(p for p in (REPO / "tests" / "data" / "labelled").iterdir()
                      if p.suffix in (".txt", ".md") and p.name != "README.md")
    docx = sorted((REPO / "bench" / "data" / "resume-docx").glob("*.docx"))
    return [*pdfs, *labelled, *docx]


@pytest.mark.parametrize("path", _real_documents(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_person_name_is_never_a_skill_heading_or_title(path):
    text = matcher.read_document(path.read_bytes()).text
    name = matcher.person_name(text[:400])
    if name is None:
        return
    engine = matcher.default_engine()
    assert engine.taxonomy.resolve(name) is None
    low = name.lower()
    assert not any(w in low for w in ("curriculum", "resume", "vitae", "bio data", "skills", "experience"))
    hidden = "".join(text[s:e] for s, e in matcher.personal_spans(text, name))
    assert max(name.replace(".", " ").split(), key=len) in hidden  # blind review hides it
