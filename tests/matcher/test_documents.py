"""bytes -> Document: format detection, PDF / DOCX / text readers, hidden text, limits.

Real parts only: PDFs are made with reportlab, DOCX files with python-docx (plus hand-written
WordprocessingML where python-docx has no API), and the real résumé PDFs vendored under
``tests/data/resume-pdfs`` (sources and licenses in its README.md and MANIFEST.csv) are read.
"""

from __future__ import annotations

import csv
import re
import zipfile
from collections import Counter

import pytest

from matcher.documents import ReadLimits, detect_format, read_document
from matcher.documents.layout import Line, order_lines
from matcher.documents.normalize import join_hyphenated, tidy_text, vocabulary
from matcher.errors import (
    DocumentError,
    DocumentTooLarge,
    EmptyDocument,
    EncryptedDocument,
    NoTextLayer,
    UnreadableDocument,
    UnsupportedFormat,
)
from matcher.types import Document

from .conftest import (
    RESUME,
    build_fpdf_resume,
    build_hyphen_pdf,
    build_image_pdf,
    build_pages_pdf,
    build_rotated_pdf,
    cfb_bytes,
    patch_declared_size,
    zip_bytes,
)

# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------


def bullets(text: str) -> list[str]:
    """Each bullet with its wrapped continuation lines joined (a bullet ends at the next bullet,
    a blank line, or a title/date line, which carries a tab)."""
    out: list[str] = []
    cur: str | None = None
    for line in text.split("\n"):
        if line.startswith("• "):
            if cur:
                out.append(cur)
            cur = line
        elif cur is not None and line and "\t" not in line:
            cur += " " + line
        else:
            if cur:
                out.append(cur)
            cur = None
    if cur:
        out.append(cur)
    return out


def words(text: str) -> Counter[str]:
    return Counter(w.lower() for w in (x.strip(",;:|•·()") for x in text.split()) if w)


def assert_pages_consistent(doc: Document) -> None:
    prev_end = 0
    for i, p in enumerate(doc.pages, start=1):
        assert p.number == i
        assert prev_end <= p.start <= p.end <= len(doc.text)
        prev_end = p.end
    for p in doc.pages:
        if p.end > p.start:
            assert doc.page_at(p.start) == p.number


# ---------------------------------------------------------------------------------------------
# format detection
# ---------------------------------------------------------------------------------------------

DETECT_OK = [
    ("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "pdf"),
    ("pdf-after-junk", b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n", "pdf"),
    ("utf8-text", "Jane Roe\nPython developer – Zürich".encode(), "text"),
    ("utf8-bom", b"\xef\xbb\xbfJane Roe\n", "text"),
    ("utf16-bom", "\ufeffJane Roe\nKotlin".encode("utf-16-le"), "text"),
    ("utf16-no-bom", "Jane Roe, Kotlin developer".encode("utf-16-le"), "text"),
    ("cp1252", "Résumé – café".encode("cp1252"), "text"),
    ("markdown", b"# Jane Roe\n\n**Python** developer", "text"),
    ("pdf-marker-too-late", b"x" * 2000 + b"%PDF-1.4", "text"),
    ("docx", zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}), "docx"),
]


@pytest.mark.parametrize("data,expected", [(d, e) for _, d, e in DETECT_OK], ids=[i for i, _, _ in DETECT_OK])
def test_detect_format(data, expected):
    assert detect_format(data) == expected


IMAGE_MAGICS = [
    ("png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
    ("jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"),
    ("gif", b"GIF89a\x01\x00\x01\x00"),
    ("tiff-le", b"II*\x00\x08\x00\x00\x00"),
    ("tiff-be", b"MM\x00*\x00\x00\x00\x08"),
    ("bmp", b"BM\x36\x00\x0c\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00\x00\x00"),
    ("webp", b"RIFF\x24\x00\x00\x00WEBPVP8 "),
    ("heic", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00"),
    ("avif", b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00"),
    ("svg", b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>'),
]


@pytest.mark.parametrize("data", [d for _, d in IMAGE_MAGICS], ids=[i for i, _ in IMAGE_MAGICS])
def test_images_are_rejected_with_a_clear_message(data):
    with pytest.raises(UnsupportedFormat, match=r"image file: upload a PDF/DOCX/text résumé \(we don't OCR\)"):
        read_document(data)


DETECT_ERRORS = [
    ("empty", b"", EmptyDocument, "empty"),
    ("legacy-doc-cfb", cfb_bytes(["WordDocument", "1Table", "\x05SummaryInformation"]), UnsupportedFormat,
     r"legacy Word \.doc: save it as \.docx or PDF"),
    ("encrypted-ooxml", cfb_bytes(["EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"]), EncryptedDocument,
     "password-protected"),
    ("legacy-xls", cfb_bytes(["Workbook"]), UnsupportedFormat, r"Excel"),
    ("ole-unknown", cfb_bytes(["Something"]), UnsupportedFormat, "OLE2"),
    ("xlsx", zip_bytes({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}), UnsupportedFormat,
     r"Excel spreadsheet \(\.xlsx\)"),
    ("pptx", zip_bytes({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>"}), UnsupportedFormat,
     "PowerPoint"),
    ("odt", zip_bytes({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"},
                      compression=zipfile.ZIP_STORED), UnsupportedFormat, r"OpenDocument text \(\.odt\)"),
    ("plain-zip", zip_bytes({"resume.pdf": b"%PDF-1.4"}), UnsupportedFormat, "ZIP archive"),
    ("docx-without-document", zip_bytes({"[Content_Types].xml": "<Types/>", "word/styles.xml": "<s/>"}),
     UnreadableDocument, "word/document.xml"),
    ("corrupt-zip", b"PK\x03\x04" + b"\x00" * 200, UnreadableDocument, "corrupt ZIP"),
    ("rtf", b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}} Hello}", UnsupportedFormat, "RTF"),
    ("gzip", b"\x1f\x8b\x08\x00" + b"\x00" * 50, UnsupportedFormat, "gzip"),
    ("elf", b"\x7fELF\x02\x01\x01" + b"\x00" * 50, UnsupportedFormat, "executable"),
    ("binary-junk", bytes(range(256)) * 8, UnsupportedFormat, "binary file"),
    ("html", b"<!DOCTYPE html><html><body>Jane</body></html>", UnsupportedFormat, "HTML"),
]


@pytest.mark.parametrize(
    "data,error,message", [(d, e, m) for _, d, e, m in DETECT_ERRORS], ids=[i for i, *_ in DETECT_ERRORS]
)
def test_detect_format_errors(data, error, message):
    with pytest.raises(error, match=message):
        detect_format(data)
    with pytest.raises(error, match=message):
        read_document(data)


def test_real_legacy_doc_is_unsupported(resume_pdfs_dir):
    data = (resume_pdfs_dir / "klair-resume-parser" / "resume.doc").read_bytes()
    with pytest.raises(UnsupportedFormat, match=r"legacy Word \.doc"):
        read_document(data)


def test_errors_carry_codes():
    with pytest.raises(DocumentError) as info:
        read_document(b"\x89PNG\r\n\x1a\n")
    assert info.value.to_dict()["code"] == "unsupported_format"


# ---------------------------------------------------------------------------------------------
# text
# ---------------------------------------------------------------------------------------------

TEXT_CASES = [
    ("utf8-crlf", "Jane Roe\r\nPython – Zürich\r\n".encode(), "Jane Roe\nPython – Zürich"),
    ("utf8-bom", b"\xef\xbb\xbfJane\nRoe", "Jane\nRoe"),
    ("utf16-le-bom", "\ufeffJane Roe\nKotlin, Zürich".encode("utf-16-le"), "Jane Roe\nKotlin, Zürich"),
    ("utf16-be-bom", "\ufeffJane Roe\nKotlin".encode("utf-16-be"), "Jane Roe\nKotlin"),
    ("utf16-no-bom", "Jane Roe\nKotlin".encode("utf-16-le"), "Jane Roe\nKotlin"),
    ("cp1252", "Résumé – “quotes”\rnext".encode("cp1252"), "Résumé – “quotes”\nnext"),
    ("ligatures-and-spaces", "Eﬃcient ﬁnance\u00a0workﬂow\u2003team\u200b!".encode(),
     "Efficient finance workflow team!"),
    ("bullets-kept", "•Python\n▪ Go\n- Rust\n* Scala\n● Java".encode(), "• Python\n▪ Go\n- Rust\n* Scala\n● Java"),
    ("blank-runs", b"a\n\n\n\n\nb\n", "a\n\nb"),
    ("spacing-kept", b"Languages      : Java, SQL\n  - nested item  \n", "Languages      : Java, SQL\n  - nested item"),
    ("control-chars", b"Jane\x07 Roe, data engineer\x0bBerlin\x1b office", "Jane Roe, data engineer\nBerlin office"),
]


@pytest.mark.parametrize("data,expected", [(d, e) for _, d, e in TEXT_CASES], ids=[i for i, *_ in TEXT_CASES])
def test_text_reading(data, expected):
    doc = read_document(data)
    assert doc.format == "text"
    assert doc.text == expected
    assert doc.pages == ()


MARKDOWN = """\
# Jane Roe
**Senior** data engineer — [GitHub](https://github.com/janeroe) · <https://janeroe.dev>

## Experience
### Acme Corp ##
- Built **Kafka** pipelines with __Flink__ and *Spark*
* Wrote `dbt` models; snake_case_names stay
---
| Skill | Years |
|-------|-------|
| Python | 8 |
> quoted line
![logo](logo.png)
"""

MARKDOWN_EXPECTED = """\
Jane Roe
Senior data engineer — GitHub · https://janeroe.dev

Experience
Acme Corp
- Built Kafka pipelines with Flink and Spark
* Wrote dbt models; snake_case_names stay

Skill\tYears

Python\t8
quoted line
logo"""


def test_markdown_syntax_is_stripped_but_lines_are_kept():
    doc = read_document(MARKDOWN.encode())
    assert doc.text == MARKDOWN_EXPECTED
    assert any("Markdown" in w for w in doc.warnings)


def test_yaml_and_json_are_not_treated_as_markdown():
    yml = b"# role spec\ntitle: Data Engineer\nrequirements:\n  - skill: python\n    required: true\n"
    assert read_document(yml).text == yml.decode().rstrip("\n")
    js = b'{"title": "**Data** Engineer", "links": ["[x](y)"]}'
    assert read_document(js).text == js.decode()


def test_plain_text_with_hash_is_not_treated_as_markdown():
    doc = read_document(b"Grew users by 40%\nC# and F# developer\n")
    assert doc.text == "Grew users by 40%\nC# and F# developer"


@pytest.mark.parametrize(
    "data",
    [b"   \n\t\n  ", "\u200b\u00a0\n".encode(), b"\xef\xbb\xbf"],
    ids=["whitespace", "invisible-chars", "bom-only"],
)
def test_text_without_content_is_empty(data):
    with pytest.raises(EmptyDocument):
        read_document(data)


# ---------------------------------------------------------------------------------------------
# limits
# ---------------------------------------------------------------------------------------------

LIMIT_CASES = [
    ("max-bytes", b"x" * 101, ReadLimits(max_bytes=100), "limit is 100"),
    ("max-chars-text", b"word " * 100, ReadLimits(max_chars=50), "50 characters"),
]


@pytest.mark.parametrize(
    "data,limits,message", [(d, lim, m) for _, d, lim, m in LIMIT_CASES], ids=[i for i, *_ in LIMIT_CASES]
)
def test_limits(data, limits, message):
    with pytest.raises(DocumentTooLarge, match=message):
        read_document(data, limits=limits)


def test_pdf_page_limit_is_checked_before_layout():
    data = build_pages_pdf(51)
    with pytest.raises(DocumentTooLarge, match="51 pages; the limit is 50"):
        read_document(data)
    small = build_pages_pdf(4)
    with pytest.raises(DocumentTooLarge, match="limit is 3"):
        read_document(small, limits=ReadLimits(max_pages=3))
    assert len(read_document(small, limits=ReadLimits(max_pages=4)).pages) == 4


def test_pdf_max_chars():
    with pytest.raises(DocumentTooLarge, match="characters"):
        read_document(build_pages_pdf(3), limits=ReadLimits(max_chars=40))


def test_pdf_flate_bomb_is_refused():
    import io

    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)  # reportlab compresses page content by default
    c.setFont("Helvetica", 10)
    for i in range(3000):
        c.drawString(10, 10 + (i % 700), "x" * 120)  # ~0.5 MB of content stream, compresses well
    c.showPage()
    c.save()
    with pytest.raises(DocumentTooLarge, match="decompress"):
        read_document(buf.getvalue(), limits=ReadLimits(max_decompressed_bytes=100_000))


# ---------------------------------------------------------------------------------------------
# PDF: generated
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["single", "sidebar-right", "sidebar-left"])
def test_generated_resume_reading_order(generated_resumes, layout):
    data, drawn = generated_resumes[layout]
    doc = read_document(data)
    assert doc.format == "pdf"
    assert len(doc.pages) == 1 and doc.pages[0].start == 0 and doc.pages[0].end == len(doc.text)
    lines = [x for x in doc.text.split("\n") if x]
    # header first
    assert lines[0] == RESUME.name
    assert lines[1] == RESUME.contact
    # every drawn line comes out whole, as one line
    for expected in drawn["main"] + drawn["sidebar"]:
        assert expected in lines, expected
    # a date stays on its position's line
    for row in drawn["rows"]:
        assert row in lines
    # each column is read whole: main in order, sidebar in order, one after the other
    main_idx = [lines.index(x) for x in drawn["main"]]
    assert main_idx == sorted(main_idx)
    assert main_idx == list(range(main_idx[0], main_idx[0] + len(main_idx)))
    if drawn["sidebar"]:
        side_idx = [lines.index(x) for x in drawn["sidebar"]]
        assert side_idx == list(range(side_idx[0], side_idx[0] + len(side_idx)))
        if layout == "sidebar-right":
            assert side_idx[0] > main_idx[-1]
        else:
            assert side_idx[-1] < main_idx[0]
    # no bullet split: each bullet's text is intact
    assert sorted(bullets(doc.text)) == sorted(drawn["bullets"])


def test_single_column_is_not_broken_up(generated_resumes):
    data, drawn = generated_resumes["single"]
    doc = read_document(data)
    body = [x for x in doc.text.split("\n") if x][2:]
    assert body == drawn["main"]


def test_two_column_and_single_column_hold_the_same_words(generated_resumes):
    texts = {k: read_document(v[0]).text for k, v in generated_resumes.items()}
    assert words(texts["single"]) == words(texts["sidebar-right"]) == words(texts["sidebar-left"])


def test_fpdf2_dark_sidebar_resume():
    doc = read_document(build_fpdf_resume())
    lines = doc.text.split("\n")
    assert not doc.hidden  # white text on the dark sidebar is visible
    assert lines[:2] == ["JOHN SMITH", "john@smith.dev | London | +44 20 7946 0000 | github.com/jsmith"]
    side = ["SKILLS", "Python", "Go", "Kubernetes", "PostgreSQL", "Terraform", "gRPC", "Kafka", "EDUCATION"]
    idx = [lines.index(x) for x in side]
    assert idx == list(range(idx[0], idx[0] + len(side)))
    assert "BSc Computer Science," in lines  # justified words are joined by spaces, not tabs
    assert lines.index("EDUCATION") < lines.index("EXPERIENCE")  # left column first
    assert "Backend Engineer, Monzo\t2019 - 2024" in lines
    assert "Software Engineer, Sky\t2014 - 2019" in lines
    assert "- Ran the on-call rota." in lines


def test_table_is_read_row_by_row(table_pdf):
    doc = read_document(table_pdf)
    lines = doc.text.split("\n")
    assert "Skill\tYears\tLevel" in lines
    i = lines.index("Skill\tYears\tLevel")
    assert lines[i + 1 : i + 6] == [
        "Python\t8\tExpert",
        "Go\t3\tAdvanced",
        "Kubernetes\t4\tAdvanced",
        "PostgreSQL\t6\tExpert",
        "Terraform\t2\tIntermediate",
    ]
    assert doc.text.startswith("Technical skills")
    assert doc.text.endswith("Certified Kubernetes Administrator, 2022")


HIDDEN_PDF_MARKERS = [
    ("WHITE_RGB", "white_text"),
    ("WHITE_GRAY", "white_text"),
    ("WHITE_CMYK", "white_text"),
    ("NEAR_WHITE", "white_text"),
    ("TINY_FONT", "tiny_font"),
    ("OFF_PAGE_LEFT", "off_page"),
    ("OFF_PAGE_TOP", "off_page"),
    ("INVISIBLE_MODE", "invisible_render_mode"),
    ("TRANSPARENT", "transparent"),
    ("SAME_AS_BACKGROUND", "background_color"),
    ("CLIPPED_AWAY", "clipped"),
    ("SQUEEZED", "tiny_font"),
]


@pytest.fixture(scope="module")
def hidden_doc(hidden_pdf) -> Document:
    return read_document(hidden_pdf)


@pytest.mark.parametrize("marker,reason", HIDDEN_PDF_MARKERS, ids=[m for m, _ in HIDDEN_PDF_MARKERS])
def test_pdf_hidden_text_is_set_aside(hidden_doc, marker, reason):
    assert marker not in hidden_doc.text
    found = [h for h in hidden_doc.hidden if marker in h.text]
    assert found, marker
    assert found[0].reason == reason
    assert found[0].page == 1
    assert any(reason_word in w for w in hidden_doc.warnings for reason_word in ("hidden text",))


@pytest.mark.parametrize("marker", ["VISIBLE_START", "GRAY_VISIBLE", "WHITE_ON_DARK", "VISIBLE_END"])
def test_pdf_visible_text_stays(hidden_doc, marker):
    assert marker in hidden_doc.text
    assert all(marker not in h.text for h in hidden_doc.hidden)


def test_pdf_hidden_warnings_name_each_reason(hidden_doc):
    joined = " ".join(hidden_doc.warnings)
    for needle in ("white text", "under 2 pt", "outside the page", "rendering mode 3", "transparent", "background"):
        assert needle in joined


PDF_ERRORS = [
    ("encrypted", lambda: build_pages_pdf(1, encrypt="s3cret"), EncryptedDocument,
     "password-protected PDF: remove the password and upload again"),
    ("image-only", lambda: build_image_pdf(), NoTextLayer,
     "scanned PDF: no text layer; export a text PDF or upload DOCX"),
    ("truncated", lambda: build_pages_pdf(2)[: len(build_pages_pdf(2)) // 2], UnreadableDocument, "PDF"),
    ("garbage-body", lambda: b"%PDF-1.4\n" + bytes(range(256)) * 10, UnreadableDocument, "PDF"),
    ("header-only", lambda: b"%PDF-1.7\n", UnreadableDocument, "PDF"),
]


@pytest.mark.parametrize(
    "make,error,message", [(m, e, s) for _, m, e, s in PDF_ERRORS], ids=[i for i, *_ in PDF_ERRORS]
)
def test_pdf_errors(make, error, message):
    with pytest.raises(error, match=re.escape(message) if " " in message else message):
        read_document(make())


def test_pdf_owner_password_only_is_readable():
    from reportlab.lib import pdfencrypt

    data = build_pages_pdf(1, encrypt=pdfencrypt.StandardEncryption("", ownerPassword="owner"))
    assert "Experience with Python on page 1" in read_document(data).text


def test_pdf_all_text_hidden_is_empty():
    import io

    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFillColorRGB(1, 1, 1)
    c.drawString(50, 700, "Only white keyword stuffing here")
    c.showPage()
    c.save()
    with pytest.raises(EmptyDocument, match="hidden"):
        read_document(buf.getvalue())


def test_pdf_ocr_layer_over_an_image_is_kept():
    doc = read_document(build_image_pdf("Scanned resume Python Kubernetes"))
    assert "Scanned resume Python Kubernetes" in doc.text
    assert any("OCR" in w for w in doc.warnings)
    assert not doc.hidden


def test_pdf_with_leading_junk_is_read():
    data = b"X" * 700 + build_pages_pdf(1)
    assert "Experience with Python" in read_document(data).text


def test_pdf_pages_spans():
    doc = read_document(build_pages_pdf(3))
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert_pages_consistent(doc)
    for p in doc.pages:
        assert doc.text[p.start : p.end] == f"Page {p.number} heading\nExperience with Python on page {p.number}"
    assert doc.page_at(doc.text.index("page 2")) == 2


def test_pdf_hyphenated_line_breaks():
    doc = read_document(build_hyphen_pdf())
    lines = doc.text.split("\n")
    assert lines[0] == "Improved query optimization"  # hyphenation: joined
    assert lines[1] == "for the billing service and the"
    assert lines[2] == "open-source"  # compound: hyphen kept
    assert lines[3] == "tooling; our"
    assert lines[4] == "Kubernetes"  # the joined word is known from elsewhere in the text
    assert lines[6] == "cross-functional"
    assert "• Bullet line ending with a dash -" in lines  # a dash after a space is no hyphen
    assert "• Next bullet stays separate" in lines


def test_pdf_rotated_text_is_kept_at_the_end():
    doc = read_document(build_rotated_pdf())
    assert doc.text.startswith("Main text line one\nMain text line two")
    assert doc.text.endswith("ROTATED LABEL")
    assert any("rotated" in w for w in doc.warnings)


# ---------------------------------------------------------------------------------------------
# layout unit tests (geometry only)
# ---------------------------------------------------------------------------------------------


def _line(x0, x1, top, text, h=10.0):
    return Line(x0, x1, top, top + h, text)


def test_layout_title_and_date_rows_are_not_columns():
    lines = [
        _line(40, 160, 100, "Senior Engineer"), _line(420, 520, 100, "2019 – 2023"),
        _line(40, 120, 113, "Acme Corp"), _line(440, 520, 113, "Berlin"),
        _line(50, 520, 126, "• Built things across the whole width of the page text block"),
    ]  # fmt: skip
    assert order_lines(lines) == [[
        "Senior Engineer\t2019 – 2023",
        "Acme Corp\tBerlin",
        "• Built things across the whole width of the page text block",
    ]]  # fmt: skip


def test_layout_label_value_table_stays_row_by_row():
    labels = ["Languages", "Cloud", "Databases", "Tools"]
    values = ["Python, Go, Rust", "AWS, GCP", "PostgreSQL, Redis", "Docker, Terraform"]
    lines = []
    for i, (a, b) in enumerate(zip(labels, values, strict=True)):
        lines += [_line(40, 100, 100 + 13 * i, a), _line(160, 300, 100 + 13 * i, b)]
    assert order_lines(lines) == [[f"{a}\t{b}" for a, b in zip(labels, values, strict=True)]]


def test_layout_sidebar_with_different_leading_is_a_column():
    main = [_line(40, 350, 100 + 14 * i, f"main line {i}") for i in range(12)]
    side = [_line(380, 540, 100 + 11.5 * i, f"side {i}", h=8.5) for i in range(9)]
    blocks = order_lines(main + side)
    flat = [x for b in blocks for x in b]
    assert flat == [f"main line {i}" for i in range(12)] + [f"side {i}" for i in range(9)]


def test_layout_sidebar_starting_above_the_main_column_stays_whole():
    header = [_line(40, 540, 60, "JANE ROE — full-width header line across the page")]
    side = [_line(380, 540, 90 + 11.5 * i, f"side {i}", h=8.5) for i in range(12)]
    main = [_line(40, 350, 140 + 14 * i, f"main line {i}") for i in range(10)]
    blocks = order_lines(header + side + main)
    flat = [x for b in blocks for x in b]
    assert flat == [header[0].text] + [f"main line {i}" for i in range(10)] + [f"side {i}" for i in range(12)]


# ---------------------------------------------------------------------------------------------
# normalization
# ---------------------------------------------------------------------------------------------

HYPHEN_CASES = [
    ("suffix", ["develop-", "ment of tools"], ["development", "of tools"]),
    ("prefix-compound", ["an open-", "source tool"], ["an open-source", "tool"]),
    ("known-word", ["Kuber-", "netes and Kubernetes"], ["Kubernetes", "and Kubernetes"]),
    ("capital-next-line", ["Acme-", "Corp"], ["Acme-", "Corp"]),
    ("dash-not-hyphen", ["Python -", "and Go"], ["Python -", "and Go"]),
    ("whole-line-moves", ["multi-", "account"], ["multi-account"]),
]


@pytest.mark.parametrize("lines,expected", [(a, b) for _, a, b in HYPHEN_CASES], ids=[i for i, *_ in HYPHEN_CASES])
def test_join_hyphenated(lines, expected):
    w, c = vocabulary([lines])
    assert join_hyphenated(lines, w, c) == expected


def test_tidy_text_normalizes_unicode():
    assert tidy_text("a\u00a0b\u2009c ﬁx\ufeff  \tnext\u2028line") == "a b c fix\tnext\nline"


# ---------------------------------------------------------------------------------------------
# PDF: the real résumés
# ---------------------------------------------------------------------------------------------


def test_real_pdfs_all_read(resume_pdfs_dir, real_docs):
    with open(resume_pdfs_dir / "MANIFEST.csv", newline="", encoding="utf-8") as fh:
        manifest = {row["file"]: row for row in csv.DictReader(fh)}
    pdfs = [k for k in manifest if k.endswith(".pdf")]
    assert sorted(real_docs) == sorted(pdfs)
    for name, doc in real_docs.items():
        assert doc.format == "pdf"
        assert len(doc.pages) == int(manifest[name]["pages"]), name
        assert_pages_consistent(doc)
        assert len(doc.text) > 1000, name
        assert "(cid:" not in doc.text
        assert "\n\n\n" not in doc.text
        assert not doc.hidden, (name, doc.hidden[:3])
        for line in doc.text.split("\n"):
            assert line == line.strip(), (name, line)
            assert "  " not in line, (name, line)


TEMPLATE_PAIRS = [
    ("resume-matcher-templates/single-column.pdf", "resume-matcher-templates/two-column.pdf"),
    ("resume-matcher-templates/modern-single-column.pdf", "resume-matcher-templates/modern-two-column.pdf"),
    ("resume-matcher-templates/single-column.pdf", "resume-matcher-templates/modern-two-column.pdf"),
]
#: Words only one template prints: its section titles ("SKILLS & AWARDS" + "Technical Skills:"
#: vs "SKILLS") and the two-column sidebar's "LINKS" block (which repeats the header links).
TEMPLATE_ONLY_WORDS = {"&", "awards", "technical", "skills", "links", "linkedin.com/in/johndoe", "github.com/johndoe"}


@pytest.mark.parametrize("single,double", TEMPLATE_PAIRS, ids=["classic", "modern", "cross"])
def test_real_two_column_reads_like_single_column(real_docs, single, double):
    a, b = real_docs[single].text, real_docs[double].text
    wa, wb = words(a), words(b)
    assert set((wa - wb) | (wb - wa)) <= TEMPLATE_ONLY_WORDS, ((wa - wb), (wb - wa))
    ba, bb = bullets(a), bullets(b)
    assert len(ba) == 11
    assert sorted(ba) == sorted(bb)
    for dated in ("Senior Software Engineer\tJan 2023 - Present", "Software Engineer\tJun 2021 - Dec 2022",
                  "Software Engineer\tJul 2019 - May 2021", "Real-time Transit Prediction App\t2022"):  # fmt: skip
        assert dated in a.split("\n")
        assert dated in b.split("\n")


@pytest.mark.parametrize(
    "name", ["resume-matcher-templates/two-column.pdf", "resume-matcher-templates/modern-two-column.pdf"]
)
def test_real_sidebar_comes_after_the_main_column(real_docs, name):
    text = real_docs[name].text
    lines = text.split("\n")
    assert lines.index("EXPERIENCE") < lines.index("PROJECTS") < lines.index("EDUCATION") < lines.index("SKILLS")
    assert text.index("optimization capabilities") < text.index("UC Berkeley | 2019")
    skills = lines.index("SKILLS")
    assert lines[skills + 1] == "Go Python Node.js TypeScript"
    assert lines[skills + 14] == "Observability Datadog PagerDuty"


@pytest.mark.parametrize(
    "name,line",
    [
        ("sb2nov/sourabh_bajaj_resume.pdf", "Software Engineer\tOct 2016 – Present"),
        ("sb2nov/sourabh_bajaj_resume.pdf", "• Georgia Institute of Technology\tAtlanta, GA"),
        ("awesome-cv/resume.pdf", "DevOps Engineer\tSep. 2023 - Mar. 2024"),
        ("awesome-cv/cv.pdf",
         "Founding Member & Site Reliability Engineer & Infrastructure Team Lead\tMar. 2021 - Present"),
        ("klair-resume-parser/resume.pdf", "January 2005 - Present (10 years 2 months)"),
    ],
    ids=["sb2nov-google", "sb2nov-gatech", "awesome-resume", "awesome-cv", "klair"],
)
def test_real_dates_stay_with_their_positions(real_docs, name, line):
    assert line in real_docs[name].text.split("\n")


def test_real_hyphenation_and_soft_hyphens(real_docs):
    text = real_docs["awesome-cv/resume.pdf"].text
    assert "high-impact" in text and "fast-growing" in text  # LuaTeX maps "-" to U+00AD
    assert "\u00ad" not in text
    assert "Consul" in text and "operation\nnetwork" in text  # hyphenation at line ends joined
    assert "multi-account" in text  # a real compound keeps its hyphen


# ---------------------------------------------------------------------------------------------
# DOCX
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def docx_doc(sample_docx) -> Document:
    return read_document(sample_docx)


def test_docx_body_order(docx_doc):
    text = docx_doc.text
    assert docx_doc.format == "docx"
    assert docx_doc.pages == ()
    order = [
        "HEADER Jane Roe | jane.roe@example.com",
        "Experience",
        "Senior Engineer at Acme\t2019 – 2023",
        "Data Engineer at Initech\t2016 – 2019",
        "• Led the platform team",
        "• Shipped the billing rewrite",
        "WHITE_ON_SHADE Visible banner text",
        "Paragraph anchoring text boxes",
        "TEXTBOX_SIDEBAR Skills: Rust, Kotlin",
        "TEXTBOX second line",
        "WHITE_ON_NAVY Visible in a dark box",
        "Skills",
        "Languages\tPython, Go",
        "Cloud\tAWS, GCP",
        "Tools\tDocker",
        "NESTED_A1 Terraform\tNESTED_B1 Ansible",
        "NESTED_A2 Helm\tNESTED_B2 ArgoCD",
        "After the table",
        "SIDECELL Contact",
        "SIDECELL Berlin",
        "MAINCELL Projects",
        "MAINCELL Built a compiler",
        "The end",
        "FOOTER page footer",
    ]
    lines = text.split("\n")
    idx = [lines.index(x) for x in order]
    assert idx == sorted(idx)


def test_docx_text_box_is_read_once(docx_doc):
    assert docx_doc.text.count("TEXTBOX_SIDEBAR") == 1  # mc:Choice only, not the VML fallback too


DOCX_HIDDEN = [
    ("HIDDEN_VANISH", "hidden_property"),
    ("WHITE_RUN", "white_text"),
    ("TINY_RUN", "tiny_font"),
    ("STYLE_WHITE", "white_text"),
    ("WHITE_BOX_WHITE_TEXT", "white_text"),
    ("HIDDEN_SHAPE", "hidden_property"),
]


@pytest.mark.parametrize("marker,reason", DOCX_HIDDEN, ids=[m for m, _ in DOCX_HIDDEN])
def test_docx_hidden_runs(docx_doc, marker, reason):
    assert marker not in docx_doc.text
    found = [h for h in docx_doc.hidden if marker in h.text]
    assert found and found[0].reason == reason
    assert docx_doc.warnings


@pytest.mark.parametrize("marker", ["WHITE_ON_SHADE", "STYLE_SHADED_BANNER", "STYLED_TABLE_WHITE", "WHITE_ON_NAVY"])
def test_docx_white_text_on_a_dark_background_is_visible(docx_doc, marker):
    assert marker in docx_doc.text
    assert all(marker not in h.text for h in docx_doc.hidden)


def test_docx_visible_neighbours_of_hidden_runs(docx_doc):
    assert "Built data pipelines in Python. and visible Go." in docx_doc.text


def test_docx_zip_bomb_declared_size(sample_docx):
    bomb = patch_declared_size(sample_docx, "word/document.xml", 3_000_000_000)
    with pytest.raises(DocumentTooLarge, match="zip bomb"):
        read_document(bomb)


def test_docx_zip_bomb_real_inflation():
    data = zip_bytes({
        "[Content_Types].xml": "<Types/>",
        "word/document.xml": b"<w:document/>" + b" " * 3_000_000,
    })  # fmt: skip
    assert len(data) < 20_000
    with pytest.raises(DocumentTooLarge, match="uncompressed"):
        read_document(data, limits=ReadLimits(max_decompressed_bytes=1_000_000))


def test_docx_truncated_is_unreadable(sample_docx):
    with pytest.raises(UnreadableDocument):
        read_document(sample_docx[: len(sample_docx) // 2])


def test_docx_malformed_xml_is_unreadable():
    data = zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document><unclosed>"})
    with pytest.raises(UnreadableDocument, match="malformed XML"):
        read_document(data)


def test_docx_entity_expansion_is_not_performed():
    xml = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        "<w:p><w:r><w:t>Visible &b; text</w:t></w:r></w:p></w:body></w:document>"
    )
    doc = read_document(zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": xml}))
    assert "AAAAAAAAAA" not in doc.text


def test_docx_only_hidden_text_is_empty():
    xml = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        '<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>secret</w:t></w:r></w:p></w:body></w:document>'
    )
    with pytest.raises(EmptyDocument, match="hidden"):
        read_document(zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": xml}))


def test_docx_footnotes_and_shared_header_are_read_once():
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' \
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    document = (
        f"<w:document {w}><w:body><w:p><w:r><w:t>Body text</w:t></w:r>"
        '<w:r><w:footnoteReference w:id="1"/></w:r></w:p>'
        '<w:sectPr><w:headerReference w:type="default" r:id="rIdH1"/>'
        '<w:headerReference w:type="first" r:id="rIdH2"/></w:sectPr></w:body></w:document>'
    )
    header = f"<w:hdr {w}><w:p><w:r><w:t>Jane Roe, Berlin</w:t></w:r></w:p></w:hdr>"
    footnotes = (
        f"<w:footnotes {w}>"
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:t>SEPARATOR</w:t></w:r></w:p></w:footnote>'
        '<w:footnote w:id="1"><w:p><w:r><w:t>Footnote: certified in 2021</w:t></w:r></w:p></w:footnote>'
        "</w:footnotes>"
    )
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rIdH1" Type="{rel}/header" Target="header1.xml"/>'
        f'<Relationship Id="rIdH2" Type="{rel}/header" Target="header2.xml"/>'
        f'<Relationship Id="rIdF" Type="{rel}/footnotes" Target="footnotes.xml"/>'
        "</Relationships>"
    )
    data = zip_bytes({
        "[Content_Types].xml": "<Types/>",
        "word/document.xml": document,
        "word/_rels/document.xml.rels": rels,
        "word/header1.xml": header,
        "word/header2.xml": header,
        "word/footnotes.xml": footnotes,
    })  # fmt: skip
    doc = read_document(data)
    assert doc.text == "Jane Roe, Berlin\n\nBody text\n\nFootnote: certified in 2021"


def test_read_document_wants_bytes():
    with pytest.raises(TypeError):
        read_document("Jane Roe")  # type: ignore[arg-type]
    assert read_document(bytearray(b"Jane Roe")).text == "Jane Roe"
