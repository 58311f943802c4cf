"""Finishing a bundle: the clinic's PDF inserts laid into their placeholder pages, with their tags (pikepdf).

The renderer reserved blank pages for each insert, already bookmarked, listed
in the contents, counted in the page labels, and an empty ``Part`` in the
structure tree. Here each placeholder page takes the insert page's content,
resources, annotations and size; the page object itself stays, so bookmarks
and labels still point at it. A tagged insert's structure tree is grafted
under its Part: page references, ParentTree keys and RoleMap are remapped, IDs
dropped. An untagged insert keeps its drawing only (``check`` warns, and the
bundle claims no PDF/UA).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import TypeVar, overload

import pikepdf
from pikepdf import Array, Dictionary, Name

from .inserts import KEPT_ANNOTATION_KEYS, annotation_refused
from .render.bundle import BundlePlan, RenderedBundle
from .render.pdf_structure import INSERT_KEY

PAGE_KEY = "/KHPage"  # stands for a /Pg while an insert's tree is copied, so its pages are not copied twice
RESOURCE_KINDS = frozenset({"/Font", "/XObject", "/ExtGState", "/ColorSpace", "/Pattern", "/Shading",
                            "/Properties", "/ProcSet"})  # what a page's drawing can name; nothing else is copied
PAGE_PARTS = ("/Contents", "/Resources", "/MediaBox", "/CropBox", "/Rotate")

T = TypeVar("T")


def merge_inserts(rendered: RenderedBundle, plan: BundlePlan, insert_pdfs: dict[str, bytes]) -> bytes:
    """The final bundle bytes; without inserts, the rendered bytes unchanged."""
    placements = rendered.insert_first_pages(plan)
    if not placements:
        return rendered.pdf
    with pikepdf.open(io.BytesIO(rendered.pdf)) as bundle:
        parts = _insert_parts(bundle)
        for insert_id, first in placements.items():
            with pikepdf.open(io.BytesIO(insert_pdfs[insert_id])) as insert:
                _place_pages(bundle, insert, first)
                part = parts.get(insert_id)
                if part is not None:
                    del part[INSERT_KEY]
                    if "/StructTreeRoot" in insert.Root:
                        _graft(bundle, insert, first, part)
        _drop_empty_parts(bundle)
        _sweep_live(bundle)
        out = io.BytesIO()
        bundle.save(out, deterministic_id=True, fix_metadata_version=False,
                    object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()


def _neuter(annotation: pikepdf.Dictionary) -> None:
    """Only the keys that draw and describe stay (inserts.KEPT_ANNOTATION_KEYS); a web link keeps its address."""
    action = annotation.get("/A")
    uri = action.get("/URI") if isinstance(action, pikepdf.Dictionary) and action.get("/S") == Name.URI else None
    for key in list(annotation.keys()):
        if key not in KEPT_ANNOTATION_KEYS:
            del annotation[key]
    if uri is not None and not _refused_link(str(uri)):
        annotation.A = Dictionary(S=Name.URI, URI=uri)


def _refused_link(uri: str) -> bool:
    return annotation_refused("/Link", "/URI", uri) is not None


LIVE_ACTIONS = frozenset({"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE", "/ResetForm",
                          "/Rendition", "/Sound", "/Movie", "/RichMediaExecute", "/Hide", "/SetOCGState", "/Trans"})


def _every_object(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Object]:
    """Every object of the file: the numbered ones and the direct ones inside them (an action written in place)."""
    waiting: list[pikepdf.Object] = list(pdf.objects)
    while waiting:
        item = waiting.pop()
        yield item
        if isinstance(item, pikepdf.Dictionary | pikepdf.Stream):
            children: list[object] = [item[key] for key in list(item.keys())]
        elif isinstance(item, pikepdf.Array):
            children = list(item)
        else:
            continue
        waiting += [child for child in children if isinstance(child, pikepdf.Object) and not child.is_indirect]


def _sweep_live(bundle: pikepdf.Pdf) -> None:
    """The last guard: whatever an insert brought in by a way not foreseen above (a script tucked into a page's
    resources, a file behind a structure element), no action that runs, and no embedded file, is left standing.
    The bundle's own objects hold none, so only an insert's are ever emptied."""
    for item in _every_object(bundle):
        if isinstance(item, pikepdf.Stream) and item.get("/Type") == Name.EmbeddedFile:
            item.write(b"")
            del item["/Type"]
        elif isinstance(item, pikepdf.Dictionary) and (item.get("/S") in LIVE_ACTIONS or "/JS" in item
                                                        or item.get("/Type") == Name.Filespec):
            for key in list(item.keys()):
                del item[key]


def _place_pages(bundle: pikepdf.Pdf, insert: pikepdf.Pdf, first: int) -> None:
    for page in insert.pages:  # every annotation the insert has, before any is copied
        for annotation in page.obj.get("/Annots", Array()):
            if isinstance(annotation, pikepdf.Dictionary):
                keep = not _refused(annotation)
                _neuter(annotation)
                if not keep:
                    annotation.F = 2  # hidden, should anything still name it
    for offset, page in enumerate(insert.pages):
        target = bundle.pages[first + offset].obj
        # What the renderer drew on the placeholder (the page number) goes on top of the insert's page.
        number = _as_form(bundle, target)
        for key in PAGE_PARTS:
            value = page.obj.get(key)  # MediaBox, Resources and Rotate may be inherited from the page tree
            if value is None and key in ("/MediaBox", "/Resources", "/Rotate"):
                value = _inherited(page.obj, key)
            if key == "/Resources" and isinstance(value, pikepdf.Dictionary):
                value = Dictionary({k: v for k, v in value.items() if k in RESOURCE_KINDS})
            if value is not None:
                target[key] = _copied(bundle, insert, value)
            elif key in target:
                del target[key]
        annotations = Array()
        for annotation in page.obj.get("/Annots", Array()):
            if not isinstance(annotation, pikepdf.Dictionary) or int(annotation.get("/F", 0)) & 2:
                continue  # refused (check has said so, naming the insert) and hidden above
            annotations.append(_copied(bundle, insert, annotation))
        if annotations:
            target.Annots = annotations
        if number is not None:
            _stamp(bundle, pikepdf.Page(target), number)


def _foot_of(page: pikepdf.Page, form: pikepdf.Object) -> pikepdf.Rectangle:
    """Where the stamp goes: a strip along the foot of the page as it is seen (a turned page's foot is one of its
    sides), as tall as the bundle's page, so the number is as near the bottom edge as on the pages around it.

    qpdf fits and centres the stamp in this strip, turned upright; it keeps its size unless the page is
    narrower than the bundle's (an A4 insert in a Letter bundle shrinks it by 3%).
    """
    box = pikepdf.Rectangle(page.mediabox)
    stamp = pikepdf.Rectangle(pikepdf.Array(form.BBox))
    turn = int(page.obj.get("/Rotate", 0)) % 360
    seen_width = box.height if turn in (90, 270) else box.width
    thickness = stamp.height * min(1.0, seen_width / stamp.width)
    return {
        90: pikepdf.Rectangle(box.urx - thickness, box.lly, box.urx, box.ury),
        180: pikepdf.Rectangle(box.llx, box.ury - thickness, box.urx, box.ury),
        270: pikepdf.Rectangle(box.llx, box.lly, box.llx + thickness, box.ury),
    }.get(turn, pikepdf.Rectangle(box.llx, box.lly, box.urx, box.lly + thickness))


def _as_form(bundle: pikepdf.Pdf, page: pikepdf.Dictionary) -> pikepdf.Stream | None:
    """The page's drawing as a form XObject, copied now (qpdf's own reads the page when saving, by which time the
    page holds the insert); None if it draws nothing."""
    drawing = b"\n".join(stream.read_bytes() for stream in _streams(page.get("/Contents")))
    if not drawing.strip():
        return None
    return bundle.make_stream(drawing, Type=Name.XObject, Subtype=Name.Form, BBox=page.MediaBox,
                              Resources=page.get("/Resources", Dictionary()))


def _streams(contents: pikepdf.Object | None) -> list[pikepdf.Stream]:
    if isinstance(contents, pikepdf.Stream):
        return [contents]
    return [item for item in contents if isinstance(item, pikepdf.Stream)] if isinstance(contents, Array) else []


def _stamp(bundle: pikepdf.Pdf, page: pikepdf.Page, form: pikepdf.Object) -> None:
    """Draw ``form`` over the page as an artifact, upright and fitted to the page whatever its size and rotation;
    the page's own drawing is wrapped in q/Q first, so a graphics state it leaves behind cannot move the stamp."""
    taken = set(page.resources.get("/XObject", Dictionary()).keys()) if "/Resources" in page.obj else set()
    name = next(Name(f"/KHStamp{n}") for n in range(len(taken) + 1) if f"/KHStamp{n}" not in taken)  # not random
    page.add_resource(form, Name.XObject, name)
    placement = page.calc_form_xobject_placement(form, name, _foot_of(page, form), invert_transformations=True,
                                                 allow_shrink=True, allow_expand=True)
    page.contents_add(bundle.make_stream(b"q\n"), prepend=True)
    page.contents_add(bundle.make_stream(b"Q\n/Artifact BMC\n" + bytes(placement) + b"\nEMC\n"))


def _refused(annotation: pikepdf.Object) -> bool:
    if not isinstance(annotation, pikepdf.Dictionary):
        return True
    action = annotation.get("/A")
    kind = str(action.get("/S")) if isinstance(action, pikepdf.Dictionary) and "/S" in action else None
    uri = str(action.get("/URI")) if kind == "/URI" and isinstance(action, pikepdf.Dictionary) else None
    return annotation_refused(str(annotation.get("/Subtype", "")), kind, uri) is not None


@overload
def _copied(bundle: pikepdf.Pdf, insert: pikepdf.Pdf, value: pikepdf.Object) -> pikepdf.Object: ...
@overload
def _copied(bundle: pikepdf.Pdf, insert: pikepdf.Pdf, value: T) -> T: ...
def _copied(bundle: pikepdf.Pdf, insert: pikepdf.Pdf, value: object) -> object:
    """``value`` from the insert, copied into the bundle (numbers as they are)."""
    if not isinstance(value, pikepdf.Object):
        return value
    return bundle.copy_foreign(value if value.is_indirect else insert.make_indirect(value))


def _inherited(page: pikepdf.Object, key: str) -> pikepdf.Object | None:
    node = page
    for _ in range(64):  # the page tree's depth, bounded
        if key in node:
            return node[key]
        if "/Parent" not in node:
            return None
        node = node.Parent
    return None


def _insert_parts(bundle: pikepdf.Pdf) -> dict[str, pikepdf.Dictionary]:
    root = bundle.Root.get("/StructTreeRoot")
    if root is None:
        return {}
    return {str(element[INSERT_KEY]): element for element in _elements(root) if INSERT_KEY in element}


def _elements(root: pikepdf.Object) -> Iterator[pikepdf.Dictionary]:
    """Structure elements under ``root``, iteratively (an insert's tree can be deep)."""
    stack = [root.get("/K", Array())]
    seen: set[tuple[int, int]] = set()
    while stack:
        kids = stack.pop()
        for kid in list(kids) if isinstance(kids, Array) else [kids]:
            if (not isinstance(kid, Dictionary) or "/S" not in kid
                    or kid.get("/Type", Name.StructElem) != Name.StructElem):
                continue
            if kid.is_indirect:
                if kid.objgen in seen:
                    continue
                seen.add(kid.objgen)
            yield kid
            stack.append(kid.get("/K", Array()))


def _graft(bundle: pikepdf.Pdf, insert: pikepdf.Pdf, first: int, part: pikepdf.Dictionary) -> None:
    element: pikepdf.Object  # the insert's elements, then their copies in the bundle
    kid: pikepdf.Object
    holder: pikepdf.Object
    source_root = insert.Root.StructTreeRoot
    page_index = {page.obj.objgen: n for n, page in enumerate(insert.pages)}
    # In the insert (opened in memory only): page references become numbers, and the tree's top is cut
    # loose, so copying the tree copies neither its pages nor its root.
    for element in _elements(source_root):
        for holder in [element, *[k for k in _as_list(element.get("/K")) if isinstance(k, Dictionary)]]:
            if "/Pg" in holder and holder.Pg.objgen in page_index:
                holder[PAGE_KEY] = page_index[holder.Pg.objgen]
                del holder["/Pg"]
            if "/Obj" in holder and "/P" in holder.Obj:
                del holder.Obj["/P"]
        if "/ID" in element:
            del element["/ID"]
    top = [kid for kid in _as_list(source_root.get("/K")) if isinstance(kid, Dictionary)]
    for kid in top:
        del kid["/P"]  # set to the insert's Part once copied
    copied = [_copied(bundle, insert, kid) for kid in top]
    pages = bundle.pages
    for element in [*copied, *(e for c in copied for e in _elements(Dictionary(K=Array([c]))))]:
        for holder in [element, *[k for k in _as_list(element.get("/K")) if isinstance(k, Dictionary)]]:
            if PAGE_KEY in holder:
                holder.Pg = pages[first + int(holder[PAGE_KEY])].obj
                del holder[PAGE_KEY]
    for kid in copied:
        kid.P = part
    part.K = Array([*_as_list(part.get("/K")), *copied])
    _remap_parent_tree(bundle, insert, first)
    _merge_role_map(bundle.Root.StructTreeRoot, source_root)


def _remap_parent_tree(bundle: pikepdf.Pdf, insert: pikepdf.Pdf, first: int) -> None:
    """The insert's ParentTree keys move past the bundle's, on its pages and annotations alike."""
    root = bundle.Root.StructTreeRoot
    offset = int(root.get("/ParentTreeNextKey", 0))
    entries = _number_tree(insert.Root.StructTreeRoot.get("/ParentTree"))
    nums = root.ParentTree.Nums
    used = 0
    for key, value in sorted(entries.items()):
        nums.extend([offset + key, _copied(bundle, insert, value)])  # type: ignore[list-item]  # pikepdf takes ints
        used = max(used, key + 1)
    for offset_page, page in enumerate(insert.pages):
        target = bundle.pages[first + offset_page].obj
        if "/StructParents" in page.obj:
            target.StructParents = offset + int(page.obj.StructParents)
        for source, annotation in zip(page.obj.get("/Annots", Array()), target.get("/Annots", Array()), strict=False):
            if "/StructParent" in source:
                annotation.StructParent = offset + int(source.StructParent)
        target.Tabs = Name.S
    root.ParentTreeNextKey = offset + used


def _number_tree(node: pikepdf.Object | None) -> dict[int, pikepdf.Object]:
    found: dict[int, pikepdf.Object] = {}
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        nums = list(current.get("/Nums", Array()))
        found.update({int(nums[i]): nums[i + 1] for i in range(0, len(nums) - 1, 2)})
        stack.extend(current.get("/Kids", Array()))
    return found


def _merge_role_map(root: pikepdf.Object, source_root: pikepdf.Object) -> None:
    source = source_root.get("/RoleMap")
    if source is None:
        return
    if "/RoleMap" not in root:
        root.RoleMap = Dictionary()
    for key, value in source.items():
        if key not in root.RoleMap:
            root.RoleMap[key] = Name(str(value))


def _drop_empty_parts(bundle: pikepdf.Pdf) -> None:
    """An untagged insert leaves its Part empty: an element with nothing in it is taken out of the tree."""
    root = bundle.Root.get("/StructTreeRoot")
    if root is None:
        return
    for element in list(_elements(root)):
        if element.get("/S") == Name.Part and not _as_list(element.get("/K")) and "/P" in element:
            parent = element.P
            parent.K = Array([kid for kid in _as_list(parent.get("/K")) if not (isinstance(kid, Dictionary)
                                                                                 and kid.objgen == element.objgen)])


def _as_list(value: pikepdf.Object | None) -> list[pikepdf.Object]:
    if value is None:
        return []
    return list(value) if isinstance(value, Array) else [value]
