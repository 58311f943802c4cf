from pathlib import Path

import pytest

from kratom_handouts.errors import ContentError
from kratom_handouts.load import Mapping, Scalar, load_file, parse

from .conftest import REPO

FILE = Path("handouts/en/x.yaml")


def messages(text: str) -> list[str]:
    with pytest.raises(ContentError) as caught:
        parse(text, FILE)
    return [p.describe() for p in caught.value.problems]


def test_values_keep_line_and_column():
    node = parse("a: 1\nb:\n  - no\n", FILE)
    assert isinstance(node, Mapping)
    item = node.entries["b"].items[0]
    assert (item.text, item.origin.line, item.origin.column, item.tag) == ("no", 3, 5, "bool")


def test_alias_refused():
    assert messages("a: &x [1, 2]\nb: *x\n") == ["handouts/en/x.yaml:1:4: YAML anchors (&name) are not allowed: write "
                                                 "the value out in full"]


def test_bare_alias_refused():
    assert messages("a: [1]\nb: *x\n")[0].startswith("handouts/en/x.yaml:2:4: ")


def test_duplicate_key_refused():
    assert messages("title: A\nsummary: B\ntitle: C\n") == ["handouts/en/x.yaml:3:1: duplicate key 'title' (first "
                                                            "given on line 1)"]


def test_python_tag_refused():
    assert messages("a: !!python/object/apply:os.system [ls]\n") == [
        "handouts/en/x.yaml:1:4: YAML tags such as 'tag:yaml.org,2002:python/object/apply:os.system' are not allowed"
    ]


def test_syntax_error_located():
    assert messages("title: [unclosed\nsummary: x\n") == [
        "handouts/en/x.yaml:2:8: YAML syntax error: expected ',' or ']', but got ':'"
    ]


def test_a_quote_left_open_is_found_where_it_opens():
    """YAML reads an open quote on to the next quote and fails there, lines below: the message names the line
    to mend (this was "5:11: expected <block end>, but found '<scalar>'" with advice about indentation)."""
    text = 'id: x\ntitle: "Overdose: signs\nsubtitle: For you\nsummary: x\nupdated: "2026-12-01"\n'
    assert messages(text) == ["handouts/en/x.yaml:2:8: YAML syntax error: the text in quotes that starts here runs "
                              "on to line 5, the next quote; close the quote on this line"]
    assert messages("id: x\ntitle: 'it is\nsummary: x\nupdated: '2026'\n")[0].startswith(
        "handouts/en/x.yaml:2:8: YAML syntax error: the text in quotes that starts here runs on to line 4")
    assert messages('id: x\ntitle: "never closed\n') == [
        "handouts/en/x.yaml:2:8: YAML syntax error: this quote is never closed; close it"]


def test_quoted_text_over_several_lines_is_still_yaml():
    """The control: a quote that is closed may span lines, and an error after it is not blamed on it."""
    node = parse('title: "one\n  two"\n', Path("x.yaml"))
    assert isinstance(node, Mapping)
    assert node.entries["title"] == Scalar("one two", node.entries["title"].origin, False, "str")
    assert messages('title: "one\n  two"\nsummary: [x\n') == [
        "handouts/en/x.yaml:4:1: YAML syntax error: expected ',' or ']', but got '<stream end>'"]


def test_tab_indentation_explained():
    assert messages("body:\n\t- paragraph: x\n") == ["handouts/en/x.yaml:2:1: YAML syntax error: a tab character here: "
                                                     "indent with spaces, not tabs"]


def test_empty_file():
    assert messages("# only a comment\n") == ["handouts/en/x.yaml:1:1: the file is empty"]


def test_deep_nesting_refused_without_recursion_error():
    assert messages("[" * 1000 + "]" * 1000)[0] == "handouts/en/x.yaml:1:41: nesting is deeper than 40 levels"


def test_not_utf8_points_at_the_byte(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"title: ok\nsummary: caf\xe9\n")
    with pytest.raises(ContentError) as caught:
        load_file(path)
    problem = caught.value.problems[0]
    assert (problem.origin.line, problem.origin.column) == (2, 13)
    assert problem.message == "the file is not UTF-8 text (byte 0xe9); save it as UTF-8"


def test_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"\xef\xbb\xbftitle: ok\n")
    assert isinstance(load_file(path).entries["title"], Scalar)


def test_oversized_file_refused(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"a: " + b"x" * 1_200_000)
    with pytest.raises(ContentError) as caught:
        load_file(path)
    assert caught.value.problems[0].message == "the file is too large (more than 1 MB, the limit)"


def test_text_is_normalised_to_nfc():
    node = parse("a: Vie\u0302\u0323t\n", FILE)
    assert node.entries["a"].text == "Vi\u1ec7t"


QUICK_CASES = [
    "a: b\nc: 'd'\ne: \"f\"\ng: |\n  line\n  two\nh: >\n  folded\n  text\n",
    "n: 3\nf: 2.5\nb: yes\nd: 2026-12-01\nz: null\nt: ~\n",
    "list:\n  - one\n  - [two, three]\n  - {k: v}\nnested:\n  deeper:\n    - x: 1\n",
    "title: \"Abstinencia de kratom\"\ntext: Café crème – ¿qué? 中文 한국어 العربية\n",
    "key: value # a comment\n# another\nother: 'it''s'\n",
]


def _careful(text: str, path):
    from kratom_handouts import load

    quick = load._compose_quickly
    load._compose_quickly = lambda _: None
    try:
        return load.parse(text, path)
    except ContentError as exc:
        return exc.problems
    finally:
        load._compose_quickly = quick


def _quick(text: str, path):
    from kratom_handouts import load

    try:
        return load.parse(text, path)
    except ContentError as exc:
        return exc.problems


@pytest.mark.parametrize("path", sorted(p.relative_to(REPO) for folder in ("handouts", "layouts", "programs")
                                        for p in (REPO / folder).rglob("*.yaml")), ids=str)
def test_libyaml_composes_every_shipped_file_exactly_as_the_careful_parser(path):
    """The fast path (libyaml's parser under our strict composer) gives the same located nodes."""
    from kratom_handouts import load

    text = (REPO / path).read_text(encoding="utf-8")
    assert load._compose_quickly(text) is not None  # the fast path was taken
    assert _quick(text, path) == _careful(text, path)


@pytest.mark.parametrize("text", [
    *QUICK_CASES, "a: &x 1\nb: *x\n", "a: !!python/object:os.system x\n", "a: b\na: c\n", "a: [1, 2\n", "\tbad: tab\n",
    "a: \x07\n", "a: \x85b\n", "a: \ufffe\n", "a: \U0001f600\n", "- " * 60 + "x\n", "",
    # libyaml's own composer takes text without '&' or '!': an alias with no anchor, and the depth limit's edge
    "a: *x\n", "a: ! 5\n", "a: & x\n", "a: 988 Suicide & Crisis\n", "a: R&D\n", "a: now!\n", "- &a x\n- *a\n",
    "- " * 39 + "x\n", "- " * 40 + "x\n", "a:\n" + "".join("  " * n + f"k{n}:\n" for n in range(1, 40)),
])
def test_libyaml_and_the_careful_parser_agree_on_odd_and_hostile_input(text):
    path = Path("x.yaml")
    assert _quick(text, path) == _careful(text, path)
