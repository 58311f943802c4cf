"""What of an inserted PDF a bundle may carry: its pages' drawing, and nothing live.

One rule, used twice: by ``check`` (through pypdf, to report what will be
left out, with the insert's name) and by the merge (through pikepdf, to leave
it out). A page's content stream can only draw; what can act is in
annotations and in the document's catalog, and those are filtered here.
"""

from __future__ import annotations

SAFE_URI_SCHEMES = ("https:", "http:", "mailto:", "tel:")
# Annotations that are only marks on the page (a note, a highlight): carried over without any action.
PASSIVE = frozenset({"/Text", "/FreeText", "/Line", "/Square", "/Circle", "/Polygon", "/PolyLine", "/Highlight",
                     "/Underline", "/Squiggly", "/StrikeOut", "/Stamp", "/Caret", "/Ink", "/Popup"})
# Catalog entries that act or carry files: a bundle never has an insert's.
# What a carried annotation keeps: how it looks and what it says. Every other key goes, whatever it points at:
# actions (/A but a plain web link, /AA, /Next chains), its page (/P), the annotation it replies to (/IRT), its
# pop-up and parent (/Popup, /Parent), files (/FS), destinations (/Dest: they point into the insert's own pages).
# It is done to the insert's objects themselves, before anything is copied, so nothing reached another way (a
# structure element that names the annotation) brings the rest along.
KEPT_ANNOTATION_KEYS = frozenset({
    "/Type", "/Subtype", "/Rect", "/Contents", "/NM", "/M", "/F", "/C", "/CA", "/Border", "/BS", "/BE", "/QuadPoints",
    "/InkList", "/Vertices", "/L", "/LE", "/IC", "/AP", "/AS", "/DA", "/Q", "/RC", "/Subj", "/T", "/CreationDate",
    "/Name", "/RD", "/Open", "/StructParent"})
DOCUMENT_LEVEL = {"/OpenAction": "an action run on opening", "/AA": "actions run on events",
                  "/AcroForm": "form fields", "/Names/JavaScript": "JavaScript", "/Names/EmbeddedFiles":
                  "embedded files"}


def annotation_refused(subtype: str, action: str | None, uri: str | None) -> str | None:
    """Why an annotation is left out of the bundle (None: it is carried, without /AA).

    ``action`` is its /A action's /S (``/URI``, ``/JavaScript``, ``/Launch``...), ``uri`` the /URI of one.
    """
    if subtype == "/Link":
        if action is None:
            return None  # a destination inside the insert, or nothing
        if action == "/URI" and uri is not None and uri.strip().lower().startswith(SAFE_URI_SCHEMES):
            return None
        if action == "/URI":
            return f"a link to '{(uri or '')[:60]}'"
        return f"a link that runs a {action[1:]} action"
    if subtype in PASSIVE:
        return None
    if subtype == "/Widget":
        return "a form field"
    return f"a {subtype[1:] or 'unnamed'} annotation"
