"""Fixtures that build real PDFs (reportlab) and DOCX files (python-docx + raw WordprocessingML)
in memory, for the document-reader tests. Everything is generated, nothing is mocked.
"""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

#: Real résumé files vendored in the repository (sources and licenses: its README.md and MANIFEST.csv).
RESUME_PDFS = Path(__file__).resolve().parents[1] / "data" / "resume-pdfs"

A4 = (595.27, 841.89)


# ---------------------------------------------------------------------------------------------
# PDF builders
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Resume:
    """Content of the generated résumés (the same for the one- and two-column layouts)."""

    name: str = "JANE ROE"
    contact: str = "jane.roe@example.com | +49 30 555 0100 | Berlin, Germany | github.com/janeroe"
    positions: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
        (
            "Senior Data Engineer",
            "Mar 2021 – Present",
            "Northwind Analytics, Berlin",
            (
                "Designed a streaming ingestion platform on Kafka and Flink that moves four billion "
                "events a day into the lakehouse with exactly-once guarantees",
                "Cut warehouse spend by a third by rewriting the nightly Spark jobs and partitioning "
                "the largest fact tables by customer region",
                "Mentored five engineers and ran the weekly data-quality review",
            ),
        ),
        (
            "Data Engineer",
            "Jan 2018 – Feb 2021",
            "Contoso Retail, Hamburg",
            (
                "Built the Airflow orchestration layer for more than two hundred pipelines and "
                "introduced data contracts between the product teams",
                "Migrated the reporting stack from Oracle to PostgreSQL with zero downtime",
            ),
        ),
    )
    sidebar: tuple[str, ...] = (
        "SKILLS",
        "Python",
        "SQL",
        "Apache Kafka",
        "Apache Spark",
        "Airflow",
        "PostgreSQL",
        "Terraform",
        "LANGUAGES",
        "German (native)",
        "English (fluent)",
        "EDUCATION",
        "MSc Computer Science",
        "TU Berlin, 2017",
    )


RESUME = Resume()
SIDEBAR_HEADINGS = {"SKILLS", "LANGUAGES", "EDUCATION"}


def _canvas(buf: io.BytesIO, **kw):
    from reportlab.pdfgen import canvas

    return canvas.Canvas(buf, pagesize=A4, **kw)


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    from reportlab.lib.utils import simpleSplit

    return simpleSplit(text, font, size, width)


def build_resume_pdf(layout: str) -> tuple[bytes, dict]:
    """A one-page résumé: ``single``, ``sidebar-right`` or ``sidebar-left``.

    Returns the PDF and what was drawn: ``main`` (lines of the main column, in order),
    ``sidebar`` (its lines), ``bullets`` (each bullet's full text) and ``rows`` (title/date).
    """
    buf = io.BytesIO()
    c = _canvas(buf)
    w, h = A4
    c.setFont("Helvetica-Bold", 20)
    c.drawCentredString(w / 2, h - 50, RESUME.name)
    c.setFont("Helvetica", 9.5)
    c.drawCentredString(w / 2, h - 68, RESUME.contact)

    if layout == "single":
        main_x0, main_x1 = 45.0, w - 45.0
    elif layout == "sidebar-right":
        main_x0, main_x1 = 40.0, 370.0
        side_x0 = 400.0
    else:
        main_x0, main_x1 = 220.0, w - 40.0
        side_x0 = 40.0

    drawn: dict = {"main": [], "sidebar": [], "bullets": [], "rows": []}
    y = h - 100
    c.setFont("Helvetica-Bold", 12)
    c.drawString(main_x0, y, "EXPERIENCE")
    drawn["main"].append("EXPERIENCE")
    y -= 18
    for title, dates, org, bullets in RESUME.positions:
        c.setFont("Helvetica-Bold", 10)
        c.drawString(main_x0, y, title)
        c.setFont("Helvetica", 9)
        c.drawRightString(main_x1, y, dates)
        drawn["main"].append(f"{title}\t{dates}")
        drawn["rows"].append(f"{title}\t{dates}")
        y -= 13
        c.setFont("Helvetica-Oblique", 10)
        c.drawString(main_x0, y, org)
        drawn["main"].append(org)
        y -= 14
        for b in bullets:
            lines = _wrap(b, "Helvetica", 10, main_x1 - main_x0 - 14)
            c.setFont("Helvetica", 10)
            c.drawString(main_x0 + 3, y, "•")
            for i, ln in enumerate(lines):
                c.drawString(main_x0 + 14, y, ln)
                drawn["main"].append(("• " if i == 0 else "") + ln)
                y -= 13
            drawn["bullets"].append("• " + b)
            y -= 2
        y -= 10

    if layout == "single":
        y -= 6
        c.setFont("Helvetica", 10)
        for item in RESUME.sidebar:
            c.drawString(main_x0, y, item)
            drawn["main"].append(item)
            y -= 13
    else:
        sy = h - 100
        for item in RESUME.sidebar:
            bold = item in SIDEBAR_HEADINGS
            c.setFont("Helvetica-Bold" if bold else "Helvetica", 11 if bold else 8.5)
            if bold and item != RESUME.sidebar[0]:
                sy -= 9
            c.drawString(side_x0, sy, item)
            drawn["sidebar"].append(item)
            sy -= 15 if bold else 11.5
    c.showPage()
    c.save()
    return buf.getvalue(), drawn


def build_table_pdf() -> bytes:
    buf = io.BytesIO()
    c = _canvas(buf)
    c.setFont("Helvetica-Bold", 14)
    c.drawString(50, 780, "Technical skills")
    rows = [("Skill", "Years", "Level"), ("Python", "8", "Expert"), ("Go", "3", "Advanced"),
            ("Kubernetes", "4", "Advanced"), ("PostgreSQL", "6", "Expert"), ("Terraform", "2", "Intermediate")]
    y = 750
    for i, (a, b, d) in enumerate(rows):
        c.setFont("Helvetica-Bold" if i == 0 else "Helvetica", 10)
        c.drawString(55, y, a)
        c.drawString(250, y, b)
        c.drawString(380, y, d)
        c.line(50, y - 5, 520, y - 5)
        y -= 20
    for x in (50, 245, 375, 520):
        c.line(x, 765, x, y + 15)
    c.setFont("Helvetica", 10)
    c.drawString(50, y - 10, "Certified Kubernetes Administrator, 2022")
    c.showPage()
    c.save()
    return buf.getvalue()


def build_hidden_pdf() -> bytes:
    """Visible lines plus every kind of hidden text, one marker word per line."""
    buf = io.BytesIO()
    c = _canvas(buf)
    w, h = A4
    c.setFont("Helvetica", 11)
    c.setFillColorRGB(0, 0, 0)
    c.drawString(50, 800, "VISIBLE_START Senior engineer with Python experience")
    c.setFillColorRGB(0.6, 0.6, 0.6)
    c.drawString(50, 780, "GRAY_VISIBLE light gray is still readable")
    c.setFillColorRGB(1, 1, 1)
    c.drawString(50, 760, "WHITE_RGB Kubernetes Terraform")
    c.setFillGray(1.0)
    c.drawString(50, 740, "WHITE_GRAY Spark")
    c.setFillColorCMYK(0, 0, 0, 0)
    c.drawString(50, 720, "WHITE_CMYK Hadoop")
    c.setFillColorRGB(0.985, 0.985, 0.99)
    c.drawString(50, 700, "NEAR_WHITE Scala")
    c.setFillColorRGB(0, 0, 0)
    c.setFont("Helvetica", 1)
    c.drawString(50, 690, "TINY_FONT Rust")
    c.setFont("Helvetica", 11)
    c.drawString(-400, 600, "OFF_PAGE_LEFT Haskell")
    c.drawString(50, h + 40, "OFF_PAGE_TOP Erlang")
    c.saveState()  # Tr is graphics state: without q/Q every later line would be invisible too
    t = c.beginText(50, 660)
    t.setFont("Helvetica", 11)
    t.setTextRenderMode(3)
    t.textLine("INVISIBLE_MODE Elixir")
    c.drawText(t)
    c.restoreState()
    c.saveState()
    c.setFillAlpha(0)
    c.drawString(50, 640, "TRANSPARENT Clojure")
    c.restoreState()
    # a dark banner with white text on it: visible
    c.setFillColorRGB(0.1, 0.15, 0.35)
    c.rect(40, 590, 400, 24, stroke=0, fill=1)
    c.setFillColorRGB(1, 1, 1)
    c.drawString(50, 598, "WHITE_ON_DARK Visible Banner")
    # text in the colour of the box it sits on: hidden
    c.setFillColorRGB(0.2, 0.4, 0.6)
    c.rect(40, 550, 400, 24, stroke=0, fill=1)
    c.drawString(50, 558, "SAME_AS_BACKGROUND Fortran")
    c.setFillColorRGB(0, 0, 0)
    # clipped away: drawn outside a small clipping rectangle
    c.saveState()
    clip = c.beginPath()
    clip.rect(300, 100, 20, 20)
    c.clipPath(clip, stroke=0, fill=0)
    c.drawString(50, 500, "CLIPPED_AWAY Lisp")
    c.restoreState()
    # squeezed to a hairline by horizontal scaling (Tz 1)
    t = c.beginText(50, 480)
    t.setFont("Helvetica", 11)
    t.setHorizScale(1)
    t.textLine("SQUEEZED Prolog")
    t.setHorizScale(100)
    c.drawText(t)
    c.drawString(50, 460, "VISIBLE_END Thanks for reading")
    c.showPage()
    c.save()
    return buf.getvalue()


def _png(width: int = 400, height: int = 200) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (width, height), "white")
    d = ImageDraw.Draw(img)
    for i in range(0, height, 12):
        d.line((10, i, width - 10, i), fill=(40, 40, 40), width=3)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def build_image_pdf(ocr_text: str | None = None) -> bytes:
    """A 'scanned' page: one image; with ``ocr_text``, an invisible OCR layer on top."""
    from reportlab.lib.utils import ImageReader

    buf = io.BytesIO()
    c = _canvas(buf)
    c.drawImage(ImageReader(io.BytesIO(_png())), 40, 400, width=500, height=250)
    if ocr_text:
        t = c.beginText(60, 600)
        t.setFont("Helvetica", 12)
        t.setTextRenderMode(3)
        t.textLine(ocr_text)
        c.drawText(t)
    c.showPage()
    c.save()
    return buf.getvalue()


def build_pages_pdf(pages: int, **kw) -> bytes:
    buf = io.BytesIO()
    c = _canvas(buf, **kw)
    for i in range(pages):
        c.setFont("Helvetica", 11)
        c.drawString(50, 780, f"Page {i + 1} heading")
        c.drawString(50, 766, f"Experience with Python on page {i + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


def build_hyphen_pdf() -> bytes:
    buf = io.BytesIO()
    c = _canvas(buf)
    c.setFont("Helvetica", 11)
    lines = [
        "Improved query opti-",
        "mization for the billing service and the",
        "open-",
        "source tooling; our",
        "Kuber-",
        "netes clusters run Kubernetes 1.29 and",
        "cross-",
        "functional teams own them - see",
        "• Bullet line ending with a dash -",
        "• Next bullet stays separate",
    ]
    y = 780
    for ln in lines:
        c.drawString(50, y, ln)
        y -= 14
    c.showPage()
    c.save()
    return buf.getvalue()


def build_rotated_pdf() -> bytes:
    buf = io.BytesIO()
    c = _canvas(buf)
    c.setFont("Helvetica", 11)
    c.drawString(80, 780, "Main text line one")
    c.drawString(80, 765, "Main text line two")
    c.saveState()
    c.translate(40, 600)
    c.rotate(90)
    c.drawString(0, 0, "ROTATED LABEL")
    c.restoreState()
    c.showPage()
    c.save()
    return buf.getvalue()


def build_fpdf_resume() -> bytes:
    """Another producer (fpdf2): a dark left sidebar with white text, justified paragraphs."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=18)
    pdf.cell(0, 10, "JOHN SMITH", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=9)
    pdf.cell(0, 6, "john@smith.dev | London | +44 20 7946 0000 | github.com/jsmith", align="C",
             new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    y0 = pdf.get_y() + 4
    pdf.set_fill_color(30, 40, 80)
    pdf.rect(10, y0, 55, 200, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_xy(12, y0 + 3)
    pdf.set_font("helvetica", "B", 11)
    pdf.cell(50, 7, "SKILLS", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=9)
    for skill in ("Python", "Go", "Kubernetes", "PostgreSQL", "Terraform", "gRPC", "Kafka"):
        pdf.set_x(12)
        pdf.cell(50, 5, skill, new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(12)
    pdf.set_font("helvetica", "B", 11)
    pdf.cell(50, 9, "EDUCATION", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=9)
    pdf.set_x(12)
    pdf.multi_cell(50, 5, "BSc Computer Science, University of Leeds, 2014", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_xy(72, y0 + 3)
    pdf.set_font("helvetica", "B", 12)
    pdf.cell(0, 7, "EXPERIENCE", new_x="LMARGIN", new_y="NEXT")
    jobs = (
        ("Backend Engineer, Monzo", "2019 - 2024",
         ("Scaled the payments ledger service written in Go to handle ten thousand requests per second "
          "with p99 under fifty milliseconds.", "Introduced contract testing between forty microservices.")),
        ("Software Engineer, Sky", "2014 - 2019",
         ("Built the recommendations API in Python and Django used by four million viewers every evening.",
          "Ran the on-call rota.")),
    )  # fmt: skip
    for title, date, bullets in jobs:
        pdf.set_x(72)
        pdf.set_font("helvetica", "B", 10)
        pdf.cell(90, 6, title)
        pdf.set_font("helvetica", size=9)
        pdf.cell(38, 6, date, align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("helvetica", size=10)
        for b in bullets:
            pdf.set_x(72)
            pdf.multi_cell(128, 5, "- " + b, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


# ---------------------------------------------------------------------------------------------
# DOCX builders
# ---------------------------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSDECL = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def textbox_run_xml(paragraphs: list[str], *, fill: str | None = None, hidden: bool = False,
                    run_color: str | None = None) -> str:
    """A ``w:r`` holding a text box as Word writes it: DrawingML choice + VML fallback."""
    rpr = f'<w:rPr><w:color w:val="{run_color}"/></w:rPr>' if run_color else ""
    body = "".join(f"<w:p><w:r>{rpr}<w:t xml:space=\"preserve\">{p}</w:t></w:r></w:p>" for p in paragraphs)
    dml_fill = f'<a:solidFill><a:srgbClr val="{fill}"/></a:solidFill>' if fill else "<a:noFill/>"
    vml_fill = f'fillcolor="#{fill}"' if fill else 'filled="f"'
    docpr_hidden = ' hidden="1"' if hidden else ""
    return (
        f"<w:r {NSDECL}><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing>"
        f"<wp:anchor><wp:docPr id=\"7\" name=\"Text Box 7\"{docpr_hidden}/><a:graphic>"
        f"<a:graphicData uri=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\">"
        f"<wps:wsp><wps:spPr>{dml_fill}</wps:spPr><wps:txbx><w:txbxContent>{body}</w:txbxContent>"
        f"</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape {vml_fill}><v:textbox><w:txbxContent>{body}</w:txbxContent>"
        f"</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )


def _append_xml(paragraph, xml: str) -> None:
    from lxml import etree

    paragraph._p.append(etree.fromstring(xml))


def _append_xml_to(element, xml: str) -> None:
    from lxml import etree

    element.append(etree.fromstring(xml))


def _shade_paragraph(paragraph, fill: str) -> None:
    from lxml import etree

    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(etree.fromstring(f'<w:shd xmlns:w="{W}" w:val="clear" w:color="auto" w:fill="{fill}"/>'))


def build_docx() -> bytes:
    """Body + heading + lists + table with a nested table + header/footer + text boxes +
    hidden / white / tiny / style-hidden runs + white text on a shaded paragraph."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt, RGBColor

    d = docx.Document()
    sec = d.sections[0]
    sec.header.paragraphs[0].text = "HEADER Jane Roe | jane.roe@example.com"
    sec.footer.paragraphs[0].text = "FOOTER page footer"
    invisible = d.styles.add_style("Invisible Ink", WD_STYLE_TYPE.CHARACTER)
    invisible.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)

    d.add_heading("Experience", level=1)
    p = d.add_paragraph("Senior Engineer at Acme\t2019 – 2023")
    d.add_paragraph("Data Engineer at Initech        2016 – 2019")
    p = d.add_paragraph("Built data pipelines in Python.")
    r = p.add_run(" HIDDEN_VANISH Haskell")
    r.font.hidden = True
    r = p.add_run(" WHITE_RUN Kubernetes")
    r.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    r = p.add_run(" TINY_RUN Erlang")
    r.font.size = Pt(1)
    r = p.add_run(" STYLE_WHITE Cobol")
    r.style = invisible
    r = p.add_run(" and visible Go.")
    d.add_paragraph("Led the platform team", style="List Bullet")
    d.add_paragraph("Shipped the billing rewrite", style="List Bullet")
    shaded = d.add_paragraph()
    r = shaded.add_run("WHITE_ON_SHADE Visible banner text")
    r.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    _shade_paragraph(shaded, "1F3864")

    # shading from a paragraph style, white text: visible
    banner = d.styles.add_style("Banner", WD_STYLE_TYPE.PARAGRAPH)
    banner_ppr = banner.element.get_or_add_pPr()
    _append_xml_to(banner_ppr, f'<w:shd xmlns:w="{W}" w:val="clear" w:color="auto" w:fill="222244"/>')
    r = d.add_paragraph(style="Banner").add_run("STYLE_SHADED_BANNER white on a styled shade")
    r.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    # white text in a table whose style may shade it: not judged, kept
    styled = d.add_table(rows=1, cols=1, style="Light Grid Accent 1")
    r = styled.cell(0, 0).paragraphs[0].add_run("STYLED_TABLE_WHITE header cell")
    r.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)

    anchor = d.add_paragraph("Paragraph anchoring text boxes")
    _append_xml(anchor, textbox_run_xml(["TEXTBOX_SIDEBAR Skills: Rust, Kotlin", "TEXTBOX second line"]))
    _append_xml(anchor, textbox_run_xml(["WHITE_ON_NAVY Visible in a dark box"], fill="1F3864", run_color="FFFFFF"))
    _append_xml(anchor, textbox_run_xml(["WHITE_BOX_WHITE_TEXT Scala"], fill="FFFFFF", run_color="FFFFFF"))
    _append_xml(anchor, textbox_run_xml(["HIDDEN_SHAPE Perl"], hidden=True))

    d.add_heading("Skills", level=1)
    t = d.add_table(rows=3, cols=2)
    t.cell(0, 0).text = "Languages"
    t.cell(0, 1).text = "Python, Go"
    t.cell(1, 0).text = "Cloud"
    t.cell(1, 1).text = "AWS, GCP"
    t.cell(2, 0).text = "Tools"
    inner = t.cell(2, 1)
    inner.text = "Docker"
    nested = inner.add_table(rows=2, cols=2)
    nested.cell(0, 0).text = "NESTED_A1 Terraform"
    nested.cell(0, 1).text = "NESTED_B1 Ansible"
    nested.cell(1, 0).text = "NESTED_A2 Helm"
    nested.cell(1, 1).text = "NESTED_B2 ArgoCD"
    d.add_paragraph("After the table")

    # a layout table: sidebar cell and main cell, several paragraphs each
    lay = d.add_table(rows=1, cols=2)
    left, right = lay.cell(0, 0), lay.cell(0, 1)
    left.text = "SIDECELL Contact"
    left.add_paragraph("SIDECELL Berlin")
    right.text = "MAINCELL Projects"
    right.add_paragraph("MAINCELL Built a compiler")
    d.add_paragraph("The end")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def zip_bytes(entries: dict[str, bytes | str], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def patch_declared_size(data: bytes, name: str, size: int) -> bytes:
    """Rewrite the uncompressed size of ``name`` in the zip central directory (a lying header)."""
    out = bytearray(data)
    pos = 0
    while True:
        pos = out.find(b"PK\x01\x02", pos)
        if pos < 0:
            raise ValueError(name)
        name_len = struct.unpack_from("<H", out, pos + 28)[0]
        if out[pos + 46 : pos + 46 + name_len] == name.encode():
            struct.pack_into("<I", out, pos + 24, size)
            return bytes(out)
        pos += 4


def cfb_bytes(stream_names: list[str]) -> bytes:
    """A minimal Compound File Binary (OLE2) container whose directory lists ``stream_names``
    (streams are empty): enough to tell legacy .doc from encrypted OOXML."""
    ss = 512
    header = bytearray(ss)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 0x2C, 1)  # one FAT sector
    struct.pack_into("<I", header, 0x30, 1)  # directory starts at sector 1
    struct.pack_into("<I", header, 0x38, 4096)
    struct.pack_into("<I", header, 0x3C, 0xFFFFFFFE)  # no mini FAT
    struct.pack_into("<I", header, 0x44, 0xFFFFFFFE)  # no DIFAT sectors
    difat = [0] + [0xFFFFFFFF] * 108
    struct.pack_into("<109I", header, 0x4C, *difat)
    fat = [0xFFFFFFFD, 0xFFFFFFFE] + [0xFFFFFFFF] * 126
    fat_sector = struct.pack("<128I", *fat)

    def entry(name: str, etype: int, child: int = 0xFFFFFFFF, right: int = 0xFFFFFFFF) -> bytes:
        e = bytearray(128)
        raw = (name + "\x00").encode("utf-16-le")
        e[: len(raw)] = raw
        struct.pack_into("<H", e, 0x40, len(raw))
        e[0x42] = etype
        e[0x43] = 1
        struct.pack_into("<III", e, 0x44, 0xFFFFFFFF, right, child)
        struct.pack_into("<I", e, 0x74, 0xFFFFFFFE)
        return bytes(e)

    entries = [entry("Root Entry", 5, child=1 if stream_names else 0xFFFFFFFF)]
    for i, n in enumerate(stream_names):
        right = i + 2 if i + 1 < len(stream_names) else 0xFFFFFFFF
        entries.append(entry(n, 2, right=right))
    dir_sector = b"".join(entries).ljust(ss, b"\x00")[:ss]
    return bytes(header) + fat_sector + dir_sector


# ---------------------------------------------------------------------------------------------
# fixtures
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def resume_pdfs_dir() -> Path:
    """tests/data/resume-pdfs: always present (part of the repository), never skipped."""
    return RESUME_PDFS


@pytest.fixture(scope="session")
def real_docs(resume_pdfs_dir):
    """Every real PDF, read once per session: {relative path: Document}."""
    from matcher.documents import read_document

    out = {}
    for p in sorted(resume_pdfs_dir.rglob("*.pdf")):
        out[str(p.relative_to(resume_pdfs_dir))] = read_document(p.read_bytes())
    return out


@pytest.fixture(scope="session")
def generated_resumes():
    return {layout: build_resume_pdf(layout) for layout in ("single", "sidebar-right", "sidebar-left")}


@pytest.fixture(scope="session")
def hidden_pdf() -> bytes:
    return build_hidden_pdf()


@pytest.fixture(scope="session")
def table_pdf() -> bytes:
    return build_table_pdf()


@pytest.fixture(scope="session")
def sample_docx() -> bytes:
    return build_docx()
