"""Programs: which handouts (and PDF inserts) go in each clinic program's bundle.

``programs/<id>.yaml`` declares a program: its handouts in order, inserts,
layout, duplex, and its title in the source language. Other languages give the
title (and insert titles) in ``handouts/<lang>/_programs.yaml``, so
translators never edit the program file itself.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, cast

from .errors import ContentError, Diagnostics, Origin
from .inserts import DOCUMENT_LEVEL, annotation_refused
from .load import Node, load_file
from .model import Insert, Program, ProgramText, Text
from .project import SOURCE_LANGUAGE, Project, buildable
from .validate import Reader, did_you_mean

if TYPE_CHECKING:
    from pypdf import PageObject
    from pypdf.generic import DictionaryObject

PROGRAM_FIELDS = ("id", "title", "subtitle", "handouts", "inserts", "layout", "duplex")
INSERT_FIELDS = ("id", "path", "title", "after")
PROGRAMS_TEXT_FILE = "_programs.yaml"
MAX_INSERT_PAGES = 50


def _insert(reader: Reader, node: Node, what: str, handouts: tuple[str, ...]) -> Insert | None:
    m = reader.mapping(node, what, INSERT_FIELDS, ("id", "path", "title"))
    if m is None or not all(k in m.entries for k in ("id", "path", "title")):
        return None
    insert_id = reader.slug(m.entries["id"], f"{what} id")
    path = reader.project_file(m.entries["path"], f"{what} path")
    page_count, accessible = 0, False
    if path is not None:
        page_count, problem, tagged, accessible = inspect_insert(path)
        if problem:
            reader.error(m.entries["path"].origin, f"{what} path: {problem}")
            path = None
        else:
            left_out = live_content(path)
            if left_out:
                reader.warn(m.entries["path"].origin,
                            f"{what} '{path.name}': bundles leave out {', '.join(left_out)}; the pages print as "
                            "they are")
            if not tagged:
                reader.warn(m.entries["path"].origin,
                            f"{what} '{path.name}' is not a tagged PDF: its pages are not read "
                            "by screen readers, so bundles with it are not marked PDF/UA")
            elif not accessible:
                reader.warn(m.entries["path"].origin,
                            f"{what} '{path.name}' is tagged but does not claim PDF/UA: its tags "
                            "are carried into bundles, but bundles with it are not marked PDF/UA")
    title = reader.text(m.entries["title"], f"{what} title")
    after = reader.optional(m, "after", reader.slug, f"{what} after")
    if after is not None and after not in handouts:
        reader.error(m.entries["after"].origin,
                     f"{what} comes after '{after}', which is not one of this program's handouts")
    if insert_id is None or path is None or title is None:
        return None
    return Insert(insert_id, path, title, page_count, after, accessible)


def live_content(path: Path) -> list[str]:
    """What of an insert a bundle leaves out (see inserts.py): its scripts, actions, files and form fields."""
    from pypdf import PdfReader

    found: list[str] = []
    try:
        reader = PdfReader(path, strict=False)
        root = cast("DictionaryObject", reader.trailer["/Root"])
        names = root.get("/Names")
        names = names.get_object() if names is not None else {}
        for key, what in DOCUMENT_LEVEL.items():
            in_names = key.removeprefix("/Names")  # "/Names/JavaScript" is the Names dictionary's /JavaScript
            if (in_names in names) if in_names != key else (key in root):
                found.append(what)
        for number, page in enumerate(reader.pages, 1):
            for reference in page.get("/Annots") or []:
                annotation = reference.get_object()
                action = annotation.get("/A")
                action = action.get_object() if action is not None else None
                kind = str(action.get("/S")) if action is not None and "/S" in action else None
                uri = str(action.get("/URI")) if kind == "/URI" and action is not None else None
                reason = annotation_refused(str(annotation.get("/Subtype", "")), kind, uri)
                if reason is not None:
                    found.append(f"{reason} on page {number}")
                elif action is not None and "/Next" in action:
                    found.append(f"the actions chained after a link on page {number}")
                elif "/AA" in annotation:
                    found.append(f"the actions of a {str(annotation.get('/Subtype', '/'))[1:]} on page {number}")
    except Exception:  # a clinic's PDF may break its reader in any way: inspect_insert says so
        return found
    return list(dict.fromkeys(found))


SMALLEST_PAGE, LARGEST_PAGE = 72.0, 14_400.0  # one inch; 200 inches, PDF's own limit


def _page_shape_problem(page: PageObject, number: int) -> str | None:
    """A page the bundle cannot lay in: no size, a size of nothing or of miles, or turned part way."""
    box = page.mediabox
    width, height = float(box.width), float(box.height)
    if not (SMALLEST_PAGE <= width <= LARGEST_PAGE and SMALLEST_PAGE <= height <= LARGEST_PAGE):
        return (f"page {number} has an unusable size ({width:g} x {height:g} points; a page is 72 to 14,400 points "
                "each way); print it to a new PDF at its paper size")
    if page.rotation % 90:
        return f"page {number} is turned by {page.rotation} degrees; a page can only be turned by quarter turns"
    return None


def _undecodable_page(path: Path) -> int | None:
    """The first page whose content stream does not decompress. pypdf only logs that (and reads it as empty);
    qpdf, which copies the pages into the bundle, says so."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            contents = page.obj.get("/Contents")
            streams = [contents] if isinstance(contents, pikepdf.Stream) else list(contents or [])
            try:
                for stream in streams:
                    stream.read_bytes()
            except pikepdf.PdfError:
                return number
    return None


def inspect_insert(path: Path) -> tuple[int, str | None, bool, bool]:
    """From one read of the PDF: its page count, why it cannot be inserted in a bundle (None when it can),
    whether it is tagged, and whether it also claims PDF/UA in its XMP metadata."""
    from pypdf import PdfReader

    name = path.name
    if path.suffix.lower() != ".pdf":
        return 0, f"'{name}' is not a .pdf file", False, False
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            return 0, f"'{name}' is encrypted (password-protected); save an unprotected copy", False, False
        pages = len(reader.pages)
        for number, page in enumerate(reader.pages, 1):
            page.get_contents()
            problem = _page_shape_problem(page, number)
            if problem:
                return pages, f"'{name}': {problem}", False, False
        damaged = _undecodable_page(path)
        if damaged is not None:
            return pages, (f"'{name}': the drawing of page {damaged} cannot be decoded (the file is damaged); save or "
                           "print it again as a new PDF"), False, False
        root = cast("DictionaryObject", reader.trailer["/Root"])
        tagged = "/StructTreeRoot" in root and "/MarkInfo" in root
        metadata = root.get("/Metadata") if tagged else None
        xmp = metadata.get_object().get_data() if metadata is not None else b""
    except Exception as exc:  # an untrusted file may break its reader in any way (a filter pypdf
        # cannot decode raised DependencyError or NotImplementedError, which stopped the whole build)
        detail = f"{type(exc).__name__}: {exc}"[:120]
        return 0, (f"'{name}' cannot be read as a PDF: it may be damaged, or use a feature this tool cannot read; "
                   f"save or print it again as a new PDF (the reader said: {detail})"), False, False
    if pages == 0:
        return 0, f"'{name}' has no pages", False, False
    if pages > MAX_INSERT_PAGES:
        return pages, f"'{name}' has {pages} pages; an insert may have at most {MAX_INSERT_PAGES}", False, False
    accessible = tagged and re.search(rb"pdfuaid:part\s*(?:=\s*[\"']1[\"']|>\s*1\s*<)", xmp) is not None
    return pages, None, tagged, accessible


def load_program(project: Project, file: Path, handout_ids: set[str], report: Diagnostics) -> Program:
    """A validated program; handout ids and the layout must exist in the project."""
    reader = Reader(project.root)
    node = load_file(file)
    m = reader.mapping(node, "the program", PROGRAM_FIELDS, ("id", "title", "handouts"))
    if m is None:
        raise ContentError(reader.problems)
    e = m.entries
    program_id = reader.file_id(m, file)
    handouts: list[str] = []
    if "handouts" in e:
        for number, item in enumerate(reader.sequence(e["handouts"], "handouts"), 1):
            handout_id = reader.slug(item, f"handouts item {number}")
            if handout_id is None:
                continue
            if handout_id not in handout_ids:
                hint = did_you_mean(handout_id, handout_ids, "the handouts are")
                reader.error(item.origin, f"unknown handout '{handout_id}'{hint}")
            elif handout_id in handouts:
                reader.error(item.origin, f"handout '{handout_id}' is listed twice")
            else:
                handouts.append(handout_id)
    inserts = reader.optional(
        m, "inserts", lambda n, w: reader.each(n, w, lambda i, iw: _insert(reader, i, iw, tuple(handouts))), "inserts"
    ) or ()
    if len({insert.id for insert in inserts}) != len(inserts):
        reader.error(e["inserts"].origin, "two inserts have the same id")
    layout = reader.optional(m, "layout", lambda n, w: reader.choice(n, w, buildable(project.layouts_dir)), "layout")
    duplex = reader.optional(m, "duplex", reader.boolean, "duplex")
    program = Program(
        id=program_id or file.stem, file=file,
        title=reader.optional(m, "title", reader.text, "title"),  # type: ignore[arg-type]
        subtitle=reader.optional(m, "subtitle", reader.text, "subtitle"),
        handouts=tuple(handouts), inserts=tuple(inserts), layout=layout,
        duplex=True if duplex is None else duplex,
    )
    return reader.done(program, report)


def program_text(project: Project, program: Program, lang: str, report: Diagnostics) -> ProgramText:
    """The program's printed words in ``lang``; what a translation lacks comes from the program file."""
    source = ProgramText(SOURCE_LANGUAGE, program.title, program.subtitle, {i.id: i.title for i in program.inserts})
    file = project.handouts_dir / lang / PROGRAMS_TEXT_FILE
    if lang == SOURCE_LANGUAGE or not os.path.lexists(file):  # anything there is read (and refused if unsafe)
        if lang != SOURCE_LANGUAGE:
            report.warn(Origin(file), f"no translation of program '{program.id}' (file missing); "
                                      "its title prints in English")
        return ProgramText(lang, source.title, source.subtitle, source.insert_titles)
    reader = Reader(project.root)
    node = load_file(file)
    top = reader.mapping(node, "the programs' text", (*project.program_files(), "todo"))
    todo = reader.optional(top, "todo", lambda n, w: reader.each(n, w, reader.slug, min_items=0), "todo") if top else ()
    entry = top.entries.get(program.id) if top and program.id not in (todo or ()) else None
    if entry is None:
        reader.done(None, report)
        report.warn(Origin(file), f"no translation of program '{program.id}'; its title prints in English")
        return ProgramText(lang, source.title, source.subtitle, source.insert_titles)
    m = reader.mapping(entry, f"program '{program.id}'", ("title", "subtitle", "inserts"), ("title",))
    title = reader.optional(m, "title", reader.text, "title") if m else None
    subtitle = reader.optional(m, "subtitle", reader.text, "subtitle") if m else None
    insert_titles: dict[str, Text] = dict(source.insert_titles)
    inserts_node = m.entries.get("inserts") if m else None
    if inserts_node is not None:
        known = reader.mapping(inserts_node, "inserts", source.insert_titles)
        for insert_id, title_node in (known.entries.items() if known else ()):
            translated = reader.text(title_node, f"insert '{insert_id}' title")
            if translated is not None and insert_id in insert_titles:
                insert_titles[insert_id] = translated
    return reader.done(ProgramText(lang, title or source.title, subtitle if subtitle is not None else source.subtitle,
                                   insert_titles), report)


def ordered_parts(program: Program) -> list[str | Insert]:
    """Handout ids and inserts in the order the bundle prints them."""
    parts: list[str | Insert] = []
    for handout_id in program.handouts:
        parts.append(handout_id)
        parts.extend(insert for insert in program.inserts if insert.after == handout_id)
    parts.extend(insert for insert in program.inserts if insert.after is None)
    return parts


