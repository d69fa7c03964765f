"""Sections, dated positions and the experience timeline (matcher.sections)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.sections import (
    experience_years,
    find_positions,
    find_sections,
    heading_kind,
    position_at,
    section_at,
)
from matcher.types import Document, Position, Section


def d(y: int, m: int) -> date:
    return date(y, m, 1)


def doc(text: str) -> Document:
    return Document(text=text, format="text")


def parse(text: str) -> tuple[tuple[Section, ...], tuple[Position, ...]]:
    document = doc(text)
    sections = find_sections(document)
    return sections, find_positions(document, sections)


def kinds(sections: tuple[Section, ...]) -> list[str]:
    return [s.kind for s in sections]


def summary(positions: tuple[Position, ...]) -> list[tuple]:
    return [(p.title, p.organization, p.start, p.end, p.current) for p in positions]


_FALLBACK_KINDS = ("header", "other", "summary", "skills", "languages")


def _in_experience(sections: tuple[Section, ...], p: Position) -> bool:
    sec = section_at(sections, p.span[0])
    return sec is not None and sec.kind in ("experience", "volunteering")


def check_invariants(text: str, sections: tuple[Section, ...],
                     positions: tuple[Position, ...]) -> None:
    """Sections tile the text in order; positions are disjoint, ordered and inside a section."""
    for a, b in zip(sections, sections[1:]):
        assert a.end == b.heading_start
    for s in sections:
        hs = s.heading_start if s.heading_start is not None else s.start
        assert 0 <= hs <= s.start <= s.end <= len(text)
    if sections:
        assert sections[-1].end == len(text)
        assert not text[: sections[0].heading_start or 0].strip() or sections[0].kind == "header"
    for i, p in enumerate(positions):
        assert p.index == i
        assert p.span[0] < p.span[1]
        sec = section_at(sections, p.span[0])
        # Jobs come from experience-like sections; only when those hold no dated job are dated
        # jobs looked for in the sections that may hold them (header, summary, other, ...).
        in_experience = sec is not None and sec.kind in ("experience", "volunteering")
        fallback = all(q.start is None for q in positions if _in_experience(sections, q))
        assert sec is not None and (in_experience or (fallback and sec.kind in _FALLBACK_KINDS and p.start))
        assert sec.start <= p.span[0] and p.span[1] <= sec.end
        assert p.section == (sec.kind if in_experience else "experience")
        assert p.current == (p.start is not None and p.end is None)
    for a, b in zip(positions, positions[1:]):
        assert a.span[1] <= b.span[0]


# ---------------------------------------------------------------------------------------------
# Headings
# ---------------------------------------------------------------------------------------------

HEADINGS = [
    ("WORK EXPERIENCE", "experience"),
    ("Professional Experience", "experience"),
    ("Experience", "experience"),
    ("EXPERIENCE:", "experience"),
    ("— Experience —", "experience"),
    ("## Experience", "experience"),
    ("**Experience**", "experience"),
    ("EXPERIENCE ____", "experience"),
    ("== Work History ==", "experience"),
    ("Employment", "experience"),
    ("Employment History", "experience"),
    ("Career History", "experience"),
    ("Professional Background", "experience"),
    ("Relevant Work Experience", "experience"),
    ("Career Experience/Job History", "experience"),
    ("EXPERIENCIA / EXPERIENCE", "experience"),
    ("Experiencia Profesional", "experience"),
    ("EXPÉRIENCES PROFESSIONNELLES", "experience"),
    ("Berufserfahrung", "experience"),
    ("Experiência Profissional", "experience"),
    ("E X P E R I E N C E", "experience"),
    ("2. Experience", "experience"),
    ("Skills:", "skills"),
    ("SKILLS", "skills"),
    ("Technical Skills", "skills"),
    ("Core Competencies", "skills"),
    ("Skills & Tools", "skills"),
    ("Technologies", "skills"),
    ("Tech Stack", "skills"),
    ("Areas of Expertise", "skills"),
    ("Key Skills and Competencies", "skills"),
    ("Kenntnisse", "skills"),
    ("Compétences techniques", "skills"),
    ("Profile", "summary"),
    ("Summary", "summary"),
    ("PROFESSIONAL SUMMARY", "summary"),
    ("About Me", "summary"),
    ("Objective", "summary"),
    ("Career Objective:", "summary"),
    ("Summary of Qualifications", "summary"),
    ("Education", "education"),
    ("Academic Background", "education"),
    ("Qualifications", "education"),
    ("Educational Background", "education"),
    ("FORMACIÓN / EDUCATION", "education"),
    ("Formation", "education"),
    ("Ausbildung", "education"),
    ("Certifications & Licenses", "certifications"),
    ("Licenses and Certifications", "certifications"),
    ("Publications", "publications"),
    ("Projects", "projects"),
    ("Personal Projects", "projects"),
    ("Selected Projects", "projects"),
    ("Awards", "awards"),
    ("Honors & Awards", "awards"),
    ("Languages", "languages"),
    ("Idiomas", "languages"),
    ("Interests", "interests"),
    ("Hobbies", "interests"),
    ("Volunteer Experience", "volunteering"),
    ("Volunteering", "volunteering"),
    ("References", "references"),
    ("Additional Information", "other"),
    ("ICT Related Experience", "experience"),
    ("VOLUNTARY EXPERIENCE", "volunteering"),
    ("Teaching Skills", "skills"),
    ("experience", "experience"),
    ("education:", "education"),
]


@pytest.mark.parametrize(("line", "kind"), HEADINGS, ids=[h[0] for h in HEADINGS])
def test_heading_lines(line: str, kind: str) -> None:
    assert heading_kind(line) == kind


NOT_HEADINGS = [
    "I have 5 years of experience in Python.",
    "Experience with Kubernetes and Terraform",
    "Gained valuable customer service experience",
    "Senior Software Engineer",
    "Acme Corp, San Francisco, CA",
    "Mar 2021 – Present",
    "• Experience",
    "- Skills in Python",
    "Jane Doe",
    "Python, SQL, Docker",
    "Managed the education programme for 40 students",
    "Skills: Python, SQL, Docker",  # an inline heading, not a standalone one
    "Education 1998; 29: 166-173",
    "and related tools",
    "of projects",
    "to gain hands-on experience.",
    "Gained Experience",
    "ORACLE -",
    "Describe your experiences",
    "Possess good leadership skills",
    "Bachelor of Education (Honours)",
    "",
]


@pytest.mark.parametrize("line", NOT_HEADINGS, ids=[repr(x) for x in NOT_HEADINGS])
def test_not_heading_lines(line: str) -> None:
    assert heading_kind(line) is None


def test_programming_languages_stay_in_skills() -> None:
    text = "SKILLS\nLanguages: Python, Java, C++\nFrameworks: Django\nEDUCATION\nBSc\n"
    assert kinds(parse(text)[0]) == ["skills", "education"]


def test_inline_heading_body_starts_after_colon() -> None:
    text = "Jane Doe\njane@example.com\n\nSkills: Python, SQL, Docker\nLanguages: English, French\n"
    sections, _ = parse(text)
    assert kinds(sections) == ["header", "skills", "languages"]
    skills = sections[1]
    assert skills.heading == "Skills"
    assert text[skills.heading_start:skills.start] == "Skills: "
    assert text[skills.start:].startswith("Python, SQL, Docker")


def test_sentence_with_experience_is_not_a_heading() -> None:
    text = (
        "SUMMARY\n"
        "Engineer with deep experience in data platforms.\n"
        "Experience: 5+ years of Python\n"
        "EDUCATION\nBSc Computer Science, 2015\n"
    )
    sections, _ = parse(text)
    assert kinds(sections) == ["summary", "education"]


def test_job_subheadings_stay_inside_experience() -> None:
    text = (
        "EXPERIENCE\n"
        "Data Engineer — Acme Corp    Jan 2019 – Dec 2020\n"
        "Technologies: Spark, Airflow, SQL\n"
        "Achievements:\n"
        "• Cut costs by 30%\n"
        "Project: Data lake migration\n"
        "ML Engineer — Beta Labs    Jan 2021 – Present\n"
        "Tools: PyTorch\n"
        "\n"
        "SKILLS\n"
        "Python\n"
    )
    sections, positions = parse(text)
    assert kinds(sections) == ["experience", "skills"]
    assert summary(positions) == [
        ("Data Engineer", "Acme Corp", d(2019, 1), d(2020, 12), False),
        ("ML Engineer", "Beta Labs", d(2021, 1), None, True),
    ]


def test_unknown_caps_line_is_other_only_in_caps_documents() -> None:
    caps = "JANE DOE\n\nSKILLS\nPython\n\nSUMMARY\nBuilder.\n\nVOLUNTARY ROLES\nCoach, 2019\n"
    assert kinds(parse(caps)[0]) == ["header", "skills", "summary", "other"]
    title_case = "Jane Doe\n\nSkills\nPython\n\nSummary\nBuilder.\n\nVOLUNTARY ROLES\nCoach\n"
    assert kinds(parse(title_case)[0]) == ["header", "skills", "summary"]
    # Short capitalized lines inside a skills list are skills, not headings.
    tags = "JANE DOE\n\nSUMMARY\nBuilder.\n\nSKILLS\n\nSQL\n\nAWS\n\nEDUCATION\nBSc\n"
    assert kinds(parse(tags)[0]) == ["header", "summary", "skills", "education"]


def test_no_heading_is_all_header() -> None:
    text = "Jane Doe\nSoftware engineer at Acme since 2019.\n"
    sections, positions = parse(text)
    assert sections == (Section("header", "", 0, len(text), None),)
    # Without any experience heading, a dated job line is still a job.
    assert [(p.start, p.current) for p in positions] == [(d(2019, 1), True)]


def test_empty_document() -> None:
    sections, positions = parse("")
    assert sections == (Section("header", "", 0, 0, None),)
    assert positions == ()


# ---------------------------------------------------------------------------------------------
# Whole résumés
# ---------------------------------------------------------------------------------------------

ONE_LINE = """\
Jane Doe
jane@example.com | +1 (415) 555-0199

Summary
ML engineer with 6 years of experience.

Work Experience
Senior ML Engineer — Acme Corp    Mar 2021 – Present
• Built the ranking service in Python 3.10
• Led a team of 5
ML Engineer | Beta Labs | 2019–2021
• Trained models
Data Analyst, Gamma Inc.    Jan 2017 - Dec 2018
• SQL dashboards

Education
MSc Computer Science, Stanford University    2015 – 2017

Skills: Python, PyTorch, SQL
"""

STACKED = """\
JOHN SMITH
Data Scientist

PROFESSIONAL EXPERIENCE

Acme Corp, San Francisco, CA
Senior Data Scientist
Mar 2021 – Present
• Forecasting with Prophet and PyMC
• Mentored two analysts

Beta Analytics LLC, New York, NY
Data Scientist
Jan 2018 –
Feb 2021
• A/B testing platform

EDUCATION
Columbia University
MS Statistics
Sep 2016 – May 2018

TECHNICAL SKILLS
Python, R, SQL
"""

DATE_FIRST = """\
Alex Roe

EXPERIENCE

2020 - Present
Platform Engineer
Initech GmbH
- Kubernetes operators in Go

2016 – 2020
Backend Developer
Globex Inc
- Django services

EDUCATION
2012 – 2016 BSc, University of Leeds
"""

PAREN_DATES = """\
Sam Poe

Employment History
Acme Corp (2019 - 2022)
Data Scientist
Built churn models.
Hooli Labs (2016 - 2019)
Research Engineer
Wrote papers.

Interests
Chess
"""

INDEED = """\
Meda Cronin
Associate Software Engineer

Bengaluru, Karnataka - Email me on Indeed: x@example.com

WORK EXPERIENCE

Mule ESB Integration Developer

Cisco Systems -  San Jose, CA -

April 2017 to Present

Project: Extended Enterprise B2B Transformation

Responsibilities
• Followed agile methodology and Scrum.
Technologies: Mule Server 3.7 EE, Anypoint studio 5.4, Maven, GIT, RAML,
APIKit, SOAP 01, Postman, Agile, Jenkins.

Mule Soft Team Lead

Cisco Systems -  San Jose, CA -

June 2016 to March 2017

https://www.indeed.com/r/meda-cronin

• Tightly integrated applications using MULE ESB.

EDUCATION

B.E. in ENC
North Maharashtra University
2013 to 2017

SKILLS

C++ (Less than 1 year), Python
"""

BILINGUAL = """\
María García

PERFIL / PROFILE
Ingeniera de datos.

EXPERIENCIA / EXPERIENCE
Ingeniera de Datos — Telefónica S.A.    enero 2019 – actualidad
Analista de Datos — BBVA    marzo de 2016 - diciembre de 2018

FORMACIÓN / EDUCATION
Universidad de Sevilla    2011 – 2015

IDIOMAS
Español, inglés
"""

VOLUNTEER = """\
Pat Lee

EXPERIENCE
Software Engineer at Hooli    Jan 2020 – Dec 2021

VOLUNTEER EXPERIENCE
Web Developer, Code for Good    Jan 2018 – Dec 2021
"""

FLATTENED = (
    '"Pablo Reichert  2260 Arbor Court  Wheatland, WY 82201  Tel# (123)345-7890  Objective : '
    "Experienced IT Assistant Manager looking for position with reputable organization.  "
    "Summary of Qualifications  Vast working experience in Computers and Windows support  "
    "Profound knowledge of project management  Experience  IT Assistant Manager, 2010 - Present  "
    "Veredus Corporation - Durham, NC  Recommended and implemented approved LAN/WAN policies.  "
    "Managed IT within the regionally approved budget.  Educational Background  Bachelor's "
    'Degree in Computer Science, 2010  Mills College, Oakland, CA  GPA 3.23 (on scale of 4.0)"'
)

RESUMES = [
    (
        "one-line",
        ONE_LINE,
        ["header", "summary", "experience", "education", "skills"],
        [
            ("Senior ML Engineer", "Acme Corp", d(2021, 3), None, True),
            ("ML Engineer", "Beta Labs", d(2019, 1), d(2021, 12), False),
            ("Data Analyst", "Gamma Inc.", d(2017, 1), d(2018, 12), False),
        ],
    ),
    (
        "stacked",
        STACKED,
        ["header", "experience", "education", "skills"],
        [
            ("Senior Data Scientist", "Acme Corp", d(2021, 3), None, True),
            ("Data Scientist", "Beta Analytics LLC", d(2018, 1), d(2021, 2), False),
        ],
    ),
    (
        "date-first",
        DATE_FIRST,
        ["header", "experience", "education"],
        [
            ("Platform Engineer", "Initech GmbH", d(2020, 1), None, True),
            ("Backend Developer", "Globex Inc", d(2016, 1), d(2020, 12), False),
        ],
    ),
    (
        "parenthesized dates",
        PAREN_DATES,
        ["header", "experience", "interests"],
        [
            ("Data Scientist", "Acme Corp", d(2019, 1), d(2022, 12), False),
            ("Research Engineer", "Hooli Labs", d(2016, 1), d(2019, 12), False),
        ],
    ),
    (
        "indeed export",
        INDEED,
        ["header", "experience", "education", "skills"],
        [
            ("Mule ESB Integration Developer", "Cisco Systems", d(2017, 4), None, True),
            ("Mule Soft Team Lead", "Cisco Systems", d(2016, 6), d(2017, 3), False),
        ],
    ),
    (
        "bilingual",
        BILINGUAL,
        ["header", "summary", "experience", "education", "languages"],
        [
            ("Ingeniera de Datos", "Telefónica S.A.", d(2019, 1), None, True),
            ("Analista de Datos", "BBVA", d(2016, 3), d(2018, 12), False),
        ],
    ),
    (
        "volunteering",
        VOLUNTEER,
        ["header", "experience", "volunteering"],
        [
            ("Software Engineer", "Hooli", d(2020, 1), d(2021, 12), False),
            ("Web Developer", "Code for Good", d(2018, 1), d(2021, 12), False),
        ],
    ),
    (
        "flattened onto one line",
        FLATTENED,
        ["header", "summary", "summary", "experience", "education"],
        [("IT Assistant Manager", "Veredus Corporation", d(2010, 1), None, True)],
    ),
]


@pytest.mark.parametrize(
    ("name", "text", "section_kinds", "expected"), RESUMES, ids=[r[0] for r in RESUMES]
)
def test_resumes(name: str, text: str, section_kinds: list[str], expected: list[tuple]) -> None:
    sections, positions = parse(text)
    assert kinds(sections) == section_kinds
    assert summary(positions) == expected
    check_invariants(text, sections, positions)


def test_position_spans_cover_title_through_bullets() -> None:
    sections, positions = parse(STACKED)
    first, second = positions
    assert STACKED[first.span[0]:].startswith("Acme Corp, San Francisco, CA")
    assert STACKED[first.span[0]:first.span[1]].endswith("• Mentored two analysts")
    assert STACKED[second.span[0]:second.span[1]].endswith("• A/B testing platform")
    assert second.date_text == "Jan 2018 –\nFeb 2021"  # wrapped over two lines
    offset = STACKED.index("Prophet")
    assert position_at(positions, offset) == first
    assert section_at(sections, offset).kind == "experience"
    assert position_at(positions, STACKED.index("Columbia")) is None
    assert section_at(sections, STACKED.index("Columbia")).kind == "education"


def test_floating_date_below_bullets_joins_its_job() -> None:
    # Two-column PDFs put the date column after the job's first bullets.
    text = (
        "Work Experience\n\n"
        "Dunamu Inc.\n\nSeoul, S.Korea\n\nDevOps Engineer\nSep. 2023 \u00ad Mar. 2024\n"
        "• Led service mesh research.\n\n"
        "Danggeun Pay Inc. (KarrotPay)\n\nSeoul, S.Korea\n\nSite Reliability Engineer\n"
        "• Designed the infrastructure on AWS for financial\n\nMar. 2021 \u00ad Jun. 2023\n\n"
        "services in Korea.\n"
    )
    sections, positions = parse(text)
    assert summary(positions) == [
        ("DevOps Engineer", "Dunamu Inc.", d(2023, 9), d(2024, 3), False),
        ("Site Reliability Engineer", "Danggeun Pay Inc.", d(2021, 3), d(2023, 6), False),
    ]
    assert text[positions[1].span[0]:].startswith("Danggeun Pay Inc.")
    check_invariants(text, sections, positions)


def test_repeated_date_line_is_not_a_second_job() -> None:
    text = (
        "WORK EXPERIENCE\n\nMajor Incident Manager\n\nMicrosoft India -\n\n"
        "June 2016 to Present\n\nJune 2016 - Till date\n\nRoles and Responsibilities:\n"
        "• Working as a Major Incident Manager\n"
    )
    _, positions = parse(text)
    assert summary(positions) == [
        ("Major Incident Manager", "Microsoft India", d(2016, 6), None, True),
    ]


def test_labelled_fields() -> None:
    text = (
        "EXPERIENCE\n"
        "Company: Wipro Technologies\n"
        "Designation: Senior Software Engineer\n"
        "Duration: Jan 2015 - Mar 2018\n"
        "• Payments backend\n"
    )
    _, positions = parse(text)
    assert summary(positions) == [
        ("Senior Software Engineer", "Wipro Technologies", d(2015, 1), d(2018, 3), False),
    ]


def test_dates_only_in_bullets_still_make_a_position() -> None:
    text = (
        "WORK EXPERIENCE\n\nAssociate Software Engineer\n\noracle\n\n"
        "• Associate Software Engineer in Oracle India Pvt Ltd.\n"
        "• Experience in Oracle Hyperion Products. (September 2017 onwards)\n"
        "\nEDUCATION\n\nB.E. 2017\n"
    )
    _, positions = parse(text)
    assert summary(positions) == [
        ("Associate Software Engineer", "oracle", d(2017, 9), None, True),
    ]


def test_undated_job_is_a_position_without_dates() -> None:
    text = "WORK EXPERIENCE\n\nTechnical Support Engineer\n\nMicrosoft\n\n• Represent Microsoft\n"
    _, positions = parse(text)
    assert summary(positions) == [("Technical Support Engineer", "Microsoft", None, None, False)]
    assert experience_years(positions, d(2020, 1)) is None


def test_lone_year_on_a_position_line_is_one_month() -> None:
    text = "EXPERIENCE\nSummer Intern — Acme Corp, 2021\n• Built a thing\n"
    _, positions = parse(text)
    assert summary(positions) == [("Summer Intern", "Acme Corp", d(2021, 7), d(2021, 7), False)]
    assert experience_years(positions, d(2024, 1)) == 0.1


def test_column_of_years_is_not_positions() -> None:
    text = "EXPERIENCE\n2014\n2013\n2012\nVarious web projects\n"
    _, positions = parse(text)
    assert positions == ()


def test_education_dates_never_count() -> None:
    sections, positions = parse(ONE_LINE)
    assert all(p.section == "experience" for p in positions)
    edu = next(s for s in sections if s.kind == "education")
    assert all(not (edu.start <= p.span[0] < edu.end) for p in positions)
    text = "EDUCATION\nBSc, MIT    2010 – 2014\nMSc, MIT    2014 – 2016\n"
    _, only_edu = parse(text)
    assert only_edu == ()
    assert experience_years(only_edu, d(2020, 1)) is None


def test_projects_dates_are_not_positions() -> None:
    text = "PROJECTS\nChess engine    Jan 2019 – Mar 2019\nEXPERIENCE\nIntern, Acme Inc    2020\n"
    _, positions = parse(text)
    assert summary(positions) == [("Intern", "Acme Inc", d(2020, 7), d(2020, 7), False)]


ONE_LINE_FORMS = [
    ("Staff Software Engineer, Tessellate Data Inc., Boston, MA    2019 – Present",
     "Staff Software Engineer", "Tessellate Data Inc.", d(2019, 1), None),
    ("Software Engineer, Beacon Financial Systems, Boston, MA    2005 – 2007",
     "Software Engineer", "Beacon Financial Systems", d(2005, 1), d(2007, 12)),
    ("Backend Developer, Globex, Springfield, IL    Jan 2015 – Mar 2017",
     "Backend Developer", "Globex", d(2015, 1), d(2017, 3)),
    ("Data Scientist — Acme    2019 – 2022", "Data Scientist", "Acme", d(2019, 1), d(2022, 12)),
    ("Lead Mobile Engineer — Sakura Pay, Tokyo    Jan 2022 – Present",
     "Lead Mobile Engineer", "Sakura Pay", d(2022, 1), None),
    ("iOS Engineer — Hoshi Games, Osaka Jun 2019 - Dec 2021",
     "iOS Engineer", "Hoshi Games", d(2019, 6), d(2021, 12)),
    ("Inbound Supervisor — Sierra Fulfillment, Reno, NV (Nov 2019 – Present)",
     "Inbound Supervisor", "Sierra Fulfillment", d(2019, 11), None),
    ("Lead Dock Worker / Forklift Operator — Great Basin Freight, Sparks, NV (Jun 2015 – Oct 2019)",
     "Lead Dock Worker / Forklift Operator", "Great Basin Freight", d(2015, 6), d(2019, 10)),
    ("ML Engineer (contract) — Vela Robotics, remote    Jan 2021 – Mar 2022",
     "ML Engineer", "Vela Robotics", d(2021, 1), d(2022, 3)),
    ("Laboratory Assistant — UC Davis, Department of Molecular Biology    2016/06 – 2018/08",
     "Laboratory Assistant", "UC Davis", d(2016, 6), d(2018, 8)),
    ("Intern, Market Research, Ipsos Nigeria — Jan 2018 – May 2018",
     "Intern", "Ipsos Nigeria", d(2018, 1), d(2018, 5)),
]


@pytest.mark.parametrize(("line", "title", "org", "start", "end"), ONE_LINE_FORMS,
                         ids=[f[0][:40] for f in ONE_LINE_FORMS])
def test_one_line_position_forms(line: str, title: str, org: str, start: date,
                                 end: date | None) -> None:
    text = f"EXPERIENCE\n\n{line}\n- Built things in Python.\n\nEDUCATION\nBSc, MIT, 2001 – 2005\n"
    _, positions = parse(text)
    assert summary(positions) == [(title, org, start, end, end is None)]


LONG_CAREER = """\
EXPERIENCE

Staff Software Engineer, Tessellate Data Inc., Boston, MA 2019 – Present
- Rewrote the metadata service in Go.

Technical Advisor (part-time), Fathom Robotics 2021 – 2023
- Advised the founders on data pipelines.

Principal Engineer, Cobalt Streaming, Cambridge, MA 2013 – 2018
- Introduced Apache Flink for stateful aggregations in 2016.

(2012: one-year sabbatical, sailing the Atlantic.)

EDUCATION
M.S. Computer Science, Boston University, 2003 – 2005
"""


def test_comma_headers_with_dates_at_the_end_and_an_aside_year() -> None:
    _, positions = parse(LONG_CAREER)
    assert summary(positions) == [
        ("Staff Software Engineer", "Tessellate Data Inc.", d(2019, 1), None, True),
        ("Technical Advisor", "Fathom Robotics", d(2021, 1), d(2023, 12), False),
        ("Principal Engineer", "Cobalt Streaming", d(2013, 1), d(2018, 12), False),
    ]
    assert experience_years(positions, d(2026, 11)) == round((95 + 72) / 12, 1)


def test_comma_header_above_its_date_line() -> None:
    text = (
        "WORK EXPERIENCE\n\n"
        "Data Engineer II, Desert Sun Utilities, Phoenix, AZ\nJan 2023 – Present\n"
        "- Build ingestion pipelines.\n\n"
        "Data Engineer, Copperline Insurance, Tempe, AZ\nAug 2020 – Dec 2022\n"
        "- Maintained SQL Server ETL jobs.\n"
    )
    _, positions = parse(text)
    assert summary(positions) == [
        ("Data Engineer II", "Desert Sun Utilities", d(2023, 1), None, True),
        ("Data Engineer", "Copperline Insurance", d(2020, 8), d(2022, 12), False),
    ]
    second = text.index("Data Engineer, Copperline")
    assert positions[0].span[1] <= second == positions[1].span[0]


def test_one_line_positions_with_a_description_after_the_date() -> None:
    text = (
        "Experience\n"
        "Growth Analyst, Souq Basket (Dubai), Apr 2022 – Present — SQL in BigQuery, dbt models, "
        "Looker dashboards, weekly A/B tests.\n"
        "Marketing Intern, Zain Jordan (Amman), Jun 2019 – Aug 2019 — campaign reports in Google "
        "Sheets and Looker Studio.\n"
        "Education\nB.Sc. Industrial Engineering, University of Jordan, 2015 – 2019\n"
    )
    _, positions = parse(text)
    assert summary(positions) == [
        ("Growth Analyst", "Souq Basket", d(2022, 4), None, True),
        ("Marketing Intern", "Zain Jordan", d(2019, 6), d(2019, 8), False),
    ]


def test_wrapped_bullet_end_is_not_the_next_jobs_header() -> None:
    text = (
        "EXPERIENCE\n"
        "Senior Engineer | Cedar Health | 04/2021 – Present\n"
        "- When the vendor API went down we switched to a Node.js webhook relay on\n"
        "AWS Lambda, written overnight.\n"
        "Software Engineer | Tidewater Tickets | 09/2018 – 03/2021\n"
        "- Ticketing APIs in NodeJS.\n"
    )
    _, positions = parse(text)
    assert summary(positions) == [
        ("Senior Engineer", "Cedar Health", d(2021, 4), None, True),
        ("Software Engineer", "Tidewater Tickets", d(2018, 9), d(2021, 3), False),
    ]
    assert text[positions[1].span[0]:].startswith("Software Engineer | Tidewater")
    assert "AWS Lambda" in text[positions[0].span[0]:positions[0].span[1]]


TABLE = """\
EXPERIENCE
| Period | Company | Role | Main stack |
|-------------------|-------------------|----------------------|--------------------------|
| 2021-09 – present | Fjord Mobility AS | Senior Data Engineer | Apache Beam, BigQuery |
| 2019-01 – 2021-08 | Nordlys Energi | Data Engineer | Airflow (Cloud Composer), dbt |
| 2016-06 – 2018-12 | Telenord | Java Developer | Java, Spring Boot, Oracle |
Highlights
- Fjord Mobility: Terraform for all GCP resources.
- Telenord: billing APIs in Java.
SKILLS
Python, SQL
"""


def test_table_rows_are_positions_named_by_their_columns() -> None:
    _, positions = parse(TABLE)
    assert summary(positions) == [
        ("Senior Data Engineer", "Fjord Mobility AS", d(2021, 9), None, True),
        ("Data Engineer", "Nordlys Energi", d(2019, 1), d(2021, 8), False),
        ("Java Developer", "Telenord", d(2016, 6), d(2018, 12), False),
    ]
    for p in positions:  # each span is its own row: no header row, no notes under the table
        body = TABLE[p.span[0]:p.span[1]]
        assert body.startswith("| 20") and "\n" not in body
    check_invariants(TABLE, *parse(TABLE))


def test_skills_heading_after_the_last_job_ends_experience() -> None:
    text = (
        "Summary\nBI analyst.\n\n"
        "Experience\n"
        "BI Analyst, Kora Microfinance — Mar 2021 – Present\n"
        "- Power BI reports.\n\n"
        "Intern, Ipsos — Jan 2018 – May 2018\n"
        "- Survey tabulation in SPSS.\n\n"
        "Skills\n"
        "SQL · Power BI · Tableau\n\n"
        "Education\nB.Sc. Statistics, University of Lagos, 2013 – 2017\n"
    )
    sections, positions = parse(text)
    assert kinds(sections) == ["summary", "experience", "skills", "education"]
    assert "Tableau" not in text[positions[-1].span[0]:positions[-1].span[1]]
    # With jobs still to come, the same line is a sub-heading inside the job.
    text2 = text.replace("Skills\nSQL · Power BI · Tableau\n\n", "").replace(
        "Intern, Ipsos", "Skills\nSQL, Power BI\n\nIntern, Ipsos")
    assert kinds(parse(text2)[0]) == ["summary", "experience", "education"]


def test_academic_appointments_are_experience() -> None:
    text = (
        "Amara Nwosu — Curriculum Vitae\n\nAppointments\n"
        "Research Scientist, Heidelberg Institute for Theoretical Studies (HITS) — Oct 2022 – "
        "Present\n- Simulation-based inference.\n\n"
        "Education\nPhD, Computer Science, University of Oxford, Oct 2018 – Sep 2022\n\n"
        "Publications (selected)\n1. A. Nwosu. Paper. NeurIPS 2023.\n"
    )
    sections, positions = parse(text)
    assert kinds(sections) == ["header", "experience", "education", "publications"]
    assert summary(positions) == [
        ("Research Scientist", "Heidelberg Institute for Theoretical Studies", d(2022, 10), None,
         True),
    ]


def test_labelled_company_drops_its_city() -> None:
    text = ("PROFESSIONAL EXPERIENCE\n\nCompany : Vyom Infotech, Pune\nRole : Software Engineer\n"
            "Duration: Jun'2014 – Jun'2016\n* Spring MVC web application.\n")
    _, positions = parse(text)
    assert summary(positions) == [
        ("Software Engineer", "Vyom Infotech", d(2014, 6), d(2016, 6), False)]


def test_graduations_awards_and_bullet_ends_are_not_positions() -> None:
    text = (
        "EXPERIENCE\n"
        "Project Manager, Infosys Limited\nFebruary 2015 to Present\n"
        "• Winner of the Best Team Award for excellence in project\n(2014 – 2015)\n\n"
        "Best Paper Award 2013\n\n"
        "Cornell University, Expected May 2014\n"
    )
    _, positions = parse(text)
    assert summary(positions) == [("Project Manager", "Infosys Limited", d(2015, 2), None, True)]


def test_wrapped_date_then_a_date_on_its_last_line() -> None:
    text = "EXPERIENCE\nJan 2019 –\n2019 - 2022"
    sections, positions = parse(text)
    check_invariants(text, sections, positions)
    assert [(p.start, p.end) for p in positions] == [(d(2019, 1), d(2019, 12))]


# ---------------------------------------------------------------------------------------------
# Experience timeline
# ---------------------------------------------------------------------------------------------


def pos(start: date | None, end: date | None, current: bool = False,
        section: str = "experience") -> Position:
    return Position(0, "t", "o", start, end, current, (0, 1), "", section)


YEARS = [
    ("current runs to as_of", [pos(d(2020, 1), None, True)], d(2022, 12), 3.0),
    ("overlap merged", [pos(d(2018, 1), d(2019, 12)), pos(d(2019, 1), None, True)],
     d(2020, 12), 3.0),
    ("gap not counted", [pos(d(2010, 1), d(2010, 12)), pos(d(2015, 1), d(2015, 12))],
     d(2020, 1), 2.0),
    ("end after as_of clamped", [pos(d(2020, 1), d(2030, 12))], d(2020, 12), 1.0),
    ("start after as_of ignored", [pos(d(2020, 1), d(2020, 12)), pos(d(2025, 1), None, True)],
     d(2021, 6), 1.0),
    ("only future", [pos(d(2025, 1), None, True)], d(2021, 6), None),
    ("no dated position", [pos(None, None)], d(2021, 6), None),
    ("nothing", [], d(2021, 6), None),
    ("volunteering not counted",
     [pos(d(2020, 1), d(2020, 12)), pos(d(2010, 1), d(2019, 12), section="volunteering")],
     d(2021, 1), 1.0),
    ("year-only range", [pos(d(2019, 7), d(2022, 7))], d(2023, 1), 3.1),
    ("as_of mid-month", [pos(d(2020, 1), None, True)], date(2020, 12, 31), 1.0),
]


@pytest.mark.parametrize(("name", "positions", "as_of", "years"), YEARS,
                         ids=[y[0] for y in YEARS])
def test_experience_years(name: str, positions: list[Position], as_of: date,
                          years: float | None) -> None:
    assert experience_years(positions, as_of) == years


def test_experience_years_of_a_parsed_resume() -> None:
    _, positions = parse(ONE_LINE)
    # Jan 2017 – Dec 2018 (24) + "2019–2021" = Jan 2019 – Dec 2021, merged with Mar 2021 – Jun 2024 (66)
    assert experience_years(positions, d(2024, 6)) == round((24 + 66) / 12, 1)


def test_lookups_outside_everything() -> None:
    assert section_at((), 5) is None
    assert position_at((), 5) is None
    sections, positions = parse(STACKED)
    assert section_at(sections, len(STACKED) + 10) is None
    assert position_at(positions, 0) is None


# ---------------------------------------------------------------------------------------------
# Robustness
# ---------------------------------------------------------------------------------------------

LINES = st.sampled_from([
    "EXPERIENCE", "Work Experience", "Skills:", "Skills: Python, SQL", "EDUCATION", "PROJECTS",
    "Senior Engineer — Acme Corp    Mar 2021 – Present", "Acme Corp, Boston, MA",
    "Data Scientist", "Jan 2019 –", "Present", "2019 - 2022", "2021", "• Built things",
    "- shipped stuff", "Technologies: Go", "", "", "VOLUNTEER EXPERIENCE", "Coach (2018 - 2020)",
    "https://example.com/me", "Since 2020", "Company: Hooli", "Designation: Developer",
    "Duration: 2015 - 2016", "Achievements:", "ALL CAPS LINE", "1", "-",
])


@settings(max_examples=150, deadline=None)
@given(st.lists(LINES, max_size=30), st.sampled_from(["\n", "  "]))
def test_any_layout_keeps_the_invariants(lines: list[str], sep: str) -> None:
    text = sep.join(lines)
    if sep == "  ":
        text = "x" * 301 + "  " + text  # long enough to be read as a flattened document
    sections, positions = parse(text)
    check_invariants(text, sections, positions)
    assert experience_years(positions, d(2030, 1)) is None or experience_years(
        positions, d(2030, 1)) >= 0


def test_a_prose_resume_without_an_experience_heading_still_has_its_jobs() -> None:
    text = (
        "Maggie Thornton\nmaggie@example.com | Atlanta, GA\n\n"
        "Peachline Health — Staff SRE, August 2020 to present\n"
        "I lead the team that runs our Kubernetes platform on EKS.\n\n"
        "Stonebridge Media — Senior DevOps Engineer, March 2016 to July 2020\n"
        "I moved a PHP monolith to AWS and wrote Terraform modules.\n\n"
        "Education: B.S. Computer Engineering, Georgia Tech, 2014.\n"
    )
    doc = Document(text=text, format="text")
    positions = find_positions(doc, find_sections(doc))
    assert [(p.start, p.end, p.current) for p in positions] == [
        (d(2020, 8), None, True),
        (d(2016, 3), d(2020, 7), False),
    ]
    assert all(p.section == "experience" for p in positions)


@pytest.mark.parametrize("sep", ["→", "->", "–"], ids=["arrow", "ascii-arrow", "en-dash"])
def test_arrow_separators(sep: str) -> None:
    from matcher.dates import parse_date_range

    r = parse_date_range(f"2018-01 {sep} 2020-08")
    assert r is not None and (r.start, r.end) == (d(2018, 1), d(2020, 8))


# ---------------------------------------------------------------------------------------------
# One interval rule for experience years and skill years (matcher.timeline)
# ---------------------------------------------------------------------------------------------

INTERVALS = [
    ("dated", pos(d(2019, 3), d(2020, 2)), d(2024, 1), (d(2019, 3), d(2020, 2))),
    ("current runs to as_of", pos(d(2020, 1), None, True), date(2022, 5, 17), (d(2020, 1), d(2022, 5))),
    ("end clamped to as_of", pos(d(2020, 1), d(2030, 1)), d(2021, 1), (d(2020, 1), d(2021, 1))),
    ("start without end: its month", pos(d(2020, 4), None), d(2024, 1), (d(2020, 4), d(2020, 4))),
    ("no start", pos(None, d(2020, 1)), d(2024, 1), None),
    ("starts after as_of", pos(d(2025, 1), None, True), d(2024, 1), None),
]


@pytest.mark.parametrize(("name", "position", "as_of", "want"), INTERVALS, ids=[i[0] for i in INTERVALS])
def test_position_interval(name: str, position: Position, as_of: date, want) -> None:
    from matcher.sections import position_interval

    assert position_interval(position, as_of) == want


def test_experience_years_and_skill_years_use_the_same_interval_rule() -> None:
    from matcher.profile import position_interval as profile_rule
    from matcher.sections import position_interval

    assert profile_rule is position_interval
    # A start without an end counts its one month, in both.
    assert experience_years([pos(d(2020, 4), None)], d(2024, 1)) == 0.1


@pytest.mark.parametrize("header,title,org", [
    ("Senior ML Engineer, Ironclad Payments, Austin TX", "Senior ML Engineer", "Ironclad Payments"),
    ("ML Engineer, CreditNest, Dallas TX", "ML Engineer", "CreditNest"),
    ("Data Scientist, Brightloop, San Francisco CA", "Data Scientist", "Brightloop"),
    ("Backend Engineer, Acme, Austin, TX", "Backend Engineer", "Acme"),
], ids=["city-state-no-comma", "dallas", "two-word-city", "with-comma"])
def test_a_city_and_state_code_is_never_the_employer(engine, header, title, org):
    """Issue 17: "Austin TX" (the comma dropped) was taken for the organization."""
    from matcher import parse_text, profile_to_dict

    text = f"Jane Doe\n\nExperience\n{header}\nJan 2020 – Present\n- Built Python services\n"
    pos = profile_to_dict(parse_text(text, engine))["positions"][0]
    assert (pos["title"], pos["organization"]) == (title, org)
