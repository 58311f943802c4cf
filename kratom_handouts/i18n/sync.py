"""``i18n init`` and ``i18n update``: translator-ready files that follow the source handouts.

A translation file holds the same units as its source, with the source text
in place until it is translated. ``todo`` lists the units still to translate
(the translator deletes each name when done); ``review`` lists units whose
source changed after they were translated; ``translated_from`` records the
hash of the source each unit was translated from. ``update`` rewrites
files with ruamel.yaml's round trip, so the translator's comments stay where
they were written; it works every file out before it writes any.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .. import validate
from ..content import load_labels
from ..errors import ContentError, Diagnostics, Origin, Problem, UnsafeFile
from ..files import read_limited
from ..load import MAX_FILE_BYTES, Mapping, decode, load_file
from ..model import LABEL_DEFAULTS
from ..output import write_atomic
from ..programs import PROGRAMS_TEXT_FILE
from ..project import LABELS_FILE, SOURCE_LANGUAGE, Project
from ..validate import Reader
from .languages import language_problem
from .merge import read_translation
from .units import HEADER_UNITS, handout_units, plain, unit_hash, unit_names

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
    kept_in_todo: dict[str, list[str]] = field(default_factory=dict)  # translated, though still listed under todo


def _yaml() -> YAML:
    writer = YAML(typ="rt", pure=True)
    writer.width = 88
    writer.preserve_quotes = True
    writer.allow_unicode = True
    return writer


def _dump(document: Any, header: str = "") -> bytes:
    """A new file gets the header; a rewritten one keeps its own comments, the header among them."""
    stream = io.StringIO()
    _yaml().dump(document, stream)
    return (header + stream.getvalue()).encode("utf-8")


def _round_trip(file: Path) -> CommentedMap:
    """The file with its comments, for rewriting; ``load_file`` has already refused it if it is unsafe or not YAML."""
    text = decode(read_limited(file, MAX_FILE_BYTES), file)
    document = _yaml().load(text)
    return document if isinstance(document, CommentedMap) else CommentedMap()


def _source_units(project: Project, handout_id: str) -> dict[str, Any]:
    """The English handout's parts, once it validates: a broken English file (``body: 5``) has no parts to
    follow, and following it would delete every translated part."""
    file = project.handout_files(SOURCE_LANGUAGE)[handout_id]
    node = load_file(file)
    validate.handout(node, file, SOURCE_LANGUAGE, project.root, Diagnostics())
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
    # Every file is made before any is written: a broken English handout (ContentError) leaves the language
    # as it was, not half begun.
    made: list[tuple[Path, bytes]] = []
    for handout_id in project.handout_files(SOURCE_LANGUAGE):
        target = folder / f"{handout_id}.yaml"
        if target.exists():
            report.skipped.append(target)
        else:
            made.append((target, _new_translation(project, handout_id, lang, report)))
    for name, build in _keyed_builders(project):
        target = folder / name
        if target.exists():
            report.skipped.append(target)
        else:
            made.append((target, _dump(*build())))
    for target, data in made:
        write_atomic(target, data, project.handouts_dir)
        report.written.append(target)
    return report


def _keyed_builders(project: Project) -> tuple[tuple[str, Callable[[], tuple[dict[str, Any], str]]], ...]:
    return ((LABELS_FILE, lambda: _labels_document(project)),
            (PROGRAMS_TEXT_FILE, lambda: _programs_document(project)))


def _new_translation(project: Project, handout_id: str, lang: str, report: SyncReport) -> bytes:
    units = _source_units(project, handout_id)
    values = {name: plain(node) for name, node in units.items()}
    document = _document(handout_id, units, values, list(units), [], {n: unit_hash(u) for n, u in units.items()}, {})
    report.added[handout_id] = list(units)
    return _dump(document, HEADER.format(source=SOURCE_LANGUAGE, id=handout_id, lang=lang))


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
    document: dict[str, Any] = {"todo": []}
    for program_id, file in project.program_files().items():
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


def _keyed_file_update(project: Project, lang: str, name: str,
                       build: Callable[[], tuple[dict[str, Any], str]]) -> tuple[bytes | None, list[str], list[str]]:
    """Labels or program titles: add what the source has gained (to do), drop what it lost, keep the rest.

    Returns the new file (None when nothing changed), the keys added and the keys removed. A file of the
    wrong shape is an error: replacing it with the defaults would throw the translator's words away.
    """
    target = project.handouts_dir / lang / name
    source, header = build()
    if not target.is_file():
        return _dump(source, header), [key for key in source if key != "todo"], []
    _check_keyed_file(project, lang, name, target)
    document = _round_trip(target)
    added = [key for key in source if key != "todo" and key not in document]
    removed = [key for key in document if key not in source and key != "todo"]
    if not added and not removed:
        return None, [], []
    for key in removed:
        del document[key]
    for key in added:
        document[key] = source[key]
    todo = [key for key in document.get("todo") or () if key in source] + added
    _set_list(document, "todo", todo, position=0)
    return _dump(document), added, removed


def _check_keyed_file(project: Project, lang: str, name: str, target: Path) -> None:
    """The same reading ``check`` and ``build`` give the file, so a shape they refuse is refused here too."""
    if name == LABELS_FILE:
        load_labels(project, lang, Diagnostics())  # only its errors matter here: check prints its warnings
        return
    reader = Reader(project.root)
    top = reader.mapping(load_file(target), "the programs' text", (*project.program_files(), "todo"))
    if top is not None:
        reader.optional(top, "todo", lambda n, w: reader.each(n, w, reader.slug, min_items=0), "todo")
        for key, value in top.entries.items():
            if key != "todo" and not isinstance(value, Mapping):
                reader.error(value.origin, f"program '{key}' must be a mapping with its title (and subtitle)")
    reader.done(None, Diagnostics())


def update_language(project: Project, lang: str) -> SyncReport:
    """Bring every translation in ``lang`` up to date with its source, keeping all translated text and comments.

    Every file is worked out before any is written: if one has an error, nothing is rewritten.
    """
    _require_language(lang)
    if not (project.handouts_dir / lang).is_dir():  # a typo in the code must not start a language unasked
        raise ContentError([Problem(Origin(project.handouts_dir / lang), f"there is no '{lang}' translation to "
                                    f"update; start one with 'kratom-handouts i18n init {lang}'")])
    report = SyncReport()
    planned: list[tuple[Path, bytes]] = []
    problems: list[Problem] = []
    source_ids = project.handout_files(SOURCE_LANGUAGE)
    translated = project.handout_files(lang)
    for handout_id in source_ids:
        if handout_id not in translated:
            target = project.handouts_dir / lang / f"{handout_id}.yaml"
            with _collect(problems):
                planned.append((target, _new_translation(project, handout_id, lang, report)))
    for name, build in _keyed_builders(project):
        with _collect(problems):
            data, added, removed = _keyed_file_update(project, lang, name, build)
            if data is not None:
                planned.append((project.handouts_dir / lang / name, data))
            for bucket, keys in ((report.added, added), (report.removed, removed)):
                if keys:
                    bucket[name] = keys
    for handout_id, file in translated.items():
        if handout_id in source_ids:  # otherwise an original in this language, not a translation
            with _collect(problems):
                planned.append((file, _updated_translation(project, handout_id, lang, file, report)))
    if problems:
        raise ContentError(problems)
    for path, data in planned:
        if _holds_the_same(path, data):
            continue  # nothing to change: the translator's file stays byte for byte as they wrote it
        write_atomic(path, _with_line_endings_of(path, data), project.handouts_dir)
        report.written.append(path)
    return report


def _with_line_endings_of(path: Path, data: bytes) -> bytes:
    """``data`` with the line endings the file at ``path`` has: a translator's editor that writes CRLF gets
    CRLF back, not a file whose new lines end differently from the ones kept (the writer keeps a comment's
    CR but ends lines with LF)."""
    data = data.replace(b"\r\n", b"\n")
    try:
        first_line = read_limited(path, MAX_FILE_BYTES).split(b"\n", 1)[0]
    except (OSError, UnsafeFile):  # a new file: LF
        return data
    return data.replace(b"\n", b"\r\n") if first_line.endswith(b"\r") else data


def _holds_the_same(path: Path, data: bytes) -> bool:
    """Whether the file at ``path`` already says what ``data`` says (a rewrite would only wrap its lines anew)."""
    import yaml

    try:  # the file was read and checked above (no aliases, no tags), so the safe loader may read it whole
        return bool(yaml.safe_load(read_limited(path, MAX_FILE_BYTES)) == yaml.safe_load(data))
    except (OSError, UnsafeFile, yaml.YAMLError, ValueError, RecursionError):  # ValueError: a date that cannot be
        return False


@contextlib.contextmanager
def _collect(problems: list[Problem]) -> Iterator[None]:
    try:
        yield
    except ContentError as exc:
        problems.extend(exc.problems)


def _updated_translation(project: Project, handout_id: str, lang: str, file: Path, report: SyncReport) -> bytes:
    translation = read_translation(file, lang, project.root, Diagnostics())
    units = _source_units(project, handout_id)
    document = _round_trip(file)
    body_nodes = translation.node.entries.get("body")
    items = list(document.get("body") or ())
    file_items = dict(zip(unit_names(body_nodes), items, strict=True))
    new_values: dict[str, Any] = {}  # units given the newest source text
    todo, review, hashes = [], [], {}
    added, stale, kept_in_todo = [], [], []
    for name, source_unit in units.items():
        current = unit_hash(source_unit)
        hashes[name] = current
        if name not in translation.units:
            new_values[name] = plain(source_unit)
            todo.append(name)
            added.append(name)
        elif name in translation.todo:
            todo.append(name)
            if unit_hash(translation.units[name]) in (current, translation.hashes.get(name)):
                new_values[name] = plain(source_unit)  # still the English: show the newest
            else:
                kept_in_todo.append(name)  # the translator's words, whatever todo says
        elif name in translation.review or translation.hashes.get(name) != current:
            review.append(name)
            if name not in translation.review:
                stale.append(name)
    for name in HEADER_UNITS:
        if name in new_values:
            _set_key(document, name, new_values[name], before="body")
        elif name not in units and name in document:
            del document[name]
    body = [new_values[name] if name in new_values else file_items[name] for name in units
            if name not in HEADER_UNITS]
    _set_list(document, "body", body)
    _set_list(document, "todo", todo, position=1)
    if review:
        _set_list(document, "review", review, position=2)
    elif "review" in document:
        del document["review"]
    _set_key(document, "translated_from", hashes, before="title")
    for bucket, names in ((report.added, added), (report.removed, [n for n in translation.units if n not in units]),
                          (report.marked_stale, stale), (report.kept_in_todo, kept_in_todo)):
        if names:
            bucket[handout_id] = names
    return _dump(document)


def _set_key(document: CommentedMap, key: str, value: Any, before: str) -> None:
    """Replace a key's value where it stands (its comments stay), or add it before ``before``."""
    if key in document or before not in document:
        document[key] = value
    else:
        document.insert(list(document).index(before), key, value)


def _identity(item: Any) -> Any:
    """What an item of a list is known by while the list is rebuilt: a name by its text, a block by itself."""
    return item if isinstance(item, str) else id(item)


def _set_list(document: CommentedMap, key: str, values: list[Any], position: int | None = None) -> None:
    """Make ``document[key]`` hold ``values``, keeping the list (and the comments of the items that stay)."""
    current = document.get(key)
    if not isinstance(current, CommentedSeq):
        if key in document or position is None:
            document[key] = values
        else:
            document.insert(min(position, len(document)), key, values)
        return
    comments = {_identity(item): current.ca.items.get(index) for index, item in enumerate(current)}
    current.clear()
    current.ca.items.clear()
    for index, item in enumerate(values):
        current.append(item)
        if comments.get(_identity(item)) is not None:
            current.ca.items[index] = comments[_identity(item)]
