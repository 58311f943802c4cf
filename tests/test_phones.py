"""A phone link dials exactly the printed number."""

from __future__ import annotations

import pytest

from kratom_handouts.phones import dialled, tel_link


@pytest.mark.parametrize("printed,link", [
    ("1-800-662-4357", "tel:18006624357"),
    ("1-800-662-HELP", "tel:18006624357"),  # the letters on the keypad
    ("988", "tel:988"),
    ("(555) 010-0100", "tel:5550100100"),
    ("+1 800.222.1222", "tel:+18002221222"),
    ("١-٨٠٠-٦٦٢-٤٣٥٧", "tel:18006624357"),  # Arabic-Indic digits dial as 0-9
])
def test_the_link_dials_the_printed_number(printed: str, link: str):
    assert tel_link(printed) == link


@pytest.mark.parametrize("printed,reason", [
    ("1-800-662-4357 or 988", "holds more than one number"),
    ("988 / 911", "holds more than one number"),
    ("1-800-662-4357, 988", "holds more than one number"),
    ("555-0100 x12", "has an extension"),
    ("555-0100 ext. 12", "has an extension"),
    ("1-800-662-435\u2077", "has '\u2077' (U+2077), which a phone cannot dial"),
    ("call now", "not a phone number"),
])
def test_a_number_that_cannot_be_one_link_is_refused(printed: str, reason: str):
    number, problem = dialled(printed)
    assert number is None and problem is not None and reason in problem


def test_a_contact_with_two_numbers_is_a_located_error(project):
    from .conftest import GOOD_HANDOUT

    project.handout("bad", GOOD_HANDOUT.format(id="bad") + "  - contacts:\n      - label: Help\n"
                                                           "        phone: 1-800-662-4357 or 988\n")
    result = project.run("check")
    assert result.exit_code == 1
    line = len((project.root / "handouts" / "en" / "bad.yaml").read_text().splitlines())
    assert (f"handouts/en/bad.yaml:{line}:16: contacts (body item 3) item 1 phone: '1-800-662-4357 or 988' holds "
            "more than one number: give each number its own contact or link") in result.output


def test_an_inline_phone_link_must_dial_as_written(project):
    from .conftest import GOOD_HANDOUT

    project.handout("bad", GOOD_HANDOUT.format(id="bad") + "  - paragraph: \"[Call us](tel:555-0100x12)\"\n")
    result = project.run("check")
    assert result.exit_code == 1
    assert "has a phone link that cannot dial as written: '555-0100x12' has an extension" in result.output
