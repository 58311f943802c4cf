"""The TrueType font we give ReportLab: its subsets are compressed once, and its ToUnicode maps are clean.

ReportLab embeds in every document a subset of each face it used, and compresses it (zlib, in Python's
thread): a fifth of saving a handout, 1 ms of its 21. A worker renders all the layouts of a handout in a
language together, and they use the same characters, so most subsets are one seen a moment before: 274 of the
420 the shipped library embeds in 6 languages and 3 layouts. Compression is a pure function of the bytes, so a
kept result is the same bytes; the cache is keyed by a digest of what it compressed and holds only the
compressed bytes, at most ``KEPT_STREAMS`` of them.

ReportLab's ToUnicode maps (what a copy or a screen reader makes of each glyph) map unused codes to U+0000
and come in blocks of 128, past the PDF limit of 100 that checkers hold fonts to: each map is rewritten as it
is made, once per subset, rather than read back out of every finished PDF.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import OrderedDict
from typing import Any

from reportlab.pdfbase.pdfdoc import PDFStreamFilterZCompress
from reportlab.pdfbase.ttfonts import TTFont

MAX_CMAP_BLOCK = 100  # entries per bfchar block (the PDF limit that checkers hold fonts to)
# A handout embeds 4 to 6 of these streams (a font file and a ToUnicode map per face it uses): enough for the
# layouts of a few handouts (full, it held 844 KiB over the shipped zh-Hans, ko and ar handouts).
KEPT_STREAMS = 64

_compressed: OrderedDict[bytes, bytes] = OrderedDict()  # sha256 of a font file or map -> it compressed


class _KeptFlate(PDFStreamFilterZCompress):
    """ReportLab's FlateDecode stream filter, remembering what it made."""

    def encode(self, content: bytes | str) -> bytes:
        data = content.encode("utf8") if isinstance(content, str) else content  # what ReportLab compresses
        key = hashlib.sha256(data).digest()
        made = _compressed.get(key)
        if made is None:
            made = _compressed[key] = super().encode(data)
            if len(_compressed) > KEPT_STREAMS:
                _compressed.popitem(last=False)
        else:
            _compressed.move_to_end(key)
        return made


KEPT_FLATE = _KeptFlate()


class SubsetKeepingFont(TTFont):
    """A ``TTFont`` whose embedded subsets (font files and ToUnicode maps) are compressed through
    ``KEPT_FLATE``, and whose ToUnicode maps are clean."""

    def addObjects(self, doc: Any) -> None:  # ReportLab's hook: called once per document as it is saved
        before = set(doc.idToObject)
        super().addObjects(doc)
        font_file = f"fontFile:{self.face.filename}("
        for name in set(doc.idToObject) - before:
            if not isinstance(name, str):
                continue
            stream = doc.idToObject[name]
            if name.startswith("toUnicodeCMap:"):
                stream.content = clean_to_unicode_map(stream.content)
            elif not name.startswith(font_file):
                continue
            if stream.filters:  # the document compresses: the same filter, remembering
                stream.filters = [KEPT_FLATE]


_BFCHAR = re.compile(r"(\d+)\s+beginbfchar(.*?)endbfchar", re.DOTALL)
_PAIR = re.compile(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


@functools.lru_cache(maxsize=KEPT_STREAMS)  # a subset's map is made again for each document that embeds it
def clean_to_unicode_map(cmap: str) -> str:
    """ReportLab's map without its U+0000 entries, in blocks of at most ``MAX_CMAP_BLOCK``, code points past
    U+FFFF written as UTF-16."""
    blocks = list(_BFCHAR.finditer(cmap))
    if not blocks:
        return cmap
    pairs = [pair for block in blocks for pair in _PAIR.findall(block.group(2)) if int(pair[1], 16) != 0]
    written = []
    for start in range(0, len(pairs), MAX_CMAP_BLOCK):
        chunk = pairs[start:start + MAX_CMAP_BLOCK]
        body = "\n".join(f"<{code}> <{_utf16(uni)}>" for code, uni in chunk)
        written.append(f"{len(chunk)} beginbfchar\n{body}\nendbfchar")
    return cmap[:blocks[0].start()] + "\n".join(written) + cmap[blocks[-1].end():]


def _utf16(hex_code_point: str) -> str:
    """A destination as UTF-16BE hex: ReportLab writes a code point past U+FFFF (a shaped glyph's private
    one) as five hex digits, which is not a valid CMap destination; it needs a surrogate pair."""
    code_point = int(hex_code_point, 16)
    if code_point <= 0xFFFF:
        return hex_code_point
    return chr(code_point).encode("utf-16-be").hex().upper()
