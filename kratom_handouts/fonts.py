"""The fonts that come with the package, their registration with ReportLab, and glyph coverage.

ReportLab has no font fallback: a character a font lacks prints as an empty box
without a word. So before anything is drawn, every character is looked up in
the cmap of every face that may draw it (``missing_glyphs``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from .errors import ContentError, Origin, Problem
from .model import Text

FONT_DIR = Path(__file__).parent / "fonts"
FACES = ("regular", "bold", "italic", "bold_italic")


# A face a family does not have is drawn with the nearest one it has (Arabic and CJK fonts have no italic).
_STAND_INS = {"italic": "regular", "bold_italic": "bold"}


@dataclass(frozen=True)
class Family:
    name: str  # unique in the process: what ReportLab's names for its faces start with
    files: dict[str, Path]  # face -> TrueType file; regular and bold at least
    indexes: dict[str, int] = field(default_factory=dict)  # face -> which font of a .ttc collection
    label: str = ""  # what the layout calls it, when that is not ``name`` (a project's own family)

    @property
    def shown(self) -> str:
        return self.label or self.name

    def index(self, face: str) -> int:
        return self.indexes.get(self.face(face), 0)

    def face(self, face: str) -> str:
        """The face that draws ``face``: itself, or its stand-in."""
        return face if face in self.files else _STAND_INS.get(face, "regular")

    def face_name(self, face: str) -> str:
        """The name ReportLab knows the face by."""
        return f"{self.name}-{self.face(face)}"

    @cached_property
    def coverage(self) -> frozenset[int]:
        """Code points that every face of the family can draw. Kept on the family: text setting asks once per
        character, and building the files' key each time was a tenth of setting Arabic and Chinese text."""
        return _coverage(_faces_key(self))


def _builtin(name: str, folder: str, stem: str, italics: bool = False) -> Family:
    faces = {"regular": "Regular", "bold": "Bold"}
    if italics:
        faces |= {"italic": "Italic", "bold_italic": "BoldItalic"}
    return Family(name, {face: FONT_DIR / folder / f"{stem}-{suffix}.ttf" for face, suffix in faces.items()})


# The fonts that come with the package (tools/make_fonts.py makes all but Noto Sans; SOURCES.json says from what).
FAMILIES: dict[str, Family] = {
    family.name: family for family in (
        _builtin("noto-sans", "noto-sans", "NotoSans", italics=True),  # Latin (Vietnamese too), Greek, Cyrillic
        _builtin("noto-sans-sc", "noto-sans-sc", "NotoSansSC"),  # Simplified Chinese: GB 2312
        _builtin("noto-sans-tc", "noto-sans-tc", "NotoSansTC"),  # Traditional Chinese: Big5
        _builtin("noto-sans-kr", "noto-sans-kr", "NotoSansKR"),  # Korean: Hangul and KS X 1001
        _builtin("ibm-plex-sans-arabic", "ibm-plex-sans-arabic", "IBMPlexSansArabic"),  # Arabic, with Latin
    )
}


@cache
def _faces() -> dict[str, tuple[Family, str]]:
    faces: dict[str, tuple[Family, str]] = {}
    for family in FAMILIES.values():
        for face in FACES:
            faces.setdefault(family.face_name(face), (family, family.face(face)))
    return faces


def face_of(font_name: str) -> tuple[Family, str]:
    """The family and real face of a name from ``Family.face_name`` (KeyError for a font that is not ours)."""
    return _faces()[font_name]


def face_source(font_name: str) -> tuple[Path, int]:
    """The file of a face, and its number in a .ttc collection."""
    family, face = face_of(font_name)
    return family.files[face], family.indexes.get(face, 0)


def with_emphasis(font_name: str, bold: bool, italic: bool, family: Family | None = None) -> str:
    """The face of ``family`` (by default the font's own) for text that adds bold or italic to ``font_name``."""
    own, face = face_of(font_name)
    bold = bold or face in ("bold", "bold_italic")
    italic = italic or face in ("italic", "bold_italic")
    wanted = ("bold_italic" if italic else "bold") if bold else ("italic" if italic else "regular")
    return (family or own).face_name(wanted)


def register(family: Family) -> None:
    """Make the family's four faces known to ReportLab, once per process.

    ReportLab's font registry is process-wide; registering the same files
    under the same names is idempotent, so this is safe from any worker.
    """
    from reportlab.pdfbase import pdfmetrics

    from .font_subsets import SubsetKeepingFont

    registered = set(pdfmetrics.getRegisteredFontNames())
    remedy = "check the layout's fonts" if family.label else "reinstall kratom-handouts"
    missing = [Problem(Origin(path), f"the font file is missing or unreadable; {remedy} ({family.shown}, {face})")
               for face, path in family.files.items() if not path.is_file()]
    if missing:
        raise ContentError(missing)
    for face, path in family.files.items():
        if family.face_name(face) not in registered:
            font = SubsetKeepingFont(family.face_name(face), str(path), subfontIndex=family.indexes.get(face, 0))
            pdfmetrics.registerFont(font)
    pdfmetrics.registerFontFamily(
        family.name,
        normal=family.face_name("regular"),
        bold=family.face_name("bold"),
        italic=family.face_name("italic"),
        boldItalic=family.face_name("bold_italic"),
    )
    # ReportLab maps a face name back to (family, bold, italic) by its last registration: a stand-in face
    # (regular for italic) is named again as what it really is.
    from reportlab.lib.fonts import addMapping

    addMapping(family.name, 0, 0, family.face_name("regular"))
    addMapping(family.name, 1, 0, family.face_name("bold"))


@cache
def _cmap(path: Path, index: int = 0) -> frozenset[int]:
    from reportlab.pdfbase.ttfonts import TTFError, TTFontFile

    if not path.is_file():
        raise ContentError([Problem(Origin(path), "the font file is missing; reinstall kratom-handouts")])
    try:
        return frozenset(TTFontFile(str(path), subfontIndex=index).charToGlyph)
    except (OSError, TTFError) as exc:
        raise ContentError([Problem(Origin(path),
                                    f"the font file cannot be read ({exc}); reinstall kratom-handouts")]) from None


@cache
def _coverage(faces: tuple[tuple[Path, int], ...]) -> frozenset[int]:
    return frozenset.intersection(*(_cmap(path, index) for path, index in faces))


def coverage(family: Family) -> frozenset[int]:
    """Code points that every face of the family can draw."""
    return family.coverage


def _faces_key(family: Family) -> tuple[tuple[Path, int], ...]:
    return tuple((path, family.indexes.get(face, 0)) for face, path in family.files.items())


def _drawable(chain: tuple[Family, ...]) -> frozenset[str]:
    """The characters some family of the chain draws, and those never drawn as glyphs."""
    return _drawable_by_faces(tuple(_faces_key(family) for family in chain))


@cache
def _drawable_by_faces(keys: tuple[tuple[tuple[Path, int], ...], ...]) -> frozenset[str]:
    return frozenset(chr(code) for key in keys for code in _coverage(key)) | {chr(code) for code in NOT_DRAWN}


# --- a project's own fonts ----------------------------------------------------------------


def font_file_problem(path: Path, index: int) -> tuple[str | None, str | None]:
    """(PostScript name, None) for a face ReportLab can embed, or (None, why not) in words a brand owner can act on."""
    import struct

    from reportlab.pdfbase.ttfonts import TTFError, TTFontFile

    try:
        with path.open("rb") as handle:
            head = handle.read(4)
        if head == b"OTTO":
            return None, ("has PostScript (CFF) outlines, which cannot be embedded (ReportLab takes TrueType "
                          "outlines only): use the font's TrueType (.ttf) version")
        parsed = TTFontFile(str(path), subfontIndex=index)
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror or exc})"
    except (TTFError, ValueError, IndexError, KeyError, struct.error) as exc:  # struct.error: a file cut short
        message = str(exc)
        if "postscript outlines" in message:
            return None, ("has PostScript (CFF) outlines, which cannot be embedded (ReportLab takes TrueType "
                          "outlines only): use the font's TrueType (.ttf) version")
        if "bad subfontIndex" in message:
            return None, f"has no font number {index} in it ({message.split('not in ')[-1]} are there)"
        return None, "is not a TrueType font file that can be embedded"
    name = parsed.name
    return (name.decode("latin-1") if isinstance(name, bytes) else str(name)), None


def project_family(label: str, files: dict[str, Path], indexes: dict[str, int]) -> Family:
    """A family from the project's own files, known from now on by a name no other project's family has."""
    import hashlib

    digest = hashlib.sha256(repr(sorted((f, str(p), indexes.get(f, 0)) for f, p in files.items())).encode())
    family = Family(f"{label}~{digest.hexdigest()[:10]}", files, indexes, label)
    FAMILIES.setdefault(family.name, family)
    _faces.cache_clear()
    return FAMILIES[family.name]


def family_for(char: str, chain: tuple[Family, ...]) -> Family | None:
    """The first family of the chain that draws ``char`` (None: none does)."""
    code = ord(char)
    for family in chain:
        if code in coverage(family):
            return family
    return None


# Characters that are never drawn as glyphs: spacing, and the invisible format characters we keep.
NOT_DRAWN = frozenset({0x20, 0xA0, 0xAD, 0x200C, 0x200D})

# More distinct missing characters than this in one file means a missing font, not a stray character.
_MANY = 3


def missing_glyphs(texts: Iterable[Text], chain: tuple[Family, ...], lang: str = "", where: str = "") -> list[Problem]:
    """Characters that no family of the chain can draw: one problem per character and place, or, when a
    file has many (a whole script without a font), one problem for that file that says what to add.

    ``where`` names the layout file to add a font to.
    """
    drawable = _drawable(chain)
    names = ", ".join(f"'{family.shown}'" for family in chain)
    fonts_named = f"the font {names}" if len(chain) == 1 else f"the fonts {names}"
    by_file: dict[Path, list[tuple[Text, str]]] = {}
    for text in texts:
        if drawable.issuperset(text.value):  # nearly every text: one set operation, not a loop
            continue
        seen: set[str] = set()
        for char in text.value:
            if char in drawable or char in seen:
                continue
            seen.add(char)
            by_file.setdefault(text.origin.file, []).append((text, char))
    problems: list[Problem] = []
    for found in by_file.values():
        distinct = list(dict.fromkeys(char for _, char in found))
        if len(distinct) <= _MANY:
            problems.extend(Problem(text.origin, f"{fonts_named} {'has' if len(chain) == 1 else 'have'} no glyph "
                                                 f"for '{char}' (U+{ord(char):04X}); replace it or choose another font")
                            for text, char in found)
            continue
        first_text, first = found[0]
        problems.append(Problem(first_text.origin, _no_font_message(distinct, first, fonts_named, lang, where)))
    return problems


def _no_font_message(distinct: list[str], first: str, fonts_named: str, lang: str, where: str) -> str:
    language = f"language '{lang}'" if lang else "this text"
    message = (f"{len(distinct)} different characters in this file (the first '{first}', U+{ord(first):04X}) have "
               f"no glyph in {fonts_named}, the fonts for {language}: the layout has no font for this script")
    suggestion = best_builtin(distinct)
    key = lang or "LANG"
    add = f"add one under 'fonts: languages:' in {where or 'the layout'}"
    if suggestion is not None:
        return f"{message}; {add}, for example '{key}: [{suggestion}]'"
    return f"{message}; {add} (a TrueType font that has these characters)"


def best_builtin(chars: list[str]) -> str | None:
    """The built-in family that draws the most of ``chars`` (None if none draws any)."""
    codes = [ord(char) for char in chars]
    scored = [(sum(code in coverage(family) for code in codes), name) for name, family in FAMILIES.items()]
    best, name = max(scored, key=lambda pair: pair[0])
    return name if best else None
