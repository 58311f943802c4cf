"""A handout, a layout and labels -> a standalone web page (the web edition). A pure function, like the PDF one.

The page is semantic HTML with no script and no outside requests: the brand's
colours and logo are inlined, text is escaped the way the PDF path escapes it
(only ``**bold**``, ``*italic*`` and safe links become tags), and each block
draws itself with the small kit here (``HtmlContext``), as it does for PDF.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field

from .. import inline
from ..blocks import spec_for
from ..i18n.languages import direction_of
from ..model import Handout, Labels, Layout
from ..review import closing_record, page_status
from .bidi import NUMBER

CHECK_BOX = "\u2610"
NEWLINE = "\n"


def escape(words: str) -> str:
    return html.escape(words, quote=True)


def text_html(words: str) -> str:
    """Escaped text, each number with separators (a phone number, a date) in a span that keeps it whole and left
    to right: under the plain bidi rules a browser shows 1-800-662-4357 in Arabic text as 4357-662-800-1 (the
    PDF's text layer has the same rule, ``bidi.py``)."""
    out, at = [], 0
    for match in NUMBER.finditer(words):
        out.append(f'{escape(words[at:match.start()])}<span class="number" dir="ltr">{escape(match.group(0))}</span>')
        at = match.end()
    return "".join(out) + escape(words[at:])


def inline_html(source: str) -> str:
    """Content text with its emphasis as tags; everything else escaped, unsafe links printed as text."""
    out = []
    for span in inline.parse(source):
        piece = text_html(span.text)
        if span.italic:
            piece = f"<em>{piece}</em>"
        if span.bold:
            piece = f"<strong>{piece}</strong>"
        if span.href and inline.is_safe_url(span.href):
            piece = f'<a href="{escape(span.href)}">{piece}</a>'
        out.append(piece)
    return "".join(out)


def data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


@dataclass
class HtmlContext:
    """What a block's HTML renderer may use: labels, the layout, and the heading level it is at."""

    layout: Layout
    labels: Labels
    lang: str
    images: dict[str, bytes] = field(default_factory=dict)  # path -> bytes, read by the caller
    headings_so_far: int = 0

    @property
    def call_label(self) -> str:
        return self.labels["call"]

    @property
    def text_label(self) -> str:
        return self.labels["text"]

    def para(self, source: str, css_class: str | None = None) -> str:
        attribute = f' class="{css_class}"' if css_class else ""
        return f"<p{attribute}>{inline_html(source)}</p>"

    def literal(self, words: str) -> str:
        return text_html(words)

    def link(self, label: str, href: str) -> str:
        return f'<a href="{escape(href)}">{escape(label)}</a>' if inline.is_safe_url(href) else escape(label)

    def call_link(self, number: str, href: str) -> str:
        """"Call 1-800-662-4357": the words may wrap, the number never does (it is read and dialled whole)."""
        return (f'<a href="{escape(href)}">{escape(self.call_label)} '
                f'<span class="number" dir="ltr">{escape(number)}</span></a>')

    def box_heading(self, source: str) -> str:
        """A box's title: a heading one below the section headings once there are any, a section heading before."""
        tag = "h3" if self.headings_so_far else "h2"
        return f"<{tag}>{inline_html(source)}</{tag}>"

    def list_items(self, items: list[str], tag: str = "ul", css_class: str | None = None) -> str:
        attribute = f' class="{css_class}"' if css_class else ""
        return f"<{tag}{attribute}>" + "".join(f"<li>{inline_html(item)}</li>" for item in items) + f"</{tag}>"

    def image(self, path: str, alt: str) -> str:
        mime = "image/jpeg" if path.lower().endswith((".jpg", ".jpeg")) else "image/png"
        data = self.images.get(path)
        if data is None:
            return ""
        return f'<figure><img src="{data_uri(data, mime)}" alt="{escape(alt)}"></figure>'


def stylesheet(layout: Layout, direction: str) -> str:
    c = layout.colors
    start = "right" if direction == "rtl" else "left"
    return f"""
:root {{ color-scheme: light; }}
body {{ margin: 0; font-family: "Noto Sans", system-ui, sans-serif; font-size: 1.125rem; line-height: 1.55;
  color: {c.text}; background: #ffffff; }}
.brand, main, .record {{ max-width: 44rem; margin: 0 auto; padding: 0 1rem; }}
.brand {{ display: flex; align-items: center; gap: 0.75rem; padding-top: 1rem; padding-bottom: 0.5rem;
  border-bottom: 3px solid {c.accent}; }}
.brand img {{ height: 2.5rem; width: auto; }}
.brand span {{ font-weight: 700; color: {c.heading}; }}
h1, h2, h3 {{ color: {c.heading}; line-height: 1.25; }}
h1 {{ font-size: 2rem; margin: 1rem 0 0.25rem; }}
.subtitle {{ font-size: 1.25rem; margin-top: 0; }}
.status {{ font-weight: 700; color: {c.text}; background: {c.warning_background}; padding: 0.25rem 0.5rem;
  display: inline-block; }}
a {{ color: {c.link}; text-decoration: underline; overflow-wrap: anywhere; }}
a:focus-visible {{ outline: 3px solid {c.accent}; outline-offset: 2px; }}
.summary, .callout {{ padding: 0.75rem 1rem; margin: 1rem 0; border-{start}: 6px solid {c.accent};
  background: {c.summary_background}; }}
.summary h2, .callout h2, .callout h3 {{ font-size: 1.1rem; margin: 0 0 0.25rem; }}
""" + "".join(f"""
.callout-{kind} {{ background: {getattr(c, kind + "_background")}; border-{start}-color: {getattr(c, kind + "_border")}; }}"""  # noqa: E501 (one CSS rule a line)
              for kind in ("info", "tip", "warning", "emergency")) + f"""
table {{ border-collapse: collapse; width: 100%; margin: 1rem 0; }}
th, td {{ text-align: start; vertical-align: top; padding: 0.4rem 0.5rem; border-bottom: 1px solid {c.muted}; }}
.contacts .note {{ font-weight: normal; }}
.number {{ white-space: nowrap; }}  /* a help-line number is never split over two lines */
:lang(ko) {{ word-break: keep-all; }}  /* Korean breaks between words, as in print */
.checklist {{ list-style: none; padding-inline-start: 0.25rem; }}
.checklist li::before {{ content: "{CHECK_BOX}  "; }}
figure {{ margin: 1rem 0; }} figure img {{ max-width: 100%; height: auto; }}
.sources, .record {{ font-size: 0.95rem; }}
.record {{ border-top: 1px solid {c.muted}; margin-top: 2rem; padding-bottom: 2rem; }}
@media print {{
  body {{ font-size: 12pt; }}
  .brand, main, .record {{ max-width: none; }}
  a {{ color: {c.text}; }}
  .sources a::after {{ content: ""; }}
  .callout, .summary, table {{ break-inside: avoid; }}
  h2, h3 {{ break-after: avoid; }}
}}
"""


def render_handout_html(handout: Handout, layout: Layout, labels: Labels, reading_grade: str | None = None,
                        images: dict[str, bytes] | None = None, logo: bytes | None = None) -> bytes:
    """The handout as one HTML page; ``images`` and ``logo`` are the bytes of the files the handout and layout name."""
    direction = direction_of(handout.lang)
    ctx = HtmlContext(layout, labels, handout.lang, images or {})
    clinic = layout.clinic.name.value
    brand = f'<img src="{data_uri(logo, "image/png")}" alt="">' if logo else ""
    body: list[str] = []
    for index, block in enumerate(handout.body):
        body.append(spec_for(block).html(block, index, ctx))
        if spec_for(block).key == "heading":
            ctx.headings_so_far += 1
    sources = []
    for source in handout.sources:
        words = escape(source.citation())
        link = f' <a href="{escape(source.url.value)}">{escape(source.url.value)}</a>' if source.url is not None else ""
        sources.append(f'<li dir="auto">{words}{link}</li>')  # an English source reads left to right anywhere
    record = closing_record(handout, labels, reading_grade)
    clinic_line = text_html(layout.clinic.contact_line(with_name=True))
    subtitle = f'<p class="subtitle">{inline_html(handout.subtitle.value)}</p>' if handout.subtitle is not None else ""
    draft = f'<p class="status">{escape(labels["draft"])}</p>' if handout.draft else ""
    page = f"""<!DOCTYPE html>
<html lang="{escape(handout.lang)}" dir="{direction}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(inline.plain_text(handout.title.value))} - {escape(clinic)}</title>
<meta name="description" content="{escape(inline.plain_text(handout.summary.value))}">
<style>{stylesheet(layout, direction)}</style>
</head>
<body>
<header class="brand">{brand}<span dir="auto">{escape(clinic)}</span></header>
<main>
<h1>{inline_html(handout.title.value)}</h1>
{subtitle}
<p class="status">{escape(page_status(handout, labels))}</p>
{draft}
<section class="summary" aria-labelledby="summary-heading">
<h2 id="summary-heading">{escape(labels["in_short"])}</h2>
{ctx.para(handout.summary.value)}
</section>
{NEWLINE.join(body)}
<section class="sources" aria-labelledby="sources-heading">
<h2 id="sources-heading">{escape(labels["sources"])}</h2>
<ol>{"".join(sources)}</ol>
</section>
</main>
<footer class="record">
<p>{escape(record)}</p>
<p dir="auto">{clinic_line}</p>
</footer>
</body>
</html>
"""
    return page.encode("utf-8")
