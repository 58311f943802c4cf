"""The staff catalog as one HTML page: every built handout and bundle, searchable, working offline from the disk.

Everything is in the page: styles, the search script and the logo. Without
JavaScript the whole list is there, grouped by language; with it, a search box
(accents ignored) and filters by language, layout, program and topic narrow it.
"""

from __future__ import annotations

from ..catalog import Catalog, HandoutEntry, ProgramEntry, folded
from ..i18n.languages import direction_of
from ..model import Layout
from .html import data_uri, escape

SCRIPT = r"""
(function () {
  var fold = function (s) { return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase(); };
  var form = document.getElementById('search');
  var entries = Array.prototype.slice.call(document.querySelectorAll('.entry'));
  var groups = Array.prototype.slice.call(document.querySelectorAll('.group'));
  var count = document.getElementById('count');
  function value(id) { return document.getElementById(id).value; }
  function update() {
    var words = fold(value('q')).split(/\s+/).filter(Boolean);
    var lang = value('f-lang'), layout = value('f-layout'), program = value('f-program'), topic = value('f-topic');
    var shown = 0;
    entries.forEach(function (e) {
      var d = e.dataset;
      var ok = words.every(function (w) { return d.search.indexOf(w) >= 0; })
        && (!lang || d.lang === lang)
        && (!layout || (' ' + d.layouts + ' ').indexOf(' ' + layout + ' ') >= 0)
        && (!program || (' ' + d.programs + ' ').indexOf(' ' + program + ' ') >= 0)
        && (!topic || d.topic === topic);
      e.hidden = !ok;
      if (ok && e.classList.contains('handout')) { shown += 1; }
    });
    groups.forEach(function (g) { g.hidden = !g.querySelector('.entry:not([hidden])'); });
    count.textContent = shown + (shown === 1 ? ' handout shown' : ' handouts shown');
  }
  form.addEventListener('input', update);
  form.addEventListener('submit', function (event) { event.preventDefault(); update(); });
  document.querySelectorAll('button.print').forEach(function (b) {
    b.hidden = false;
    b.addEventListener('click', function () { window.open(b.dataset.pdf, '_blank'); });
  });
  form.hidden = false;
  update();
})();
"""


def _stylesheet(layout: Layout) -> str:
    c = layout.colors
    return f"""
body {{ margin: 0; font-family: system-ui, sans-serif; font-size: 1rem; line-height: 1.5; color: {c.text}; background: #fff; }}
.brand, main, footer {{ max-width: 70rem; margin: 0 auto; padding: 0 1rem; }}
.brand {{ display: flex; align-items: center; gap: 0.75rem; padding-top: 1rem; border-bottom: 3px solid {c.accent}; }}
.brand img {{ height: 2.5rem; width: auto; }}
h1, h2, h3 {{ color: {c.heading}; line-height: 1.25; }}
a {{ color: {c.link}; }}
:lang(ko) {{ word-break: keep-all; }}
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible {{ outline: 3px solid {c.accent}; outline-offset: 2px; }}
form {{ display: flex; flex-wrap: wrap; gap: 0.75rem 1.25rem; align-items: end; padding: 1rem; margin: 1rem 0;
  background: {c.summary_background}; }}
form label {{ display: block; font-weight: 600; }}
form > div {{ max-width: 100%; }}
input, select {{ max-width: 100%; }}
input, select, button {{ font: inherit; padding: 0.35rem 0.5rem; border: 1px solid {c.muted}; background: #fff; color: {c.text}; }}
button {{ cursor: pointer; }}
.entries {{ list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(20rem, 1fr)); gap: 1rem; }}
.entry {{ border: 1px solid {c.muted}; padding: 0.75rem; display: flex; gap: 0.75rem; }}
.entry[hidden], .group[hidden], form[hidden], button[hidden] {{ display: none; }}
.entry img {{ width: 90px; height: auto; border: 1px solid {c.muted}; flex: none; align-self: start; }}
.entry h3 {{ margin: 0 0 0.25rem; font-size: 1.1rem; }}
.entry p {{ margin: 0.25rem 0; }}
.meta {{ font-size: 0.9rem; color: {c.muted}; }}
.status {{ font-weight: 600; }}
.actions {{ display: flex; flex-wrap: wrap; gap: 0.5rem; margin-top: 0.5rem; }}
footer {{ padding: 2rem 1rem; font-size: 0.9rem; }}
@media (max-width: 30rem) {{ .entry {{ flex-direction: column; }} }}
"""  # noqa: E501 (the stylesheet as the page carries it: one rule a line, however long)


def _options(label: str, element_id: str, values: list[tuple[str, str]]) -> str:
    options = "".join(f'<option value="{escape(v)}">{escape(name)}</option>' for v, name in values)
    return (f'<div><label for="{element_id}">{escape(label)}</label>'
            f'<select id="{element_id}"><option value="">All</option>{options}</select></div>')


def _handout(entry: HandoutEntry, topic: str, language_names: dict[str, str]) -> str:
    f = entry.facts
    lang = f["lang"]
    search = folded(" ".join([f["title"], f.get("subtitle", ""), f["summary"], *f["keywords"]]))
    thumbnail = (f'<img src="{escape(entry.thumbnail)}" alt="Page 1 of {escape(f["title"])}" lang="{escape(lang)}">'
                 if entry.thumbnail else "")
    links = []
    for layout, (path, pages) in sorted(entry.pdfs.items()):
        links.append(f'<a href="{escape(path)}">PDF, {escape(layout)}, {pages} page{"s" if pages != 1 else ""}</a>'
                     f'<button type="button" class="print" data-pdf="{escape(path)}" hidden>'
                     f'Print {escape(layout)}<span class="visually-hidden"> PDF of {escape(f["title"])}</span>'
                     '</button>')
    if entry.web:
        links.append(f'<a href="{escape(entry.web)}">Web page</a>')
    grade = f'Reading grade {escape(f["grade"])} · ' if f.get("grade") else ""
    subtitle = f'<p lang="{escape(lang)}">{escape(f["subtitle"])}</p>' if f.get("subtitle") else ""
    return (f'<li class="entry handout" lang="{escape(lang)}" dir="{direction_of(lang)}" data-lang="{escape(lang)}" '
            f'data-layouts="{escape(" ".join(sorted(entry.pdfs)))}" data-programs="{escape(" ".join(entry.programs))}" '
            f'data-topic="{escape(f["id"])}" data-search="{escape(search)}">{thumbnail}<div>'
            f'<h3>{escape(f["title"])}</h3>{subtitle}<p>{escape(f["summary"])}</p>'
            f'<p class="meta" lang="en" dir="ltr">{escape(language_names.get(lang, lang))} · '
            f'{grade}Updated {escape(f["updated"])} · '
            f'<span class="status" lang="{escape(lang)}">{escape(f["status"])}</span></p>'
            '<p class="meta" lang="en" dir="ltr">'
            f'Keywords: {_keywords(f["keywords"], lang)}'
            f' · Topic: {escape(topic)}</p>'
            f'<div class="actions" lang="en" dir="ltr">{"".join(links)}</div></div></li>')


def _keywords(keywords: list[str], lang: str) -> str:
    """Each keyword isolated (``bdi``), so that Arabic ones keep their order, commas between, in an English line."""
    return ", ".join(f'<bdi lang="{escape(lang)}">{escape(keyword)}</bdi>' for keyword in keywords)


def _program(entry: ProgramEntry, titles: dict[tuple[str, str], str]) -> str:
    names = "".join(f"<li>{escape(titles.get((h, entry.lang), h))}</li>" for h in entry.handouts)
    links = "".join(f'<a href="{escape(path)}">Packet PDF, {escape(layout)}</a>'
                    f'<button type="button" class="print" data-pdf="{escape(path)}" hidden>'
                    f'Print {escape(layout)} packet</button>'
                    for layout, path in sorted(entry.pdfs.items()))
    search = folded(" ".join([entry.title, *(titles.get((h, entry.lang), h) for h in entry.handouts)]))
    return (f'<li class="entry program" lang="{escape(entry.lang)}" dir="{direction_of(entry.lang)}" '
            f'data-lang="{escape(entry.lang)}" data-layouts="{escape(" ".join(sorted(entry.pdfs)))}" '
            f'data-programs="{escape(entry.program)}" data-topic="" '
            f'data-search="{escape(search)}"><div><h3>{escape(entry.title)}</h3><ul>{names}</ul>'
            f'<div class="actions" lang="en" dir="ltr">{links}</div></div></li>')


def render_catalog(catalog: Catalog, layout: Layout, logo: bytes | None, language_names: dict[str, str]) -> bytes:
    languages = sorted({e.facts["lang"] for e in catalog.handouts} | {p.lang for p in catalog.programs},
                       key=lambda lang: (lang != "en", lang))
    layouts = sorted({name for e in catalog.handouts for name in e.pdfs}
                     | {name for p in catalog.programs for name in p.pdfs})
    titles = {(e.facts["id"], e.facts["lang"]): e.facts["title"] for e in catalog.handouts}
    groups = []
    for lang in languages:
        items = [_handout(e, catalog.topics[e.facts["id"]], language_names) for e in catalog.handouts
                 if e.facts["lang"] == lang]
        items += [_program(p, titles) for p in catalog.programs if p.lang == lang]
        name = language_names.get(lang, lang)
        groups.append(f'<section class="group" aria-labelledby="group-{escape(lang)}"><h2 id="group-{escape(lang)}">'
                      f'{escape(name)}</h2><ul class="entries">{"".join(items)}</ul></section>')
    clinic = layout.clinic.name.value
    clinic_line = layout.clinic.contact_line(with_name=True)
    brand = f'<img src="{data_uri(logo, "image/png")}" alt="">' if logo else ""
    programs = sorted({(p.program, p.title) for p in catalog.programs if p.lang == "en"}
                      or {(p.program, p.program) for p in catalog.programs})
    form = ('<form id="search" role="search" hidden><div><label for="q">Search titles, summaries and keywords</label>'
            '<input type="search" id="q" autocomplete="off"></div>'
            + _options("Language", "f-lang", [(lang, language_names.get(lang, lang)) for lang in languages])
            + _options("Layout", "f-layout", [(name, name) for name in layouts])
            + _options("Program", "f-program", programs)
            + _options("Topic", "f-topic", sorted(catalog.topics.items(), key=lambda item: folded(item[1])))
            + '<p id="count" role="status" aria-live="polite"></p></form>')
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Patient handouts - {escape(clinic)}</title>
<style>{_stylesheet(layout)}
.visually-hidden {{ position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }}
</style>
</head>
<body>
<header class="brand">{brand}<span>{escape(clinic)}</span></header>
<main>
<h1>Patient handouts</h1>
<p>{len(catalog.handouts)} handouts and {len(catalog.programs)} program packets. Open a PDF to print it, or a web page to share it.</p>
{form}
{"".join(groups)}
</main>
<footer><p>{escape(clinic_line)}</p></footer>
<script>{SCRIPT}</script>
</body>
</html>
"""  # noqa: E501 (the page's own lines, as it is written out)
    return page.encode("utf-8")
