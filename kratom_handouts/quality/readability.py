"""Readability scores on the text a patient reads: Flesch-Kincaid and SMOG (English), Fernández-Huerta and
Szigriszt-Pazos/INFLESZ (Spanish). Other languages are "not scored" rather than given a wrong number.

What counts: title, subtitle, summary and the text of every block (headings,
list items and table cells count as sentences of their own). Not counted:
link addresses, phone numbers, sources, image alt text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from .. import inline
from ..blocks import readable_texts
from ..errors import Origin
from ..model import Handout, Text
from .syllables import counter

# A sentence ends at . ! ? … (and the Arabic and full-width marks), before a capital, a digit, or a letter of a
# script without capitals (Arabic, Hangul, Chinese); a Chinese full stop needs no space after it.
SENTENCE_END = re.compile(r"(?<=[.!?…؟۔])[\"'”’)\]]*\s+(?=[\"'“‘(¿¡«]*\w)|(?<=[。！？])[”’」』）]*")
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)
URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)


@dataclass(frozen=True)
class Sentence:
    text: str
    origin: Origin
    words: int
    syllables: int
    polysyllables: int  # words of three or more syllables (SMOG)


@dataclass
class Readability:
    lang: str
    sentences: list[Sentence] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)  # empty when the language is not scored
    grade: float | None = None  # a US school grade: FK for English, from Fernández-Huerta for Spanish

    @property
    def scored(self) -> bool:
        return bool(self.scores)

    @property
    def words(self) -> int:
        return sum(s.words for s in self.sentences)


def patient_texts(handout: Handout) -> list[Text]:
    """The text a patient reads, in order."""
    texts = [t for t in (handout.title, handout.subtitle, handout.summary) if t is not None]
    for block in handout.body:
        texts.extend(readable_texts(block))
    return texts


def _starts_sentence(part: str) -> bool:
    """Whether a piece after a full stop begins a new sentence (not "e.g. this"): its first letter is a capital,
    a digit, or has no case at all."""
    first = next((char for char in part if char.isalnum()), "")
    return bool(first) and not first.islower()


def split_sentences(text: str) -> list[str]:
    plain = URL.sub(" ", inline.plain_text(text))
    sentences: list[list[str]] = []  # each sentence's pieces, joined once at the end (not once per piece)
    for part in SENTENCE_END.split(plain):
        if sentences and not _starts_sentence(part):
            sentences[-1].append(part)
        else:
            sentences.append([part])
    joined = (" ".join(pieces) for pieces in sentences)
    return [sentence.strip() for sentence in joined if WORD.search(sentence)]


def sentences_of(handout: Handout) -> list[Sentence]:
    count = counter(handout.lang)
    found = []
    for text in patient_texts(handout):
        for sentence in split_sentences(text.value):
            words = WORD.findall(sentence)
            syllables = [count(word) for word in words] if count else []
            found.append(Sentence(sentence, text.origin, len(words), sum(syllables),
                                  sum(1 for s in syllables if s >= 3)))
    return found


def flesch_kincaid_grade(words: int, sentences: int, syllables: int) -> float:
    return 0.39 * words / sentences + 11.8 * syllables / words - 15.59


def flesch_reading_ease(words: int, sentences: int, syllables: int) -> float:
    return 206.835 - 1.015 * words / sentences - 84.6 * syllables / words


def smog_grade(polysyllables: int, sentences: int) -> float:
    return 1.0430 * math.sqrt(polysyllables * 30 / sentences) + 3.1291


def fernandez_huerta(words: int, sentences: int, syllables: int) -> float:
    """The corrected form: 206.84 - 60 P - 1.02 F (P syllables per word, F words per sentence)."""
    return 206.84 - 60 * syllables / words - 1.02 * words / sentences


def szigriszt_pazos(words: int, sentences: int, syllables: int) -> float:
    return 206.835 - 62.3 * syllables / words - words / sentences


# Fernández-Huerta's published bands (content-facts.md): the lowest score of each band, the grade it is
# compared with (the band's top grade, so a target is never met by rounding down) and the grade as printed.
FERNANDEZ_HUERTA_BANDS = ((90.0, 4.0, "4"), (80.0, 5.0, "5"), (70.0, 6.0, "6"), (60.0, 8.0, "7-8"))
BELOW_THE_BANDS = 9.0  # under 60 the bands give no grade: harder than grade 8, never printed as a grade


def fernandez_huerta_band(score: float) -> tuple[float, str | None]:
    """The grade a Spanish score falls in, and its printed form (None below the bands): 80 -> (5, "5")."""
    for lowest, grade, printed in FERNANDEZ_HUERTA_BANDS:
        if score >= lowest:
            return grade, printed
    return BELOW_THE_BANDS, None


def grade_from_fernandez_huerta(score: float) -> float:
    return fernandez_huerta_band(score)[0]


def printed_grade(result: Readability) -> str | None:
    """The reading grade as a handout prints it ("3,7" in Spanish decimals, or a band like "7-8"); None if unscored."""
    from ..dates import format_decimal

    if result.grade is None:
        return None
    if "fernandez_huerta" in result.scores:
        return fernandez_huerta_band(result.scores["fernandez_huerta"])[1]
    return format_decimal(result.grade, result.lang)


def measure(handout: Handout) -> Readability:
    base = handout.lang.split("-")[0]
    result = Readability(handout.lang, sentences_of(handout))
    words = result.words
    sentences = len(result.sentences)
    if counter(handout.lang) is None or not words:
        return result
    syllables = sum(s.syllables for s in result.sentences)
    if base == "en":
        polysyllables = sum(s.polysyllables for s in result.sentences)
        result.scores = {
            "flesch_kincaid_grade": round(flesch_kincaid_grade(words, sentences, syllables), 1),
            "flesch_reading_ease": round(flesch_reading_ease(words, sentences, syllables), 1),
            "smog_grade": round(smog_grade(polysyllables, sentences), 1),
        }
        result.grade = result.scores["flesch_kincaid_grade"]
    else:
        huerta = fernandez_huerta(words, sentences, syllables)
        result.scores = {
            "fernandez_huerta": round(huerta, 1),
            "szigriszt_pazos": round(szigriszt_pazos(words, sentences, syllables), 1),
        }
        result.grade = grade_from_fernandez_huerta(huerta)
    return result


def sentence_grade(sentence: Sentence, lang: str) -> float:
    """How hard one sentence is, on the same grade scale as the handout."""
    if not sentence.words:
        return 0.0
    if lang.split("-")[0] == "en":
        return flesch_kincaid_grade(sentence.words, 1, sentence.syllables)
    return grade_from_fernandez_huerta(fernandez_huerta(sentence.words, 1, sentence.syllables))


def _difficulty(sentence: Sentence, lang: str) -> float:
    """For ranking: a continuous measure (bands tie too often to rank by)."""
    if not sentence.words or lang.split("-")[0] == "en":
        return sentence_grade(sentence, lang)
    return -fernandez_huerta(sentence.words, 1, sentence.syllables)


def hardest(result: Readability, count: int = 3, min_words: int = 6) -> list[Sentence]:
    """The hardest real sentences (a one-word heading is no sentence to rewrite)."""
    candidates = [s for s in result.sentences if s.words >= min_words] or result.sentences
    ranked = sorted(candidates, key=lambda s: _difficulty(s, result.lang), reverse=True)
    return ranked[:count]
