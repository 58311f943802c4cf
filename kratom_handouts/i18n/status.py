"""How far each language's translation has got: translated, missing, stale and extra units per handout."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .. import validate
from ..errors import ContentError, Diagnostics
from ..load import Mapping, load_file
from ..model import LABEL_DEFAULTS
from ..programs import PROGRAMS_TEXT_FILE
from ..project import LABELS_FILE, SOURCE_LANGUAGE, Project
from .languages import fallback_chain
from .merge import merge, read_translation
from .units import handout_units


@dataclass
class HandoutStatus:
    id: str
    file: str | None
    translated: int = 0
    inherited: int = 0  # done in the base language (es for es-MX)
    missing: int = 0
    stale: int = 0
    extra: int = 0
    missing_units: list[str] = field(default_factory=list)
    stale_units: list[str] = field(default_factory=list)
    extra_units: list[str] = field(default_factory=list)
    problem: str | None = None  # the file cannot be read; its units count as missing

    @property
    def total(self) -> int:
        return self.translated + self.inherited + self.missing + self.stale


@dataclass
class LanguageStatus:
    lang: str
    handouts: list[HandoutStatus]

    def count(self, name: str) -> int:
        return sum(getattr(h, name) for h in self.handouts)

    @property
    def percent_translated(self) -> float:
        total = sum(h.total for h in self.handouts)
        return round(100.0 * (self.count("translated") + self.count("inherited")) / total, 1) if total else 100.0

    def as_dict(self) -> dict[str, Any]:
        totals = {name: self.count(name) for name in ("translated", "inherited", "missing", "stale", "extra")}
        return {"lang": self.lang, **totals, "percent_translated": self.percent_translated,
                "handouts": [asdict(h) for h in self.handouts]}


def _handout_status(project: Project, handout_id: str, english: Path, lang: str) -> HandoutStatus:
    own = project.handout_file(lang, handout_id)
    status = HandoutStatus(handout_id, project.relative(own) if own else None)
    try:
        source = load_file(english)
        validate.handout(source, english, SOURCE_LANGUAGE, project.root, Diagnostics())
    except ContentError as exc:  # nothing can be counted against an English file that does not read
        status.problem = f"the English cannot be read: {exc.problems[0].describe(project.root)}"
        return status
    chain = [(code, file) for code in fallback_chain(lang) if (file := project.handout_file(code, handout_id))]
    if not isinstance(source, Mapping):
        return status
    if not chain:
        status.missing_units = list(handout_units(source))
        status.missing = len(status.missing_units)
        return status
    try:
        counted = Diagnostics()  # status counts parts; check is the command that prints warnings
        translations = [read_translation(file, code, project.root, counted) for code, file in chain]
        merged = merge(source, SOURCE_LANGUAGE, translations)
    except ContentError as exc:
        status.problem = exc.problems[0].describe(project.root)
        status.missing_units = list(handout_units(source))
        status.missing = len(status.missing_units)
        return status
    for unit in merged.states:
        if unit.state == "note":
            continue  # a remark on the translator's todo list (check prints it), not a part to count
        setattr(status, unit.state, getattr(status, unit.state) + 1)
        if unit.state in ("missing", "stale", "extra"):
            getattr(status, f"{unit.state}_units").append(unit.unit)
    return status


def _done_keys(file: Path, known: list[str], project: Project) -> tuple[set[str], list[str], str | None]:
    """Keys a keyed file (labels, program titles) translates, its unknown keys, and a read problem if any."""
    try:
        node = load_file(file) if file.is_file() else None
    except ContentError as exc:
        return set(), [], exc.problems[0].describe(project.root)
    if not isinstance(node, Mapping):
        return set(), [], None
    todo = node.entries.get("todo")
    todo_names = {item.text for item in getattr(todo, "items", ()) if hasattr(item, "text")}
    done = {key for key in node.entries if key in known and key not in todo_names}
    return done, [key for key in node.entries if key not in known and key != "todo"], None


def _keyed_status(project: Project, lang: str, name: str, known: list[str]) -> HandoutStatus:
    """Status of ``_labels.yaml`` or ``_programs.yaml``: each key is one part; a regional variant inherits."""
    file = project.handouts_dir / lang / name
    status = HandoutStatus(name.removesuffix(".yaml"), project.relative(file) if file.is_file() else None)
    done, status.extra_units, status.problem = _done_keys(file, known, project)
    inherited: set[str] = set()
    for base in fallback_chain(lang)[1:]:
        inherited |= _done_keys(project.handouts_dir / base / name, known, project)[0] - done
    status.translated, status.inherited, status.extra = len(done), len(inherited), len(status.extra_units)
    status.missing_units = [key for key in known if key not in done | inherited]
    status.missing = len(status.missing_units)
    return status


def translation_status(project: Project, langs: list[str] | None = None) -> list[LanguageStatus]:
    """Status of every translation language (all but the source), or of those named."""
    result = []
    for lang in langs or [code for code in project.languages() if code != SOURCE_LANGUAGE]:
        handouts = [_handout_status(project, handout_id, english, lang)
                    for handout_id, english in project.handout_files(SOURCE_LANGUAGE).items()]
        handouts.append(_keyed_status(project, lang, LABELS_FILE, list(LABEL_DEFAULTS)))
        programs = list(project.program_files())
        if programs:
            handouts.append(_keyed_status(project, lang, PROGRAMS_TEXT_FILE, programs))
        result.append(LanguageStatus(lang, handouts))
    return result
