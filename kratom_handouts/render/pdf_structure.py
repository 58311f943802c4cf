"""Write the structure tree into the PDF ReportLab made: the last step of every render.

ReportLab writes the marked content (``tagging.py`` puts it there); this adds
what ReportLab cannot: the StructTreeRoot with every element and its
(page, MCID) content, the ParentTree back from content to elements,
``/StructParents`` and ``/Tabs /S`` on pages, link annotations tied to their
Link elements (``/StructParent`` and an OBJR), ``/MarkInfo`` and XMP metadata
with ``pdfuaid:part`` (the fonts' ToUnicode maps are made clean as ReportLab
writes them: ``font_subsets.py``). pikepdf does the writing (qpdf underneath):
it edits objects in place and, with ``deterministic_id``, gives byte-identical
files.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from .tagging import LINK_KEY, Element, LinkAnnotation, Structure, walk

INSERT_KEY = "/KHInsert"  # marks the empty Part an insert's tags go into; removed when they are grafted


@dataclass(frozen=True)
class DocumentFacts:
    title: str
    lang: str
    claims_ua: bool = True  # False when the file holds content we could not tag (an untagged insert)
    show_outline: bool = False  # open with the bookmarks panel shown (a bundle: its parts are found there)


def write_structure(pdf_bytes: bytes, structure: Structure, facts: DocumentFacts) -> bytes:
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        _single_filters_as_names(pdf)
        _tree(pdf, structure)
        _metadata(pdf, facts)
        if facts.show_outline:
            pdf.Root.PageMode = Name.UseOutlines
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, min_version="1.7", fix_metadata_version=False,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()


def _single_filters_as_names(pdf: pikepdf.Pdf) -> None:
    """ReportLab writes ``/Filter [/FlateDecode]``; qpdf decodes and compresses again every stream whose
    filter is an array (the logo's pixels, the fonts, every page), which took 70% of the save. As a name,
    the same filter keeps the compressed bytes as they are."""
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream):
            filters = obj.stream_dict.get("/Filter")
            if isinstance(filters, Array) and len(filters) == 1:
                obj.stream_dict.Filter = filters[0]


def _tree(pdf: pikepdf.Pdf, structure: Structure) -> None:
    pages = list(pdf.pages)
    page_objects = [page.obj for page in pages]  # each .obj is a new wrapper: made once, not once per reference
    annotations = _marked_annotations(pages)
    parent_arrays: dict[int, dict[int, pikepdf.Object]] = {index: {} for index in range(len(pages))}
    annotation_parents: list[pikepdf.Object] = []
    root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    # Two passes over the tree (iterative, so deep input cannot exhaust the stack): make every element
    # that holds something, then fill each one's /K in reading order.
    in_order = list(walk(structure.root))
    holding = _holding(in_order)
    elements = [e for e in in_order if e is structure.root or id(e) in holding or e.insert]
    # Each element is made whole in one call (pikepdf's calls cost more than what they do); parents come
    # before their children in reading order, so /P is known when a child is made.
    struct_elem, mcr, objr = Name.StructElem, Name.MCR, Name.OBJR
    made: dict[int, pikepdf.Object] = {}
    for element in elements:
        entries = _attributes(element)
        entries["/Type"] = struct_elem
        entries["/S"] = Name("/" + element.role)
        entries["/P"] = made[id(element.parent)] if element.parent is not None else root
        first_page = _first_page(element)
        if first_page is not None:
            entries["/Pg"] = page_objects[first_page]
        made[id(element)] = pdf.make_indirect(Dictionary(entries))
    for element in elements:
        obj = made[id(element)]
        kids: list[Any] = []
        first_page = None
        for item in element.content:
            if isinstance(item, tuple):
                page, mcid = item
                if first_page is None:
                    first_page = page
                # Content on the element's own page (/Pg) is just its MCID; on another page, a reference.
                kids.append(mcid if page == first_page else Dictionary(Type=mcr, Pg=page_objects[page], MCID=mcid))
                parent_arrays[page][mcid] = obj
            elif isinstance(item, Element):
                if id(item) in made:
                    kids.append(made[id(item)])
            elif isinstance(item, LinkAnnotation):
                annotation = annotations.get((item.page, item.number))
                if annotation is not None:
                    annotation.StructParent = len(pages) + len(annotation_parents)
                    annotation_parents.append(obj)
                    kids.append(Dictionary(Type=objr, Obj=annotation, Pg=page_objects[item.page]))
        obj.K = kids[0] if len(kids) == 1 else Array(kids)
    root.K = Array([made[id(structure.root)]])
    nums: list[Any] = []  # a Python list made into one Array at the end: Array.extend copies the whole array
    tabs = Name.S
    for index, page_object in enumerate(page_objects):
        page_object.Tabs = tabs
        by_mcid = parent_arrays[index]
        if by_mcid:
            page_object.StructParents = index
            nums.extend([index, Array([by_mcid.get(n, None) for n in range(max(by_mcid) + 1)])])
    for offset, parent in enumerate(annotation_parents):
        nums.extend([len(pages) + offset, parent])
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array(nums)))
    root.ParentTreeNextKey = len(pages) + len(annotation_parents)
    pdf.Root.StructTreeRoot = root
    pdf.Root.MarkInfo = Dictionary(Marked=True)


def _holding(in_order: list[Element]) -> set[int]:
    """The elements that hold marked content or an annotation, themselves or below (empty ones are left out)."""
    holding: set[int] = set()
    for element in reversed(in_order):  # children before their parents
        if any(not isinstance(item, Element) or id(item) in holding for item in element.content):
            holding.add(id(element))
    return holding


def _first_page(element: Element) -> int | None:
    """The page of the element's first marked content (its /Pg), if it has any."""
    return next((item[0] for item in element.content if isinstance(item, tuple)), None)


def _attributes(element: Element) -> dict[str, Any]:
    entries: dict[str, Any] = {}
    if element.alt:
        entries["/Alt"] = String(element.alt)
    if element.lang:
        entries["/Lang"] = String(element.lang)
    if element.actual_text:
        entries["/ActualText"] = String(element.actual_text)
    if element.scope:
        entries["/A"] = Dictionary(O=Name.Table, Scope=Name("/" + element.scope))
    if element.title:
        entries["/T"] = String(element.title)
    if element.insert:
        entries[INSERT_KEY] = String(element.insert)
    return entries


def _marked_annotations(pages: list[pikepdf.Page]) -> dict[tuple[int, int], pikepdf.Object]:
    """Link annotations the canvas marked with their number; the private key is removed."""
    found: dict[tuple[int, int], pikepdf.Object] = {}
    key = "/" + LINK_KEY
    for index, page in enumerate(pages):
        for annotation in page.obj.get("/Annots", Array()):
            if key in annotation:
                found[(index, int(annotation[key]))] = annotation
                del annotation[key]
    return found


# --- metadata ---------------------------------------------------------------------

def _metadata(pdf: pikepdf.Pdf, facts: DocumentFacts) -> None:
    info = pdf.docinfo
    fields = {
        "title": facts.title,
        "description": str(info.get("/Subject", "")),
        "creator": str(info.get("/Author", "")),
        "keywords": str(info.get("/Keywords", "")),
        "producer": str(info.get("/Producer", "")),
        "tool": str(info.get("/Creator", "")),
        "created": _xmp_date(str(info.get("/CreationDate", ""))),
        "modified": _xmp_date(str(info.get("/ModDate", ""))),
    }
    ua = "   <pdfuaid:part>1</pdfuaid:part>\n" if facts.claims_ua else ""
    xmp = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(fields["title"])}</rdf:li></rdf:Alt></dc:title>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(fields["description"])}</rdf:li></rdf:Alt></dc:description>
   <dc:creator><rdf:Seq><rdf:li>{escape(fields["creator"])}</rdf:li></rdf:Seq></dc:creator>
   <dc:language><rdf:Bag><rdf:li>{escape(facts.lang)}</rdf:li></rdf:Bag></dc:language>
   <pdf:Keywords>{escape(fields["keywords"])}</pdf:Keywords>
   <pdf:Producer>{escape(fields["producer"])}</pdf:Producer>
   <xmp:CreatorTool>{escape(fields["tool"])}</xmp:CreatorTool>
   <xmp:CreateDate>{fields["created"]}</xmp:CreateDate>
   <xmp:ModifyDate>{fields["modified"]}</xmp:ModifyDate>
{ua}  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""  # noqa: E501 (the XMP packet's lines, as written into the PDF)
    stream = pikepdf.Stream(pdf, xmp.encode("utf-8"))
    stream.Type = Name.Metadata
    stream.Subtype = Name.XML
    pdf.Root.Metadata = pdf.make_indirect(stream)


def _xmp_date(pdf_date: str) -> str:
    """D:20261120000000+00'00' -> 2026-11-20T00:00:00+00:00."""
    match = re.match(r"D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})([+-]\d{2})?'?(\d{2})?", pdf_date)
    if not match:
        return ""
    year, month, day, hour, minute, second, tz_hour, tz_minute = match.groups()
    zone = f"{tz_hour}:{tz_minute or '00'}" if tz_hour else "Z"
    return f"{year}-{month}-{day}T{hour}:{minute}:{second}{zone}"
