"""``i18n init`` and ``i18n update``: translator-ready files that follow the source handouts.

A translation file holds the same units as its source, with the source text
in place until it is translated. ``todo`` lists the units still to translate
(the translator deletes each name when done); ``review`` lists units whose
source changed after they were translated; ``translated_from`` records the
hash of the source each unit was translated from. Files are rewritten whole:
translations are kept, YAML comments are not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import ContentError, Origin, Problem
from ..load import Mapping, load_file
from ..model import LABEL_DEFAULTS
from ..output import write_atomic
from ..project import LABELS_FILE, SOURCE_LANGUAGE, Project
from .languages import language_problem
from .merge import read_translation
from .units import handout_units, plain, unit_hash

HEADER = """\
# yaml-language-server: $schema=../../schemas/translation.schema.json
# Translation of handouts/{source}/{id}.yaml into {lang}.
# Translate the text of each part. When a part is done, delete its name from
# `todo` (and from `review`, once you have checked a changed part).
# Keep ids, `kind`, links' addresses and phone numbers as they are.
# Do not edit `translated_from`: `kratom-handouts i18n update` keeps it.
"""


# Parts of a translation file that are the translator's own, not copies of source units: kept as they are.
KEPT_AS_WRITTEN = ("translation_review", "review_notes", "sources")


@dataclass
class SyncReport:
    written: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)  # existing files init left alone
    added: dict[str, list[str]] = field(default_factory=dict)  # handout -> units added (source text, to do)
    removed: dict[str, list[str]] = field(default_factory=dict)
    marked_stale: dict[str, list[str]] = field(default_factory=dict)


def _dump(document: dict[str, Any], header: str) -> bytes:
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=88, default_flow_style=False)
    return (header + text).encode("utf-8")


def _source_units(project: Project, handout_id: str) -> dict[str, Any]:
    node = load_file(project.handout_files(SOURCE_LANGUAGE)[handout_id])
    return handout_units(node)


def _document(handout_id: str, units: dict[str, Any], values: dict[str, Any], todo: list[str], review: list[str],
              hashes: dict[str, str], extra: dict[str, Any]) -> dict[str, Any]:
    document: dict[str, Any] = {"id": handout_id, "todo": todo}
    if review:
        document["review"] = review
    document["translated_from"] = hashes
    for name in ("title", "subtitle", "summary", "keywords"):
        if name in units:
            document[name] = values[name]
    document["body"] = [values[name] for name in units if name not in ("title", "subtitle", "summary", "keywords")]
    document.update(extra)
    return document


def _require_language(lang: str) -> None:
    problem = language_problem(lang)
    if problem:
        raise ContentError([Problem(Origin(Path("handouts") / lang), problem)])
    if lang == SOURCE_LANGUAGE:
        raise ContentError([Problem(Origin(Path("handouts") / lang),
                                    f"'{lang}' is the source language; it is not translated")])


def init_language(project: Project, lang: str) -> SyncReport:
    """Write a to-do translation of every source handout, the labels and program titles; existing files are kept."""
    _require_language(lang)
    report = SyncReport()
    folder = project.handouts_dir / lang
    for handout_id in project.handout_files(SOURCE_LANGUAGE):
        target = folder / f"{handout_id}.yaml"
        if target.exists():
            report.skipped.append(target)
        else:
            _new_translation(project, handout_id, lang, target, report)
    builders: tuple[tuple[str, Callable[[], tuple[dict[str, Any], str]]], ...] = (
        (LABELS_FILE, lambda: _labels_document(project)), ("_programs.yaml", lambda: _programs_document(project)))
    for name, build in builders:
        target = folder / name
        if target.exists():
            report.skipped.append(target)
        else:
            document, header = build()
            write_atomic(target, _dump(document, header))
            report.written.append(target)
    return report


def _new_translation(project: Project, handout_id: str, lang: str, target: Path, report: SyncReport) -> None:
    units = _source_units(project, handout_id)
    values = {name: plain(node) for name, node in units.items()}
    document = _document(handout_id, units, values, list(units), [], {n: unit_hash(u) for n, u in units.items()}, {})
    write_atomic(target, _dump(document, HEADER.format(source=SOURCE_LANGUAGE, id=handout_id, lang=lang)))
    report.written.append(target)
    report.added[handout_id] = list(units)


def _labels_document(project: Project) -> tuple[dict[str, Any], str]:
    source = project.labels_file(SOURCE_LANGUAGE)
    values = dict(LABEL_DEFAULTS)
    if source.is_file():
        node = load_file(source)
        if isinstance(node, Mapping):
            values.update({k: plain(v) for k, v in node.entries.items() if k in LABEL_DEFAULTS})
    header = ("# The words layouts print around the content. Translate each value;\n"
              "# keep {page} and {pages}. Delete a name from `todo` when it is done.\n")
    return {"todo": list(values), **values}, header


def _programs_document(project: Project) -> tuple[dict[str, Any], str]:
    from ..programs import program_files

    document: dict[str, Any] = {"todo": []}
    for program_id, file in program_files(project).items():
        node = load_file(file)
        if not isinstance(node, Mapping):
            continue
        entry: dict[str, Any] = {key: plain(node.entries[key]) for key in ("title", "subtitle") if key in node.entries}
        inserts = node.entries.get("inserts")
        titles = {plain(i.entries["id"]): plain(i.entries["title"]) for i in getattr(inserts, "items", ())
                  if isinstance(i, Mapping) and "id" in i.entries and "title" in i.entries}
        if titles:
            entry["inserts"] = titles
        document[program_id] = entry
        document["todo"].append(program_id)
    header = "# Program titles as the bundles print them. Delete a program from `todo` when it is translated.\n"
    return document, header


def _update_keyed_file(project: Project, lang: str, name: str, build: Callable[[], tuple[dict[str, Any], str]],
                       report: SyncReport) -> None:
    """Labels or program titles: add what the source has gained (to do), drop what it lost, keep the rest."""
    target = project.handouts_dir / lang / name
    source, header = build()
    if not target.is_file():
        write_atomic(target, _dump(source, header))
        report.written.append(target)
        return
    node = load_file(target)
    current = plain(node) if isinstance(node, Mapping) else {}
    todo = [key for key in current.get("todo", []) if key in source]
    document: dict[str, Any] = {"todo": todo}
    added = []
    for key, value in source.items():
        if key == "todo":
            continue
        if key in current:
            document[key] = current[key]
        else:
            document[key] = value
            todo.append(key)
            added.append(key)
    removed = [key for key in current if key not in source and key != "todo"]
    if added or removed:
        write_atomic(target, _dump(document, header))
        report.written.append(target)
        if added:
            report.added[name] = added
        if removed:
            report.removed[name] = removed


def update_language(project: Project, lang: str) -> SyncReport:
    """Bring every translation in ``lang`` up to date with its source, keeping all translated text."""
    _require_language(lang)
    report = SyncReport()
    source_ids = project.handout_files(SOURCE_LANGUAGE)
    translated = project.handout_files(lang)
    for handout_id in source_ids:
        if handout_id not in translated:
            _new_translation(project, handout_id, lang, project.handouts_dir / lang / f"{handout_id}.yaml", report)
    _update_keyed_file(project, lang, LABELS_FILE, lambda: _labels_document(project), report)
    _update_keyed_file(project, lang, "_programs.yaml", lambda: _programs_document(project), report)
    for handout_id, file in translated.items():
        if handout_id not in source_ids:
            continue  # an original in this language, not a translation
        translation = read_translation(file, lang, project.root)
        units = _source_units(project, handout_id)
        values: dict[str, Any] = {}
        todo, review, hashes = [], [], {}
        added, stale = [], []
        for name, source_unit in units.items():
            current = unit_hash(source_unit)
            hashes[name] = current
            if name not in translation.units:
                values[name] = plain(source_unit)
                todo.append(name)
                added.append(name)
            elif name in translation.todo:
                values[name] = plain(source_unit)  # not translated yet: show the newest source
                todo.append(name)
            else:
                values[name] = plain(translation.units[name])
                if name in translation.review or translation.hashes.get(name) != current:
                    review.append(name)
                    if name not in translation.review:
                        stale.append(name)
        removed = [name for name in translation.units if name not in units]
        extra = {key: plain(translation.node.entries[key]) for key in KEPT_AS_WRITTEN
                 if key in translation.node.entries}
        document = _document(handout_id, units, values, todo, review, hashes, extra)
        write_atomic(file, _dump(document, HEADER.format(source=SOURCE_LANGUAGE, id=handout_id, lang=lang)))
        report.written.append(file)
        for bucket, names in ((report.added, added), (report.removed, removed), (report.marked_stale, stale)):
            if names:
                bucket[handout_id] = names
    return report
