"""Phone numbers as printed -> what a ``tel:`` link dials: exactly the printed number, or a reason why not.

Letters on a keypad stand for digits (1-800-662-HELP dials 1-800-662-4357);
spaces, dashes, dots and brackets are only for reading. Anything else a phone
cannot dial the way it is printed (two numbers, an extension, a superscript
digit) is refused with a message, so a link never calls something other than
the printed number.
"""

from __future__ import annotations

import re
import unicodedata

_KEYPAD = {letter: digit for digit, letters in {"2": "ABC", "3": "DEF", "4": "GHI", "5": "JKL", "6": "MNO",
                                                "7": "PQRS", "8": "TUV", "9": "WXYZ"}.items() for letter in letters}
_SEPARATORS = frozenset(" -.()\u00a0\u2010\u2011\u2013")
_TWO_NUMBERS = re.compile(r"\s(?:or|and|o|y|/)\s|[,;/]", re.IGNORECASE)
_EXTENSION = re.compile(r"(?:\bext\.?|(?<=[\d\s])x)\s*\d", re.IGNORECASE)


def dialled(printed: str) -> tuple[str | None, str | None]:
    """(digits to dial, None), or (None, why this cannot be one link)."""
    if _TWO_NUMBERS.search(printed):
        return None, f"'{printed}' holds more than one number: give each number its own contact or link"
    if _EXTENSION.search(printed):
        return None, f"'{printed}' has an extension, which a phone link cannot dial: put the extension in the note"
    digits: list[str] = []
    for position, char in enumerate(printed):
        if char == "+" and position == 0:
            digits.append("+")
        elif char.isdecimal():
            digits.append(str(unicodedata.decimal(char)))  # Arabic-Indic digits dial as 0-9
        elif char.upper() in _KEYPAD and char.isascii():
            digits.append(_KEYPAD[char.upper()])
        elif char not in _SEPARATORS:
            return None, (f"'{printed}' has '{char}' (U+{ord(char):04X}), which a phone cannot dial: write the number "
                          "with digits 0-9, spaces, dashes and brackets")
    number = "".join(digits)
    if sum(char.isdecimal() for char in printed) < 3:  # letters stand for digits only in a number
        return None, f"'{printed}' is not a phone number (too few digits)"
    return number, None


def tel_link(printed: str) -> str:
    """The ``tel:`` link for a number the validator accepted."""
    number, _ = dialled(printed)
    return f"tel:{number or ''}"
