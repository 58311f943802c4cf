"""Long tables are laid out a page's rows at a time (render/long_table.py): the same pages as ReportLab's own
split of the whole table, tagged the same way, in time linear in the rows."""

from __future__ import annotations

import pytest
from reportlab.platypus import Table

from kratom_handouts.render import blocks

from ..conftest import pdfminer_pages, pypdf_pages
from ..pdfua import pdfua_problems, struct_roles_in_order

HEAD = """\
id: {id}
title: A long table
summary: Call the clinic if you need help.
updated: 2026-02-01
next_review: 2027-02-01
sources:
  - {{title: DrugFacts, publisher: NIDA, url: "https://nida.nih.gov"}}
body:
  - paragraph: Some words before the table.
"""


def long_table(rows: int, tall_every: int = 7) -> str:
    """Rows of one, two and three lines, so page breaks fall at different places in the rows."""
    lines = []
    for i in range(rows):
        notes = "More words in this cell, enough to wrap onto another line. " * (1 + (i % tall_every == 0))
        lines.append(f'        - ["Row {i}", "Some text here", "{notes.strip()}"]\n')
    return "  - table:\n      header: [Name, What, Notes]\n      rows:\n" + "".join(lines)


def long_checklist(items: int) -> str:
    return "  - checklist:\n" + "".join(f"      - Item number {i}, to tick by hand\n" for i in range(items))


def long_contacts(entries: int) -> str:
    notes = ('}', ', note: "Free, 24/7"}', ', note: "Open every day, and on holidays too, with someone to talk to"}')
    return "  - contacts:\n" + "".join(f'      - {{label: "Help line {i}", phone: "1-800-555-{i:04d}"{notes[i % 3]}\n'
                                        for i in range(entries))


def build(project, monkeypatch, whole: bool, *layouts: str, lang: str = "en") -> dict[str, list[str]]:
    """Page texts of the handout in each layout; ``whole``: every table given to ReportLab whole."""
    monkeypatch.setattr(blocks, "LONG_TABLE_ROWS", 10**9 if whole else 60)
    args = ["build", "--format", "pdf", "-j", "1", "--force", "--lang", lang]
    for layout in layouts:
        args += ["--layout", layout]
    result = project.run(*args)
    assert result.exit_code == 0, result.output
    return {layout: pdfminer_pages(project.pdf("long", lang, layout)) for layout in layouts}


@pytest.mark.parametrize("body", [long_table(150), long_checklist(130), long_contacts(120)],
                         ids=["table", "checklist", "contacts"])
def test_a_long_table_prints_the_pages_reportlabs_own_split_prints(project, monkeypatch, body):
    project.handout("long", HEAD.format(id="long") + body)
    plain = build(project, monkeypatch, True, "standard", "large-print")
    by_page = build(project, monkeypatch, False, "standard", "large-print")
    for layout in ("standard", "large-print"):
        assert len(plain[layout]) >= 4, layout  # long enough to cross several pages
        assert by_page[layout] == plain[layout], layout


def test_a_long_table_repeats_its_header_as_an_artifact_and_keeps_one_tr_per_row(project, monkeypatch):
    project.handout("long", HEAD.format(id="long") + long_table(150))
    pages = build(project, monkeypatch, False, "standard")["standard"]
    assert len(pages) >= 4 and all("Name" in page for page in pages[:4])  # the header on every page of the table
    pdf = project.pdf("long")
    roles = struct_roles_in_order(pdf)
    assert roles.count("TR") == 151 and roles.count("TH") == 3
    assert pdfua_problems(pdf) == []
    text = "".join(pypdf_pages(pdf))
    assert all(f"Row {i}" in text for i in range(150))


def test_a_long_right_to_left_table_prints_as_the_whole_one(project, monkeypatch):
    project.handout("long", HEAD.format(id="long") + long_table(120))
    project.translate("ar")  # the English words on a right-to-left page: the table is drawn mirrored
    plain = build(project, monkeypatch, True, "standard", lang="ar")
    assert len(plain["standard"]) >= 3
    assert build(project, monkeypatch, False, "standard", lang="ar") == plain


def rows_given_to_tables(project, monkeypatch, whole: bool) -> int:
    made = []
    original = Table.__init__

    def counting(self, data, *args, **kwargs):
        made.append(len(data))
        original(self, data, *args, **kwargs)

    monkeypatch.setattr(Table, "__init__", counting)
    build(project, monkeypatch, whole, "standard")
    return sum(made)


def test_a_long_table_is_measured_a_bounded_number_of_times_per_row(project, monkeypatch):
    """The quadratic cost was ReportLab building (and measuring) the rest of the table at every page break."""
    rows = 600
    project.handout("long", HEAD.format(id="long") + long_table(rows))
    plain = rows_given_to_tables(project, monkeypatch, True)
    by_page = rows_given_to_tables(project, monkeypatch, False)
    # Each row is in the whole table (measured once), in its page's run, and in ReportLab's cut of that run; a
    # run also holds the header and the two rows after the page's last.
    assert by_page < 5 * rows
    assert plain > 5 * by_page  # the control: the whole table's rest, made again at each of its pages
