"""Located YAML nodes -> typed model objects, with every problem found at once.

A ``Reader`` walks the node tree the loader made. Each method checks one kind
of value and, when it is wrong, records a problem at that value's own line and
column and returns None, so that one run reports every mistake in a file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path, PurePath
from typing import TypeVar

from . import assets, inline, phones
from .blocks import BLOCK_TYPES, Block, block_key, read_block
from .errors import ContentError, Diagnostics, Origin, Problem
from .load import Mapping, Node, Scalar, Sequence, kind_of
from .model import LABEL_DEFAULTS, ClinicalReview, Handout, Labels, Source, Text, TranslationReview, auto_block_id
from .placeholders import placeholder_problem
from .project import SOURCE_LANGUAGE

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
WINDOWS_RESERVED = re.compile(r"^(?:con|prn|aux|nul|com[0-9]|lpt[0-9])\Z")  # an output named so cannot be made there
MAX_ID_LENGTH = 100  # file systems allow 255 bytes; a temporary file's name adds about 20
LENGTH = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(pt|mm|cm|in)?\s*\Z")
POINTS_PER_UNIT = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0, None: 1.0}
# Format characters that keep their meaning in real text: soft hyphen, zero-width (non-)joiner.
KEPT_FORMAT_CHARACTERS = {"\u00ad", "\u200c", "\u200d"}
# Invisible characters outside the format category (Cf), removed like it: the combining grapheme joiner, the
# Hangul fillers, the Khmer inherent vowels and the Mongolian vowel separator and free variation selectors,
# which print nothing and can hide a difference between two words. Variation selectors U+FE00-FE0F stay:
# they choose a Chinese character's form.
INVISIBLE_CHARACTERS = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180e\u180f\u3164\uffa0")
# Characters that say something was lost before the text reached us; printed, they are a box or a question mark.
LOST_TEXT_MARKERS = {
    "\ufffc": "it stands for a picture or object lost when the text was copied",
    "\ufffd": "it marks text damaged when it was saved in another encoding",
}

# Printable characters that _clean still takes out or refuses; anything else it touches is not printable.
_PRINTABLE_BUT_CLEANED = re.compile("[" + "".join(sorted(INVISIBLE_CHARACTERS | set(LOST_TEXT_MARKERS))) + "]")


def needs_no_cleaning(text: str) -> bool:
    """Whether ``Validator._clean`` would fold, drop and refuse nothing in ``text`` but runs of spaces."""
    return text.isprintable() and not _PRINTABLE_BUT_CLEANED.search(text)


T = TypeVar("T")


def _refused_character(char: str) -> str:
    if char in LOST_TEXT_MARKERS:
        return (f"U+{ord(char):04X} ({unicodedata.name(char)}) is in the text: {LOST_TEXT_MARKERS[char]}; "
                "put back what was meant, or remove it")
    return (f"U+{ord(char):04X} is not a character of Unicode {unicodedata.unidata_version} (a newer one, or none "
            "at all): remove it")


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice the word most likely meant: a near spelling (in any case), the id of a file given by its path
    (handouts/en/overdose.yaml), or a language code given without its region or script (zh for zh-Hans)."""
    choices = sorted(choices)
    stem = PurePath(word).stem if "/" in word or word.endswith((".yaml", ".yml")) else None
    if stem in choices:
        return stem
    longer = [choice for choice in choices if choice.lower().startswith(word.lower() + "-")]
    if len(longer) == 1:
        return longer[0]
    close = (difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
             or difflib.get_close_matches(word.lower(), choices, n=1, cutoff=0.6))
    return close[0] if close else None


def did_you_mean(word: str, choices: Iterable[str], listed_as: str = "expected one of") -> str:
    """ (did you mean 'x'?), or the list of the choices."""
    choices = sorted(choices)
    close = closest(word, choices)
    if close:
        return f" (did you mean '{close}'?)"
    if not choices:  # nothing to choose from (a project with no handouts yet): say so, not an empty list
        return "; there are none yet"
    return f"; {listed_as}: {', '.join(choices)}"


class Reader:
    """Checks values one at a time and keeps the problems it finds."""

    def __init__(self, project_root: Path):
        self.project_root = project_root
        self.problems: list[Problem] = []

    def error(self, origin: Origin, message: str) -> None:
        self.problems.append(Problem(origin, message))

    def warn(self, origin: Origin, message: str) -> None:
        self.problems.append(Problem(origin, message, "warning"))

    def done(self, value: T, report: Diagnostics) -> T:
        """The value, or ContentError if any error was recorded; the warnings go to ``report``."""
        if any(p.is_error for p in self.problems):
            raise ContentError(self.problems)
        report.extend(self.problems)
        return value

    # --- structure ----------------------------------------------------------

    def mapping(self, node: Node, what: str, allowed: Iterable[str], required: Iterable[str] = ()) -> Mapping | None:
        if not isinstance(node, Mapping):
            self.error(node.origin, f"{what} must be a mapping of fields, found {kind_of(node)}")
            return None
        allowed = set(allowed)
        for key, origin in node.key_origins.items():
            if key not in allowed:
                self.error(origin, f"unknown field '{key}' in {what}{did_you_mean(key, allowed)}")
        for key in required:
            if key not in node.entries:
                self.error(node.origin, f"{what} is missing the required field '{key}'")
        return node

    def sequence(self, node: Node, what: str, min_items: int = 1) -> tuple[Node, ...]:
        if not isinstance(node, Sequence):
            self.error(node.origin, f"{what} must be a list, found {kind_of(node)}")
            return ()
        if len(node.items) < min_items:
            self.error(node.origin, f"{what} must have at least {min_items} item(s)")
        return node.items

    def each(self, node: Node, what: str, read: Callable[[Node, str], T | None], min_items: int = 1) -> tuple[T, ...]:
        values = [read(item, f"{what} item {i}") for i, item in enumerate(self.sequence(node, what, min_items), 1)]
        return tuple(v for v in values if v is not None)

    # --- scalars ------------------------------------------------------------

    def scalar(self, node: Node, what: str) -> Scalar | None:
        if not isinstance(node, Scalar):
            self.error(node.origin, f"{what} must be a single value, found {kind_of(node)}")
            return None
        if node.plain and node.tag == "null":
            self.error(node.origin, f"{what} is empty")
            return None
        return node

    def text(self, node: Node, what: str) -> Text | None:
        """Printed text. A plain ``no`` or ``on`` stays text; a bare number is refused."""
        scalar = self.scalar(node, what)
        if scalar is None:
            return None
        if scalar.plain and scalar.tag in ("int", "float"):
            self.error(node.origin, f"{what} must be text, found a number (put it in quotes if it is meant as text)")
            return None
        value = self._clean(scalar)
        if not value:
            self.error(node.origin, f"{what} is empty")
            return None
        if inline.unclosed_bold(value):
            self.error(node.origin, f"{what} has a '**' that starts bold text and is never closed, so the stars would "
                                    "print: put '**' after the last word to be bold, or remove it")
        for href in inline.links(value):
            if not inline.is_safe_url(href):
                self.error(node.origin,
                           f"{what} has a link to '{href}': links must start with https:, http:, mailto: or tel:")
            elif href.lower().startswith("tel:"):
                problem = phones.dialled(href[4:])[1]
                if problem:
                    self.error(node.origin, f"{what} has a phone link that cannot dial as written: {problem}")
        return Text(value, node.origin)

    def _clean(self, scalar: Scalar) -> str:
        """Fold line breaks, and drop control and bidi-override characters with a warning."""
        if needs_no_cleaning(scalar.text):
            return " ".join(scalar.text.split())  # most text, at C speed: the loop below would give the same
        kept: list[str] = []
        refused: set[str] = set()  # each refused character once per text
        for char in scalar.text:
            category = unicodedata.category(char)
            if char in "\n\t\r":
                kept.append(" ")
            elif (category == "Cc" or (category == "Cf" and char not in KEPT_FORMAT_CHARACTERS)
                  or char in INVISIBLE_CHARACTERS):
                name = unicodedata.name(char, "control character")
                self.warn(scalar.origin, f"removed the invisible character U+{ord(char):04X} ({name})")
            elif category == "Cn" or char in LOST_TEXT_MARKERS:  # no font has a glyph for the first kind
                if char not in refused:
                    refused.add(char)
                    self.error(scalar.origin, _refused_character(char))
            else:
                kept.append(char)
        return " ".join("".join(kept).split())

    def url(self, node: Node, what: str) -> Text | None:
        text = self.text(node, what)
        if text is not None and not text.value.lower().startswith(("https://", "http://")):
            self.error(node.origin, f"{what} must be a web address starting with https:// or http://")
            return None
        return text

    def slug(self, node: Node, what: str) -> str | None:
        scalar = self.scalar(node, what)
        if scalar is None:
            return None
        if not SLUG.match(scalar.text):
            self.error(node.origin, f"{what} '{scalar.text}' must be a slug: lowercase letters, digits and hyphens")
            return None
        return scalar.text

    def date(self, node: Node, what: str) -> dt.date | None:
        scalar = self.scalar(node, what)
        if scalar is None:
            return None
        try:
            return dt.date.fromisoformat(scalar.text.strip())
        except ValueError:
            self.error(node.origin, f"{what} must be a date written YYYY-MM-DD, found '{scalar.text}'")
            return None

    def integer(self, node: Node, what: str, low: int, high: int) -> int | None:
        value = self._number(node, what, low, high, int, "a whole number")
        return None if value is None else int(value)

    def number(self, node: Node, what: str, low: float, high: float) -> float | None:
        return self._number(node, what, low, high, float, "a number")

    def _number(self, node: Node, what: str, low: float, high: float, parse: Callable[[str], float],
                kind: str) -> float | None:
        scalar = self.scalar(node, what)
        if scalar is None:
            return None
        try:
            value = parse(scalar.text)
        except ValueError:
            self.error(node.origin, f"{what} must be {kind}, found '{scalar.text}'")
            return None
        if not low <= value <= high:
            self.error(node.origin, f"{what} must be between {low:g} and {high:g}, found {value:g}")
            return None
        return value

    def length(self, node: Node, what: str, high_pt: float = 2000) -> float | None:
        """A length such as ``20mm``, ``0.75in`` or ``54pt`` (a bare number is points), in points."""
        scalar = self.scalar(node, what)
        if scalar is None:
            return None
        match = LENGTH.match(scalar.text)
        if not match:
            self.error(node.origin, f"{what} must be a length such as 20mm, 0.75in or 54pt, found '{scalar.text}'")
            return None
        points = float(match.group(1)) * POINTS_PER_UNIT[match.group(2)]
        if points > high_pt:
            self.error(node.origin, f"{what} is too large ({scalar.text})")
            return None
        return points

    def choice(self, node: Node, what: str, choices: Iterable[str]) -> str | None:
        scalar = self.scalar(node, what)
        if scalar is None:
            return None
        if scalar.text not in choices:
            self.error(node.origin, f"{what} '{scalar.text}' is not known{did_you_mean(scalar.text, choices)}")
            return None
        return scalar.text

    def boolean(self, node: Node, what: str) -> bool | None:
        scalar = self.scalar(node, what)
        if scalar is None:
            return None
        if scalar.text in ("true", "false"):
            return scalar.text == "true"
        self.error(node.origin, f"{what} must be true or false, found '{scalar.text}'")
        return None

    def project_file(self, node: Node, what: str) -> Path | None:
        scalar = self.scalar(node, what)
        if scalar is None:
            return None
        path, problem = assets.resolve_in_project(scalar.text, self.project_root)
        if problem:
            self.error(node.origin, f"{what}: {problem}")
        return path

    def image(self, node: Node, what: str) -> Path | None:
        path = self.project_file(node, what)
        if path is not None:
            problem = assets.image_problem(path)
            if problem:
                self.error(node.origin, f"{what}: {problem}")
                return None
        return path

    def file_id(self, mapping: Mapping, file: Path) -> str | None:
        """The ``id`` field, which must be a slug equal to the file's name, and usable as a file name everywhere."""
        found = self.optional(mapping, "id", self.slug, "id")
        if found is None:
            return None
        origin = mapping.entries["id"].origin
        if found != file.stem:
            self.error(origin, f"id '{found}' must match the file name '{file.stem}'")
        if WINDOWS_RESERVED.match(found):
            self.error(origin, f"id '{found}' cannot be a file name on Windows (CON, PRN, AUX, NUL, "
                               "COM1-COM9 and LPT1-LPT9 are reserved there): choose another")
        if len(found) > MAX_ID_LENGTH:
            self.error(origin, f"id '{found[:20]}...' is {len(found)} characters long; the limit is {MAX_ID_LENGTH}, "
                               "so that its files can be written on every file system")
        return found

    def optional(self, mapping: Mapping, key: str, read: Callable[[Node, str], T | None], what: str) -> T | None:
        node = mapping.entries.get(key)
        return None if node is None else read(node, what)


# --- handouts -----------------------------------------------------------------

HANDOUT_FIELDS = ("id", "title", "subtitle", "summary", "updated", "next_review", "clinical_review", "target_grade",
                  "keywords", "sources", "review_notes", "body")
HANDOUT_REQUIRED = ("id", "title", "summary", "updated", "next_review", "sources", "body")
CLINICAL_REVIEW_FIELDS = ("by", "date")
TRANSLATION_REVIEW_FIELDS = ("translated_by", "reviewed_by", "date")
# A field renamed when review records came in: what to write instead.
RENAMED_FIELDS = {
    "reviewed": "'reviewed' is now 'updated' (the date the text last changed); "
                "once a clinician has reviewed the handout, "
                "add 'clinical_review' with 'by' (name and role) and 'date'",
}


def _source(reader: Reader, node: Node, what: str) -> Source | None:
    m = reader.mapping(node, what, ("title", "publisher", "year", "url"), ("title", "publisher"))
    if m is None or not all(k in m.entries for k in ("title", "publisher")):
        return None
    title = reader.text(m.entries["title"], f"{what} title")
    publisher = reader.text(m.entries["publisher"], f"{what} publisher")
    year = reader.optional(m, "year", lambda n, w: reader.integer(n, w, 1900, 2100), f"{what} year")
    url = reader.optional(m, "url", reader.url, f"{what} url")
    if title is None or publisher is None:
        return None
    return Source(title, publisher, year, url)


def _block(reader: Reader, node: Node, what: str) -> Block | None:
    if not isinstance(node, Mapping):
        reader.error(node.origin, f"{what} must be a mapping such as 'paragraph: ...', found {kind_of(node)}")
        return None
    types = [key for key in node.entries if key in BLOCK_TYPES]
    for key, origin in node.key_origins.items():
        if key not in BLOCK_TYPES and key != "id":
            reader.error(origin, f"unknown field '{key}' in {what}{did_you_mean(key, (*BLOCK_TYPES, 'id'))}")
    if len(types) != 1:
        if not types and all(k in (*BLOCK_TYPES, "id") for k in node.entries):
            reader.error(node.origin, f"{what} has no block type; give one of: {', '.join(BLOCK_TYPES)}")
        elif len(types) > 1:
            reader.error(node.origin,
                         f"{what} has more than one block type ({', '.join(types)}); give each its own '-' item")
        return None
    block_type = types[0]
    block_id = reader.optional(node, "id", reader.slug, f"{what} id")
    value = node.entries[block_type]
    return read_block(reader, block_type, value, f"{block_type} ({what})", block_id)


def block(reader: Reader, node: Node, what: str) -> Block | None:
    """One body block, checked like any handout's (translations use this for every part, done or not)."""
    return _block(reader, node, what)


def clinical_review(reader: Reader, node: Node, what: str = "clinical_review") -> ClinicalReview | None:
    m = reader.mapping(node, what, CLINICAL_REVIEW_FIELDS, CLINICAL_REVIEW_FIELDS)
    if m is None or not all(key in m.entries for key in CLINICAL_REVIEW_FIELDS):
        return None
    by = reader.text(m.entries["by"], f"{what} by")
    date = reader.date(m.entries["date"], f"{what} date")
    return None if by is None or date is None else ClinicalReview(by, date)


def translation_review(reader: Reader, node: Node, what: str = "translation_review") -> TranslationReview | None:
    m = reader.mapping(node, what, TRANSLATION_REVIEW_FIELDS)
    if m is None:
        return None
    translated_by = reader.optional(m, "translated_by", reader.text, f"{what} translated_by")
    reviewed_by = reader.optional(m, "reviewed_by", reader.text, f"{what} reviewed_by")
    date = reader.optional(m, "date", reader.date, f"{what} date")
    if reviewed_by is not None and date is None:
        reader.error(m.origin, f"{what} names who reviewed the translation but not when: add 'date'")
    return TranslationReview(translated_by, reviewed_by, date)


def _renamed_fields(reader: Reader, node: Node) -> Node:
    """Old field names get a message that says what to write now; the node is returned without them."""
    if not isinstance(node, Mapping) or not any(key in node.entries for key in RENAMED_FIELDS):
        return node
    for key, hint in RENAMED_FIELDS.items():
        if key in node.key_origins:
            reader.error(node.key_origins[key], hint)
    entries = {k: v for k, v in node.entries.items() if k not in RENAMED_FIELDS}
    origins = {k: v for k, v in node.key_origins.items() if k not in RENAMED_FIELDS}
    return Mapping(entries, origins, node.origin)


def handout(node: Node, file: Path, lang: str, project_root: Path, report: Diagnostics,
            translation: TranslationReview | None = None) -> Handout:
    """A validated handout, or ContentError with every problem in the file.

    ``translation`` is the translation's own review record, for a handout in another language than the source.
    """
    reader = Reader(project_root)
    node = _renamed_fields(reader, node)
    m = reader.mapping(node, "the handout", HANDOUT_FIELDS, HANDOUT_REQUIRED)
    if m is None:
        raise ContentError(reader.problems)
    e = m.entries
    handout_id = reader.file_id(m, file)
    title = reader.optional(m, "title", reader.text, "title")
    subtitle = reader.optional(m, "subtitle", reader.text, "subtitle")
    summary = reader.optional(m, "summary", reader.text, "summary")
    updated = reader.optional(m, "updated", reader.date, "updated")
    next_review = reader.optional(m, "next_review", reader.date, "next_review")
    if updated and next_review and next_review <= updated:
        reader.error(e["next_review"].origin, "next_review must come after updated")
    review = reader.optional(m, "clinical_review", lambda n, w: clinical_review(reader, n, w), "clinical_review")
    if review is not None and updated is not None and review.date < updated:
        reader.warn(e["clinical_review"].origin, f"the clinical review ({review.date}) is older than the text (updated "
                                                 f"{updated}), so the handout prints as a draft "
                                                 "until it is reviewed again")
        review = None
    target_grade = reader.optional(m, "target_grade", lambda n, w: reader.number(n, w, 1, 16), "target_grade")
    keywords = reader.optional(m, "keywords", lambda n, w: reader.each(n, w, reader.text), "keywords") or ()
    sources = reader.optional(m, "sources", lambda n, w: reader.each(n, w, lambda s, sw: _source(reader, s, sw)),
                              "sources") or ()
    body: tuple[Block, ...] = reader.optional(
        m, "body", lambda n, w: reader.each(n, w, lambda b, bw: _block(reader, b, bw)), "body") or ()
    body = _with_ids(body)
    check_unique_ids(reader, node)
    return reader.done(
        Handout(
            id=handout_id or file.stem, lang=lang, file=file, title=title, subtitle=subtitle,  # type: ignore[arg-type]
            summary=summary, updated=updated, next_review=next_review,  # type: ignore[arg-type]
            keywords=tuple(k.value for k in keywords), sources=sources, body=body, target_grade=target_grade,
            clinical_review=review, translation_review=translation,
            dates_at=tuple((name, e[name].origin) for name in ("updated", "next_review", "clinical_review")
                           if name in e),
        ),
        report,
    )


def _with_ids(body: tuple[Block, ...]) -> tuple[Block, ...]:
    """Blocks given no id get one from their type and position, so translations can match them."""
    counts: dict[str, int] = {}
    named = []
    for block in body:
        kind = block_key(block)
        counts[kind] = counts.get(kind, 0) + 1
        named.append(block if block.id else dataclasses.replace(block, id=auto_block_id(kind, counts[kind])))
    return tuple(named)


def check_unique_ids(reader: Reader, node: Node) -> None:
    if not isinstance(node, Mapping) or not isinstance(node.entries.get("body"), Sequence):
        return
    seen: dict[str, Origin] = {}
    for block in node.entries["body"].items:  # type: ignore[union-attr]
        id_node = block.entries.get("id") if isinstance(block, Mapping) else None
        if isinstance(id_node, Scalar):
            if id_node.text in seen:
                reader.error(id_node.origin,
                             f"block id '{id_node.text}' is used twice (first on line {seen[id_node.text].line})")
            seen.setdefault(id_node.text, id_node.origin)


# --- labels -------------------------------------------------------------------

LABEL_PLACEHOLDERS = {"page_of": ("page", "pages"), "reading_grade": ("grade",), "reviewed_by": ("by", "date"),
                      "translated_by": ("by",), "translation_draft_by": ("by",),
                      "translation_reviewed_by": ("by", "date")}


def labels(node: Node | None, file: Path, lang: str, fallback: Labels | None,
           report: Diagnostics) -> Labels:
    """The words a layout prints, in one language; keys not given (or still under ``todo``) come from the fallback."""
    reader = Reader(file.parent)
    if node is None:
        node = Mapping({}, {}, Origin(file))
    m = reader.mapping(node, "the labels", (*LABEL_DEFAULTS, "todo"))
    if m is None:
        raise ContentError(reader.problems)
    values = dict(fallback.values) if fallback else {k: Text(v, Origin(file)) for k, v in LABEL_DEFAULTS.items()}
    todo = set(reader.optional(m, "todo", lambda n, w: reader.each(n, w, reader.text, min_items=0), "todo") or ())
    todo_names = {t.value for t in todo}
    for key, value_node in m.entries.items():
        if key not in LABEL_DEFAULTS or key in todo_names:
            continue
        text = reader.text(value_node, f"label '{key}'")
        if text is None:
            continue
        problem = placeholder_problem(text.value, LABEL_PLACEHOLDERS.get(key, ()))
        if problem:
            reader.error(value_node.origin, f"label '{key}' {problem}")
        values[key] = text
    untranslated = sorted(key for key in LABEL_DEFAULTS if key in todo_names
                          or (fallback is not None and key not in m.entries))
    if untranslated and fallback is not None and fallback.lang == SOURCE_LANGUAGE != lang:
        reader.warn(m.origin, f"labels not translated yet, printed in '{fallback.lang}': {', '.join(untranslated)}")
    return reader.done(Labels(lang, values), report)
