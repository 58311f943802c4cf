"""Loading: a project's files -> validated handouts and labels, translations merged in.

A handout in another language is its source (English) file with the
translation laid over it unit by unit (``i18n/merge.py``); what the
translation lacks is an error, or with ``allow_fallback`` prints in English
and is tagged as English in the PDF.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path

from . import validate
from .errors import ContentError, Diagnostics, Origin, Problem
from .i18n.languages import fallback_chain
from .i18n.merge import Merged, merge, read_translation
from .load import Mapping, Node, load_file
from .model import Handout, Labels, NotTranslated
from .project import SOURCE_LANGUAGE, Project


@dataclass(frozen=True)
class FallbackPolicy:
    allow_fallback: bool = False  # print untranslated parts in the source language
    strict: bool = False  # missing and stale translations are errors
    # 'check': untranslated parts are read in the source language, to check the rest, but the warning says what
    # a plain build does with them (it skips the handout), not what this reading does.
    checking: bool = False


def load_handout(project: Project, handout_id: str, lang: str, report: Diagnostics,
                 policy: FallbackPolicy = FallbackPolicy()) -> Handout | NotTranslated:
    """One validated handout in ``lang`` (or, for a translation with parts still to do, NotTranslated unless the
    policy prints them in English); ContentError with every problem found; warnings go to ``report``."""
    source_file = project.handout_file(SOURCE_LANGUAGE, handout_id)
    own_file = project.handout_file(lang, handout_id)
    if lang == SOURCE_LANGUAGE or source_file is None:
        if own_file is None:
            raise ContentError([Problem(Origin(project.handouts_dir / lang),
                                        f"there is no handout '{handout_id}' in '{lang}'")])
        return validate.handout(load_file(own_file), own_file, lang, project.root, report)
    chain = [(code, file) for code in fallback_chain(lang) if (file := project.handout_file(code, handout_id))]
    if not chain:
        raise ContentError([Problem(Origin(project.handouts_dir / lang),
                                    f"there is no translation of '{handout_id}' into '{lang}'")])
    translations = [read_translation(file, code, project.root, report) for code, file in chain]
    source = load_file(source_file)
    if not isinstance(source, Mapping):
        return validate.handout(source, source_file, SOURCE_LANGUAGE, project.root, report)  # reports the problem
    try:
        merged = merge(source, SOURCE_LANGUAGE, translations)
        found = Diagnostics(_translation_problems(merged, policy))
        handout = validate.handout(merged.node, merged.file, lang, project.root, found,
                                   translation=translations[0].record)
        if found.errors:
            raise ContentError(found.problems)
    except ContentError as exc:
        raise _source_blamed(exc, source, source_file, chain[0][1], project) from None
    report.extend(found)
    missing = tuple(unit.unit for unit in merged.named("missing"))
    if missing and (not policy.allow_fallback or (policy.strict and not _started(merged))):
        return NotTranslated(lang, missing)  # a file not started is all English: nothing of its own to check
    return dataclasses.replace(handout, foreign=merged.foreign, draft=bool(merged.named("missing")))


def _source_blamed(problems: ContentError, source: Node, source_file: Path, translation_file: Path,
                   project: Project) -> ContentError:
    """A translation's problems, unless its English source has errors of its own: those would come back here as
    the translation's (a field missing, a block of no known type), sending the translator to a file that is
    fine; then the one problem is that it cannot be checked yet."""
    try:
        validate.handout(source, source_file, SOURCE_LANGUAGE, project.root, Diagnostics())
    except ContentError:
        message = (f"not checked: the English handout it translates ({project.relative(source_file)}) has errors; "
                   "fix those first")
        return ContentError([Problem(Origin(translation_file, 1, 1), message)])
    return problems


def _started(merged: Merged) -> bool:
    return any(unit.state in ("translated", "stale", "inherited") for unit in merged.states)


def _translation_problems(merged: Merged, policy: FallbackPolicy) -> list[Problem]:
    problems: list[Problem] = []
    missing = merged.named("missing")
    if missing:
        names = ", ".join(unit.unit for unit in missing)
        if policy.strict and not _started(merged):
            # What 'i18n init' wrote, untouched: a language just begun, which never fails a build or CI.
            problems.append(Problem(Origin(merged.file), "not started yet: every part is still to do (a language "
                                                         "just begun is not an error; its handouts are not built)",
                                    "warning"))
        elif policy.strict:
            problems.append(Problem(Origin(merged.file), f"not translated yet: {names}"))
        elif policy.allow_fallback and not policy.checking:
            problems.append(Problem(Origin(merged.file), f"not translated yet, printed in English: {names}", "warning"))
        else:
            problems.append(Problem(Origin(merged.file), f"not translated yet, so not built: {names} "
                                                         "(--allow-fallback prints them in English)", "warning"))
    severity = "error" if policy.strict else "warning"
    for unit in merged.named("stale"):
        problems.append(Problem(unit.origin, f"'{unit.unit}' is out of date: {unit.reason}", severity))
    for unit in merged.named("extra"):
        problems.append(Problem(unit.origin, f"'{unit.unit}' is {unit.reason}", "warning"))
    for unit in merged.named("note"):  # the translator's own bookkeeping looks wrong
        problems.append(Problem(unit.origin, f"'{unit.unit}' {unit.reason}", "warning"))
    return problems


def load_labels(project: Project, lang: str, report: Diagnostics) -> Labels:
    """The language's labels; what it does not give comes from its base language, then the source language."""
    fallback = None
    parent = _parent_language(lang)
    if parent is not None and (os.path.lexists(project.labels_file(parent)) or parent == SOURCE_LANGUAGE):
        fallback = load_labels(project, parent, report)
    file = project.labels_file(lang)
    if not os.path.lexists(file):  # anything else there (a folder, a loop of links) is read, and refused
        if fallback is not None:
            if parent == SOURCE_LANGUAGE:
                report.warn(Origin(file), f"there is no {file.name} for '{lang}': labels print in English")
            return Labels(lang, fallback.values)
        return validate.labels(None, file, lang, None, report)
    return validate.labels(load_file(file), file, lang, fallback, report)


def _parent_language(lang: str) -> str | None:
    if lang == SOURCE_LANGUAGE:
        return None
    chain = fallback_chain(lang)
    return chain[1] if len(chain) > 1 else SOURCE_LANGUAGE
