"""Syllable counts per language, by a real method, not by counting vowel letters.

English: the CMU Pronouncing Dictionary (its vowel phonemes, one per
syllable; a table made by tools/make_syllable_table.py), then a short list of
words it lacks (data/en-extra.txt), then a compound of two dictionary words
(helpline), then, for any other word, the en_US hyphenation patterns (pyphen)
with every hyphenation point counted.

Spanish: Spanish spelling maps to syllables by rule. Each syllable has one
vowel nucleus; two adjacent vowels share a nucleus (a diphthong) when one is
an unaccented i or u, and split (a hiatus) when both are strong (a, e, o) or
the weak one carries an accent (María). A final y after a vowel (muy, hoy)
is part of the diphthong, and the u of que, qui, gue, gui is silent.
"""

from __future__ import annotations

import gzip
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ContentError, Origin, Problem

SCORED_LANGUAGES = ("en", "es")


@lru_cache(maxsize=4)
def _pyphen(lang: str) -> Any:  # a pyphen.Pyphen (pyphen has no types)
    import pyphen

    return pyphen.Pyphen(lang=lang, left=1, right=1)


_VOWELS_EN = set("aeiouy")
LONGEST_REAL_WORD = 60  # pneumonoultramicroscopicsilicovolcanoconiosis has 45 letters
DATA = Path(__file__).parent / "data"


@lru_cache(maxsize=1)
def _english_table() -> dict[str, int]:
    # Split and paired in C: reading the file line by line took 0.17 s, a tenth of a one-handout build.
    table_file = DATA / "en-syllables.txt.gz"
    try:
        tokens = gzip.decompress(table_file.read_bytes()).decode("utf-8").split()
        numbers = {count: int(count) for count in set(tokens[1::2])}
        table = dict(zip(tokens[::2], map(numbers.__getitem__, tokens[1::2]), strict=True))
        table_file = DATA / "en-extra.txt"
        for line in table_file.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                word, count = line.split()
                table[word] = int(count)
    except (OSError, EOFError, ValueError) as exc:  # the package's own file: an installation that lost it
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "it is damaged"
        raise ContentError([Problem(Origin(table_file), f"the reading-grade word list cannot be read ({reason}); "
                                                        "reinstall kratom-handouts")]) from None
    return table


def _compound(word: str) -> int | None:
    """A word made of two dictionary words (helpline = help + line) counts as both."""
    table = _english_table()
    longest = _longest_word()
    if len(word) > 2 * longest:
        return None  # no two dictionary words make it: trying every cut would cost a copy of the word each
    for cut in range(max(3, len(word) - longest), min(len(word) - 2, longest + 1)):
        head, tail = word[:cut], word[cut:]
        if head in table and tail in table:
            return table[head] + table[tail]
    return None


@lru_cache(maxsize=1)
def _longest_word() -> int:
    return max(map(len, _english_table()))


def english(word: str) -> int:
    word = word.lower().strip("'")
    known = _english_table().get(word)
    if known is not None:
        return max(1, known)
    if "-" in word:
        return sum(english(part) for part in word.split("-") if part)
    if len(word) > LONGEST_REAL_WORD:  # not a word a reader meets: counted by its vowel groups, in linear time
        return max(1, len(re.findall(r"[aeiouy]+", word)))
    compound = _compound(word)
    if compound is not None:
        return compound
    parts = _pyphen("en_US").inserted(word).split("-")
    # A part without a vowel ("prob-lem-s") is no syllable of its own.
    return max(1, sum(1 for part in parts if _VOWELS_EN & set(part)))


_STRONG = set("aeoáéó")
_ACCENTED_WEAK = set("íú")
_WEAK = set("iuü")
_VOWELS_ES = _STRONG | _WEAK | _ACCENTED_WEAK


def spanish(word: str) -> int:
    word = unicodedata.normalize("NFC", word.lower())
    word = re.sub(r"([qg])u([eéií])", r"\1\2", word)  # the u of que, qui, gue, gui is silent
    if word.endswith("y") and len(word) > 1 and word[-2] in _VOWELS_ES:
        word = word[:-1] + "i"  # muy, hoy, rey: y closes a diphthong
    count = 0
    previous = ""
    for char in word:
        if char in _VOWELS_ES:
            if not previous or not _joins(previous, char):
                count += 1
            previous = char
        else:
            previous = ""
    return max(1, count)


def _joins(first: str, second: str) -> bool:
    """Whether two adjacent vowels are one syllable's nucleus (a diphthong)."""
    if first in _ACCENTED_WEAK or second in _ACCENTED_WEAK:
        return False
    return not (first in _STRONG and second in _STRONG)


COUNTERS = {"en": english, "es": spanish}


def counter(lang: str) -> Callable[[str], int] | None:
    """The syllable counter for a language (its base language for a regional code), or None."""
    return COUNTERS.get(lang.split("-")[0])
