"""Review records: a draft says so on every page and in its metadata; "Reviewed" prints only once a person has."""

from __future__ import annotations

import yaml
from pypdf import PdfReader

from kratom_handouts.errors import Diagnostics

from .conftest import GOOD_HANDOUT, pypdf_pages, squash

# Enough paragraphs to run onto a third page in the standard layout, so "every page" means more than one.
LONG_BODY = "".join(f"  - paragraph: Paragraph {n} has some plain words for the reader. "
                    + "More plain words here. " * 12 + "\n"
                    for n in range(24))
REVIEW = "clinical_review: {by: 'Dr A. Reviewer, addiction medicine', date: 2026-02-01}\n"
DRAFT_NOTICE = "Draft awaiting clinical review"


def long_handout(handout_id: str = "long", review: str = "") -> str:
    return GOOD_HANDOUT.format(id=handout_id) + LONG_BODY + review


def test_a_draft_says_so_on_every_page_in_every_layout_and_in_its_metadata(project):
    project.handout("long", long_handout())
    result = project.run("build", "--layout", "standard", "--layout", "large-print")
    assert result.exit_code == 0, result.output
    for layout in ("standard", "large-print"):
        pdf = project.pdf("long", layout=layout)
        pages = pypdf_pages(pdf)
        assert len(pages) >= 3
        assert [DRAFT_NOTICE in page for page in pages] == [True] * len(pages)
        assert "Reviewed" not in "".join(pages)
        assert squash("Draft awaiting clinical review. Updated: January 15, 2026.") in squash("".join(pages))
        assert PdfReader(pdf).metadata.subject == f"{DRAFT_NOTICE}. This is the main message."


def test_a_reviewed_handout_names_its_reviewer_and_prints_no_draft_notice(project):
    project.handout("long", long_handout(review=REVIEW))
    assert project.run("build").exit_code == 0
    pdf = project.pdf("long")
    pages = pypdf_pages(pdf)
    assert [("Reviewed February 1, 2026" in page) for page in pages] == [True] * len(pages)
    text = "".join(pages)
    assert "Draft" not in text
    assert "Reviewed by Dr A. Reviewer, addiction medicine on February 1, 2026." in text
    assert PdfReader(pdf).metadata.subject == "This is the main message."


def test_a_review_older_than_the_text_no_longer_counts(project):
    project.handout("one", long_handout("one", REVIEW).replace("updated: 2026-01-15", "updated: 2026-03-01"))
    result = project.run("build")
    assert result.exit_code == 0
    assert ("handouts/en/one.yaml:38:18: warning: the clinical review (2026-02-01) is older than the text (updated "
            "2026-03-01), so the handout prints as a draft until it is reviewed again") in result.stderr.splitlines()
    assert DRAFT_NOTICE in pypdf_pages(project.pdf("one"))[0]


def test_the_old_reviewed_field_says_what_to_write_instead(project):
    project.handout("one", GOOD_HANDOUT.format(id="one").replace("updated:", "reviewed:"))
    result = project.run("build")
    assert result.exit_code == 1
    assert ("handouts/en/one.yaml:4:1: 'reviewed' is now 'updated' (the date the text last changed); once a clinician "
            "has reviewed the handout, add 'clinical_review' with 'by' (name and role) and 'date'"
            in result.stderr.splitlines())
    assert not project.pdf("one").exists()


def test_strict_refuses_drafts_unless_the_settings_allow_them(project):
    project.handout("draft")
    project.handout("done", GOOD_HANDOUT.format(id="done") + REVIEW)
    message = ("handouts/en/draft.yaml: not yet reviewed (needs a clinical review): --strict refuses drafts unless "
               "kratom-handouts.yaml says 'allow_drafts: true'")
    for command in (("build", "--strict"), ("check", "--strict", "--today", "2026-06-01")):
        result = project.run(*command)
        assert result.exit_code == 1, command
        assert message in result.stderr.splitlines(), command
        assert "Traceback" not in result.output
    assert not project.pdf("draft").exists() and project.pdf("done").exists()
    # Without --strict a draft builds (with its notice), whatever the settings say.
    assert project.run("build").exit_code == 0 and project.pdf("draft").exists()
    project.write("kratom-handouts.yaml", "allow_drafts: true\n")
    assert project.run("build", "--strict").exit_code == 0
    allowed = project.run("check", "--strict", "--today", "2026-06-01")
    assert message not in allowed.stderr
    assert ("--strict lets these drafts through because kratom-handouts.yaml says 'allow_drafts: true'; "
            "a pass is not a clinical review.") in allowed.stdout.splitlines()


def test_check_lists_the_drafts(project):
    project.handout("draft")
    project.handout("done", GOOD_HANDOUT.format(id="done") + REVIEW)
    result = project.run("check", "--today", "2026-06-01")
    assert "Not yet reviewed (1; each page of these prints a draft notice): en/draft" in result.stdout.splitlines()
    rows = {line.split()[0]: line.split()[2] for line in result.stdout.splitlines()[1:3]}
    assert rows == {"done": "reviewed", "draft": "draft"}


def test_a_layout_that_prints_no_review_status_is_refused(project):
    project.write("layouts/bare.yaml", "extends: standard\nfooter: {left: '{id}', center: '', right: '{page_of}'}\n")
    project.handout("one")
    result = project.run("build", "--layout", "bare")
    assert result.exit_code == 1
    assert any(line.startswith("layouts/bare.yaml")
               and "prints no review status: put {reviewed} in a header or footer slot"
               in line for line in result.stderr.splitlines()), result.stderr


def test_a_long_status_is_never_cut_short(project):
    project.write("layouts/narrow.yaml", "extends: standard\nfooter: {left: '{title} {title} {title}', center: '', "
                                         "right: '{reviewed}'}\n")
    project.handout("one", GOOD_HANDOUT.format(id="one").replace("A test handout", "A rather long handout title"))
    result = project.run("build", "--layout", "narrow", "--format", "pdf")
    assert result.exit_code == 0
    text = pypdf_pages(project.pdf("one", layout="narrow"))[0]
    assert DRAFT_NOTICE in text and "\u2026" in text  # the title gave way, not the status
    # and the cut is said, once, where the layout is
    cut = next(line for line in text.splitlines() if "\u2026" in line).split(DRAFT_NOTICE)[0].strip()
    title = "A rather long handout title"
    warning = (f"layouts/narrow.yaml: warning: the footer text '{title} {title} {title}' does not fit its slot in "
               f"layout 'narrow' and prints as '{cut}': shorten it, or give it a wider slot")
    assert result.stderr.count(warning) == 1, result.stderr


def test_an_unreviewed_translation_prints_its_own_notice_and_a_reviewed_one_its_reviewer(project):
    project.handout("one", GOOD_HANDOUT.format(id="one") + REVIEW)

    def spanish(name, document):
        if name == "_labels":
            document.update({"translation_not_reviewed": "Traducción en borrador, aún no revisada",
                             "translation_reviewed_by": "Traducción revisada por {by} el {date}.",
                             "translated_by": "Traducido por {by}.",
                             "translation_draft_by": "Traducción en borrador de {by}, aún sin revisar."})
        elif name == "one":
            document["translation_review"] = {"translated_by": "un asistente de IA (borrador)"}

    project.translate("es", spanish)
    assert project.run("build", "--lang", "es").exit_code == 0
    pages = pypdf_pages(project.pdf("one", lang="es"))
    # the footer, since the content is reviewed
    assert "Traducción en borrador, aún no revisada" in pages[0].splitlines()
    assert squash("Traducción en borrador de un asistente de IA (borrador), aún sin revisar.") in squash("".join(pages))
    assert (PdfReader(project.pdf("one", lang="es")).metadata.subject
            .startswith("Traducción en borrador, aún no revisada. "))

    file = project.root / "handouts" / "es" / "one.yaml"
    document = yaml.safe_load(file.read_text(encoding="utf-8"))
    document["translation_review"].update({"reviewed_by": "M. Revisora, intérprete médica", "date": "2026-02-10"})
    file.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    result = project.run("build", "--lang", "es")
    assert result.exit_code == 0, result.output
    text = squash("".join(pypdf_pages(project.pdf("one", lang="es"))))
    assert squash("Traducido por un asistente de IA (borrador). Traducción revisada por M. Revisora, intérprete médica "
                  "el 10 de febrero de 2026.") in text
    assert squash("borrador, aún no revisada") not in text


def test_i18n_update_keeps_the_translation_review_record(project):
    project.handout("one")
    project.translate("es", lambda name, document: document.update(
        {"translation_review": {"translated_by": "T. Traductora"}}) if name == "one" else None)
    project.handout("one", GOOD_HANDOUT.format(id="one").replace("Some plain words", "Other plain words"))
    assert project.run("i18n", "update", "es").exit_code == 0
    document = yaml.safe_load((project.root / "handouts" / "es" / "one.yaml").read_text(encoding="utf-8"))
    assert document["translation_review"] == {"translated_by": "T. Traductora"}


def test_chinese_review_lines_use_full_width_punctuation():
    from kratom_handouts.content import load_handout, load_labels
    from kratom_handouts.project import Project
    from kratom_handouts.review import closing_record

    from .conftest import REPO

    project = Project(REPO)
    handout = load_handout(project, "overdose", "zh-Hans", Diagnostics())
    record = closing_record(handout, load_labels(project, "zh-Hans", Diagnostics()), None)
    assert record.startswith("草稿，等待临床审核。更新日期：")
    assert ". " not in record and ": " not in record
    english = closing_record(load_handout(project, "overdose", "en", Diagnostics()),
                             load_labels(project, "en", Diagnostics()), "4")
    assert english.startswith("Draft awaiting clinical review. Updated: ")
    assert english.endswith("Reading level: grade 4.")
