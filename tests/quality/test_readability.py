"""Syllables and scores against hand counts; the expected numbers are worked out in the comments."""

from __future__ import annotations

import dataclasses
import gzip
from pathlib import Path

import pytest

from kratom_handouts.blocks import Paragraph
from kratom_handouts.errors import Origin
from kratom_handouts.model import Handout, Text
from kratom_handouts.quality import readability, syllables
from kratom_handouts.quality.syllables import counter, english, spanish

HAND_COUNTED_EN = {
    "the": 1, "every": 3, "kratom": 2, "withdrawal": 3, "clinic": 2, "medicine": 3, "idea": 3, "people": 2,
    "available": 4, "dangerous": 3, "problems": 2, "naloxone": 3, "buprenorphine": 4, "today": 2, "cut-down": 2,
    "oxycodone": 4, "opioids": 3, "cbt": 3, "tty": 3,
}
HAND_COUNTED_ES = {
    "perro": 2, "María": 3, "leía": 3, "poesía": 4, "muy": 1, "hoy": 1, "queso": 2, "guitarra": 3, "pingüino": 3,
    "cuidado": 3, "ahora": 3, "aéreo": 4, "ciudad": 2, "huevo": 2, "abstinencia": 4, "síntomas": 3,
    "buprenorfina": 5, "medicamento": 5, "dependencia": 4, "tratamiento": 4, "oído": 3, "país": 2, "Europa": 3,
}


@pytest.mark.parametrize("word,count", HAND_COUNTED_EN.items())
def test_english_syllables(word, count):
    assert english(word) == count


def test_the_english_table_holds_every_line_of_its_files():
    # Read here line by line, as the files are written: "word count", the extra words last and winning.
    expected: dict[str, int] = {}
    with gzip.open(syllables.DATA / "en-syllables.txt.gz", "rt", encoding="utf-8") as stream:
        for line in stream:
            word, count = line.split()
            expected[word] = int(count)
    extra = [line.split() for line in (syllables.DATA / "en-extra.txt").read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    expected.update((word, int(count)) for word, count in extra)
    assert len(expected) > 120_000 and extra
    assert syllables._english_table() == expected


@pytest.mark.parametrize("word,count", HAND_COUNTED_ES.items())
def test_spanish_syllables(word, count):
    assert spanish(word) == count


def test_other_languages_have_no_counter():
    assert counter("vi") is None and counter("es-MX") is spanish and counter("en") is english


def handout(lang: str, *paragraphs: str) -> Handout:
    origin = Origin(Path("handouts/x.yaml"), 1, 1)
    title = Text("Sample", origin)
    base = Handout("x", lang, Path("x.yaml"), title, None, Text("Summary.", origin), None, None, (), (), ())
    body = tuple(Paragraph(Text(p, origin)) for p in paragraphs)
    # Score the paragraphs alone: title and summary are left out of these hand counts.
    return dataclasses.replace(base, body=body, title=Text("", origin), summary=Text("", origin))


def test_english_scores_from_a_hand_count():
    # "Call your clinic today." 4 words, 6 syllables; "Withdrawal can be hard, but help is available."
    # 8 words, 13 syllables (with-draw-al 3, a-vail-a-ble 4). 12 words, 2 sentences, 19 syllables,
    # 2 polysyllables. FK = 0.39*6 + 11.8*19/12 - 15.59 = 5.43; FRE = 206.835 - 1.015*6 - 84.6*19/12 = 66.80;
    # SMOG = 1.0430*sqrt(2*30/2) + 3.1291 = 8.84.
    result = readability.measure(handout("en",
                                         "Call your clinic today. Withdrawal can be hard, but help is available."))
    assert (result.words, len(result.sentences), sum(s.syllables for s in result.sentences)) == (12, 2, 19)
    assert result.scores == {"flesch_kincaid_grade": 5.4, "flesch_reading_ease": 66.8, "smog_grade": 8.8}
    assert result.grade == 5.4


def test_the_cat_sat_on_the_mat():
    # 6 words, 1 sentence, 6 syllables: FK = 2.34 + 11.8 - 15.59 = -1.45; FRE = 206.835 - 6.09 - 84.6 = 116.145
    assert readability.flesch_kincaid_grade(6, 1, 6) == pytest.approx(-1.45)
    assert readability.flesch_reading_ease(6, 1, 6) == pytest.approx(116.145)


def test_spanish_scores_from_a_hand_count():
    # "El perro come carne." 4 words, 7 syllables; "María leía poesía en el parque." 6 words, 14 syllables
    # (Ma-rí-a, le-í-a, po-e-sí-a: hiatus). 10 words, 2 sentences, 21 syllables.
    # Fernández-Huerta = 206.84 - 60*2.1 - 1.02*5 = 75.74; Szigriszt-Pazos = 206.835 - 62.3*2.1 - 5 = 71.005;
    # 75.74 falls in Fernández-Huerta's 70-80 band: grade 6.
    result = readability.measure(handout("es", "El perro come carne. María leía poesía en el parque."))
    assert (result.words, len(result.sentences), sum(s.syllables for s in result.sentences)) == (10, 2, 21)
    assert result.scores == {"fernandez_huerta": 75.7, "szigriszt_pazos": 71.0}
    assert result.grade == 6
    assert readability.printed_grade(result) == "6"


@pytest.mark.parametrize("score,grade,printed", [
    (100.0, 4, "4"), (95.0, 4, "4"), (90.0, 4, "4"),  # 90-100: grade 4
    (89.99, 5, "5"), (85.0, 5, "5"), (80.0, 5, "5"),  # 80-90: grade 5 (80 used to print as 4.1)
    (79.99, 6, "6"), (75.0, 6, "6"), (70.0, 6, "6"),  # 70-80: grade 6
    (69.99, 8, "7-8"), (65.0, 8, "7-8"), (60.0, 8, "7-8"),  # 60-70: grades 7-8, held to the harder one
    (59.99, 9, None), (30.0, 9, None),  # below the published bands: harder than grade 8, never printed as a grade
])
def test_spanish_grade_is_read_off_fernandez_huerta_bands(score, grade, printed):
    assert readability.fernandez_huerta_band(score) == (grade, printed)


def test_smog_published_form():
    # McLaughlin 1969: 30 sentences with 9 words of three or more syllables: 1.0430 * sqrt(9) + 3.1291 = 6.2581
    assert readability.smog_grade(9, 30) == pytest.approx(6.2581)


def test_unscored_language():
    result = readability.measure(handout("vi", "Hãy gọi cho phòng khám của bạn."))
    assert (result.scored, result.grade) == (False, None)


def test_urls_and_link_addresses_are_not_read():
    sentences = readability.split_sentences("See [the helpline](https://www.samhsa.gov/find-help) or www.example.org "
                                            "today.")
    assert sentences == ["See the helpline or   today."]


def test_hardest_sentences_skip_one_word_headings():
    result = readability.measure(
        handout("en", "Emergency", "Call your clinic today.",
                "Buprenorphine medication maintenance necessitates individualized evaluation."))
    assert [s.text for s in readability.hardest(result, 1)] == [
        "Buprenorphine medication maintenance necessitates individualized evaluation."]
