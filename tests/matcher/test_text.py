"""The text layer (matcher.text): one bullet table and its derived sets, lines, heading shapes."""

from __future__ import annotations

import pytest

from matcher import text
from matcher.documents import normalize
from matcher.text import clean_heading, fold, lines


def test_every_bullet_set_is_derived_from_the_one_table() -> None:
    glyphs = set(text.LIST_GLYPHS + text.ORNAMENT_GLYPHS + text.RARE_GLYPHS)
    assert set(text.HARD_BULLETS) <= glyphs | set(text.SYMBOL_FONT_BULLETS)
    assert set(text.GLUED_BULLETS) <= glyphs
    assert set(text.LINE_BULLETS) <= glyphs | set(text.PUNCT_BULLETS)
    assert set(text.TOKEN_PREFIX_BULLETS) <= glyphs | set("·→»")
    assert set(text.HARD_BULLETS) <= text.ITEM_MARKS
    assert normalize.BULLETS == text.LINE_BULLETS  # the name job_structure imports


def test_hard_bullets_never_frame_a_heading_and_never_break_a_character_class() -> None:
    assert not set(text.ORNAMENT_GLYPHS) & set(text.HARD_BULLETS)
    assert not set("-]\\^") & set(text.HARD_BULLETS)  # safe inside [...] in a regex


def test_private_use_bullets_map_to_glyphs_of_the_table() -> None:
    shown = set(text.PUA_BULLETS.values())
    assert shown <= set(text.LIST_GLYPHS) | set(text.PUNCT_BULLETS)
    assert text.SYMBOL_FONT_BULLETS.items() <= text.PUA_BULLETS.items()
    assert normalize.normalize_chars("\uf0b7 Python") == "• Python"


def test_lines_strip_blanks_and_mark_blank_lines_before() -> None:
    s = "  Experience \n\n\tAcme  \nx"
    assert [(s[a:b], blank) for a, b, blank in lines(s)] == [
        ("Experience", True), ("Acme", True), ("x", False)]


def test_a_flattened_line_is_cut_at_runs_of_spaces() -> None:
    s = "x" * 301 + "  " + "  ".join(["Experience", "Acme Corp", "2019 - 2022", "Skills", "Go"])
    got = [s[a:b] for a, b, _ in lines(s)]
    assert got[1:] == ["Experience", "Acme Corp", "2019 - 2022", "Skills", "Go"]


@pytest.mark.parametrize(("raw", "want"), [
    ("## Experience", ("Experience", False)),
    ("— SKILLS —", ("SKILLS", False)),
    ("1. Education:", ("Education", True)),
    ("S K I L L S", ("SKILLS", False)),
    ("★ Skills ★", ("Skills", False)),
    ("• Experience in Python", None),
    ("- Experience in Python", None),
])
def test_clean_heading(raw: str, want: tuple[str, bool] | None) -> None:
    assert clean_heading(raw) == want


def test_fold() -> None:
    assert fold("Skills & Tools") == "skills and tools"
    assert fold("Éducation") == "education"
    assert fold("Work-Experience:") == "work experience"


def _no_cue(_: str) -> str | None:
    return None


def _cue(text_: str) -> str | None:
    return "required" if text_.lower() in {"requirements", "nice to have", "what you'll bring"} else None


@pytest.mark.parametrize(
    ("raw", "before", "after", "heading", "bullet"),
    [
        ("## About the role", "", "", True, False),
        ("Requirements", "Some text", "- Python", True, False),
        ("we like tidy code", "Some text", "- Python", False, False),  # sentence case, not a known cue
        ("REQUIREMENTS", "Some text", "- Python", True, False),
        ("Nice to have", "", "", True, False),
        ("- 3+ years of Python", "Requirements", "", False, True),
        ("* PyTorch or JAX", "", "", False, True),
        ("**Bonus points**", "", "", True, False),
        ("You have shipped models to production.", "", "", False, False),
        ("Compute Engine, RackSpace/OpenStack)", "Cloud experience (AWS, Google", "", False, False),
        ("Specialized experience is defined as follows:", "", "", True, False),
    ],
    ids=["markdown", "bare-cue", "lowercase-unknown", "caps", "isolated", "dash-item", "star-item", "bold",
         "prose", "wrapped", "lead-in-colon"],
)
def test_marked_lines_read_headings_items_and_prose(raw, before, after, heading, bullet) -> None:
    got = text.marked_lines("\n".join([before, raw, after]), _cue)[1]
    assert (got.heading, got.bullet) == (heading, bullet)
    assert got.raw == raw


def test_marked_lines_drop_setext_rules_and_strip_decoration() -> None:
    got = text.marked_lines("Requirements\n============\n- **PyTorch**", _no_cue)
    assert [(ln.text, ln.heading, ln.bullet) for ln in got] == [("Requirements", True, False), ("PyTorch", False, True)]


def test_a_lead_in_is_sentence_case_and_ends_with_a_colon() -> None:
    assert text.is_lead_in("Specialized experience is defined as follows:")
    assert not text.is_lead_in("Required Skills And Experience:")
    assert not text.is_lead_in("Specialized experience is defined as follows")
