"""Dates and numbers written the way each language writes them (Babel's CLDR data)."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale


@cache
def _locale(lang: str) -> Locale:
    from babel import Locale

    return Locale.parse(lang, sep="-")


def format_date(date: dt.date, lang: str) -> str:
    """``November 20, 2026`` in English, ``20 de noviembre de 2026`` in Spanish."""
    from babel.dates import format_date as babel_format_date

    return babel_format_date(date, format="long", locale=_locale(lang))


def format_decimal(number: float, lang: str) -> str:
    """``4.5`` in English, ``4,5`` in Spanish."""
    from babel.numbers import format_decimal as babel_format_decimal

    return babel_format_decimal(number, format="#,##0.#", locale=_locale(lang))
