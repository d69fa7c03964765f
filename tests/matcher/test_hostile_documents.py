"""Hostile files at the engine level: every case ends in a typed DocumentError with its code, or
in a read Document that flags what was wrong; nothing else escapes, nothing runs away.

The files come from ``tests/hostile.py`` (generated in memory, bombs included). The outcomes are
listed in ``docs/reliability.md`` ("Hostile files").
"""

from __future__ import annotations

import os
import time
import tracemalloc

import pytest

from matcher.documents import ReadLimits, read_document
from matcher.errors import (
    DocumentTooLarge,
    EncryptedDocument,
    NoTextLayer,
    UnreadableDocument,
    UnsupportedFormat,
)
from matcher.pipeline import match_profile, parse_bytes
from matcher.roles import load_role_spec, resolve_spec
from tests import hostile as H

#: generous: every case here takes well under a second on a laptop
CASE_SECONDS = 10.0

# ---------------------------------------------------------------------------------------------
# refused: (id, builder, error, message regex)
# ---------------------------------------------------------------------------------------------

REFUSED = [
    ("pdf-flate-bomb-1GiB", H.pdf_flate_bomb, DocumentTooLarge, "decompress past the decompressed-size limit"),
    ("pdf-chained-flate-flate", H.pdf_chained_flate_bomb, DocumentTooLarge, "decompression bomb"),
    ("pdf-chained-hex-flate", H.pdf_hex_flate_bomb, DocumentTooLarge, "decompression bomb"),
    ("pdf-corrupt-5MB-zlib", H.pdf_corrupt_zlib, UnreadableDocument, "compressed stream.*can't be inflated"),
    ("pdf-pages-cycle-no-page", H.pdf_mutual_pages, UnreadableDocument, "no pages"),
    ("pdf-dicts-100k-deep", H.pdf_deep_dicts_in_catalog, UnreadableDocument, "corrupt or truncated PDF"),
    ("pdf-xref-prev-loop", H.pdf_xref_prev_loop, UnreadableDocument, "corrupt or truncated PDF"),
    ("pdf-truncated", H.pdf_truncated, UnreadableDocument, "corrupt or truncated PDF"),
    ("pdf-header-only", H.pdf_header_only, UnreadableDocument, "corrupt or truncated PDF"),
    ("pdf-5000-pages", H.pdf_pages, DocumentTooLarge, "5000 pages; the limit is 50"),
    ("pdf-5000-pages-count-lies",
     lambda: H.pdf_pages(5000, honest_count=False), DocumentTooLarge, "more than 50 pages"),
    ("pdf-encrypted", H.pdf_encrypted, EncryptedDocument, "password-protected PDF"),
    ("pdf-image-only", H.pdf_image_only, NoTextLayer, "scanned PDF"),
    ("pdf-fonts-without-tounicode", H.pdf_no_tounicode_only, NoTextLayer, r"no Unicode mapping.*\(cid:NN\)"),
    ("docx-member-inflates-1GiB", H.docx_member_bomb, DocumentTooLarge, "possible zip bomb"),
    ("docx-member-1GiB-declared-1KB", lambda: H.docx_member_bomb(declared=1000), UnreadableDocument, "Bad CRC"),
    ("docx-directory-lies-about-sizes", H.docx_lying_sizes, UnreadableDocument, "Bad CRC"),
    ("docx-100k-entries", H.docx_many_entries, DocumentTooLarge, "100002 parts; the limit is 5000"),
    ("docx-billion-laughs", H.docx_billion_laughs, UnreadableDocument, "malformed XML in DOCX part word/document.xml"),
    ("docx-50MB-text-node", H.docx_huge_text_node, DocumentTooLarge, "past the XML parser's limits"),
    ("docx-100k-deep-elements", H.docx_deep_nesting, UnreadableDocument, "malformed XML"),
    ("docx-without-document-xml", H.docx_without_document, UnreadableDocument, "word/document.xml is missing"),
    ("zip-not-a-docx", H.docx_plain_zip, UnsupportedFormat, "ZIP archive"),
    ("elf-named-docx", H.elf_binary, UnsupportedFormat, r"executable \(ELF\)"),
    ("mz-named-docx", H.mz_binary, UnsupportedFormat, "Windows executable"),
    ("text-50MB-single-line", H.text_single_line, DocumentTooLarge, "the limit is 20000000"),
    ("text-nul-bytes", H.text_nul_bytes, UnsupportedFormat, "binary file"),
    ("text-nul-run", H.text_many_nuls, UnsupportedFormat, "binary file"),
]


@pytest.mark.parametrize("build,error,message", [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_hostile_file_is_refused_with_a_code(build, error, message):
    data = build()
    t0 = time.perf_counter()
    with pytest.raises(error, match=message) as exc:
        read_document(data)
    assert time.perf_counter() - t0 < CASE_SECONDS
    assert exc.value.code == error.code
    assert type(exc.value) is error  # the typed error itself, never a wrapped library exception


@pytest.mark.parametrize("build", [H.pdf_flate_bomb, H.pdf_chained_flate_bomb, H.docx_member_bomb],
                         ids=["pdf-flate", "pdf-chained", "docx-member"])
def test_bombs_are_stopped_before_they_inflate(build):
    """1 GiB bombs cost at most the decompressed-size limit (100 MB by default), never the GiB."""
    data = build()
    tracemalloc.start()
    try:
        with pytest.raises(DocumentTooLarge):
            read_document(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 300_000_000


def test_bomb_under_a_tighter_limit_is_refused_sooner():
    t0 = time.perf_counter()
    with pytest.raises(DocumentTooLarge, match="decompress"):
        read_document(H.pdf_flate_bomb(), limits=ReadLimits(max_decompressed_bytes=10_000_000))
    assert time.perf_counter() - t0 < 2


# ---------------------------------------------------------------------------------------------
# read, with what is wrong flagged or neutralised
# ---------------------------------------------------------------------------------------------


def _has(*needles: str):
    def check(doc):
        for n in needles:
            assert n in doc.text
    return check


def _warns(pattern: str, *needles: str):
    import re

    def check(doc):
        assert any(re.search(pattern, w) for w in doc.warnings), doc.warnings
        _has(*needles)(doc)
    return check


def _hidden(*reasons: str):
    def check(doc):
        assert {h.reason for h in doc.hidden} >= set(reasons)
        assert "Docker" not in doc.text and "Terraform" not in doc.text
    return check


def _no_secrets(doc):
    assert "root:" not in doc.text and "LOL" not in doc.text.replace("LOL::END", "")
    assert "lollol" not in doc.text
    assert "Python" in doc.text


def _one_page(doc):
    assert "Python developer" in doc.text
    assert len(doc.pages) == 1


READ = [
    ("pdf-circular-form-xobjects", H.pdf_circular_forms, _has("Python developer")),
    ("pdf-self-drawing-form", H.pdf_self_referencing_form, _has("Python developer")),
    ("pdf-recursive-pages-tree", H.pdf_recursive_pages, _one_page),
    ("pdf-arrays-100k-deep-in-content", H.pdf_deep_arrays_in_content, _has("Python developer")),
    ("pdf-arrays-100k-deep-in-object", H.pdf_deep_arrays_in_object, _has("Python developer")),
    ("pdf-startxref-past-end", H.pdf_startxref_past_end, _has("Python developer")),
    ("pdf-giant-mediabox", H.pdf_giant_mediabox, _has("Python developer")),
    ("pdf-5k-text-boxes", lambda: H.pdf_many_text_boxes(5000), _has("PyPy")),
    ("pdf-some-fonts-without-tounicode", H.pdf_no_tounicode_mixed,
     _warns(r"dropped \d+ glyph\(s\) with no Unicode mapping", "Machine Learning Engineer")),
    ("pdf-white-and-tiny-keyword-stuffing", H.pdf_keyword_stuffing, _hidden("white_text", "tiny_font")),
    ("pdf-zip-polyglot", H.pdf_zip_polyglot, _has("Machine Learning Engineer")),
    ("zip-with-pdf-first", H.zip_pdf_polyglot, _has("Machine Learning Engineer")),
    ("docx-dotdot-member-names", H.docx_traversal_names, _has("Machine Learning Engineer")),
    ("docx-xxe-in-document", H.docx_xxe_document, _no_secrets),
    ("docx-xxe-in-header", H.docx_xxe_header, _no_secrets),
    ("text-invalid-utf8", H.text_invalid_utf8, _warns("not valid UTF-8", "Machine Learning Engineer")),
    ("text-utf16-bom", H.text_utf16_bom, _has("Machine Learning Engineer", "Python")),
    ("text-markdown-emphasis-storm", H.text_markdown_emphasis_storm, _warns("Markdown syntax removed", "Jane Doe")),
    ("text-cyrillic-lookalikes", H.text_cyrillic_lookalike, _warns(r"mixed-script words.*Руthon")),
]


@pytest.mark.parametrize("build,check", [c[1:] for c in READ], ids=[c[0] for c in READ])
def test_hostile_file_is_read_and_flagged(build, check):
    data = build()
    t0 = time.perf_counter()
    doc = read_document(data)
    assert time.perf_counter() - t0 < CASE_SECONDS
    check(doc)
    assert "Polyglot" not in doc.text and "Cobol" not in doc.text  # never the other format's text


def test_cmap_name_cannot_leave_the_cmap_folder(monkeypatch):
    """``/Encoding /../../../../etc/passwd``: pdfminer only opens files inside its CMap folders."""
    import gzip

    import pdfminer.cmapdb

    opened: list[str] = []
    real_open = gzip.open

    def spy(path, *a, **kw):
        opened.append(os.path.realpath(path))
        return real_open(path, *a, **kw)

    monkeypatch.setattr(pdfminer.cmapdb.gzip, "open", spy)
    pdfminer.cmapdb.CMapDB._cmap_cache.clear()
    doc = read_document(H.pdf_cmap_traversal())
    assert "Machine Learning Engineer" in doc.text
    allowed = os.path.realpath(os.path.dirname(pdfminer.cmapdb.__file__))
    assert all(p.startswith(allowed + os.sep) for p in opened), opened
    assert not any("passwd" in p for p in opened)


def test_read_cases_go_through_the_whole_pipeline(engine):
    """The read cases, on through sections, extraction and the profile: no exception at all."""
    slow = {"pdf-arrays-100k-deep-in-content", "pdf-5k-text-boxes", "text-markdown-emphasis-storm"}
    for case_id, build, _ in READ:
        if case_id not in slow:
            assert parse_bytes(build(), engine).taxonomy_version, case_id


# ---------------------------------------------------------------------------------------------
# look-alikes and zero-width characters inside skill names
# ---------------------------------------------------------------------------------------------


def test_zero_width_characters_are_stripped_so_the_skill_matches(engine):
    profile = parse_bytes(H.text_zero_width(), engine)
    assert profile.skill("python") is not None
    assert profile.skill("pytorch") is not None
    assert not any("mixed-script" in w for w in profile.warnings)


def test_mixed_script_lookalike_does_not_match_and_is_flagged(engine):
    profile = parse_bytes(H.text_cyrillic_lookalike(), engine)
    assert profile.skill("python") is None
    assert profile.skill("pytorch") is not None  # the rest of the résumé still counts
    assert any("mixed-script words" in w and "Руthon" in w for w in profile.warnings)


def test_all_cyrillic_text_is_not_flagged(engine):
    doc = read_document("Разработчик Python\nОпыт: машинное обучение, SQL\n".encode())
    assert not any("mixed-script" in w for w in doc.warnings)


# ---------------------------------------------------------------------------------------------
# keyword stuffing: the score saturates
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def python_role(engine):
    spec = {"title": "Python developer", "requirements": [
        {"any_of": ["Python"], "required": True}, {"any_of": ["Kubernetes"], "required": False}]}
    return resolve_spec(load_role_spec(spec), engine.taxonomy)


def test_repeating_a_skill_does_not_raise_the_score(engine, python_role):
    """'Python ' x 100k scores the same as x 1k, and no higher than Python in a dated position."""
    def score(data: bytes) -> float:
        return match_profile(parse_bytes(data, engine), python_role, engine).score

    stuffed = score(H.text_repeated_skill(100_000))
    assert stuffed == score(H.text_repeated_skill(1_000))
    assert stuffed <= score(H.RESUME_TEXT.encode())
    assert stuffed < 100


def test_pdf_keyword_stuffing_is_never_evidence(engine):
    profile = parse_bytes(H.pdf_keyword_stuffing(), engine)
    for skill in ("docker", "terraform"):
        assert profile.skill(skill) is None
        assert skill in profile.hidden_skills
    assert profile.skill("python") is not None
