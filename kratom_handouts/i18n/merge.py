"""Source handout + translations -> the document to print, unit by unit, and what state each unit is in.

Merging works on located YAML nodes, before validation, so that an error in a
translated block is reported in the translation file at the translator's line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import validate
from ..errors import ContentError, Diagnostics, Origin, Problem
from ..load import Mapping, Node, Sequence, load_file
from ..model import TranslationReview
from ..validate import Reader, did_you_mean
from .units import HEADER_UNITS, block_type, block_units, handout_units, unit_hash

TRANSLATION_FIELDS = ("id", "todo", "review", "translated_from", "translation_review", "review_notes", "sources",
                      *HEADER_UNITS, "body")


@dataclass(frozen=True)
class Translation:
    """One language's file for one handout."""

    lang: str
    file: Path
    node: Mapping
    units: dict[str, Node]
    todo: frozenset[str]  # units not translated yet (the translator deletes names as they go)
    review: frozenset[str]  # units whose English changed since they were translated
    hashes: dict[str, str]  # unit -> hash of the English it was translated from
    record: TranslationReview = TranslationReview()  # who translated it and who checked it (nobody yet, if absent)


def _names(reader: Reader, node: Mapping, key: str) -> frozenset[str]:
    value = node.entries.get(key)
    if value is None:
        return frozenset()
    names = []
    for item in reader.sequence(value, key, min_items=0):
        scalar = reader.scalar(item, f"{key} item")
        if scalar is not None:
            names.append(scalar.text)
    return frozenset(names)


def read_translation(file: Path, lang: str, project_root: Path, report: Diagnostics) -> Translation:
    reader = Reader(project_root)
    node = load_file(file)
    m = reader.mapping(node, "the translation", TRANSLATION_FIELDS)
    if m is None:
        raise ContentError(reader.problems)
    hashes: dict[str, str] = {}
    recorded = m.entries.get("translated_from")
    if recorded is not None and not isinstance(recorded, Mapping):
        reader.error(recorded.origin,
                     "translated_from must be a mapping of part names to hashes; let 'i18n update' write it")
    elif recorded is not None:
        for name, value in recorded.entries.items():
            scalar = reader.scalar(value, f"translated_from {name}")
            if scalar is not None:
                hashes[name] = scalar.text
    if "id" in m.entries:  # optional in a translation (the file's name says which handout), but if given, right
        reader.file_id(m, file)
    _check_parts(reader, m)
    validate.check_unique_ids(reader, m)  # a second block with an id would be lost by 'i18n update'
    record = reader.optional(m, "translation_review", lambda n, w: validate.translation_review(reader, n, w),
                             "translation_review")
    translation = Translation(lang, file, m, handout_units(m), _names(reader, m, "todo"), _names(reader, m, "review"),
                              hashes, record or TranslationReview())
    return reader.done(translation, report)


def _check_parts(reader: Reader, m: Mapping) -> None:
    """Every part is checked, even one still under todo, so a typo shows up where it was typed."""
    for name in ("title", "subtitle", "summary"):
        reader.optional(m, name, reader.text, name)
    reader.optional(m, "keywords", lambda n, w: reader.each(n, w, reader.text), "keywords")
    body = m.entries.get("body")
    if body is not None:
        for number, item in enumerate(reader.sequence(body, "body", min_items=0), 1):
            validate.block(reader, item, f"body item {number}")


@dataclass(frozen=True)
class UnitState:
    unit: str
    state: str  # translated, missing, stale, extra, inherited
    origin: Origin
    reason: str = ""


@dataclass(frozen=True)
class Merged:
    node: Mapping
    file: Path
    states: tuple[UnitState, ...]
    foreign: tuple[tuple[str, str], ...] = field(default=())

    def named(self, state: str) -> list[UnitState]:
        return [unit for unit in self.states if unit.state == state]


def unit_state(name: str, source_unit: Node, translation: Translation) -> tuple[str, str]:
    """translated or stale, with the reason when stale."""
    if name in translation.review:
        return "stale", "the English changed since it was translated (listed under review)"
    recorded = translation.hashes.get(name)
    if recorded is None:
        return "stale", "no record of the English it was translated from (run 'kratom-handouts i18n update')"
    if recorded != unit_hash(source_unit):
        return "stale", "the English has changed since it was translated"
    return "translated", ""


def merge(source: Mapping, source_lang: str, translations: list[Translation]) -> Merged:
    """Each source unit from the most specific translation that has it done, else from the source.

    ``translations`` run from most specific (es-MX) to most general (es).
    """
    own = translations[0]
    states: list[UnitState] = []
    foreign: list[tuple[str, str]] = []
    chosen: dict[str, Node] = {}
    problems: list[Problem] = []
    source_units = handout_units(source)
    for listed, names in (("todo", own.todo), ("review", own.review)):
        for name in sorted(names - set(source_units)):
            states.append(UnitState(name, "note", own.node.origin, f"is listed under {listed}, but the handout has "
                                    f"no part called so{did_you_mean(name, set(source_units) - names)}"))
    for name, source_unit in source_units.items():
        done = next((t for t in translations if name in t.units and name not in t.todo), None)
        if name in own.todo and name in own.units and unit_hash(own.units[name]) != unit_hash(source_unit):
            states.append(UnitState(name, "note", own.units[name].origin, "is listed under todo but is no longer "
                                    "the English: if it is translated, delete it from todo"))
        elif done is own and unit_hash(own.units[name]) == unit_hash(source_unit) and _has_words(source_unit):
            states.append(UnitState(name, "note", own.units[name].origin, "is not under todo but is still the "
                                    "English text: translate it (or, if your language says it the same way, "
                                    "leave it)"))
        if done is None:
            where = own.units[name].origin if name in own.units else own.node.origin
            states.append(UnitState(name, "missing", where,
                                    "still to do" if name in own.todo else "not in the translation"))
            foreign.append((name, source_lang))
            chosen[name] = source_unit
            continue
        unit = done.units[name]
        if block_type(unit) != block_type(source_unit) and name not in HEADER_UNITS:
            source_type = block_type(source_unit) or "block of no known type"
            problems.append(Problem(unit.origin, f"block '{name}' is a {source_type} in the source but a "
                                                 f"{block_type(unit) or 'different thing'} here; "
                                                 "keep the same block type"))
            continue
        state, reason = unit_state(name, source_unit, done)
        if done is not own:
            foreign.append((name, done.lang))
            state = "inherited" if state == "translated" else state
        states.append(UnitState(name, state, unit.origin, reason))
        chosen[name] = unit
    for name, unit in own.units.items():
        if name not in source_units:
            hint = did_you_mean(name, set(source_units) - set(own.units))
            states.append(UnitState(name, "extra", unit.origin, f"not in the source handout; it is ignored{hint}"))
    if problems:
        raise ContentError(problems)
    return Merged(_document(source, chosen, own), own.file, tuple(states), tuple(foreign))


def _has_words(unit: Node) -> bool:
    """Whether a unit holds words to translate (not only numbers, names of drugs, or a phone number)."""
    import json
    import re

    from .units import plain

    text = json.dumps(plain(unit), ensure_ascii=False)
    return len(re.findall(r"[^\W\d_]{4,}", text)) >= 3


def _document(source: Mapping, chosen: dict[str, Node], own: Translation) -> Mapping:
    entries = dict(source.entries)
    key_origins = dict(source.key_origins)
    for name in HEADER_UNITS:
        if name in chosen:
            entries[name] = chosen[name]
    body = source.entries.get("body")
    if isinstance(body, Sequence):
        names = list(block_units(body))
        entries["body"] = Sequence(tuple(chosen[name] for name in names if name in chosen), body.origin)
    if "sources" in own.node.entries:
        entries["sources"] = own.node.entries["sources"]
    return Mapping(entries, key_origins, Origin(own.file, 1, 1))


