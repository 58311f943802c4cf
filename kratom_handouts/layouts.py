"""Layout files -> a resolved ``Layout``: ``extends`` chains merged, then validated.

``layouts/<name>.yaml`` may say ``extends: <other>``; fields it gives override
the other's, mappings merged key by key. Names starting with ``_`` (such as
``_brand``) are partial layouts: they can be extended but are never built.
Each merged value keeps the file and line it came from, so an error in the
brand file is reported in the brand file.
"""

from __future__ import annotations

import re
from dataclasses import fields as dataclass_fields
from pathlib import Path

from . import fonts
from .errors import ContentError, Diagnostics, Origin, Problem
from .load import Mapping, Node, Scalar, Sequence, load_file, read_fields
from .model import PLACEHOLDERS, Clinic, Colors, Layout, Text
from .placeholders import placeholder_problem, placeholders_in
from .project import buildable, layout_files  # noqa: F401  (buildable: where other modules look for it)
from .validate import Reader, did_you_mean

PAGE_SIZES = {"letter": (612.0, 792.0), "a4": (595.2756, 841.8898), "legal": (612.0, 1008.0)}
PAGE_SIZE = re.compile(r"^\s*(\S+)\s*x\s*(\S+)\s*\Z")
LAYOUT_FIELDS = ("extends", "page", "type", "fonts", "colors", "header", "footer", "logo", "logo_height", "clinic",
                 "large_print", "show_reading_grade", "language_assistance")
COLOR = re.compile(r"^#[0-9a-fA-F]{6}\Z")
SLOTS = ("left", "center", "right")


def layout_chain_files(name: str, layouts_dir: Path) -> list[Path]:
    """The layout's file and those it extends, read quickly (no validation): what a build of it depends on.

    A file that cannot be read ends the chain here; the build itself then reports why.
    """
    files = layout_files(layouts_dir)
    chain: list[Path] = []
    seen: set[Path] = set()
    while name in files and files[name] not in seen:
        chain.append(files[name])
        seen.add(files[name])
        # Only the parser's events: building the values (a date such as 2026-02-30 elsewhere in the file) failed.
        parent = read_fields(files[name], ("extends",)).get("extends")
        if not isinstance(parent, str):
            break
        name = parent
    return chain or [layouts_dir / f"{name}.yaml"]


def merge(base: Mapping, override: Mapping) -> Mapping:
    entries = dict(base.entries)
    key_origins = dict(base.key_origins)
    for key, node in override.entries.items():
        if isinstance(node, Mapping) and isinstance(entries.get(key), Mapping):
            node = merge(entries[key], node)  # type: ignore[arg-type]
        entries[key] = node
        key_origins[key] = override.key_origins[key]
    return Mapping(entries, key_origins, override.origin)


def _resolve(name: str, files: dict[str, Path], origin: Origin | None) -> Mapping:
    """The layout merged over everything it extends, walked in a loop (a chain of any length needs no stack)."""
    chain: dict[str, int] = {}  # name -> its place in the chain, to name a cycle
    nodes: list[Mapping] = []
    while True:
        if name not in files:
            known = ", ".join(n for n in files if not n.startswith("_")) or "none"
            where = origin or Origin(Path("layouts") / f"{name}.yaml")
            raise ContentError([Problem(where, f"unknown layout '{name}'; the layouts are: {known}")])
        if name in chain:
            cycle = " -> ".join((*list(chain)[chain[name]:], name))
            raise ContentError([Problem(origin or Origin(files[name]),
                                        f"layout 'extends' goes round in a circle: {cycle}")])
        chain[name] = len(chain)
        node = load_file(files[name])
        if not isinstance(node, Mapping):
            raise ContentError([Problem(node.origin, "a layout must be a mapping of fields, found a "
                                                     f"{type(node).__name__.lower()}")])
        nodes.append(node)
        parent = node.entries.get("extends")
        if parent is None:
            break
        if not isinstance(parent, Scalar):
            raise ContentError([Problem(parent.origin, "extends must name one layout")])
        name, origin = parent.text, parent.origin
    merged = nodes.pop()
    while nodes:
        merged = merge(merged, nodes.pop())
    return merged


def load_layout(name: str, project_root: Path, report: Diagnostics) -> Layout:
    """The named layout with everything it extends, validated."""
    files = layout_files(project_root / "layouts")
    node = _resolve(name, files, None)
    return _validate(node, name, files[name], project_root, report)


def _slots(reader: Reader, node: Node | None, what: str) -> tuple[Text, Text, Text]:
    empty = Text("", Origin(Path(what)))
    if node is None:
        return (empty, empty, empty)
    m = reader.mapping(node, what, SLOTS)
    values = []
    for slot in SLOTS:
        value = m.entries.get(slot) if m else None
        if isinstance(value, Scalar) and value.text.strip() == "":
            value = None
        text = reader.text(value, f"{what} {slot}") if value is not None else None
        problem = placeholder_problem(text.value, PLACEHOLDERS) if text is not None else None
        if text is not None and problem:
            reader.error(text.origin, f"{what} {slot} {problem}")
        values.append(text or Text("", value.origin if value is not None else empty.origin))
    return values[0], values[1], values[2]


SMALLEST_PAGE = 216.0  # 3 inches: room for a header, two lines and a footer


def _page_size(reader: Reader, node: Node) -> tuple[float, float] | None:
    scalar = reader.scalar(node, "page size")
    if scalar is None:
        return None
    if scalar.text.lower() in PAGE_SIZES:
        return PAGE_SIZES[scalar.text.lower()]
    match = PAGE_SIZE.match(scalar.text)
    if not match:
        reader.error(node.origin,
                     f"page size '{scalar.text}' must be letter, a4, legal or a size such as '210mm x 297mm'")
        return None
    width = reader.length(Scalar(match.group(1), node.origin, False, "str"), "page width", 5000)
    height = reader.length(Scalar(match.group(2), node.origin, False, "str"), "page height", 5000)
    if width is not None and height is not None and min(width, height) < SMALLEST_PAGE:
        reader.error(node.origin, f"page size '{scalar.text}' is too small to print a handout on; a page is at least "
                                  "3 inches (76 mm) each way")
        return None
    return (width, height) if width and height else None


# ISO 15924 codes a layout may name fonts for, besides language codes.
SCRIPTS = ("Arab", "Armn", "Beng", "Cyrl", "Deva", "Ethi", "Geor", "Grek", "Gujr", "Guru", "Hang", "Hans", "Hant",
           "Hebr", "Jpan", "Khmr", "Knda", "Kore", "Laoo", "Latn", "Mlym", "Mymr", "Orya", "Sinh", "Taml", "Telu",
           "Thaa", "Thai", "Tibt")


def _language_fonts(reader: Reader, node: Node | None,
                    known: dict[str, str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``languages: {zh-Hans: [noto-sans-sc, noto-sans], Arab: ibm-plex-sans-arabic}``."""
    from .i18n.languages import language_problem

    if node is None:
        return ()
    if not isinstance(node, Mapping):
        reader.mapping(node, "fonts languages", ())  # says what it should be
        return ()
    mapping = node
    chosen: list[tuple[str, tuple[str, ...]]] = []
    for key, value in mapping.entries.items():
        origin = mapping.key_origins.get(key, value.origin)
        if key not in SCRIPTS and language_problem(key):
            reader.error(origin, f"fonts for '{key}': '{key}' is neither a language code (such as zh-Hans, ko, ar) "
                                 f"nor a script code (such as Arab, Hans, Hant, Kore){did_you_mean(key, SCRIPTS)}")
            continue
        items = value.items if isinstance(value, Sequence) else [value]
        names = [reader.choice(item, f"font for '{key}'", known) for item in items]
        if not items:
            reader.error(value.origin, f"fonts for '{key}': name at least one font family")
        elif all(names):
            chosen.append((key, tuple(known[name] for name in names if name)))
    return tuple(chosen)


ASSISTANCE_PLACEHOLDERS = ("clinic", "clinic_phone", "clinic_website")
BUILTIN_FONTS = {name: name for name in fonts.FAMILIES if "~" not in name}  # a layout's name -> the family's
FONT_FACES = ("regular", "bold", "italic", "bold_italic")


def _project_families(reader: Reader, node: Node | None) -> dict[str, str]:
    """``families: {clinic-sans: {regular: fonts/ClinicSans-Regular.ttf, bold: fonts/Clinic.ttc#1}}``: a
    project's own TrueType fonts, each face checked before anything is drawn with it."""
    if node is None:
        return {}
    if not isinstance(node, Mapping):
        reader.mapping(node, "fonts families", ())
        return {}
    found: dict[str, str] = {}
    names: dict[str, str] = {}  # PostScript name -> the face that has it, to catch two faces that share one
    for label, faces_node in node.entries.items():
        where = node.key_origins.get(label, faces_node.origin)
        if label in BUILTIN_FONTS:
            reader.error(where, f"font family '{label}' is already a built-in family: give yours another name")
            continue
        faces = reader.mapping(faces_node, f"font family '{label}'", FONT_FACES, ("regular", "bold"))
        if faces is None or not {"regular", "bold"} <= set(faces.entries):
            continue
        files: dict[str, Path] = {}
        indexes: dict[str, int] = {}
        for face, value in faces.entries.items():
            scalar = reader.scalar(value, f"font family '{label}' {face}")
            if scalar is None or face not in FONT_FACES:
                continue
            written, _, number = scalar.text.partition("#")
            if number and not number.isdigit():
                reader.error(value.origin, f"font family '{label}' {face}: after '#' comes the number of the font "
                                           f"in a .ttc collection (0 for the first), found '{number}'")
                continue
            path = reader.project_file(Scalar(written, value.origin, scalar.plain, scalar.tag),
                                       f"font family '{label}' {face}")
            if path is None or not path.is_file():
                if path is not None:
                    reader.error(value.origin, f"font family '{label}' {face}: there is no file '{written}'")
                continue
            postscript, problem = fonts.font_file_problem(path, int(number or 0))
            if problem:
                reader.error(value.origin, f"font family '{label}' {face}: '{written}' {problem}")
                continue
            assert postscript is not None
            if postscript in names:
                reader.error(value.origin, f"font family '{label}' {face}: '{written}' has the PostScript name "
                                           f"'{postscript}', as {names[postscript]} does; PDF readers would print "
                                           "one as the other: give each face its own file")
                continue
            names[postscript] = f"'{label}' {face}"
            files[face], indexes[face] = path, int(number or 0)
        if {"regular", "bold"} <= set(files):
            found[label] = fonts.project_family(label, files, indexes).name
    return found


def _language_assistance(reader: Reader, node: Node | None) -> tuple[tuple[tuple[str, Text], ...], bool]:
    """``language_assistance: {print_on_handouts: false, lines: {en: "...", es: "..."}}``."""
    from .i18n.languages import language_problem

    if node is None:
        return (), False
    block = reader.mapping(node, "language_assistance", ("lines", "print_on_handouts"), ("lines",))
    if block is None or "lines" not in block.entries:
        return (), False
    on_handouts = bool(reader.optional(block, "print_on_handouts", reader.boolean, "print_on_handouts"))
    lines_node = block.entries["lines"]
    if not isinstance(lines_node, Mapping):
        reader.mapping(lines_node, "language_assistance lines", ())
        return (), on_handouts
    lines: list[tuple[str, Text]] = []
    for lang, value in lines_node.entries.items():
        problem = language_problem(lang)
        if problem:
            reader.error(lines_node.key_origins.get(lang, value.origin), f"language_assistance line: {problem}")
            continue
        line = reader.text(value, f"language_assistance line for '{lang}'")
        problem = placeholder_problem(line.value, ASSISTANCE_PLACEHOLDERS) if line else None
        if problem:
            reader.error(value.origin, f"language_assistance line for '{lang}' {problem}")
        elif line is not None:
            lines.append((lang, line))
    return tuple(lines), on_handouts


def _validate(node: Mapping, name: str, file: Path, project_root: Path, report: Diagnostics) -> Layout:
    reader = Reader(project_root)
    reader.mapping(node, f"layout '{name}'", LAYOUT_FIELDS, ("page", "type", "fonts", "clinic"))
    e = node.entries
    missing = [key for key in ("page", "type", "fonts", "clinic") if key not in e]
    if missing:
        raise ContentError(reader.problems)

    page = reader.mapping(e["page"], "page", ("size", "margins"), ("size", "margins"))
    size = _page_size(reader, page.entries["size"]) if page and "size" in page.entries else None
    margins: dict[str, float | None] = {}
    if page and "margins" in page.entries:
        margin_map = reader.mapping(page.entries["margins"], "margins", ("top", "right", "bottom", "left"),
                                    ("top", "right", "bottom", "left"))
        for side in ("top", "right", "bottom", "left"):
            if margin_map and side in margin_map.entries:
                margins[side] = reader.length(margin_map.entries[side], f"{side} margin", 300)

    type_map = reader.mapping(e["type"], "type", ("body_size", "leading", "heading_scale", "title_scale"),
                              ("body_size",))
    body_size = reader.optional(type_map, "body_size", lambda n, w: reader.number(n, w, 6, 48),
                                "body_size") if type_map else None
    leading = (reader.optional(type_map, "leading", lambda n, w: reader.number(n, w, 1, 3), "leading") if type_map
               else None) or 1.4
    heading_scale = (reader.optional(type_map, "heading_scale", lambda n, w: reader.number(n, w, 1, 4), "heading_scale")
                     if type_map else None) or 1.35
    title_scale = (reader.optional(type_map, "title_scale", lambda n, w: reader.number(n, w, 1, 5), "title_scale")
                   if type_map else None) or 1.9

    font_map = reader.mapping(e["fonts"], "fonts", ("body", "heading", "languages", "families"), ("body",))
    known = dict(BUILTIN_FONTS) | _project_families(reader, font_map.entries.get("families") if font_map else None)
    body_font = reader.optional(font_map, "body", lambda n, w: reader.choice(n, w, known),
                                "body font") if font_map else None
    heading_font = (reader.optional(font_map, "heading", lambda n, w: reader.choice(n, w, known),
                                    "heading font") if font_map else None) or body_font
    language_fonts = _language_fonts(reader, font_map.entries.get("languages") if font_map else None, known)
    body_font, heading_font = known.get(body_font or ""), known.get(heading_font or "")
    assistance, assistance_on_handouts = _language_assistance(reader, e.get("language_assistance"))

    colors = Colors()
    color_origins: dict[str, Origin] = {}
    if "colors" in e:
        allowed = [f.name for f in dataclass_fields(Colors)]
        color_map = reader.mapping(e["colors"], "colors", allowed)
        chosen: dict[str, str] = {}
        for key, value in (color_map.entries.items() if color_map else ()):
            if isinstance(value, Scalar) and value.plain and value.tag == "null":
                reader.error(value.origin, f"colour '{key}' is empty: write it in quotes, like \"#0b4f6c\" "
                                           "(YAML reads # as the start of a comment)")
                continue
            scalar = reader.scalar(value, f"colour '{key}'")
            if scalar is not None and key in allowed:
                if COLOR.match(scalar.text):
                    chosen[key] = scalar.text.lower()
                    color_origins[key] = value.origin
                else:
                    reader.error(value.origin, f"colour '{key}' must be written #rrggbb, found '{scalar.text}'")
        colors = Colors(**chosen)

    clinic_map = reader.mapping(e["clinic"], "clinic", ("name", "phone", "address", "website"), ("name",))
    clinic = None
    if clinic_map and "name" in clinic_map.entries:
        clinic_name = reader.text(clinic_map.entries["name"], "clinic name")
        clinic = Clinic(
            clinic_name,  # type: ignore[arg-type]
            reader.optional(clinic_map, "phone", reader.text, "clinic phone"),
            reader.optional(clinic_map, "address", reader.text, "clinic address"),
            reader.optional(clinic_map, "website", reader.url, "clinic website"),
        )

    layout = Layout(
        name=name, file=file,
        page_width=size[0] if size else 0, page_height=size[1] if size else 0,
        margin_top=margins.get("top") or 0, margin_right=margins.get("right") or 0,
        margin_bottom=margins.get("bottom") or 0, margin_left=margins.get("left") or 0,
        body_size=body_size or 12, leading=leading, heading_scale=heading_scale, title_scale=title_scale,
        body_font=body_font or "", heading_font=heading_font or "",
        colors=colors,
        header=_slots(reader, e.get("header"), "header"),
        footer=_slots(reader, e.get("footer"), "footer"),
        clinic=clinic,  # type: ignore[arg-type]
        logo=reader.optional(node, "logo", reader.image, "logo"),
        logo_height=reader.optional(node, "logo_height", lambda n, w: reader.length(n, w, 144), "logo_height") or 28.0,
        large_print=bool(reader.optional(node, "large_print", reader.boolean, "large_print")),
        show_reading_grade=bool(reader.optional(node, "show_reading_grade", reader.boolean, "show_reading_grade")),
        color_origins=color_origins,
        language_fonts=language_fonts,
        language_assistance=assistance,
        assistance_on_handouts=assistance_on_handouts,
        language_assistance_origin=node.key_origins.get("language_assistance"),
    )
    if not any("reviewed" in placeholders_in(slot.value) for slot in layout.header + layout.footer):
        # Every page must carry the review status, so that no page of a draft can pass for a reviewed handout.
        reader.error(node.origin,
                     f"layout '{name}' prints no review status: put {{reviewed}} in a header or footer slot "
                     "(it prints 'Reviewed <date>', or the draft notice on every page of a handout not yet reviewed)")
    if size and margins and layout.frame_width < 144:
        reader.error(e["page"].origin, "the margins leave less than 2 inches for the text")
    elif size and margins and layout.page_height - layout.margin_top - layout.margin_bottom < 144:
        reader.error(e["page"].origin, "the margins leave less than 2 inches of height for the text")
    return reader.done(layout, report)
