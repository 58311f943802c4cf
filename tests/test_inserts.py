"""Inserted PDFs are inert: whatever an insert holds, the bundle carries its drawing and plain web links only."""

from __future__ import annotations

import io

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from .conftest import pypdf_pages
from .test_bundle import PROGRAM, TITLES, one_page_handout


def insert(make) -> bytes:
    """A one-page PDF ("Insert page"), changed by ``make(pdf)`` into a hostile one."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(612, 792))
    font = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))
    page = pdf.pages[0].obj
    page.Resources = Dictionary(Font=Dictionary(F1=font))
    page.Contents = pdf.make_stream(b"BT /F1 24 Tf 72 700 Td (Insert page) Tj ET")
    make(pdf)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def js(code: str) -> Dictionary:
    return Dictionary(S=Name.JavaScript, JS=String(code))


def annotate(pdf, **fields) -> pikepdf.Dictionary:
    annotation = pdf.make_indirect(Dictionary(Type=Name.Annot, Rect=Array([72, 600, 300, 650]), **fields))
    page = pdf.pages[0].obj
    page.Annots = Array([*page.get("/Annots", Array()), annotation])
    return annotation


def embedded(pdf, name: str) -> pikepdf.Dictionary:
    data = pdf.make_stream(b"payload")
    data.Type = Name.EmbeddedFile
    return pdf.make_indirect(Dictionary(Type=Name.Filespec, F=String(name), EF=Dictionary(F=data)))


def popup_smuggling_a_file(pdf):
    parent = annotate(pdf, Subtype=Name.FileAttachment, FS=embedded(pdf, "smuggled.exe"),
                      AA=Dictionary(PO=js("app.alert('parent')")))
    parent.Popup = annotate(pdf, Subtype=Name.Popup, Parent=parent)


def note_replying_to_a_scripted_field(pdf):
    field = pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Widget, FT=Name.Btn, T=String("b"),
                                         Rect=Array([72, 300, 200, 340]), A=js("app.alert('field')")))
    annotate(pdf, Subtype=Name.Text, Contents=String("note"), IRT=field)


HOSTILE = {
    "script on opening": lambda pdf: setattr(pdf.Root, "OpenAction", pdf.make_indirect(js("app.alert(1)"))),
    "document script": lambda pdf: setattr(pdf.Root, "Names", Dictionary(
        JavaScript=Dictionary(Names=Array([String("x"), pdf.make_indirect(js("app.alert(2)"))])))),
    "embedded file": lambda pdf: setattr(pdf.Root, "Names", Dictionary(
        EmbeddedFiles=Dictionary(Names=Array([String("payload.exe"), embedded(pdf, "payload.exe")])))),
    "launch link": lambda pdf: annotate(pdf, Subtype=Name.Link, A=Dictionary(S=Name.Launch, F=String("/bin/sh"))),
    "file link": lambda pdf: annotate(pdf, Subtype=Name.Link, A=Dictionary(S=Name.URI, URI=String("file:///etc/x"))),
    "web link chained to a script": lambda pdf: annotate(pdf, Subtype=Name.Link, A=Dictionary(
        S=Name.URI, URI=String("https://example.org/"), Next=pdf.make_indirect(js("app.alert(3)")))),
    "link with actions on events": lambda pdf: annotate(pdf, Subtype=Name.Link, AA=Dictionary(E=js("app.alert(4)"))),
    "file attachment": lambda pdf: annotate(pdf, Subtype=Name.FileAttachment, FS=embedded(pdf, "att.exe")),
    "pop-up whose parent carries a file": popup_smuggling_a_file,
    "note replying to a scripted field": note_replying_to_a_scripted_field,
    "scripted form field": lambda pdf: setattr(pdf.Root, "AcroForm", Dictionary(Fields=Array([annotate(
        pdf, Subtype=Name.Widget, FT=Name.Tx, T=String("name"), A=js("app.alert(5)"),
        AA=Dictionary(K=js("app.alert(6)")))]))),
    "page actions": lambda pdf: setattr(pdf.pages[0].obj, "AA", Dictionary(O=js("app.alert(7)"))),
    "script in the page's resources": lambda pdf: setattr(pdf.pages[0].obj.Resources, "Evil",
                                                          pdf.make_indirect(js("app.alert(8)"))),
    # written in place inside a font the page uses: only the last sweep, which looks inside objects, finds it
    "script inside a font": lambda pdf: setattr(pdf.pages[0].obj.Resources.Font.F1, "Evil", js("app.alert(9)")),
}


def live_things(path) -> list[str]:
    """Everything in the file that could act or carry a file, wherever it hangs."""
    found = []

    def everything(pdf):  # every object, the direct ones inside others too
        stack = list(pdf.objects)
        while stack:
            item = stack.pop()
            yield item
            if isinstance(item, pikepdf.Dictionary | pikepdf.Stream):
                children = [item[key] for key in list(item.keys())]
            elif isinstance(item, pikepdf.Array):
                children = list(item)
            else:
                continue
            stack += [child for child in children if isinstance(child, pikepdf.Object) and not child.is_indirect]

    with pikepdf.open(path) as pdf:
        for item in everything(pdf):
            if isinstance(item, pikepdf.Stream) and item.get("/Type") == Name.EmbeddedFile:
                found.append("an embedded file")
            if isinstance(item, pikepdf.Dictionary):
                kind = item.get("/S")
                if "/JS" in item or kind in (Name.JavaScript, Name.Launch, Name.SubmitForm, Name.GoToR):
                    found.append(f"an action {kind}")
                if item.get("/Type") == Name.Filespec:
                    found.append("a file specification")
                uri = item.get("/URI")
                if uri is not None and not str(uri).startswith(("https:", "http:", "mailto:", "tel:")):
                    found.append(f"a link to {uri}")
                if item.get("/Type") == Name.Annot or ("/Rect" in item and "/Subtype" in item):
                    found += [f"an annotation's {key}" for key in ("/AA", "/IRT", "/Popup", "/Parent", "/FS", "/Dest")
                              if key in item]
                    if "/A" in item and "/Next" in item.A:
                        found.append("an annotation action's /Next")
                if item.get("/Type") == Name.Page and "/AA" in item:
                    found.append("a page's /AA")
        found += [f"the document's {key}" for key in ("/OpenAction", "/AA", "/AcroForm") if key in pdf.Root]
        names = pdf.Root.get("/Names", Dictionary())
        found += [f"the document's {key}" for key in ("/JavaScript", "/EmbeddedFiles") if key in names]
    return sorted(set(found))


@pytest.fixture
def bundle_with(project):
    for handout_id in TITLES:
        project.handout(handout_id, one_page_handout(handout_id))

    def build(content: bytes):
        project.write("inserts/consent.pdf", content)
        project.write("programs/starter.yaml", PROGRAM.format(duplex="false", after="three"))
        checked = project.run("check")
        result = project.run("bundle")
        assert result.exit_code == 0, result.output
        return project.root / "output" / "bundles" / "standard" / "en" / "starter.pdf", checked.output

    return build


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_bundle_carries_nothing_live_from_an_insert(bundle_with, name):
    pdf, checked = bundle_with(insert(HOSTILE[name]))
    assert live_things(pdf) == []
    assert "Insert page" in pypdf_pages(pdf)[-1]  # the clinic's page itself is all there
    if name not in ("page actions", "script in the page's resources", "note replying to a scripted field",
                    "script inside a font"):
        assert "'consent.pdf': bundles leave out" in checked, checked  # check says what goes


def test_the_inertness_check_sees_live_content(tmp_path):
    """The control: the same scan finds what each hostile insert holds before it is bundled."""
    for name, make in HOSTILE.items():
        path = tmp_path / "insert.pdf"
        path.write_bytes(insert(make))
        assert live_things(path) != [], name


def test_a_plain_web_link_in_an_insert_survives(bundle_with):
    pdf, _ = bundle_with(insert(lambda pdf: annotate(pdf, Subtype=Name.Link, A=Dictionary(
        S=Name.URI, URI=String("https://example.org/consent")))))
    with pikepdf.open(pdf) as opened:
        uris = [str(a.A.URI) for page in opened.pages for a in page.obj.get("/Annots", Array())
                if "/A" in a and "/URI" in a.A]
    assert "https://example.org/consent" in uris


@pytest.mark.parametrize("box,turn,message", [
    ([0, 0, 0, 0], 0, "page 1 has an unusable size (0 x 0 points; a page is 72 to 14,400 points each way); print it "
                      "to a new PDF at its paper size"),
    ([0, 0, 1e9, 1e9], 0, "page 1 has an unusable size (1e+09 x 1e+09 points; a page is 72 to 14,400 points each "
                          "way); print it to a new PDF at its paper size"),
    ([0, 0, 612, 792], 45, "page 1 is turned by 45 degrees; a page can only be turned by quarter turns"),
])
def test_an_insert_page_of_no_size_or_turned_part_way_is_refused_in_check(bundle_with, project, box, turn, message):
    def shape(pdf):
        pdf.pages[0].obj.MediaBox = Array(box)
        pdf.pages[0].obj.Rotate = turn

    project.write("inserts/consent.pdf", insert(shape))
    project.write("programs/starter.yaml", PROGRAM.format(duplex="false", after="three"))
    for handout_id in TITLES:
        project.handout(handout_id, one_page_handout(handout_id))
    result = project.run("check")
    assert result.exit_code == 1
    assert f"programs/starter.yaml:6:25: inserts item 1 path: 'consent.pdf': {message}" in result.stderr.splitlines()
