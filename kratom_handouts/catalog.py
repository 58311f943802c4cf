"""What a project holds, for ``list``: handout titles per language, languages, layouts.

Reads titles only (with libyaml where it can, the careful reader where the
quick one cannot say), so a listing is fast and works even while other fields
of a handout still have errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import inline
from .errors import ContentError, Problem
from .project import buildable
from .load import Mapping, Scalar, load_file, read_title
from .project import DEFAULT_LAYOUT, Project


@dataclass
class Listing:
    handouts: dict[str, dict[str, str]] = field(default_factory=dict)  # id -> lang -> title
    languages: list[str] = field(default_factory=list)
    layouts: list[str] = field(default_factory=list)
    default_layout: str = DEFAULT_LAYOUT
    problems: list[Problem] = field(default_factory=list)


def describe_project(project: Project) -> Listing:
    listing = Listing(languages=project.languages(), layouts=buildable(project.layouts_dir))
    files = {lang: project.handout_files(lang) for lang in listing.languages}
    for handout_id in project.handout_ids():
        titles: dict[str, str] = {}
        for lang in listing.languages:
            file = files[lang].get(handout_id)
            if file is None:
                continue
            quick = read_title(file)  # libyaml: most files; the careful reader below for the rest
            if quick is not None:
                titles[lang] = inline.plain_text(quick)
                continue
            try:
                node = load_file(file)
            except ContentError as exc:
                listing.problems.extend(exc.problems)
                titles[lang] = "(cannot be read: run 'kratom-handouts check')"
                continue
            title = node.entries.get("title") if isinstance(node, Mapping) else None
            titles[lang] = inline.plain_text(title.text) if isinstance(title, Scalar) else "(no title)"
        listing.handouts[handout_id] = titles
    return listing
