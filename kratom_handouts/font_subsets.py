"""A TrueType font for ReportLab whose compressed subsets are kept, so the same subset is compressed once.

ReportLab embeds in every document a subset of each face it used, and compresses it (zlib, in Python's
thread): a fifth of saving a handout, 1 ms of its 21. A worker renders all the layouts of a handout in a
language together, and they use the same characters, so most subsets are one seen a moment before: 274 of the
420 the shipped library embeds in 6 languages and 3 layouts. Compression is a pure function of the bytes, so a
kept result is the same bytes; the cache is keyed by a digest of the subset and holds only the compressed
bytes, at most ``KEPT_SUBSETS`` of them.
"""

from __future__ import annotations

import hashlib
import zlib
from collections import OrderedDict
from typing import Any

from reportlab.pdfbase.ttfonts import TTFont

KEPT_SUBSETS = 64  # a handout's layouts use about 6 subsets; a bundle's handouts, one per face and script

_compressed: OrderedDict[bytes, bytes] = OrderedDict()  # sha256 of a subset -> the subset compressed


class _KeptFlate:
    """ReportLab's FlateDecode stream filter (the same zlib call), remembering what it made."""

    pdfname = "FlateDecode"

    def encode(self, content: bytes | str) -> bytes:
        data = content.encode("utf8") if isinstance(content, str) else content  # as ReportLab's filter does
        key = hashlib.sha256(data).digest()
        made = _compressed.get(key)
        if made is None:
            made = _compressed[key] = zlib.compress(data)
            if len(_compressed) > KEPT_SUBSETS:
                _compressed.popitem(last=False)
        else:
            _compressed.move_to_end(key)
        return made

    def decode(self, encoded: bytes) -> bytes:
        return zlib.decompress(encoded)


KEPT_FLATE = _KeptFlate()


class SubsetKeepingFont(TTFont):
    """A ``TTFont`` whose embedded subsets (the font files) are compressed through ``KEPT_FLATE``."""

    def addObjects(self, doc: Any) -> None:  # ReportLab's hook: called once per document as it is saved
        before = set(doc.idToObject)
        super().addObjects(doc)
        prefix = f"fontFile:{self.face.filename}("
        for name in set(doc.idToObject) - before:
            if isinstance(name, str) and name.startswith(prefix):
                stream = doc.idToObject[name]
                if stream.filters:  # the document compresses: the same filter, remembering
                    stream.filters = [KEPT_FLATE]
