"""Format detection from magic bytes (never from a file name)."""

from __future__ import annotations

import io
import struct
import zipfile

from ..errors import (
    DocumentError,
    EmptyDocument,
    EncryptedDocument,
    UnreadableDocument,
    UnsupportedFormat,
)
from ..types import Format

#: ``%PDF-`` may follow up to this many bytes of junk (readers such as Acrobat allow 1 KB).
PDF_HEADER_WINDOW = 1024

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

IMAGE_MESSAGE = "image file: upload a PDF/DOCX/text résumé (we don't OCR)"
LEGACY_DOC_MESSAGE = "legacy Word .doc: save it as .docx or PDF"
ENCRYPTED_OFFICE_MESSAGE = "password-protected Office document: remove the password and upload again"
RTF_MESSAGE = "RTF document: save it as .docx or PDF"

_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis"}

_BINARY_MAGICS: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"\x7fELF", "executable (ELF)"),
    (b"%!PS", "PostScript file"),
    (b"\xca\xfe\xba\xbe", "executable (Mach-O / Java class)"),
    (b"\xcf\xfa\xed\xfe", "executable (Mach-O)"),
    (b"\xfe\xed\xfa\xcf", "executable (Mach-O)"),
    (b"OggS", "audio/video file"),
    (b"ID3", "audio file (MP3)"),
    (b"fLaC", "audio file (FLAC)"),
    (b"\x1aE\xdf\xa3", "video file (Matroska/WebM)"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"AT&TFORM", "DjVu document"),
)


def _image_kind(head: bytes) -> str | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if head.startswith((b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")):
        return "TIFF"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "WebP"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "HEIC/HEIF/AVIF"
    if head.startswith(b"\x00\x00\x00\x0cjP  \r\n\x87\n") or head.startswith(b"\xff\x4f\xff\x51"):
        return "JPEG 2000"
    if head.startswith(b"8BPS"):
        return "Photoshop"
    if head.startswith(b"\x00\x00\x01\x00") and len(head) > 6 and head[4] != 0:
        return "ICO"
    if head.startswith(b"BM") and len(head) >= 18:
        (dib,) = struct.unpack("<I", head[14:18])
        if dib in (12, 16, 40, 52, 56, 64, 108, 124):
            return "BMP"
    return None


def _looks_like_svg(head: bytes) -> bool:
    h = head[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if h.startswith(b"<svg"):
        return True
    return h.startswith((b"<?xml", b"<!doctype svg")) and b"<svg" in h


# ---------------------------------------------------------------------------------------------
# OLE2 / CFB: legacy Office file or encrypted OOXML?
# ---------------------------------------------------------------------------------------------


def cfb_stream_names(data: bytes, max_entries: int = 4096) -> set[str]:
    """Names of the directory entries of a Compound File Binary container (best effort)."""
    if len(data) < 512 or not data.startswith(OLE_MAGIC):
        raise ValueError("not a CFB file")
    sector_shift = struct.unpack_from("<H", data, 0x1E)[0]
    if sector_shift not in (9, 12):
        raise ValueError("bad sector size")
    ssize = 1 << sector_shift
    n_fat = struct.unpack_from("<I", data, 0x2C)[0]
    first_dir = struct.unpack_from("<I", data, 0x30)[0]
    first_difat = struct.unpack_from("<I", data, 0x44)[0]
    n_difat = struct.unpack_from("<I", data, 0x48)[0]

    def sector(i: int) -> bytes:
        off = (i + 1) * ssize
        if i >= 0xFFFFFFFA or off + ssize > len(data) + ssize:
            raise ValueError("sector out of range")
        return data[off : off + ssize]

    fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < 0xFFFFFFFA]
    nxt = first_difat
    for _ in range(min(n_difat, 10_000)):
        if nxt >= 0xFFFFFFFA:
            break
        blob = sector(nxt)
        vals = struct.unpack(f"<{ssize // 4}I", blob)
        fat_sectors.extend(v for v in vals[:-1] if v < 0xFFFFFFFA)
        nxt = vals[-1]
    fat_sectors = fat_sectors[: max(n_fat, 1)]
    fat: list[int] = []
    for s in fat_sectors:
        blob = sector(s)
        fat.extend(struct.unpack(f"<{len(blob) // 4}I", blob))
    names: set[str] = set()
    cur = first_dir
    seen = set()
    while cur < 0xFFFFFFFA and cur not in seen and len(names) < max_entries:
        seen.add(cur)
        blob = sector(cur)
        for off in range(0, len(blob) - 127, 128):
            entry = blob[off : off + 128]
            name_len = struct.unpack_from("<H", entry, 0x40)[0]
            etype = entry[0x42]
            if etype in (1, 2, 5) and 2 <= name_len <= 64:
                names.add(entry[: name_len - 2].decode("utf-16-le", "replace"))
        cur = fat[cur] if cur < len(fat) else 0xFFFFFFFE
    return names


def _ole_verdict(data: bytes) -> DocumentError:
    try:
        names = cfb_stream_names(data)
    except (ValueError, struct.error, IndexError):
        names = set()
        # fall back to a scan of the raw bytes for the UTF-16 directory names
        for n in ("EncryptionInfo", "EncryptedPackage", "WordDocument", "Workbook", "PowerPoint Document"):
            if n.encode("utf-16-le") in data:
                names.add(n)
        if not names:
            return UnsupportedFormat(
                "legacy Office file (.doc/.xls/.ppt) or password-protected Office document: "
                "save it as an unprotected .docx or PDF"
            )
    if "EncryptionInfo" in names or "EncryptedPackage" in names:
        return EncryptedDocument(ENCRYPTED_OFFICE_MESSAGE)
    if "WordDocument" in names:
        return UnsupportedFormat(LEGACY_DOC_MESSAGE)
    if "Workbook" in names or "Book" in names:
        return UnsupportedFormat("legacy Excel spreadsheet (.xls): upload the résumé as PDF, DOCX or text")
    if "PowerPoint Document" in names:
        return UnsupportedFormat("legacy PowerPoint file (.ppt): upload the résumé as PDF, DOCX or text")
    if any(n.startswith("__substg1.0_") for n in names):
        return UnsupportedFormat("Outlook message (.msg): attach the résumé itself (PDF, DOCX or text)")
    return UnsupportedFormat("legacy Office file (OLE2 compound document): save it as .docx or PDF")


# ---------------------------------------------------------------------------------------------
# ZIP: DOCX or another package?
# ---------------------------------------------------------------------------------------------


def _zip_verdict(data: bytes) -> Format:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            mimetype = b""
            if "mimetype" in names:
                info = zf.getinfo("mimetype")
                if info.file_size <= 200:
                    mimetype = zf.read("mimetype").strip()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError,
            RuntimeError) as exc:
        raise UnreadableDocument(f"corrupt ZIP/DOCX file ({type(exc).__name__}: {exc})"[:300]) from exc
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return "docx"
    if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
        raise UnreadableDocument("damaged DOCX: word/document.xml is missing")
    if "xl/workbook.xml" in names:
        raise UnsupportedFormat("Excel spreadsheet (.xlsx): upload the résumé as PDF, DOCX or text")
    if "ppt/presentation.xml" in names:
        raise UnsupportedFormat("PowerPoint presentation (.pptx): upload the résumé as PDF, DOCX or text")
    if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
        raise UnsupportedFormat("OpenDocument text (.odt): save it as .docx or PDF")
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        raise UnsupportedFormat("OpenDocument file (not a text document): upload a PDF, DOCX or text résumé")
    if mimetype == b"application/epub+zip":
        raise UnsupportedFormat("EPUB e-book: upload a PDF, DOCX or text résumé")
    if any(n.endswith(".fdoc") for n in names) or "Index/Document.iwa" in names:
        raise UnsupportedFormat("Apple Pages document: export it as .docx or PDF")
    raise UnsupportedFormat("ZIP archive: upload the résumé itself (PDF, DOCX or text), not an archive")


# ---------------------------------------------------------------------------------------------
# text or binary?
# ---------------------------------------------------------------------------------------------

_TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_CONTROL = frozenset(set(range(0x00, 0x09)) | {0x0E, 0x0F} | set(range(0x10, 0x1B)) | set(range(0x1C, 0x20)) | {0x7F})


def utf16_without_bom(sample: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when NUL bytes sit at alternate positions like ASCII in UTF-16."""
    n = len(sample) // 2 * 2
    if n < 4:
        return None
    even = sample[0:n:2]
    odd = sample[1:n:2]
    half = n // 2
    if odd.count(0) >= 0.9 * half and even.count(0) <= 0.1 * half:
        return "utf-16-le"
    if even.count(0) >= 0.9 * half and odd.count(0) <= 0.1 * half:
        return "utf-16-be"
    return None


def _is_binary(head: bytes) -> bool:
    if head.startswith(_TEXT_BOMS):
        return False
    if b"\x00" in head:
        return utf16_without_bom(head) is None
    if not head:
        return False
    controls = sum(1 for b in head if b in _CONTROL)
    return controls > 0.05 * len(head)


def is_container(data: bytes) -> bool:
    """The bytes open like a PDF or a ZIP/OLE container (DOCX, legacy Office): a document that may
    be slow to read however small it is, never plain text. Cheap: magic bytes only."""
    return data.find(b"%PDF-", 0, PDF_HEADER_WINDOW + 5) >= 0 or data.startswith((OLE_MAGIC, *ZIP_MAGICS))


def detect_format(data: bytes) -> Format:
    """``"pdf"``, ``"docx"`` or ``"text"`` from the bytes alone.

    Raises :class:`EmptyDocument` for no bytes, :class:`UnsupportedFormat` for formats we don't
    read (saying what the file is), :class:`EncryptedDocument` for password-protected Office
    files, and :class:`UnreadableDocument` for a damaged ZIP/DOCX.
    """
    if not data:
        raise EmptyDocument("empty file")
    data = bytes(data) if not isinstance(data, bytes) else data
    head = data[:4096]
    if data.find(b"%PDF-", 0, PDF_HEADER_WINDOW + 5) >= 0:
        return "pdf"
    if head.startswith(OLE_MAGIC):
        raise _ole_verdict(data)
    if head.startswith(ZIP_MAGICS):
        return _zip_verdict(data)
    if head.lstrip(b"\xef\xbb\xbf").startswith(b"{\\rtf"):
        raise UnsupportedFormat(RTF_MESSAGE)
    kind = _image_kind(head)
    if kind is not None or _looks_like_svg(head):
        raise UnsupportedFormat(f"{IMAGE_MESSAGE} [{kind or 'SVG'}]")
    for magic, what in _BINARY_MAGICS:
        if head.startswith(magic):
            raise UnsupportedFormat(f"{what}: upload a PDF, DOCX or text résumé")
    if head.startswith(b"MZ") and b"\x00" in head:
        raise UnsupportedFormat("Windows executable: upload a PDF, DOCX or text résumé")
    if _is_binary(head):
        raise UnsupportedFormat("binary file (not a PDF, DOCX or text document): upload a PDF, DOCX or text résumé")
    low = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:64].lower()
    if low.startswith((b"<!doctype html", b"<html")):
        raise UnsupportedFormat("HTML page: save the résumé as PDF, DOCX or plain text")
    return "text"

