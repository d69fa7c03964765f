"""Hostile files, generated in memory: one small function per case, each returning ``bytes``.

Nothing here is stored on disk. The bombs are built lazily and cheaply: a deflate segment of
1 MiB of zeros ends with a full flush (which resets the compressor's window), so every following
segment is byte-identical and a stream that inflates to 1 GiB is ``segment * 1024`` (~1 MB),
made in milliseconds. Builders are cached per process; callers must not mutate what they get.

Used by ``tests/matcher/test_hostile_documents.py`` (engine level) and
``tests/api/test_hostile_uploads.py`` (through HTTP).
"""

from __future__ import annotations

import functools
import io
import struct
import zipfile
import zlib

MiB = 1 << 20
GiB = 1 << 30

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)

RESUME_TEXT = """Jane Doe
Machine Learning Engineer

EXPERIENCE
Senior ML Engineer - Acme Corp
March 2019 - Present
- Built recommendation models in PyTorch and Python, deployed on Kubernetes

SKILLS
Python, PyTorch, Kubernetes, SQL
"""


# ---------------------------------------------------------------------------------------------
# deflate bombs
# ---------------------------------------------------------------------------------------------


@functools.cache
def _zero_segment(wbits: int = -15) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(bytes(MiB)) + c.flush(zlib.Z_FULL_FLUSH)


_FINAL_EMPTY_BLOCK = b"\x03\x00"  # a final, empty fixed-Huffman block


@functools.cache
def raw_deflate_zeros(size: int = GiB) -> bytes:
    """Raw deflate (no header) of ``size`` zero bytes (a multiple of 1 MiB); ~1 KB per MiB."""
    assert size % MiB == 0
    return _zero_segment() * (size // MiB) + _FINAL_EMPTY_BLOCK


@functools.cache
def zlib_zeros(size: int = GiB) -> bytes:
    """zlib format (as in a PDF FlateDecode stream) of ``size`` zero bytes, checksum included."""
    adler = 1
    chunk = bytes(MiB)
    for _ in range(size // MiB):
        adler = zlib.adler32(chunk, adler)
    return b"\x78\xda" + raw_deflate_zeros(size) + struct.pack(">I", adler)


# ---------------------------------------------------------------------------------------------
# PDF: a tiny writer for hand-made objects
# ---------------------------------------------------------------------------------------------


def stream_obj(data: bytes, extra: str = "") -> bytes:
    return f"<< /Length {len(data)} {extra} >>\nstream\n".encode() + data + b"\nendstream"


def pdf(objects: list[bytes], *, root: int = 1, trailer: str = "", xref: bool = True,
        startxref: int | None = None) -> bytes:
    """Objects 1..n -> a PDF with a correct xref table (unless told otherwise)."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + body + b"\nendobj\n")
    xref_at = out.tell()
    if xref:
        out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
        for off in offsets:
            out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root {root} 0 R {trailer} >>\n".encode())
    out.write(f"startxref\n{xref_at if startxref is None else startxref}\n%%EOF\n".encode())
    return out.getvalue()


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def _text_ops(lines: list[str], size: float = 11, x: float = 72, y: float = 760, lead: float = 14) -> bytes:
    ops = [f"BT /F1 {size:g} Tf {lead:g} TL {x:g} {y:g} Td"]
    for line in lines:
        esc = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"({esc}) Tj T*")
    ops.append("ET")
    return "\n".join(ops).encode("latin-1")


def simple_pdf(content: bytes, *, extra_objects: list[bytes] | None = None, resources: str = "",
               mediabox: str = "[0 0 612 792]", content_extra: str = "") -> bytes:
    """One page: 1 catalog, 2 pages, 3 page, 4 content, 5 font, then ``extra_objects`` (6...)."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox {mediabox} /Contents 4 0 R "
        f"/Resources << /Font << /F1 5 0 R >> {resources} >> >>".encode(),
        stream_obj(content, content_extra),
        FONT,
        *(extra_objects or []),
    ]
    return pdf(objs)


def resume_pdf() -> bytes:
    """A small, well-formed one-page résumé (the control case)."""
    return simple_pdf(_text_ops(RESUME_TEXT.splitlines()))


# -- decompression -----------------------------------------------------------------------------


def pdf_flate_bomb() -> bytes:
    """~1 MB FlateDecode content stream that inflates to 1 GiB."""
    return simple_pdf(zlib_zeros(GiB), content_extra="/Filter /FlateDecode")


def pdf_chained_flate_bomb() -> bytes:
    """[/FlateDecode /FlateDecode]: a few KB that inflate to ~1 MB, which inflates to 1 GiB."""
    inner = zlib_zeros(GiB)
    return simple_pdf(zlib.compress(inner, 9), content_extra="/Filter [/FlateDecode /FlateDecode]")


def pdf_hex_flate_bomb() -> bytes:
    """[/ASCIIHexDecode /FlateDecode]: the bomb spelled in hex."""
    return simple_pdf(zlib_zeros(256 * MiB).hex().encode() + b">",
                      content_extra="/Filter [/ASCIIHexDecode /FlateDecode]")


def pdf_corrupt_zlib() -> bytes:
    """A 5 MB FlateDecode stream of noise with a valid zlib header."""
    import random

    rnd = random.Random(6)
    noise = rnd.randbytes(5 * 1000 * 1000)
    return simple_pdf(b"\x78\x9c" + noise, content_extra="/Filter /FlateDecode")


# -- structure ---------------------------------------------------------------------------------


def pdf_circular_forms() -> bytes:
    """Form XObject X1 draws X2, which draws X1 (and the page draws X1)."""
    form = "<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /XObject << /X {} 0 R >> "\
           "/Font << /F1 5 0 R >> >> {} >>"
    body = b"BT /F1 11 Tf 72 700 Td (Python) Tj ET /X Do"
    x1 = form.format(7, "").encode()
    x2 = form.format(6, "").encode()
    x1 = x1[:-2] + f"/Length {len(body)} >>\nstream\n".encode() + body + b"\nendstream"
    x2 = x2[:-2] + f"/Length {len(body)} >>\nstream\n".encode() + body + b"\nendstream"
    return simple_pdf(_text_ops(["Jane Doe, Python developer"]) + b"\n/X Do",
                      resources="/XObject << /X 6 0 R >>", extra_objects=[x1, x2])


def pdf_self_referencing_form() -> bytes:
    """A Form XObject that draws itself."""
    body = b"BT /F1 11 Tf 72 700 Td (Python) Tj ET /X Do"
    x = (f"<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /XObject << /X 6 0 R >> "
         f"/Font << /F1 5 0 R >> >> /Length {len(body)} >>\nstream\n").encode() + body + b"\nendstream"
    return simple_pdf(_text_ops(["Jane Doe, Python developer"]) + b"\n/X Do",
                      resources="/XObject << /X 6 0 R >>", extra_objects=[x])


def pdf_recursive_pages() -> bytes:
    """A /Pages node whose /Kids holds itself (and a real page)."""
    content = _text_ops(["Jane Doe, Python developer"])
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R 2 0 R] /Count 3 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        stream_obj(content),
        FONT,
    ])


def pdf_mutual_pages() -> bytes:
    """Two /Pages nodes that are each other's kid, /Count omitted."""
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] >>",
        b"<< /Type /Pages /Kids [2 0 R] >>",
    ])


def pdf_deep_arrays_in_content(depth: int = 100_000) -> bytes:
    """A content stream opening 100k nested arrays."""
    return simple_pdf(_text_ops(["Jane Doe, Python developer"]) + b"\n" + b"[" * depth + b"]" * depth + b" pop")


def pdf_deep_arrays_in_object(depth: int = 100_000) -> bytes:
    """An indirect object (referenced from the page) of 100k nested arrays."""
    return simple_pdf(_text_ops(["Jane Doe, Python developer"]),
                      resources="/Properties << /P 6 0 R >>",
                      extra_objects=[b"[" * depth + b"]" * depth])


def pdf_deep_dicts_in_catalog(depth: int = 100_000) -> bytes:
    """The catalog itself holds 100k nested dictionaries."""
    pdf_bytes = simple_pdf(_text_ops(["Jane Doe, Python developer"]))
    return pdf_bytes.replace(b"<< /Type /Catalog /Pages 2 0 R >>",
                             b"<< /Type /Catalog /Pages 2 0 R /Deep " + b"<< /A " * depth + b">> " * depth + b">>")


def pdf_xref_prev_loop() -> bytes:
    """The trailer's /Prev points back at the same xref table."""
    base = simple_pdf(_text_ops(["Jane Doe, Python developer"]))
    xref_at = int(base.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    return base.replace(b"/Root 1 0 R  >>", f"/Root 1 0 R /Prev {xref_at} >>".encode())


def pdf_startxref_past_end() -> bytes:
    objs_pdf = simple_pdf(_text_ops(["Jane Doe, Python developer"]))
    head, _ = objs_pdf.rsplit(b"startxref\n", 1)
    return head + b"startxref\n999999999\n%%EOF\n"


def pdf_truncated() -> bytes:
    data = resume_pdf()
    return data[: len(data) // 2]


def pdf_header_only() -> bytes:
    return b"%PDF-1.7\n"


def pdf_many_text_boxes(n: int = 50_000) -> bytes:
    """One page holding 50k separately positioned text objects (a grid of short words)."""
    ops = ["BT /F1 3 Tf"]
    for i in range(n):
        x = 20 + (i % 250) * 2.3
        y = 780 - (i // 250) * 3.8
        ops.append(f"1 0 0 1 {x:.1f} {y:.1f} Tm (Py) Tj")
    ops.append("ET")
    return simple_pdf("\n".join(ops).encode())


def pdf_pages(n: int = 5000, *, honest_count: bool = True) -> bytes:
    """``n`` pages sharing one content stream; ``honest_count=False`` declares /Count 1."""
    content = _text_ops(["Jane Doe, Python developer"])
    kids = " ".join(f"{i} 0 R" for i in range(5, 5 + n))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {n if honest_count else 1} >>".encode(),
        stream_obj(content),
        FONT,
    ]
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>"
    objs.extend([page] * n)
    return pdf(objs)


def pdf_giant_mediabox() -> bytes:
    """A 1e30-point page, text at its corners and in the middle."""
    ops = b"BT /F1 11 Tf 72 700 Td (Jane Doe, Python developer) Tj ET\n" \
          b"BT /F1 1e20 Tf 5e29 5e29 Td (Kubernetes) Tj ET\n" \
          b"BT /F1 11 Tf 1e29 1e29 Td (Docker) Tj ET"
    return simple_pdf(ops, mediabox="[-1e30 -1e30 1e30 1e30]")


def pdf_encrypted() -> bytes:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=StandardEncryption("secret", canPrint=1))
    c.drawString(72, 700, "Jane Doe, Python developer")
    c.showPage()
    c.save()
    return buf.getvalue()


def pdf_image_only() -> bytes:
    """A scanned page: one 64x64 grey image, no text operators."""
    pixels = bytes((x * 4) & 0xFF for x in range(64 * 64))
    img = stream_obj(zlib.compress(pixels),
                     "/Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray "
                     "/BitsPerComponent 8 /Filter /FlateDecode")
    return simple_pdf(b"q 500 0 0 700 50 50 cm /Im1 Do Q", resources="/XObject << /Im1 6 0 R >>",
                      extra_objects=[img])


def _cid_font_pdf(words_with_map: list[str], words_without_map: list[str], *, encoding: str = "/Identity-H") -> bytes:
    """Type0 fonts: /F1 Helvetica (mapped), /F2 a CID font without /ToUnicode (``(cid:NN)``)."""
    ops = ["BT /F1 11 Tf 72 740 Td 14 TL"]
    for w in words_with_map:
        ops.append(f"({w}) Tj T*")
    ops.append("ET BT /F2 11 Tf 72 600 Td 14 TL")
    for w in words_without_map:
        ops.append("<" + "".join(f"{ord(c):04X}" for c in w) + "> Tj T*")
    ops.append("ET")
    cid = (f"<< /Type /Font /Subtype /Type0 /BaseFont /NoMap /Encoding {encoding} /DescendantFonts [7 0 R] >>").encode()
    desc = (b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /NoMap "
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 600 "
            b"/FontDescriptor 8 0 R >>")
    fd = b"<< /Type /FontDescriptor /FontName /NoMap /Flags 4 /FontBBox [0 0 1000 1000] /ItalicAngle 0 " \
         b"/Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>"
    return simple_pdf("\n".join(ops).encode(), resources="/Font << /F1 5 0 R /F2 6 0 R >>",
                      extra_objects=[cid, desc, fd]).replace(
        b"/Resources << /Font << /F1 5 0 R >> /Font", b"/Resources << /Font")


def pdf_no_tounicode_only() -> bytes:
    """All text in a CID font without /ToUnicode: glyph ids only."""
    return _cid_font_pdf([], ["Jane Doe", "Python developer", "Kubernetes"])


def pdf_no_tounicode_mixed() -> bytes:
    """Readable text plus a block in a CID font without /ToUnicode."""
    return _cid_font_pdf(RESUME_TEXT.splitlines(), ["Kubernetes", "Docker"])


def pdf_cmap_traversal() -> bytes:
    """/Encoding names a CMap outside pdfminer's CMap folder (../../../../etc/passwd)."""
    return _cid_font_pdf(RESUME_TEXT.splitlines(), ["Docker"],
                         encoding="/..#2F..#2F..#2F..#2F..#2F..#2Fetc#2Fpasswd")


def pdf_keyword_stuffing() -> bytes:
    """A visible résumé plus white-on-white and 0.1 pt keyword stuffing."""
    visible = _text_ops(RESUME_TEXT.splitlines())
    white = b"1 1 1 rg BT /F1 11 Tf 72 200 Td (Kubernetes Docker TensorFlow Terraform Scala) Tj ET 0 0 0 rg"
    tiny = b"BT /F1 0.1 Tf 72 100 Td (Kubernetes Docker TensorFlow Terraform Scala Rust Haskell) Tj ET"
    return simple_pdf(visible + b"\n" + white + b"\n" + tiny)


def pdf_zip_polyglot() -> bytes:
    """A valid PDF with a ZIP (a DOCX with other text) appended: both readers would accept it."""
    return resume_pdf() + docx({"word/document.xml": document_xml(["Cobol mainframe only"])})


def zip_pdf_polyglot() -> bytes:
    """A ZIP whose first member is a PDF stored uncompressed (so ``%PDF-`` is in the first KB)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("a.pdf", resume_pdf())
        z.writestr("[Content_Types].xml", CT)
        z.writestr("word/document.xml", document_xml(["Cobol mainframe only"]))
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------
# DOCX
# ---------------------------------------------------------------------------------------------


def document_xml(paragraphs: list[str], *, doctype: str = "", header_rid: str | None = None) -> str:
    from xml.sax.saxutils import escape

    body = "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    sect = f'<w:sectPr><w:headerReference w:type="default" r:id="{header_rid}"/></w:sectPr>' if header_rid else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?>{doctype}'
            f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>{body}{sect}</w:body></w:document>')


def docx(parts: dict[str, str | bytes], *, content_types: bool = True) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        if content_types:
            z.writestr("[Content_Types].xml", CT)
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


def resume_docx() -> bytes:
    return docx({"word/document.xml": document_xml(RESUME_TEXT.splitlines())})


def _zip_raw(entries: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """Hand-made ZIP: (name, stored bytes, method, crc, declared uncompressed size) per entry."""
    out = io.BytesIO()
    central = io.BytesIO()
    for name, data, method, crc, usize in entries:
        nb = name.encode()
        off = out.tell()
        out.write(struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, method, 0, 0x21, crc, len(data),
                              min(usize, 0xFFFFFFFF), len(nb), 0))
        out.write(nb)
        out.write(data)
        central.write(struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, method, 0, 0x21, crc, len(data),
                                  min(usize, 0xFFFFFFFF), len(nb), 0, 0, 0, 0, 0, off))
        central.write(nb)
    cd_at = out.tell()
    cd = central.getvalue()
    n = len(entries)
    out.write(cd)
    out.write(struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, min(n, 0xFFFF), min(n, 0xFFFF), len(cd), cd_at, 0))
    return out.getvalue()


def _deflated(data: bytes) -> tuple[bytes, int]:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(), zlib.crc32(data)


def docx_member_bomb(declared: int | None = None) -> bytes:
    """word/document.xml inflates to 1 GiB (zeros after a valid XML prefix is not even needed);
    ``declared`` sets the uncompressed size the zip directory claims (default: the truth, 1 GiB)."""
    ct, ct_crc = _deflated(CT.encode())
    bomb = raw_deflate_zeros(GiB)
    return _zip_raw([
        ("[Content_Types].xml", ct, 8, ct_crc, len(CT)),
        ("word/document.xml", bomb, 8, 0, GiB if declared is None else declared),
    ])


def docx_lying_sizes() -> bytes:
    """A real document.xml whose directory entries claim 10 bytes uncompressed (and a wrong CRC)."""
    xml = document_xml(RESUME_TEXT.splitlines()).encode()
    ct, ct_crc = _deflated(CT.encode())
    doc, _crc = _deflated(xml)
    return _zip_raw([("[Content_Types].xml", ct, 8, ct_crc, len(CT)), ("word/document.xml", doc, 8, 0x1234, 10)])


def docx_many_entries(n: int = 100_000) -> bytes:
    """A DOCX (valid document.xml) plus 100k empty members."""
    xml = document_xml(RESUME_TEXT.splitlines()).encode()
    ct, ct_crc = _deflated(CT.encode())
    doc, doc_crc = _deflated(xml)
    entries = [("[Content_Types].xml", ct, 8, ct_crc, len(CT)), ("word/document.xml", doc, 8, doc_crc, len(xml))]
    entries += [(f"e/{i}", b"", 0, 0, 0) for i in range(n)]
    return _zip_raw(entries)


def docx_traversal_names() -> bytes:
    """Members named ``../../evil`` and ``/etc/passwd``, and a header relationship pointing out."""
    rels = (f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rIdH" Type="{R_NS}/header" Target="../../../../etc/passwd"/></Relationships>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("word/document.xml", document_xml(RESUME_TEXT.splitlines(), header_rid="rIdH"))
        z.writestr("word/_rels/document.xml.rels", rels)
        z.writestr(zipfile.ZipInfo("../../evil.sh"), b"#!/bin/sh\nrm -rf /\n")
        z.writestr(zipfile.ZipInfo("/etc/passwd"), b"<w:hdr/>")
        z.writestr(zipfile.ZipInfo("word/../../../x.xml"), b"<x/>")
    return buf.getvalue()


_XXE = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY web SYSTEM "http://127.0.0.1:9/x">]>'


def docx_xxe_document() -> bytes:
    xml = document_xml(RESUME_TEXT.splitlines() + ["XXE:&xxe;&web;:END"], doctype=_XXE).replace("&amp;", "&")
    return docx({"word/document.xml": xml})


def docx_xxe_header() -> bytes:
    rels = (f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rIdH" Type="{R_NS}/header" Target="header1.xml"/></Relationships>')
    header = (f'<?xml version="1.0"?><!DOCTYPE w:hdr [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
              f'<w:hdr xmlns:w="{W_NS}"><w:p><w:r><w:t>HDR:&xxe;:END</w:t></w:r></w:p></w:hdr>')
    return docx({
        "word/document.xml": document_xml(RESUME_TEXT.splitlines(), header_rid="rIdH"),
        "word/_rels/document.xml.rels": rels,
        "word/header1.xml": header,
    })


def docx_billion_laughs() -> bytes:
    ents = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    doctype = "<!DOCTYPE w:document [" + "".join(ents) + "]>"
    xml = document_xml(RESUME_TEXT.splitlines() + ["LOL:&lol9;:END"], doctype=doctype).replace("&amp;", "&")
    return docx({"word/document.xml": xml})


def docx_huge_text_node(size: int = 50 * 1000 * 1000) -> bytes:
    """One ``w:t`` holding 50 MB of text."""
    xml = document_xml(["@@TEXT@@"]).encode()
    head, tail = xml.split(b"@@TEXT@@")
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b"Python " * (MiB // 7)
    parts = [c.compress(head)]
    crc = zlib.crc32(head)
    n = 0
    while n < size:
        piece = chunk[: size - n]
        parts.append(c.compress(piece))
        crc = zlib.crc32(piece, crc)
        n += len(piece)
    parts.append(c.compress(tail))
    crc = zlib.crc32(tail, crc)
    parts.append(c.flush())
    ct, ct_crc = _deflated(CT.encode())
    return _zip_raw([("[Content_Types].xml", ct, 8, ct_crc, len(CT)),
                     ("word/document.xml", b"".join(parts), 8, crc, len(head) + size + len(tail))])


def docx_without_document() -> bytes:
    return docx({"word/styles.xml": "<w:styles/>"})


def docx_plain_zip() -> bytes:
    return docx({"notes.txt": "Python"}, content_types=False)


def elf_binary() -> bytes:
    return b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00" + bytes(200)


def mz_binary() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(48) + b"This program cannot be run in DOS mode."


# ---------------------------------------------------------------------------------------------
# text
# ---------------------------------------------------------------------------------------------


def text_single_line(size: int = 50 * 1000 * 1000) -> bytes:
    return b"Python " * (size // 7)


def text_nul_bytes() -> bytes:
    return RESUME_TEXT.replace("Python", "Py\x00thon").encode()


def text_many_nuls() -> bytes:
    return b"Python developer\n" + b"\x00" * 5000


def text_invalid_utf8() -> bytes:
    return RESUME_TEXT.encode() + b"\n\xff\xfe\xc3\x28 caf\xe9 \x81\x8d\x8f\x90\x9d\n"


def text_utf16_bom() -> bytes:
    return b"\xff\xfe" + RESUME_TEXT.encode("utf-16-le")


def text_zero_width() -> bytes:
    return RESUME_TEXT.replace("Python, PyTorch", "Py\u200bthon, Py\u200dTorch\u2060").encode()


def text_cyrillic_lookalike() -> bytes:
    """Every "Python" spelled with Cyrillic Р and у (U+0420, U+0443): ``Руthon``."""
    return RESUME_TEXT.replace("Python", "\u0420\u0443thon").encode()


def text_repeated_skill(n: int = 100_000) -> bytes:
    return ("Jane Doe\n\nSKILLS\n" + "Python " * n + "\n").encode()


def text_markdown_emphasis_storm(n: int = 50_000) -> bytes:
    """A Markdown-looking line of unmatched ``**`` openers (a backtracking trap for lazy regexes)."""
    return ("# Jane Doe\n" + "**a " * n + "\n").encode()


def docx_deep_nesting(depth: int = 100_000) -> bytes:
    """document.xml with 100k nested elements inside the body."""
    xml = document_xml(["Jane Doe, Python developer"]).replace(
        "</w:body>", "<w:sdt>" * depth + "</w:sdt>" * depth + "</w:body>")
    return docx({"word/document.xml": xml})
