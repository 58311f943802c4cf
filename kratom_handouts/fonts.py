"""The fonts that come with the package, their registration with ReportLab, and glyph coverage.

ReportLab has no font fallback: a character a font lacks prints as an empty box
without a word. So before anything is drawn, every character is looked up in
the cmap of every face that may draw it (``missing_glyphs``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .errors import ContentError, Origin, Problem
from .model import Text

FONT_DIR = Path(__file__).parent / "fonts"
FACES = ("regular", "bold", "italic", "bold_italic")


@dataclass(frozen=True)
class Family:
    name: str
    files: dict[str, Path]  # face -> TrueType file

    def face_name(self, face: str) -> str:
        """The name ReportLab knows the face by."""
        return f"{self.name}-{face}"


FAMILIES: dict[str, Family] = {
    "noto-sans": Family(
        "noto-sans",
        {
            "regular": FONT_DIR / "noto-sans" / "NotoSans-Regular.ttf",
            "bold": FONT_DIR / "noto-sans" / "NotoSans-Bold.ttf",
            "italic": FONT_DIR / "noto-sans" / "NotoSans-Italic.ttf",
            "bold_italic": FONT_DIR / "noto-sans" / "NotoSans-BoldItalic.ttf",
        },
    ),
}


def register(family: Family) -> None:
    """Make the family's four faces known to ReportLab, once per process.

    ReportLab's font registry is process-wide; registering the same files
    under the same names is idempotent, so this is safe from any worker.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    registered = set(pdfmetrics.getRegisteredFontNames())
    missing = [Problem(Origin(path),
                       f"the font file is missing or unreadable; reinstall kratom-handouts ({family.name}, {face})")
               for face, path in family.files.items() if not path.is_file()]
    if missing:
        raise ContentError(missing)
    for face, path in family.files.items():
        if family.face_name(face) not in registered:
            pdfmetrics.registerFont(TTFont(family.face_name(face), str(path)))
    pdfmetrics.registerFontFamily(
        family.name,
        normal=family.face_name("regular"),
        bold=family.face_name("bold"),
        italic=family.face_name("italic"),
        boldItalic=family.face_name("bold_italic"),
    )


@cache
def _cmap(path: Path) -> frozenset[int]:
    from reportlab.pdfbase.ttfonts import TTFError, TTFontFile

    if not path.is_file():
        raise ContentError([Problem(Origin(path), "the font file is missing; reinstall kratom-handouts")])
    try:
        return frozenset(TTFontFile(str(path)).charToGlyph)
    except (OSError, TTFError) as exc:
        raise ContentError([Problem(Origin(path),
                                    f"the font file cannot be read ({exc}); reinstall kratom-handouts")]) from None


def coverage(family: Family) -> frozenset[int]:
    """Code points that every face of the family can draw."""
    faces = [_cmap(path) for path in family.files.values()]
    return frozenset.intersection(*faces)


# Characters that are never drawn as glyphs: spacing, and the invisible format characters we keep.
_NOT_DRAWN = {0x20, 0xA0, 0xAD, 0x200C, 0x200D}


def missing_glyphs(texts: Iterable[Text], family: Family) -> list[Problem]:
    """One problem per character (per place) that the family cannot draw."""
    covered = coverage(family)
    problems: list[Problem] = []
    for text in texts:
        seen: set[str] = set()
        for char in text.value:
            if ord(char) in covered or ord(char) in _NOT_DRAWN or char in seen:
                continue
            seen.add(char)
            problems.append(
                Problem(text.origin, f"the font '{family.name}' has no glyph for '{char}' (U+{ord(char):04X}); "
                                     "replace it or choose another font")
            )
    return problems
