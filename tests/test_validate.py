"""Validation: each mistake gives its own located message; good text stays exactly as written."""

from pathlib import Path

import pytest

from kratom_handouts import validate
from kratom_handouts.blocks import Callout, Checklist, Contacts, Table
from kratom_handouts.errors import ContentError, Diagnostics
from kratom_handouts.load import parse

FILE = Path("handouts/en/sample.yaml")

HEAD = """\
id: sample
title: A title
summary: The main message.
updated: 2026-01-15
next_review: 2027-01-15
sources:
  - title: DrugFacts
    publisher: NIDA
"""


def load(text: str, root: Path = Path(".")):
    return validate.handout(parse(text, FILE), FILE, "en", root, Diagnostics())


def problems(text: str, root: Path = Path(".")) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load(text, root)
    return [p.describe() for p in caught.value.problems]


def test_every_block_type_is_read():
    handout = load(HEAD + """\
body:
  - heading: Part
    id: part
  - checklist: [one, two]
  - callout: {kind: emergency, title: Call 911, bullets: [Seizure]}
  - table: {header: [A, B], rows: [[a1, b1], [a2, b2]]}
  - contacts:
      - {label: Help, phone: "988", text: "988", url: "https://988lifeline.org"}
""")
    kinds = [type(block) for block in handout.body]
    assert kinds[1:] == [Checklist, Callout, Table, Contacts]
    assert handout.body[3].rows[1][1].value == "b2"
    assert handout.headings[0].id == "part"


def test_yaml_booleans_stay_text():
    handout = load(HEAD + "body:\n  - table: {header: [Question, Answer], rows: [[Do you smoke, no], [Ok, on]]}\n")
    assert [cell.value for cell in handout.body[0].rows[0]] == ["Do you smoke", "no"]
    assert handout.body[0].rows[1][1].value == "on"


def test_number_where_text_belongs():
    assert problems(HEAD.replace("title: A title", "title: 42") + "body:\n  - paragraph: x\n") == [
        "handouts/en/sample.yaml:2:8: title must be text, found a number (put it in quotes if it is meant as text)"
    ]


def test_unknown_field_suggests_the_close_one():
    text = HEAD + "body:\n  - paragraph: x\nsumary: extra\n"
    assert problems(text) == ["handouts/en/sample.yaml:11:1: unknown field 'sumary' in the handout (did you mean "
                              "'summary'?)"]


def test_unknown_block_type_suggests_the_close_one():
    assert problems(HEAD + "body:\n  - paragrph: x\n") == [
        "handouts/en/sample.yaml:10:5: unknown field 'paragrph' in body item 1 (did you mean 'paragraph'?)"
    ]


def test_missing_required_field():
    assert problems(HEAD.replace("summary: The main message.\n", "") + "body:\n  - paragraph: x\n") == [
        "handouts/en/sample.yaml:1:1: the handout is missing the required field 'summary'"
    ]


def test_all_problems_are_reported_together():
    text = HEAD.replace("updated: 2026-01-15", "updated: last week") + "body:\n  - callout: {kind: danger, text: x}\n"
    assert problems(text) == [
        "handouts/en/sample.yaml:4:10: updated must be a date written YYYY-MM-DD, found 'last week'",
        "handouts/en/sample.yaml:10:21: callout (body item 1) kind 'danger' is not known; expected one of: emergency, "
        "info, tip, warning",
    ]


@pytest.mark.parametrize("target", ["javascript:alert(1)", "file:///etc/passwd"])
def test_unsafe_link_is_an_error(target):
    assert problems(HEAD + f"body:\n  - paragraph: See [this]({target}).\n") == [
        f"handouts/en/sample.yaml:10:16: paragraph (body item 1) has a link to '{target}': "
        "links must start with https:, http:, mailto: or tel:"
    ]


def test_markup_lookalikes_are_plain_text():
    handout = load(HEAD + 'body:\n  - paragraph: <img src="x.png"> <b>AT&T</b>\n')
    assert handout.body[0].text.value == '<img src="x.png"> <b>AT&T</b>'


def test_table_rows_must_match_header():
    assert problems(HEAD + "body:\n  - table: {header: [A, B], rows: [[a1]]}\n") == [
        "handouts/en/sample.yaml:10:36: table (body item 1) row 1 has 1 cells but the header has 2"
    ]


def test_id_must_match_file_name():
    assert problems(HEAD.replace("id: sample", "id: other") + "body:\n  - paragraph: x\n") == [
        "handouts/en/sample.yaml:1:5: id 'other' must match the file name 'sample'"
    ]


def test_invisible_characters_removed_with_a_warning():
    warnings = Diagnostics()
    handout = validate.handout(parse(HEAD + "body:\n  - paragraph: evil\u202etxt.exe\n", FILE), FILE, "en", Path("."),
                               warnings)
    assert handout.body[0].text.value == "eviltxt.exe"
    assert [w.describe() for w in warnings] == [
        "handouts/en/sample.yaml:10:16: warning: removed the invisible character U+202E (RIGHT-TO-LEFT OVERRIDE)"
    ]


def test_image_outside_the_project_is_refused(tmp_path):
    outside = tmp_path / "secret.png"
    outside.write_bytes(b"not really")
    root = tmp_path / "project"
    root.mkdir()
    assert problems(HEAD + "body:\n  - image: {path: ../secret.png, alt: A picture}\n", root) == [
        "handouts/en/sample.yaml:10:19: image (body item 1) path: the path '../secret.png' leaves the project folder; "
        "keep files inside the project"
    ]


def test_image_that_is_not_an_image(tmp_path):
    (tmp_path / "fake.png").write_bytes(b"this is text")
    assert problems(HEAD + "body:\n  - image: {path: fake.png, alt: A picture}\n", tmp_path) == [
        "handouts/en/sample.yaml:10:19: image (body item 1) path: 'fake.png' is not an image that can be read (use PNG "
        "or JPEG)"
    ]


@pytest.mark.parametrize("handout_id", ["con", "nul", "aux", "prn", "com1", "lpt9"])
def test_an_id_windows_cannot_write_is_a_located_error_in_check(project, handout_id):
    from .conftest import GOOD_HANDOUT

    project.handout(handout_id, GOOD_HANDOUT.format(id=handout_id))
    result = project.run("check")
    assert result.exit_code == 1
    assert (f"handouts/en/{handout_id}.yaml:1:5: id '{handout_id}' cannot be a file name on Windows "
            "(CON, PRN, AUX, NUL, COM1-COM9 and LPT1-LPT9 are reserved there): choose another") in result.output
    assert project.run("build").exit_code == 1  # refused in build too, before anything is written
    assert not (project.root / "output" / "standard" / "en" / f"{handout_id}.pdf").exists()


def test_an_id_too_long_for_a_file_system_is_a_located_error(project):
    from .conftest import GOOD_HANDOUT

    long_id = "-".join(["word"] * 25)  # 124 characters
    project.handout(long_id, GOOD_HANDOUT.format(id=long_id))
    result = project.run("check")
    assert result.exit_code == 1
    assert (f"handouts/en/{long_id}.yaml:1:5: id 'word-word-word-word-...' is 124 characters long; the limit is 100, "
            "so that its files can be written on every file system") in result.output


def test_text_that_needs_no_cleaning_is_what_the_careful_loop_would_make_of_it(monkeypatch):
    """The fast way through ``_clean`` (printable text, none of the invisible or lost-text characters) is taken
    only where the loop, character by character, would also keep every character and say nothing: tried on
    every code point, between letters and beside a run of spaces."""
    from kratom_handouts.errors import Origin
    from kratom_handouts.load import Scalar

    fast = [chr(code) for code in range(0x110000)
            if not 0xD800 <= code <= 0xDFFF and validate.needs_no_cleaning(f"a{chr(code)}  b")]
    assert "\u3164" not in fast and "\ufffd" not in fast and "\u00a0" not in fast and "\n" not in fast
    monkeypatch.setattr(validate, "needs_no_cleaning", lambda text: False)  # the loop alone
    reader = validate.Reader(Path("."))
    for char in fast:
        text = f"a{char}  b"
        assert reader._clean(Scalar(text, Origin(Path("h.yaml"), 1, 1), True, "str")) == " ".join(text.split())
    assert reader.problems == []
    reader._clean(Scalar("a\u3164b", Origin(Path("h.yaml"), 1, 1), True, "str"))
    assert reader.problems  # the control: the loop does speak of a character the fast way leaves to it


def test_a_name_with_a_line_break_at_its_end_is_no_name():
    """'$' lets a final line break through: a layout 'x\\n' was built into output/x<newline>/."""
    from kratom_handouts.project import LANGUAGE_FOLDER, LAYOUT_NAME
    from kratom_handouts.validate import SLUG

    for pattern, good in ((SLUG, "overdose"), (LAYOUT_NAME, "large-print"), (LANGUAGE_FOLDER, "zh-Hans")):
        assert pattern.match(good)
        assert not pattern.match(good + "\n")
