"""Typed objects for everything the pipeline handles: handouts, blocks, labels, layouts.

Validation builds these from YAML; layout and rendering only ever read them.
They are frozen so that a render is a pure function of its inputs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Origin

if TYPE_CHECKING:
    from .blocks import Block, Heading


@dataclass(frozen=True)
class Text:
    """A piece of printed text (inline emphasis still as written) and where it came from."""

    value: str
    origin: Origin


# --- blocks ---------------------------------------------------------------
# Each block type (its dataclass, reader, texts, role and renderer) lives in kratom_handouts/blocks/.


def auto_block_id(kind: str, ordinal: int) -> str:
    """The id of a block that was given none: its type and its position among blocks of that type."""
    return f"{kind}-{ordinal}"


# --- handouts ---------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    title: Text
    publisher: Text
    year: int | None = None
    url: Text | None = None

    def citation(self) -> str:
        """"Title. Publisher. 2024." (the URL is printed after it, as a link)."""
        parts = [self.title.value, self.publisher.value] + ([str(self.year)] if self.year is not None else [])
        return ". ".join(part.rstrip(".") for part in parts) + "."


@dataclass(frozen=True)
class ClinicalReview:
    """Who checked a handout's medical content, and when. A handout without one is a draft."""

    by: Text  # name and role
    date: dt.date


@dataclass(frozen=True)
class TranslationReview:
    """Who translated a handout, and who checked the translation. Without ``reviewed_by`` it is a draft."""

    translated_by: Text | None = None
    reviewed_by: Text | None = None
    date: dt.date | None = None

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_by is not None


@dataclass(frozen=True)
class NotTranslated:
    """A translation with parts still to do: not printed, and not a failure (the build says so and goes on)."""

    lang: str
    parts: tuple[str, ...]  # the parts still to do (for a bundle, its handouts not translated yet)


@dataclass(frozen=True)
class Handout:
    id: str
    lang: str
    file: Path
    title: Text
    subtitle: Text | None
    summary: Text
    updated: dt.date  # when the text last changed (the PDF's date)
    next_review: dt.date
    keywords: tuple[str, ...]
    sources: tuple[Source, ...]
    body: tuple[Block, ...]
    target_grade: float | None = None  # a lower reading-grade target than the project's
    # Units printed in another language than ``lang`` (a fallback), as (unit, language) pairs.
    foreign: tuple[tuple[str, str], ...] = ()
    draft: bool = False  # parts are still untranslated (printed in the source language): says so on the page
    clinical_review: ClinicalReview | None = None  # None: a draft awaiting clinical review
    translation_review: TranslationReview | None = None  # only for a handout in another language than the source
    # Where the dates were written ("updated", "next_review", "clinical_review"), for messages about them.
    dates_at: tuple[tuple[str, Origin], ...] = ()

    @property
    def clinically_reviewed(self) -> bool:
        return self.clinical_review is not None

    @property
    def translation_reviewed(self) -> bool:
        """True for the source language; for a translation, once a reviewer has checked it."""
        return self.translation_review is None or self.translation_review.is_reviewed

    @property
    def fully_reviewed(self) -> bool:
        return self.clinically_reviewed and self.translation_reviewed

    @property
    def headings(self) -> list[Heading]:
        from .blocks import Heading

        return [block for block in self.body if isinstance(block, Heading)]

    def origin_of(self, field_name: str) -> Origin:
        """Where a dated field was written; the file, if it is not known."""
        return dict(self.dates_at).get(field_name) or Origin(self.file)

    def lang_of(self, unit: str | None) -> str | None:
        """The language a unit prints in, when it is not the handout's own."""
        return dict(self.foreign).get(unit) if unit else None


LABEL_DEFAULTS: dict[str, str] = {
    "page_of": "Page {page} of {pages}",
    "reviewed": "Reviewed",
    "next_review": "Next review",
    "sources": "Sources",
    "in_short": "In short",
    "call": "Call",
    "text": "Text",
    "contents": "Contents",
    "in_this_packet": "In this packet",
    "language": "Language",
    "blank_page": "This page is intentionally left blank.",
    "reading_grade": "Reading level: grade {grade}",
    "draft": "Draft: parts of this handout are not translated yet.",
    "updated": "Updated",
    "not_reviewed": "Draft awaiting clinical review",
    "reviewed_by": "Reviewed by {by} on {date}.",
    "translation_not_reviewed": "Draft translation, not yet checked by a reviewer",
    "translated_by": "Translated by {by}.",
    "translation_draft_by": "Draft translation by {by}, not yet checked by a reviewer.",
    "translation_reviewed_by": "Translation checked by {by} on {date}.",
    "packet_not_reviewed": "Draft: this packet has handouts awaiting clinical review",
}


@dataclass(frozen=True)
class Labels:
    """The words a layout prints around the content, in one language."""

    lang: str
    values: dict[str, Text]

    def __getitem__(self, key: str) -> str:
        return self.values[key].value


# --- layouts ----------------------------------------------------------------


@dataclass(frozen=True)
class Clinic:
    name: Text
    phone: Text | None = None
    address: Text | None = None
    website: Text | None = None

    def contact_line(self, with_name: bool = False) -> str:
        """Phone, address and website (and the name first, where nothing else prints it), dot-separated."""
        parts = (self.name if with_name else None, self.phone, self.address, self.website)
        # A no-break space before each dot: where the line is too long, it breaks after a dot, so that no line
        # starts with one (every renderer and browser keeps to a no-break space).
        return "\u00a0\u00b7 ".join(t.value for t in parts if t is not None)


@dataclass(frozen=True)
class Colors:
    text: str = "#1a1a1a"
    heading: str = "#0b4f6c"
    accent: str = "#0b4f6c"
    link: str = "#0b4f6c"
    muted: str = "#4a4a4a"
    summary_background: str = "#e6f0f4"
    info_background: str = "#e6f0f4"
    tip_background: str = "#e8f3e8"
    warning_background: str = "#fff4d6"
    emergency_background: str = "#fde8e8"
    info_border: str = "#0b4f6c"
    tip_border: str = "#2e7d32"
    warning_border: str = "#a66300"
    emergency_border: str = "#b3261e"


@dataclass(frozen=True)
class Layout:
    name: str
    file: Path
    page_width: float  # points
    page_height: float
    margin_top: float
    margin_right: float
    margin_bottom: float
    margin_left: float
    body_size: float
    leading: float  # a multiple of the body size
    heading_scale: float
    title_scale: float
    body_font: str  # a font family name, see fonts.py
    heading_font: str
    colors: Colors
    header: tuple[Text, Text, Text]  # left, centre, right; placeholders in braces
    footer: tuple[Text, Text, Text]
    clinic: Clinic
    logo: Path | None = None
    logo_height: float = 28.0
    large_print: bool = False
    show_reading_grade: bool = False  # print the reading grade beside the review dates
    color_origins: dict[str, Origin] = field(default_factory=dict, compare=False)  # where each colour was set
    # Per language or script (zh-Hans, ko, Arab...): the families tried in order for a character.
    language_fonts: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # The clinic's notice that language help is available: one line per language, each in that language.
    language_assistance: tuple[tuple[str, Text], ...] = ()
    assistance_on_handouts: bool = False  # print the lines on each handout's last page too (always on bundle covers)
    language_assistance_origin: Origin | None = field(default=None, compare=False)

    @property
    def frame_width(self) -> float:
        return self.page_width - self.margin_left - self.margin_right

    def font_chain(self, lang: str, heading: bool = False) -> tuple[str, ...]:
        """The families that draw text in ``lang``, first choice first; the layout's own font is tried last."""
        from .i18n.languages import font_keys

        named = dict(self.language_fonts)
        chosen = next((named[key] for key in font_keys(lang) if key in named), ())
        last = self.heading_font if heading else self.body_font
        return tuple(dict.fromkeys((*chosen, last)))


# Placeholders a header or footer may use.
PLACEHOLDERS = (
    "title", "page", "pages", "page_of", "id", "reviewed", "next_review", "lang",
    "clinic", "clinic_phone", "clinic_website",
)


def handout_texts(handout: Handout) -> Iterator[Text]:
    """Every printed text of a handout: title, summary, body and sources."""
    from .blocks import block_texts

    yield from (t for t in (handout.title, handout.subtitle, handout.summary) if t is not None)
    for block in handout.body:
        yield from block_texts(block)
    for source in handout.sources:
        yield source.title
        yield source.publisher


def layout_texts(layout: Layout) -> Iterator[Text]:
    yield from layout.header
    yield from layout.footer
    clinic = layout.clinic
    yield from (t for t in (clinic.name, clinic.phone, clinic.address, clinic.website) if t is not None)




# --- programs (bundles) -------------------------------------------------------


@dataclass(frozen=True)
class Insert:
    """A PDF of the clinic's own (a consent form, say) placed in a bundle."""

    id: str
    path: Path
    title: Text
    page_count: int  # counted when the insert was checked, so a build need not parse it again
    after: str | None = None  # the handout it follows; None puts it at the end
    accessible: bool = False  # tagged and claiming PDF/UA itself: its tags are grafted and the bundle stays PDF/UA


@dataclass(frozen=True)
class Program:
    id: str
    file: Path
    title: Text
    subtitle: Text | None
    handouts: tuple[str, ...]
    inserts: tuple[Insert, ...]
    layout: str | None
    duplex: bool


@dataclass(frozen=True)
class ProgramText:
    """What a bundle prints of its program, in one language."""

    lang: str
    title: Text
    subtitle: Text | None
    insert_titles: dict[str, Text]
