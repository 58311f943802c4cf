"""An independent PDF/UA-1 checker for the tests: what a tagged handout must get right.

It does not share code with the renderer on purpose: the renderer writes the tags,
this module reads them back the way an assistive-technology reader would (catalog,
structure tree, content streams, parent tree, annotations) and says what is wrong.

``pdfua_problems(path)`` returns short strings, each starting with a check code:

* D1-D7: document level (MarkInfo, one Document root, Lang, DisplayDocTitle, XMP
  with dc:title and pdfuaid:part 1).
* C1-C5: content streams (balanced marked content, no nested or artifact-wrapped
  MCIDs, every text and painting operator tagged or an artifact, unique MCIDs,
  StructParents where MCIDs are).
* T1-T9: structure tree (parent links, standard types, every MCID referenced once,
  no dangling references, a ParentTree that agrees with the tree, Figure alt text,
  list and table shapes, heading levels).
* A1-A3: annotations (Tabs /S, StructParent to an element holding an OBJR, a Link
  element for links, link /Contents).

A malformed or untagged file yields problems, never an exception: each check runs
under a guard that turns a crash into a problem carrying that check's code.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf
from lxml import etree

ObjKey = tuple[int, int]
"""An indirect object's (object number, generation); (0, 0) for direct objects."""

McKey = tuple[ObjKey, int]
"""Where an MCID lives: (key of the page or Form XObject whose stream holds it, MCID)."""

STANDARD_TYPES = frozenset(
    """Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private
    P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot
    Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP
    Figure Formula Form""".split()
)
"""PDF 1.7 (ISO 32000-1, 14.8.4) standard structure types."""

TEXT_OPERATORS = frozenset({"Tj", "TJ", "'", '"'})
PAINT_OPERATORS = frozenset({"f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "sh"})
HEADING = re.compile(r"^H([1-6])$")
SCOPES = frozenset({"Row", "Column", "Both"})
UNTAGGED_ANNOTATIONS = frozenset({"Popup", "PrinterMark"})

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
}

# RFC 5646 (BCP 47) language-tag grammar, section 2.1, plus its grandfathered tags.
_ALNUM = "[a-z0-9]"
_LANGTAG = (
    r"(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})"  # language [-extlang]
    r"(?:-[a-z]{4})?"  # script
    r"(?:-(?:[a-z]{2}|[0-9]{3}))?"  # region
    rf"(?:-(?:{_ALNUM}{{5,8}}|[0-9]{_ALNUM}{{3}}))*"  # variants
    rf"(?:-[0-9a-wy-z](?:-{_ALNUM}{{2,8}})+)*"  # extensions
    rf"(?:-x(?:-{_ALNUM}{{1,8}})+)?"  # private use
)
_GRANDFATHERED = (
    "en-gb-oed i-ami i-bnn i-default i-enochian i-hak i-klingon i-lux i-mingo i-navajo "
    "i-pwn i-tao i-tay i-tsu sgn-be-fr sgn-be-nl sgn-ch-de art-lojban cel-gaulish "
    "no-bok no-nyn zh-guoyu zh-hakka zh-min zh-min-nan zh-xiang"
).split()
BCP47 = re.compile(
    rf"^(?:{_LANGTAG}|x(?:-{_ALNUM}{{1,8}})+|{'|'.join(map(re.escape, _GRANDFATHERED))})$",
    re.IGNORECASE,
)


# --------------------------------------------------------------------------- model


@dataclass
class Owner:
    """A content stream that can hold MCIDs: a page, or a Form XObject it draws."""

    label: str
    key: ObjKey
    obj: Any
    mcids: list[int] = field(default_factory=list)

    @property
    def struct_parents(self) -> int | None:
        value = self.obj.get("/StructParents")
        return int(value) if isinstance(value, int) else None


@dataclass
class Element:
    """One structure element as found by walking the tree from StructTreeRoot."""

    obj: Any
    key: ObjKey
    role: str
    std: str | None
    parent: Element | None
    kids: list[Element] = field(default_factory=list)
    mcrs: list[McKey] = field(default_factory=list)
    objrs: list[ObjKey] = field(default_factory=list)
    content_kids: int = 0

    def describe(self) -> str:
        return f"{self.role} ({self.key[0]} {self.key[1]} R)" if self.key != (0, 0) else self.role


@dataclass
class Doc:
    """What the checks read: the open file plus the facts gathered from it once."""

    pdf: pikepdf.Pdf
    root: Any
    pages: list[Any]
    page_index: dict[ObjKey, int]
    owners: dict[ObjKey, Owner] = field(default_factory=dict)
    content_problems: list[str] = field(default_factory=list)
    tree_root: Any = None
    elements: list[Element] = field(default_factory=list)
    tree_problems: list[str] = field(default_factory=list)
    role_map: dict[str, str] = field(default_factory=dict)
    parent_tree: dict[int, Any] | None = None
    parent_tree_problems: list[str] = field(default_factory=list)

    def page_label(self, key: ObjKey) -> str:
        owner = self.owners.get(key)
        if owner:
            return owner.label
        if key in self.page_index:
            return f"page {self.page_index[key] + 1}"
        return f"object {key[0]} {key[1]} R"


# --------------------------------------------------------------------------- small helpers


def _key(obj: Any) -> ObjKey:
    """The object's identity, so the same indirect object compares equal wherever reached."""
    try:
        return tuple(obj.objgen)  # type: ignore[return-value]
    except Exception:
        return (0, 0)


def _name(obj: Any) -> str | None:
    """A Name's text without the slash, or None for anything else."""
    return str(obj)[1:] if isinstance(obj, pikepdf.Name) else None


def _is_dict(obj: Any) -> bool:
    return isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream))


def _as_list(obj: Any) -> list[Any]:
    """PDF lets many entries be one item or an array of them; always give a list."""
    if obj is None:
        return []
    if isinstance(obj, pikepdf.Array):
        return list(obj)
    return [obj]


def _text(obj: Any) -> str:
    """A PDF string's text, or empty for anything that is not a string."""
    if isinstance(obj, pikepdf.String):
        try:
            return str(obj)
        except Exception:
            return bytes(obj).decode("latin-1")
    return ""


def _inherited(page: Any, key: str) -> Any:
    """An inheritable page attribute (Resources), looked up the Pages tree as readers do."""
    node, seen = page, set()
    while _is_dict(node) and _key(node) not in seen:
        seen.add(_key(node))
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None


def _snippet(operands: list[Any]) -> str:
    """A short readable hint of what a text operator shows, for the problem message."""
    parts: list[bytes] = []
    for operand in operands:
        items = operand if isinstance(operand, pikepdf.Array) else [operand]
        parts += [bytes(item) for item in items if isinstance(item, pikepdf.String)]
    raw = b"".join(parts)
    text = raw.decode("latin-1")
    if text and all(32 <= ord(ch) < 127 for ch in text):
        return repr(text[:30])
    return f"<{raw[:12].hex()}>"


# --------------------------------------------------------------------------- content scan


@dataclass
class _Mark:
    """One open marked-content sequence on the BDC/BMC stack."""

    tag: str
    mcid: int | None

    @property
    def artifact(self) -> bool:
        return self.tag == "Artifact"


class _ContentScanner:
    """Walks every page's content (and the forms it draws) with a marked-content stack.

    Records each MCID against the stream that holds it (a page, or a Form XObject,
    whose MCIDs are its own) and collects C1-C3 problems as it goes.
    """

    def __init__(self, doc: Doc):
        self.doc = doc
        self.problems: list[str] = []
        self.forms_recorded: set[ObjKey] = set()

    def scan_all(self) -> None:
        for number, page in enumerate(self.doc.pages, start=1):
            owner = Owner(f"page {number}", _key(page), page)
            self.doc.owners[owner.key] = owner
            self._scan_page(owner)
        self.doc.content_problems = self.problems

    def _parse(self, owner: Owner) -> list[Any] | None:
        """Parse a page's or form's content; a syntax error is a C1 problem.

        qpdf skips what it cannot read and only warns (an unended inline image simply
        vanishes), so its warnings are read back: silence would hide untagged content.
        """
        self.doc.pdf.get_warnings()  # drop older warnings: only this stream's count
        try:
            instructions = pikepdf.parse_content_stream(owner.obj)
        except Exception as exc:
            self.problems.append(f"C1 {owner.label}: content cannot be parsed ({exc})")
            return None
        warnings = self.doc.pdf.get_warnings()
        if warnings:
            self.problems.append(f"C1 {owner.label}: content has syntax errors ({warnings[0]})")
        return instructions

    def _scan_page(self, owner: Owner) -> None:
        self._check_each_stream_balanced(owner)
        instructions = self._parse(owner)
        if instructions is None:
            return
        resources = _inherited(owner.obj, "/Resources")
        stack: list[_Mark] = []
        counts: Counter[str] = Counter()
        self._walk(instructions, resources, owner, stack, counts, set())
        if stack:
            self.problems.append(f"C1 {owner.label}: {len(stack)} marked-content sequence(s) never closed")
        self._report_untagged(owner.label, counts)

    def _check_each_stream_balanced(self, owner: Owner) -> None:
        """A sequence may not run from one content stream of a page into the next."""
        streams = _as_list(owner.obj.get("/Contents"))
        if len(streams) < 2:
            return
        for number, stream in enumerate(streams, start=1):
            try:
                ops = [str(ins.operator) for ins in pikepdf.parse_content_stream(stream)]
            except Exception:
                continue  # a stream split mid-token only parses joined; the page scan covers it
            finally:
                self.doc.pdf.get_warnings()  # same: only the joined parse's warnings count
            depth = 0
            for op in ops:
                depth += op in ("BDC", "BMC")
                depth -= op == "EMC"
                if depth < 0:
                    break
            if depth:
                self.problems.append(f"C1 {owner.label}: content stream {number} of {len(streams)} is unbalanced")

    def _walk(
        self,
        instructions: list[Any],
        resources: Any,
        owner: Owner,
        stack: list[_Mark],
        counts: Counter[str],
        form_path: set[ObjKey],
    ) -> None:
        """Follow one stream's operators; ``stack`` carries the marks open around it."""
        base = len(stack)
        for ins in instructions:
            if isinstance(ins, pikepdf.ContentStreamInlineImage):
                self._require_tagged(stack, counts, "BI")
                continue
            op, operands = str(ins.operator), list(ins.operands)
            if op in ("BDC", "BMC"):
                self._open(op, operands, resources, owner, stack)
            elif op == "EMC":
                if len(stack) > base:
                    stack.pop()
                else:
                    self.problems.append(f"C1 {owner.label}: EMC without a matching BDC/BMC")
            elif op in TEXT_OPERATORS:
                self._require_tagged(stack, counts, f"{op} {_snippet(operands)}")
            elif op in PAINT_OPERATORS:
                self._require_tagged(stack, counts, op)
            elif op == "Do" and operands:
                self._do(operands[0], resources, owner, stack, counts, form_path)

    def _open(self, op: str, operands: list[Any], resources: Any, owner: Owner, stack: list[_Mark]) -> None:
        tag = _name(operands[0]) if operands else None
        props = operands[1] if op == "BDC" and len(operands) > 1 else None
        if isinstance(props, pikepdf.Name):  # a named property list in /Resources /Properties
            named = resources.get("/Properties") if _is_dict(resources) else None
            props = named.get(str(props)) if _is_dict(named) else None
        mcid = props.get("/MCID") if _is_dict(props) else None
        mcid = int(mcid) if isinstance(mcid, int) else None
        mark = _Mark(tag or "?", mcid)
        if mcid is not None:
            if any(m.mcid is not None for m in stack):
                self.problems.append(f"C2 {owner.label}: MCID {mcid} is nested inside another MCID sequence")
            if any(m.artifact for m in stack):
                self.problems.append(f"C2 {owner.label}: MCID {mcid} is inside an Artifact sequence")
            owner.mcids.append(mcid)
        if mark.artifact and any(m.mcid is not None for m in stack):
            self.problems.append(f"C2 {owner.label}: an Artifact sequence is inside tagged (MCID) content")
        stack.append(mark)

    def _do(
        self,
        name: Any,
        resources: Any,
        owner: Owner,
        stack: list[_Mark],
        counts: Counter[str],
        form_path: set[ObjKey],
    ) -> None:
        xobjects = resources.get("/XObject") if _is_dict(resources) else None
        xobject = xobjects.get(str(name)) if _is_dict(xobjects) else None
        if not _is_dict(xobject):
            self.problems.append(f"C3 {owner.label}: Do {name} names no XObject in the resources")
            return
        subtype = _name(xobject.get("/Subtype"))
        if subtype == "Image":
            self._require_tagged(stack, counts, f"Do {name} (image)")
        elif subtype == "Form":
            self._form(xobject, resources, stack, counts, form_path, owner)

    def _form(
        self,
        form: Any,
        outer_resources: Any,
        stack: list[_Mark],
        counts: Counter[str],
        form_path: set[ObjKey],
        drawn_by: Owner,
    ) -> None:
        """Form content is checked with the marks open around its Do; its MCIDs are its own."""
        key = _key(form)
        if key in form_path:
            self.problems.append(f"C1 {drawn_by.label}: form {key[0]} {key[1]} R draws itself")
            return
        owner = self.doc.owners.get(key) or Owner(f"form {key[0]} {key[1]} R", key, form)
        first_time = key not in self.forms_recorded
        self.forms_recorded.add(key)
        instructions = self._parse(owner)
        if instructions is None:
            return
        resources = form.get("/Resources", outer_resources)
        mcids_before, base = len(owner.mcids), len(stack)
        self._walk(instructions, resources, owner, stack, counts, form_path | {key})
        if len(stack) > base:  # a form's marks must close inside the form
            self.problems.append(f"C1 {owner.label}: {len(stack) - base} marked-content sequence(s) never closed")
            del stack[base:]
        if first_time:
            if owner.mcids:
                self.doc.owners[key] = owner
        else:
            del owner.mcids[mcids_before:]  # drawn again: same MCIDs, not new ones

    @staticmethod
    def _require_tagged(stack: list[_Mark], counts: Counter[str], what: str) -> None:
        if not any(m.mcid is not None or m.artifact for m in stack):
            counts[what] += 1

    def _report_untagged(self, label: str, counts: Counter[str]) -> None:
        if counts:
            total = sum(counts.values())
            shown = ", ".join(list(counts)[:3])
            self.problems.append(f"C3 {label}: {total} operator(s) outside tagged or artifact content: {shown}")


# --------------------------------------------------------------------------- structure tree


def _load_role_map(tree_root: Any) -> dict[str, str]:
    role_map = tree_root.get("/RoleMap")
    if not _is_dict(role_map):
        return {}
    return {str(k)[1:]: _name(v) or "" for k, v in role_map.items()}


def _standard_role(role: str, role_map: dict[str, str]) -> str | None:
    """Follow the RoleMap to a standard type; None if it ends elsewhere or loops."""
    seen: set[str] = set()
    while role not in STANDARD_TYPES:
        if role in seen or role not in role_map:
            return None
        seen.add(role)
        role = role_map[role]
    return role


class _TreeWalker:
    """Walks the structure tree depth-first, building Elements and noting T1/T3/T4 faults."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.seen: set[ObjKey] = set()
        self.problems: list[str] = []

    def walk(self) -> None:
        tree_root = self.doc.root.get("/StructTreeRoot")
        if not _is_dict(tree_root):
            return
        self.doc.tree_root = tree_root
        self.doc.role_map = _load_role_map(tree_root)
        for kid in _as_list(tree_root.get("/K")):
            if _is_dict(kid) and "/S" in kid:
                self._element(kid, None, tree_root, depth=0)
            else:
                self.problems.append("D2 StructTreeRoot /K holds something that is not a structure element")
        self.doc.tree_problems = self.problems

    def _element(self, obj: Any, parent: Element | None, parent_obj: Any, depth: int) -> None:
        key = _key(obj)
        if key != (0, 0) and key in self.seen:
            self.problems.append(f"T1 element {key[0]} {key[1]} R is reached twice (shared or a cycle)")
            return
        if depth > 200:
            self.problems.append("T1 structure tree deeper than 200 levels; stopped there")
            return
        self.seen.add(key)
        role = _name(obj.get("/S")) or "?"
        element = Element(obj, key, role, _standard_role(role, self.doc.role_map), parent)
        self.doc.elements.append(element)
        if parent:
            parent.kids.append(element)
        if obj.get("/P") is None or _key(obj.get("/P")) != _key(parent_obj):
            self.problems.append(f"T1 {element.describe()}: /P does not point at its parent")
        page = obj.get("/Pg")
        stream = obj.get("/Stm") if _is_dict(obj.get("/Stm")) else None
        for kid in _as_list(obj.get("/K")):
            self._kid(kid, element, page, stream, depth)

    def _kid(self, kid: Any, element: Element, page: Any, stream: Any, depth: int) -> None:
        if isinstance(kid, int):
            self._mcr(element, stream if stream is not None else page, int(kid))
        elif _is_dict(kid) and _name(kid.get("/Type")) == "MCR":
            owner = kid.get("/Stm") if _is_dict(kid.get("/Stm")) else kid.get("/Pg", page)
            mcid = kid.get("/MCID")
            if isinstance(mcid, int):
                self._mcr(element, owner, int(mcid))
            else:
                self.problems.append(f"T4 {element.describe()}: MCR without an integer /MCID")
        elif _is_dict(kid) and _name(kid.get("/Type")) == "OBJR":
            element.objrs.append(_key(kid.get("/Obj")))
            element.content_kids += 1
        elif _is_dict(kid) and "/S" in kid:
            self._element(kid, element, element.obj, depth + 1)
        else:
            self.problems.append(f"T1 {element.describe()}: /K holds an unrecognised item")

    def _mcr(self, element: Element, owner: Any, mcid: int) -> None:
        element.content_kids += 1
        if not _is_dict(owner):
            self.problems.append(f"T4 {element.describe()}: MCID {mcid} has no /Pg page to live on")
            return
        element.mcrs.append((_key(owner), mcid))


def _number_tree(node: Any, problems: list[str], seen: set[ObjKey] | None = None) -> dict[int, Any]:
    """Flatten a number tree (/Nums pairs, /Kids subtrees) into a dict."""
    seen = seen if seen is not None else set()
    if not _is_dict(node) or (_key(node) != (0, 0) and _key(node) in seen):
        problems.append("T5 ParentTree node is not a dictionary or is reached twice")
        return {}
    seen.add(_key(node))
    entries: dict[int, Any] = {}
    nums = _as_list(node.get("/Nums"))
    if len(nums) % 2:
        problems.append("T5 ParentTree /Nums has an odd number of items")
    for number, value in zip(nums[::2], nums[1::2], strict=False):
        if isinstance(number, int):
            entries[int(number)] = value
        else:
            problems.append("T5 ParentTree /Nums has a key that is not an integer")
    for kid in _as_list(node.get("/Kids")):
        entries.update(_number_tree(kid, problems, seen))
    return entries


# --------------------------------------------------------------------------- document checks


def _check_d1(doc: Doc) -> list[str]:
    mark_info = doc.root.get("/MarkInfo")
    marked = mark_info.get("/Marked") if _is_dict(mark_info) else None
    return [] if marked is True else ["D1 catalog has no /MarkInfo << /Marked true >>"]


def _check_d2(doc: Doc) -> list[str]:
    if doc.tree_root is None:
        return ["D2 catalog has no /StructTreeRoot"]
    tops = [e for e in doc.elements if e.parent is None]
    problems = [p for p in doc.tree_problems if p.startswith("D2")]
    if len(tops) != 1 or tops[0].std != "Document":
        roles = ", ".join(e.role for e in tops) or "none"
        problems.append(f"D2 StructTreeRoot must hold exactly one Document element, holds: {roles}")
    return problems


def _check_d3(doc: Doc) -> list[str]:
    lang = doc.root.get("/Lang")
    if not isinstance(lang, pikepdf.String):
        return ["D3 catalog has no /Lang"]
    if not BCP47.match(_text(lang)):
        return [f"D3 catalog /Lang {_text(lang)!r} is not a well-formed BCP 47 tag"]
    return []


def _check_d4(doc: Doc) -> list[str]:
    prefs = doc.root.get("/ViewerPreferences")
    shown = prefs.get("/DisplayDocTitle") if _is_dict(prefs) else None
    return [] if shown is True else ["D4 /ViewerPreferences has no /DisplayDocTitle true"]


def _xmp(doc: Doc) -> etree._Element | None:
    stream = doc.root.get("/Metadata")
    if not isinstance(stream, pikepdf.Stream):
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return etree.fromstring(stream.read_bytes().strip(), parser)


def _check_xmp(doc: Doc) -> list[str]:
    """D5-D7 together: without an XMP packet, its title and identifier cannot be read."""
    try:
        xmp = _xmp(doc)
    except etree.XMLSyntaxError as exc:
        return [f"D5 XMP metadata is not well-formed XML ({exc})"]
    if xmp is None:
        return ["D5 catalog has no XMP /Metadata stream"]
    problems = []
    titles = xmp.findall(".//dc:title", NS)
    texts = ["".join(t.itertext()).strip() for t in titles]
    if not any(texts):
        problems.append("D6 XMP has no non-empty dc:title")
    parts = [e.text for e in xmp.findall(".//pdfuaid:part", NS)]
    parts += [d.get(f"{{{NS['pdfuaid']}}}part") for d in xmp.findall(".//rdf:Description", NS)]
    parts = [p.strip() for p in parts if p is not None]
    if set(parts) != {"1"}:
        problems.append(f"D7 XMP pdfuaid:part must be 1, found: {parts or 'none'}")
    return problems


# --------------------------------------------------------------------------- content checks


def _check_c1_c3(doc: Doc) -> list[str]:
    return doc.content_problems


def _check_c4(doc: Doc) -> list[str]:
    problems = []
    for owner in doc.owners.values():
        repeated = sorted(m for m, n in Counter(owner.mcids).items() if n > 1)
        if repeated:
            problems.append(f"C4 {owner.label}: MCID(s) {repeated} used more than once")
    return problems


def _check_c5(doc: Doc) -> list[str]:
    return [
        f"C5 {owner.label}: has MCIDs but no integer /StructParents"
        for owner in doc.owners.values()
        if owner.mcids and owner.struct_parents is None
    ]


# --------------------------------------------------------------------------- tree checks


def _check_t1(doc: Doc) -> list[str]:
    return [p for p in doc.tree_problems if p.startswith("T1")]


def _check_t2(doc: Doc) -> list[str]:
    problems = [
        f"T2 {e.describe()}: /S {e.role} is not a standard type nor role-mapped to one"
        for e in doc.elements
        if e.std is None
    ]
    remapped = sorted(role for role in doc.role_map if role in STANDARD_TYPES)
    if remapped:
        problems.append(f"T2 RoleMap remaps standard type(s) {remapped}")
    return problems


def _holders(doc: Doc) -> dict[McKey, list[Element]]:
    """Which elements reference each (stream, MCID)."""
    holders: dict[McKey, list[Element]] = defaultdict(list)
    for element in doc.elements:
        for mc in element.mcrs:
            holders[mc].append(element)
    return holders


def _content_mcids(doc: Doc) -> set[McKey]:
    return {(owner.key, mcid) for owner in doc.owners.values() for mcid in owner.mcids}


def _check_t3(doc: Doc) -> list[str]:
    holders = _holders(doc)
    problems = []
    for owner_key, mcid in sorted(_content_mcids(doc)):
        held_by = holders.get((owner_key, mcid), [])
        label = doc.page_label(owner_key)
        if not held_by:
            problems.append(f"T3 {label}: MCID {mcid} is in the content but no structure element references it")
        elif len(held_by) > 1:
            names = ", ".join(e.describe() for e in held_by)
            problems.append(f"T3 {label}: MCID {mcid} is referenced by {len(held_by)} elements ({names})")
    return problems


def _check_t4(doc: Doc) -> list[str]:
    content = _content_mcids(doc)
    problems = [p for p in doc.tree_problems if p.startswith("T4")]
    for (owner_key, mcid), held_by in sorted(_holders(doc).items()):
        if (owner_key, mcid) in content:
            continue
        where = doc.page_label(owner_key)
        if owner_key not in doc.page_index and owner_key not in doc.owners:
            where += " (not a page of this document)"
        problems.append(f"T4 {held_by[0].describe()}: references MCID {mcid} on {where}, which is not in its content")
    return problems


def _parent_tree(doc: Doc) -> dict[int, Any] | None:
    """The ParentTree as a dict, read once; None when the tree root has none."""
    if doc.parent_tree is None and doc.tree_root is not None and "/ParentTree" in doc.tree_root:
        doc.parent_tree = _number_tree(doc.tree_root["/ParentTree"], doc.parent_tree_problems)
    return doc.parent_tree


def _check_t5(doc: Doc) -> list[str]:
    keyed = [o for o in doc.owners.values() if o.struct_parents is not None]
    if doc.tree_root is None or not keyed:
        return []
    tree = _parent_tree(doc)
    if tree is None:
        return ["T5 StructTreeRoot has no /ParentTree"]
    problems = list(doc.parent_tree_problems)
    holders = _holders(doc)
    used = Counter(o.struct_parents for o in keyed)
    for owner in keyed:
        sp = owner.struct_parents
        if used[sp] > 1:
            problems.append(f"T5 {owner.label}: /StructParents {sp} is shared with another stream")
        array = tree.get(sp)
        if array is None:
            problems.append(f"T5 {owner.label}: /StructParents {sp} has no ParentTree entry")
            continue
        if not isinstance(array, pikepdf.Array):
            problems.append(f"T5 {owner.label}: ParentTree entry {sp} is not an array")
            continue
        problems += _compare_parent_array(owner, list(array), holders)
    return problems


def _compare_parent_array(owner: Owner, array: list[Any], holders: dict[McKey, list[Element]]) -> list[str]:
    """Each MCID's slot must name the element that holds it; no slot may name another."""
    problems = []
    for mcid in sorted(set(owner.mcids)):
        held_by = holders.get((owner.key, mcid), [])
        if len(held_by) != 1:
            continue  # orphans and duplicates are T3's to report
        slot = array[mcid] if mcid < len(array) else None
        if not _is_dict(slot):
            problems.append(f"T5 {owner.label}: ParentTree has no entry for MCID {mcid}")
        elif _key(slot) != held_by[0].key:
            problems.append(
                f"T5 {owner.label}: ParentTree maps MCID {mcid} to {_name(slot.get('/S'))}, "
                f"but {held_by[0].describe()} holds it"
            )
    for mcid, slot in enumerate(array):
        if _is_dict(slot) and not any(e.key == _key(slot) for e in holders.get((owner.key, mcid), [])):
            if mcid in owner.mcids and len(holders.get((owner.key, mcid), [])) == 1:
                continue  # already reported above as wrong
            problems.append(
                f"T5 {owner.label}: ParentTree maps MCID {mcid} to {_name(slot.get('/S'))}, which does not hold it"
            )
    return problems


def _check_t6(doc: Doc) -> list[str]:
    """Figures (and formulas, 7.7 of ISO 14289-1) need a text alternative."""
    return [
        f"T6 {e.describe()}: has no non-empty /Alt or /ActualText"
        for e in doc.elements
        if e.std in ("Figure", "Formula")
        and not (_text(e.obj.get("/Alt")).strip() or _text(e.obj.get("/ActualText")).strip())
    ]


def _check_kids(element: Element, allowed: set[str], code: str) -> list[str]:
    problems = [
        f"{code} {element.describe()}: child {kid.role} is not one of {sorted(allowed)}"
        for kid in element.kids
        if kid.std not in allowed
    ]
    if element.content_kids:
        problems.append(f"{code} {element.describe()}: holds content directly instead of in {sorted(allowed)}")
    return problems


def _check_parent(element: Element, allowed: set[str], code: str) -> list[str]:
    parent = element.parent.std if element.parent else None
    if parent in allowed:
        return []
    return [f"{code} {element.describe()}: parent is {parent or 'the tree root'}, not one of {sorted(allowed)}"]


def _check_t7(doc: Doc) -> list[str]:
    problems = []
    for e in doc.elements:
        if e.std == "L":
            problems += _check_kids(e, {"LI", "Caption"}, "T7")
        elif e.std == "LI":
            problems += _check_kids(e, {"Lbl", "LBody"}, "T7") + _check_parent(e, {"L"}, "T7")
        elif e.std in ("Lbl", "LBody"):
            problems += _check_parent(e, {"LI"}, "T7")
    return problems


def _has_scope(element: Element) -> bool:
    """TH needs /A << /O /Table /Scope Row|Column|Both >>; /A may be an array of dicts."""
    for attrs in _as_list(element.obj.get("/A")):
        if _is_dict(attrs) and _name(attrs.get("/O")) == "Table" and _name(attrs.get("/Scope")) in SCOPES:
            return True
    return False


def _check_t8(doc: Doc) -> list[str]:
    problems = []
    groups = {"THead", "TBody", "TFoot"}
    for e in doc.elements:
        if e.std == "Table":
            problems += _check_kids(e, {"TR", "Caption"} | groups, "T8")
        elif e.std in groups:
            problems += _check_kids(e, {"TR"}, "T8") + _check_parent(e, {"Table"}, "T8")
        elif e.std == "TR":
            problems += _check_kids(e, {"TH", "TD"}, "T8") + _check_parent(e, {"Table"} | groups, "T8")
        elif e.std in ("TH", "TD"):
            problems += _check_parent(e, {"TR"}, "T8")
        if e.std == "TH" and not _has_scope(e):
            problems.append(f"T8 {e.describe()}: has no /A << /O /Table /Scope /Row|/Column|/Both >>")
    return problems


def _check_t9(doc: Doc) -> list[str]:
    levels = [(e, int(m.group(1))) for e in doc.elements if e.std and (m := HEADING.match(e.std))]
    if not levels:
        return []
    problems = []
    if levels[0][1] != 1:
        problems.append(f"T9 first heading is {levels[0][0].role}, not H1")
    for (_, before), (element, level) in itertools.pairwise(levels):
        if level > before + 1:
            problems.append(f"T9 heading level skipped: H{before} then {element.describe()}")
    return problems


# --------------------------------------------------------------------------- annotation checks


def _annotations(doc: Doc) -> Iterator[tuple[int, Any]]:
    for number, page in enumerate(doc.pages, start=1):
        for annot in _as_list(page.get("/Annots")):
            if _is_dict(annot):
                yield number, annot


def _check_a1(doc: Doc) -> list[str]:
    return [
        f"A1 page {n}: has annotations but no /Tabs /S"
        for n, page in enumerate(doc.pages, start=1)
        if _as_list(page.get("/Annots")) and _name(page.get("/Tabs")) != "S"
    ]


def _check_a2(doc: Doc) -> list[str]:
    problems = []
    by_key = {e.key: e for e in doc.elements if e.key != (0, 0)}
    tree = _parent_tree(doc) or {}
    page_keys = {o.struct_parents for o in doc.owners.values() if o.struct_parents is not None}
    for number, annot in _annotations(doc):
        subtype = _name(annot.get("/Subtype")) or "?"
        if subtype in UNTAGGED_ANNOTATIONS:
            continue
        label = f"A2 page {number}: {subtype} annotation {_key(annot)[0]} {_key(annot)[1]} R"
        sp = annot.get("/StructParent")
        if not isinstance(sp, int):
            problems.append(f"{label} has no /StructParent")
            continue
        if int(sp) in page_keys:
            problems.append(f"{label} /StructParent {sp} is also a content stream's /StructParents")
        element = by_key.get(_key(tree.get(int(sp))))
        if element is None:
            problems.append(f"{label} /StructParent {sp} does not lead to a structure element in the tree")
        elif _key(annot) == (0, 0) or _key(annot) not in element.objrs:
            problems.append(f"{label} element {element.describe()} has no /OBJR to it")
        elif subtype == "Link" and element.std != "Link":
            problems.append(f"{label} is held by {element.describe()}, not a Link element")
    return problems


def _check_a3(doc: Doc) -> list[str]:
    return [
        f"A3 page {number}: Link annotation {_key(annot)[0]} {_key(annot)[1]} R has no /Contents"
        for number, annot in _annotations(doc)
        if _name(annot.get("/Subtype")) == "Link" and not _text(annot.get("/Contents")).strip()
    ]


# --------------------------------------------------------------------------- running it all

CHECKS: list[tuple[str, Callable[[Doc], list[str]]]] = [
    ("D1", _check_d1),
    ("D2", _check_d2),
    ("D3", _check_d3),
    ("D4", _check_d4),
    ("D5", _check_xmp),
    ("C1", _check_c1_c3),
    ("C4", _check_c4),
    ("C5", _check_c5),
    ("T1", _check_t1),
    ("T2", _check_t2),
    ("T3", _check_t3),
    ("T4", _check_t4),
    ("T5", _check_t5),
    ("T6", _check_t6),
    ("T7", _check_t7),
    ("T8", _check_t8),
    ("T9", _check_t9),
    ("A1", _check_a1),
    ("A2", _check_a2),
    ("A3", _check_a3),
]
"""Each check with the code its crash is reported under if the file defeats it."""


def _guarded(code: str, action: Callable[[], list[str] | None]) -> list[str]:
    """Run one step; a malformed file that makes it raise becomes a problem, not a crash."""
    try:
        return action() or []
    except Exception as exc:  # deliberately broad: the checker must survive any file
        return [f"{code} could not be checked, the file defeats it: {type(exc).__name__}: {exc}"]


def _open_doc(pdf: pikepdf.Pdf) -> Doc:
    pages = [page.obj for page in pdf.pages]
    return Doc(pdf, pdf.Root, pages, {_key(p): i for i, p in enumerate(pages)})


def pdfua_problems(path: Path) -> list[str]:
    """Every PDF/UA problem this checker finds in the file; empty for a good file."""
    try:
        pdf = pikepdf.open(path)
    except Exception as exc:
        return [f"D0 not a readable PDF: {type(exc).__name__}: {exc}"]
    with pdf:
        try:
            doc = _open_doc(pdf)
        except Exception as exc:
            return [f"D0 page tree unreadable: {type(exc).__name__}: {exc}"]
        problems = _guarded("C1", lambda: _ContentScanner(doc).scan_all())
        problems += _guarded("T1", lambda: _TreeWalker(doc).walk())
        for code, check in CHECKS:
            problems += _guarded(code, lambda check=check: check(doc))
        return problems


def assert_pdfua(path: Path) -> None:
    """Fail a test with every problem listed, so one run shows all that is wrong."""
    problems = pdfua_problems(path)
    if problems:
        raise AssertionError(f"{path} is not PDF/UA clean ({len(problems)} problems):\n" + "\n".join(problems))


def struct_roles_in_order(path: Path, mapped: bool = False) -> list[str]:
    """Structure types in depth-first (reading) order; ``mapped`` resolves the RoleMap."""
    with pikepdf.open(path) as pdf:
        doc = _open_doc(pdf)
        _TreeWalker(doc).walk()
        return [(e.std or e.role) if mapped else e.role for e in doc.elements]


def struct_text(path: Path) -> str:
    """The tagged text as poppler reads it (``pdfinfo -struct-text``): what a reader hears.

    Raises RuntimeError when poppler-utils is not installed (``apt-get install -y
    poppler-utils``), so callers can skip rather than pass silently.
    """
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo is None:
        raise RuntimeError("pdfinfo not found: apt-get install -y poppler-utils")
    result = subprocess.run(
        [pdfinfo, "-struct-text", str(path)], capture_output=True, text=True, timeout=60, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"pdfinfo -struct-text failed: {result.stderr.strip()}")
    return result.stdout


def struct_elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every structure element of an open tagged PDF, depth first, for tests that look at one kind of element."""
    found: list[pikepdf.Dictionary] = []
    stack = [pdf.Root.StructTreeRoot.K]
    while stack:
        kids = stack.pop()
        for kid in reversed(list(kids) if isinstance(kids, pikepdf.Array) else [kids]):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                found.append(kid)
                stack.append(kid.get("/K", pikepdf.Array()))
    return found
