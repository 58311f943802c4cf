"""Problems as printed: one line each, whatever the file is called."""

from __future__ import annotations

from pathlib import Path

from kratom_handouts.errors import Origin, Problem


def test_a_file_name_with_a_line_break_or_escape_codes_prints_escaped_on_one_line():
    name = Path("handouts/en/a\nb\x1b[31mc\udcff.yaml")  # a newline, a colour code, a byte that is not UTF-8
    shown = Problem(Origin(name, 2, 3), "something").describe()
    assert shown == "handouts/en/a\\nb\\x1b[31mc\\udcff.yaml:2:3: something"
    assert shown.isprintable()


def test_a_name_in_any_script_prints_as_it_is():
    assert Origin(Path("handouts/ar/جرعة زائدة.yaml")).describe() == "handouts/ar/جرعة زائدة.yaml"
