"""What a handout says about its own review: the words on every page, at the end, and in the metadata.

A handout is a draft until a clinician has reviewed it (``clinical_review``),
and a translation is a draft until a reviewer has checked it
(``translation_review``). Nothing may print "Reviewed" before then; every
page of a draft says so. This is the one place those words are chosen.
"""

from __future__ import annotations

from pathlib import Path

from .dates import format_date
from .errors import Origin, Problem
from .i18n.languages import joined, labelled, sentence
from .model import Handout, Labels
from .placeholders import fill


def page_status(handout: Handout, labels: Labels) -> str:
    """The short status every page prints (the ``{reviewed}`` placeholder)."""
    if handout.clinical_review is None:
        return labels["not_reviewed"]
    if not handout.translation_reviewed:
        return labels["translation_not_reviewed"]
    return f"{labels['reviewed']} {format_date(handout.clinical_review.date, handout.lang)}"


def closing_record(handout: Handout, labels: Labels, reading_grade: str | None) -> str:
    """The review record at the end of a handout as one line, with the reading grade when it is shown."""
    lines = review_lines(handout, labels)
    if reading_grade is not None:
        lines.append(sentence(fill(labels["reading_grade"], {"grade": reading_grade}), handout.lang))
    return joined(lines, handout.lang)


def review_lines(handout: Handout, labels: Labels) -> list[str]:
    """The review record printed at the end of a handout, one sentence each."""
    lang = handout.lang
    if handout.clinical_review is None:
        lines = [sentence(labels["not_reviewed"], lang),
                 sentence(labelled(labels["updated"], format_date(handout.updated, lang), lang), lang)]
    else:
        review = handout.clinical_review
        lines = [fill(labels["reviewed_by"], {"by": review.by.value, "date": format_date(review.date, lang)})]
    lines.append(sentence(labelled(labels["next_review"], format_date(handout.next_review, lang), lang), lang))
    record = handout.translation_review
    if record is None:
        return lines
    if record.reviewed_by is not None and record.date is not None:
        if record.translated_by is not None:
            lines.append(fill(labels["translated_by"], {"by": record.translated_by.value}))
        lines.append(fill(labels["translation_reviewed_by"], {"by": record.reviewed_by.value,
                                                              "date": format_date(record.date, lang)}))
    elif record.translated_by is not None:
        lines.append(fill(labels["translation_draft_by"], {"by": record.translated_by.value}))
    else:
        lines.append(sentence(labels["translation_not_reviewed"], lang))
    return lines


def metadata_notice(handout: Handout, labels: Labels) -> str:
    """Put before the PDF's subject, so that a draft says so in its metadata too; empty once reviewed."""
    return "" if handout.fully_reviewed else sentence(page_status(handout, labels), handout.lang) + " "


def bundle_status(handouts: list[Handout], labels: Labels) -> str:
    """What a bundle's cover says: the latest review only when every handout in it has been reviewed."""
    if any(handout.clinical_review is None for handout in handouts):
        return labels["packet_not_reviewed"]
    if not all(handout.translation_reviewed for handout in handouts):
        return labels["translation_not_reviewed"]
    latest = max(handout.clinical_review.date for handout in handouts if handout.clinical_review is not None)
    return labelled(labels["reviewed"], format_date(latest, handouts[0].lang), handouts[0].lang)


def bundle_metadata_notice(handouts: list[Handout], labels: Labels) -> str:
    if all(handout.fully_reviewed for handout in handouts):
        return ""
    return sentence(bundle_status(handouts, labels), handouts[0].lang) + " "


def draft_problem(handout: Handout, settings_file: Path | None) -> Problem | None:
    """Under --strict with drafts refused: the error that stops a handout not yet reviewed."""
    if handout.fully_reviewed:
        return None
    missing = "a clinical review" if handout.clinical_review is None else "a review of the translation"
    where = settings_file.name if settings_file is not None else "kratom-handouts.yaml"
    return Problem(Origin(handout.file), f"not yet reviewed (needs {missing}): --strict refuses drafts unless {where} "
                                         "says 'allow_drafts: true'")
