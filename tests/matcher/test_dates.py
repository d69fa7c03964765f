"""Date ranges in résumé text, month arithmetic and merged timelines (matcher.dates)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matcher.dates import (
    DateRange,
    add_months,
    find_date_ranges,
    find_dates,
    merge_intervals,
    months_spanned,
    parse_date_range,
    total_years,
    years_of_months,
)


def d(y: int, m: int) -> date:
    return date(y, m, 1)


# Year-only range endpoints cover the whole year (start January, end December); a lone year is
# July: see the module docstring.
FORMATS = [
    # (text, start, end, current)
    ("Mar 2021 – Present", d(2021, 3), None, True),
    ("March 2021 - Present", d(2021, 3), None, True),
    ("03/2018 - 06/2020", d(2018, 3), d(2020, 6), False),
    ("2019–2022", d(2019, 1), d(2022, 12), False),
    ("2019 - 2022", d(2019, 1), d(2022, 12), False),
    ("2020/04 – present", d(2020, 4), None, True),
    ("January 2018 to Present", d(2018, 1), None, True),
    ("06/2020 – actual", d(2020, 6), None, True),
    ("2023 – présent", d(2023, 1), None, True),
    ("10/2020 – today", d(2020, 10), None, True),
    ("Sep. 2019 – Current", d(2019, 9), None, True),
    ("Sept 2019 - Now", d(2019, 9), None, True),
    ("2017 – till date", d(2017, 1), None, True),
    ("Jan'19 – Mar'21", d(2019, 1), d(2021, 3), False),
    ("Jan ’19 – Mar ’21", d(2019, 1), d(2021, 3), False),
    ("Jan'2020 – Till Date", d(2020, 1), None, True),  # apostrophe before a four-digit year
    ("Jul'2016 – Dec'2019", d(2016, 7), d(2019, 12), False),
    ("Oct '2010 - Dec '2011", d(2010, 10), d(2011, 12), False),
    ("Feb 2015 — Jan 2017", d(2015, 2), d(2017, 1), False),
    ("2018-03 – 2019-11", d(2018, 3), d(2019, 11), False),
    ("Since 2020", d(2020, 1), None, True),
    ("since March 2020", d(2020, 3), None, True),
    ("September 2017 onwards", d(2017, 9), None, True),
    ("(September 2017 onwards)", d(2017, 9), None, True),
    ("September 2017 to date", d(2017, 9), None, True),
    ("July 2009 to Till Date", d(2009, 7), None, True),
    ("Mar 2021 –\nPresent", d(2021, 3), None, True),
    ("Jan 2019 -\nDec 2020", d(2019, 1), d(2020, 12), False),
    ("Jan 2019\n– Dec 2020", d(2019, 1), d(2020, 12), False),
    ("Feb 2015 -- Jan 2017", d(2015, 2), d(2017, 1), False),
    ("Sep. 2023 \u00ad Mar. 2024", d(2023, 9), d(2024, 3), False),  # soft hyphen (LaTeX PDFs)
    ("June 2016 to March 2017", d(2016, 6), d(2017, 3), False),
    ("2004-2007", d(2004, 1), d(2007, 12), False),
    ("2007-Present", d(2007, 1), None, True),
    ("2016present", d(2016, 1), None, True),
    ("January 2015  Present", d(2015, 1), None, True),
    ("October 2010  May 2011", d(2010, 10), d(2011, 5), False),  # dash lost in extraction
    ("Paralegal (1999  2004)", d(1999, 1), d(2004, 12), False),
    ("2/1/2012 - Current", d(2012, 2), None, True),  # US M/D/Y
    ("8/1/2008 - 1/1/2012", d(2008, 8), d(2012, 1), False),
    ("01.03.2019 – 31.12.2020", d(2019, 3), d(2020, 12), False),  # European D.M.Y
    ("04-09-2003 to 19-12-2007", d(2003, 9), d(2007, 12), False),
    ("March 10, 2019 - Present", d(2019, 3), None, True),
    ("05 / 2003 - 08 / 2004", d(2003, 5), d(2004, 8), False),
    ("03/18 – 06/20", d(2018, 3), d(2020, 6), False),
    ("1/09 to Present", d(2009, 1), None, True),
    ("Summer 2012 – Fall 2013", d(2012, 6), d(2013, 9), False),
    ("Q3 2019 - Q1 2020", d(2019, 7), d(2020, 1), False),
    ("2019-20", d(2019, 7), d(2020, 7), False),  # academic year
    ("2015/16", d(2015, 7), d(2016, 7), False),
    ("2022 – 2019", d(2019, 1), d(2022, 12), False),  # written backwards: swapped
    ("from May 2007 to June 2009", d(2007, 5), d(2009, 6), False),
    ("2019 through 2021", d(2019, 1), d(2021, 12), False),
    # Spanish / French / German / Portuguese
    ("enero 2019 – actualidad", d(2019, 1), None, True),
    ("marzo de 2018 - diciembre de 2020", d(2018, 3), d(2020, 12), False),
    ("desde 2019", d(2019, 1), None, True),
    ("Septiembre 2016 - Actual", d(2016, 9), None, True),
    ("janvier 2019 – aujourd'hui", d(2019, 1), None, True),
    ("févr. 2017 - déc. 2018", d(2017, 2), d(2018, 12), False),
    ("depuis 2021", d(2021, 1), None, True),
    ("Okt. 2018 – heute", d(2018, 10), None, True),
    ("März 2015 - Dezember 2017", d(2015, 3), d(2017, 12), False),
    ("seit März 2020", d(2020, 3), None, True),
    ("10.2019 – 03.2021", d(2019, 10), d(2021, 3), False),
    ("março 2019 – atual", d(2019, 3), None, True),
    ("agosto de 2015 até o momento", d(2015, 8), None, True),
]


@pytest.mark.parametrize(
    ("text", "start", "end", "current"), FORMATS, ids=[f[0] for f in FORMATS]
)
def test_formats(text: str, start: date, end: date | None, current: bool) -> None:
    r = parse_date_range(text)
    assert r is not None
    assert (r.start, r.end, r.current) == (start, end, current)
    assert text[r.span[0]:r.span[1]] == r.text


NEGATIVES = [
    "Tel# (123)345-7890",
    "Phone: 77-332-55",
    "+1 (415) 555-2019",
    "+91 98450 20190",
    "555-2019-1234",
    "2123-456789",
    "Python 3.10",
    "Python 3.10 - 3.12",
    "5+ years of experience",
    "2-5 years",
    "$120,000 - $150,000",
    "salary 2019-2020 USD",
    "GPA 3.85/4.0",
    "GPA: 3.66 (9.15/10.0)",
    "Windows NT 2000/2003/XP",
    "SQL Server 2008-2012",
    "Visual Studio 2017 - 2019",
    "Mule ESB (3.7v & 3.8v)",
    "24/7 support",
    "1/2 cup",
    "2021",  # a lone year is not a range
    "June 2019",  # nor is a lone month
    "Graduated 2015. Joined in 2016.",
    "ISO 9001:2015",
    "Ref. 1999-2000-17",
]


@pytest.mark.parametrize("text", NEGATIVES, ids=NEGATIVES)
def test_not_a_range(text: str) -> None:
    assert parse_date_range(text) is None
    assert find_date_ranges(text) == []


@pytest.mark.parametrize(
    "text",
    ["Tel# (123)345-7890", "Python 3.10", "5+ years", "$120,000", "GPA 3.85/4.0",
     "Windows NT 2000/2003/XP", "Call 020 7946 0958", "v2.4.1"],
)
def test_not_even_a_lone_date(text: str) -> None:
    assert find_dates(text) == []


def test_lone_dates_are_single_in_find_dates() -> None:
    found = find_dates("Intern, Acme Corp, June 2019. Then 2021.")
    assert [(r.text, r.start, r.end, r.current, r.is_single) for r in found] == [
        ("June 2019", d(2019, 6), d(2019, 6), False, True),
        ("2021", d(2021, 7), d(2021, 7), False, True),
    ]


def test_all_ranges_in_order_with_spans() -> None:
    text = "Acme (Jan 2018 – Mar 2019); Beta Corp | 2019–2021 | and since 2022 at Gamma."
    found = find_date_ranges(text)
    assert [r.text for r in found] == ["Jan 2018 – Mar 2019", "2019–2021", "since 2022"]
    for r in found:
        assert text[r.span[0]:r.span[1]] == r.text
    assert found[2].current and found[2].end is None


def test_range_wrapped_over_a_line_keeps_its_text() -> None:
    text = "Senior ML Engineer  Mar 2021 –\nPresent\n• Built things"
    r = parse_date_range(text)
    assert r == DateRange(d(2021, 3), None, True, "Mar 2021 –\nPresent", (20, 38))


def test_blank_line_breaks_a_range() -> None:
    assert find_date_ranges("Jan 2019 -\n\nDec 2020") == []


def test_two_digit_year_pivot() -> None:
    assert parse_date_range("Jan '98 - Mar '01") == DateRange(
        d(1998, 1), d(2001, 3), False, "Jan '98 - Mar '01", (0, 17)
    )


def test_dash_separated_two_digit_mm_yy_needs_a_partner() -> None:
    assert parse_date_range("03/18 - 2020") is None


# ---------------------------------------------------------------------------------------------
# months, merging, totals
# ---------------------------------------------------------------------------------------------

MONTHS = [
    (d(2020, 1), d(2020, 12), 12),
    (d(2021, 3), d(2021, 3), 1),
    (d(2019, 7), d(2022, 7), 37),
    (d(2019, 1), d(2022, 12), 48),  # "2019 – 2022"
    (date(2020, 1, 31), date(2020, 2, 1), 2),  # days ignored
    (d(2020, 5), d(2020, 4), 0),  # backwards
]


@pytest.mark.parametrize(("a", "b", "n"), MONTHS, ids=[f"{a}..{b}" for a, b, _ in MONTHS])
def test_months_spanned_is_inclusive(a: date, b: date, n: int) -> None:
    assert months_spanned(a, b) == n


def test_add_months() -> None:
    assert add_months(d(2020, 11), 3) == d(2021, 2)
    assert add_months(d(2020, 1), -1) == d(2019, 12)


MERGES = [
    ("empty", [], []),
    ("disjoint", [(d(2018, 1), d(2018, 6)), (d(2019, 1), d(2019, 3))],
     [(d(2018, 1), d(2018, 6)), (d(2019, 1), d(2019, 3))]),
    ("overlap", [(d(2018, 1), d(2019, 6)), (d(2019, 1), d(2020, 3))],
     [(d(2018, 1), d(2020, 3))]),
    ("adjacent months touch", [(d(2020, 1), d(2020, 6)), (d(2020, 7), d(2020, 12))],
     [(d(2020, 1), d(2020, 12))]),
    ("contained", [(d(2015, 1), d(2020, 1)), (d(2016, 1), d(2017, 1))],
     [(d(2015, 1), d(2020, 1))]),
    ("unsorted and backwards", [(d(2021, 1), d(2020, 1)), (d(2010, 1), d(2011, 1))],
     [(d(2010, 1), d(2011, 1)), (d(2020, 1), d(2021, 1))]),
]


@pytest.mark.parametrize(("name", "given_", "expected"), MERGES, ids=[m[0] for m in MERGES])
def test_merge_intervals(name: str, given_: list, expected: list) -> None:
    assert merge_intervals(given_) == expected


TOTALS = [
    ("one year", [(d(2020, 1), d(2020, 12))], 1.0),
    ("overlap counted once", [(d(2018, 1), d(2019, 12)), (d(2019, 1), d(2020, 12))], 3.0),
    ("job change month shared", [(d(2019, 1), d(2020, 3)), (d(2020, 3), d(2020, 12))], 2.0),
    ("gap not counted", [(d(2010, 1), d(2010, 12)), (d(2015, 1), d(2015, 6))], 1.5),
    ("year-only range", [(d(2019, 7), d(2022, 7))], 3.1),
    ("nothing", [], 0.0),
    # 111 months = 9.25 years: rounded half-up, not half-to-even
    ("half-up rounding",
     [(d(2015, 7), d(2018, 2)), (d(2018, 3), d(2020, 6)), (d(2022, 9), d(2026, 11))], 9.3),
]


@pytest.mark.parametrize(("name", "intervals", "years"), TOTALS, ids=[t[0] for t in TOTALS])
def test_total_years(name: str, intervals: list, years: float) -> None:
    assert total_years(intervals) == years


months = st.builds(d, st.integers(1970, 2030), st.integers(1, 12))
intervals = st.lists(st.tuples(months, months).map(lambda t: tuple(sorted(t))), max_size=12)


@given(intervals)
def test_total_years_bounded_by_sum_and_longest(ivs: list[tuple[date, date]]) -> None:
    total = total_years(ivs)
    durations = [months_spanned(s, e) for s, e in ivs]
    assert total <= years_of_months(sum(durations))
    if ivs:
        longest = max(ivs, key=lambda iv: months_spanned(*iv))
        assert total >= total_years([longest])
    merged = merge_intervals(ivs)
    assert total_years(merged) == total
    for (_, e1), (s2, _) in zip(merged, merged[1:]):
        assert add_months(e1, 1) < s2  # merged intervals neither overlap nor touch


@given(st.text(alphabet=st.sampled_from(list("0123456789 -–/.'()\nJanMarPresentSince")),
               max_size=80))
def test_scanner_never_crashes_and_spans_match(text: str) -> None:
    for r in find_dates(text):
        assert text[r.span[0]:r.span[1]] == r.text
        assert r.start is not None
        assert r.current == (r.end is None)
        if r.end is not None:
            assert r.start <= r.end


def test_months_elapsed_is_exclusive() -> None:
    from matcher.dates import months_elapsed

    assert months_elapsed(date(2020, 1, 1), date(2020, 3, 15)) == 2
    assert months_elapsed(date(2020, 3, 1), date(2020, 3, 31)) == 0
    assert months_elapsed(date(2021, 1, 1), date(2020, 1, 1)) == 0
    assert months_spanned(date(2020, 1, 1), date(2020, 3, 15)) == 3
