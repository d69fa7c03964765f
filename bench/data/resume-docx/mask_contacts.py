"""How the files here were made: copy DOCX résumés with e-mail addresses and phone numbers masked.

    python bench/data/resume-docx/mask_contacts.py SRC_DIR DEST_DIR FILE...

Only the text of the document, header and footer parts changes, read paragraph by paragraph (an
address Word split over several runs is still found): each e-mail's letters and digits become ``x``
and each run of 10+ digits (a phone number, spaces/dashes allowed between groups) becomes zeros.
Year ranges ("2010 - 2014") have 8 digits and stay.
"""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\d.])\+?\d(?:[ \-]?\d){9,14}(?!\d)")
_YEARS = re.compile(r"(?:(?:19|20)\d\d[ \-]?)+")  # "2006-2009 2014-2017": years, not a phone
_PARA = re.compile(r"<w:p[ >].*?</w:p>", re.DOTALL)
_TEXT = re.compile(r"(<w:t(?: [^>]*)?>)([^<]*)(</w:t>)")
_PARTS = re.compile(r"word/(?:document|header\d*|footer\d*)\.xml")


def _mask_paragraph(m: re.Match[str]) -> str:
    para = m.group()
    nodes = list(_TEXT.finditer(para))
    chars = list("".join(n.group(2) for n in nodes))
    joined = "".join(chars)
    for pattern, repl in ((_EMAIL, "x"), (_PHONE, "0")):
        for hit in pattern.finditer(joined):
            if _YEARS.fullmatch(hit.group()):
                continue
            for i in range(*hit.span()):
                if chars[i].isalnum():
                    chars[i] = "0" if repl == "0" and chars[i].isdigit() else repl
    out, pos, k = [], 0, 0
    for n in nodes:
        size = len(n.group(2))
        out.append(para[pos:n.start()] + n.group(1) + "".join(chars[k:k + size]) + n.group(3))
        pos, k = n.end(), k + size
    return "".join(out) + para[pos:]


def mask(xml: str) -> str:
    return _PARA.sub(_mask_paragraph, xml)


def copy_masked(src: Path, dest: Path) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if _PARTS.fullmatch(item.filename):
                data = mask(data.decode("utf-8")).encode("utf-8")
            zout.writestr(item, data)


if __name__ == "__main__":
    src_dir, dest_dir, *names = sys.argv[1:]
    for name in names:
        copy_masked(Path(src_dir) / name, Path(dest_dir) / name)
