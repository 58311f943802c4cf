"""Translations: exact status numbers, init and update, fallback, strict, regional variants, /Lang spans."""

from __future__ import annotations

import json
import re

import pikepdf
import pytest
import yaml
from pypdf import PdfReader

from kratom_handouts.i18n.languages import fallback_chain, language_problem
from kratom_handouts.model import LABEL_DEFAULTS

from ..conftest import pypdf_pages
from ..pdfua import struct_elements
from .conftest import SOURCE, edit_yaml


def status(project, *args):
    result = project.run("i18n", "status", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["languages"]


def one(languages, lang="es", handout="one"):
    language = next(entry for entry in languages if entry["lang"] == lang)
    return next(entry for entry in language["handouts"] if entry["id"] == handout)


def test_complete_translation_reads_back_in_spanish(translated):
    assert status(translated)[0]["percent_translated"] == 100.0
    result = translated.run("build", "--lang", "es")
    assert result.exit_code == 0, result.output
    text = "".join(pypdf_pages(translated.pdf("one", lang="es")))
    for words in ("Kratom y usted", "El kratom viene de un árbol.", "Cápsulas", "En resumen", "Página 1 de 1",
                  "Borrador pendiente de revisión clínica", "Fuentes"):
        assert words in text, words
    assert PdfReader(translated.pdf("one", lang="es")).trailer["/Root"]["/Lang"] == "es"


def test_status_counts_missing_stale_and_extra(translated):
    es = translated.root / "handouts" / "es" / "one.yaml"

    def damage(document):
        document["todo"] = ["title"]  # 1 missing: still to do
        document["body"] = [b for b in document["body"] if b["id"] != "talk"]  # 2 missing: gone
        document["body"].append({"paragraph": "Un bloque viejo.", "id": "old"})  # 1 extra

    edit_yaml(es, damage)
    translated.handout("one", SOURCE.replace("[Powder, Capsules]", "[Powder, Capsules, Teas]"))  # 1 stale
    entry = one(status(translated))
    assert {k: entry[k] for k in ("translated", "missing", "stale", "extra")} == {"translated": 3, "missing": 2,
                                                                                  "stale": 1, "extra": 1}
    assert (entry["missing_units"], entry["stale_units"], entry["extra_units"]) == (["title", "talk"], ["forms"],
                                                                                    ["old"])
    language = status(translated)[0]
    # 6 units (title, summary, 4 blocks) and every label (all translated): the percentage is done / all
    labels = len(LABEL_DEFAULTS)
    assert language["percent_translated"] == round(100 * (3 + labels) / (6 + labels), 1)


def test_one_changed_english_word_makes_exactly_that_block_stale(translated):
    translated.handout("one", SOURCE.replace("comes from a tree", "comes from a big tree"))
    assert one(status(translated))["stale_units"] == ["tree"]


def test_init_then_update_keeps_translations_and_marks_changed_blocks(translated):
    changed = SOURCE.replace("comes from a tree", "comes from a big tree").replace(
        "  - paragraph: Talk to your clinic.\n    id: talk\n",
        "  - paragraph: Call your clinic.\n    id: call\n")
    translated.handout("one", changed)
    result = translated.run("i18n", "update", "es")
    assert result.exit_code == 0, result.output
    assert "  one: source changed, marked for review: tree" in result.stdout.splitlines()
    assert "  one: removed talk (no longer in the source)" in result.stdout.splitlines()
    document = yaml.safe_load((translated.root / "handouts" / "es" / "one.yaml").read_text(encoding="utf-8"))
    assert document["review"] == ["tree"]
    assert document["todo"] == ["call"]
    assert [block.get("paragraph") or block.get("heading") or block.get("bullets") for block in document["body"]] == [
        "De dónde viene", "El kratom viene de un árbol.", ["Polvo", "Cápsulas"], "Call your clinic."]
    assert document["title"] == "Kratom y usted"
    entry = one(status(translated))
    assert (entry["stale_units"], entry["missing_units"], entry["extra_units"]) == (["tree"], ["call"], [])
    # the translator checked it
    edit_yaml(translated.root / "handouts" / "es" / "one.yaml", lambda d: d.update(review=[]))
    assert one(status(translated))["stale_units"] == []


def test_missing_blocks_stop_the_build_unless_fallback_is_allowed(translated):
    edit_yaml(translated.root / "handouts" / "es" / "one.yaml", lambda d: d.update(todo=["talk"]))
    translated.handout("two")
    result = translated.run("build", "--lang", "es", "--no-bundles")
    assert result.exit_code == 0, "an unfinished translation is skipped, not failed"
    assert ("handouts/es/one.yaml: warning: not translated yet, so not built: talk (--allow-fallback prints them in "
            "English)"
            in result.stderr.splitlines())
    assert result.stdout.rstrip().endswith("; 1 skipped: translation not finished (see above)")
    assert not translated.pdf("one", lang="es").exists()

    result = translated.run("build", "--lang", "es", "--allow-fallback")
    assert result.exit_code == 0, result.output
    assert "handouts/es/one.yaml: warning: not translated yet, printed in English: talk" in result.stderr.splitlines()
    pdf = translated.pdf("one", lang="es")
    assert "Talk to your clinic." in "".join(pypdf_pages(pdf))
    assert "Draft: parts of this handout are not translated yet." in "".join(pypdf_pages(pdf))
    # The English part is marked on its structure element, not by wrapping marked content in a span.
    with pikepdf.open(pdf) as opened:
        marked = [(str(element.S), str(element.Lang)) for element in struct_elements(opened) if "/Lang" in element]
    assert marked == [("/P", "en")]
    assert b"/Span" not in b"".join(page.get_contents().get_data() for page in PdfReader(pdf).pages)

    result = translated.run("build", "--lang", "es", "--allow-fallback", "--strict")
    assert result.exit_code == 1
    assert "handouts/es/one.yaml: not translated yet: talk" in result.stderr.splitlines()


def test_a_handout_asked_for_by_name_and_language_and_not_built_fails_the_command(translated):
    """Skipped in a build of every language (exit 0, above), but asked for by name and language it is not made,
    and a script or a clinic's batch file must not take that for success."""
    edit_yaml(translated.root / "handouts" / "es" / "one.yaml", lambda d: d.update(todo=["talk"]))
    translated.write("programs/pack.yaml", "id: pack\ntitle: A pack\nhandouts: [one]\n")
    for command, name in ((["build", "one", "--lang", "es"], "one (es)"), (["bundle", "pack", "--lang", "es"],
                                                                            "pack (es)")):
        result = translated.run(*command)
        assert result.exit_code == 1, (command, result.output)
        assert result.stderr.splitlines()[-1] == (
            f"Error: not built, as its translation is not finished: {name}. Finish the parts listed above, or add "
            "--allow-fallback to print them in English")
        assert result.stdout.rstrip().endswith("; 1 skipped: translation not finished (see above)")
    assert translated.run("build", "one", "--lang", "es", "--quiet").exit_code == 1
    # Without --lang (every language) or without an id (every handout), a skipped translation is no failure.
    for command in (["build", "one"], ["build", "--lang", "es"], ["bundle", "pack"]):
        result = translated.run(*command)
        assert result.exit_code == 0, (command, result.output)
        assert "Error:" not in result.stderr
    result = translated.run("build", "one", "--lang", "es", "--allow-fallback")
    assert result.exit_code == 0, result.output
    assert translated.pdf("one", lang="es").exists()


def test_check_says_what_a_build_does_with_a_part_still_to_do(translated):
    """check reads the untranslated part in English to check the rest, but its warning is the build's: the
    handout is skipped (it said "printed in English", which only --allow-fallback does)."""
    edit_yaml(translated.root / "handouts" / "es" / "one.yaml", lambda d: d.update(todo=["talk"]))
    expected = ("handouts/es/one.yaml: warning: not translated yet, so not built: talk (--allow-fallback prints them "
                "in English)")
    for command in (["check", "--lang", "es"], ["build", "--lang", "es", "--no-bundles"]):
        result = translated.run(*command)  # (check also finds the small test handout has no help lines)
        assert expected in result.stderr.splitlines(), (command, result.stderr)


def test_stale_blocks_warn_and_strict_makes_them_errors(translated):
    translated.handout("one", SOURCE.replace("comes from a tree", "comes from a big tree"))
    result = translated.run("build", "--lang", "es", "--no-bundles")
    assert result.exit_code == 0
    assert any(line.startswith("handouts/es/one.yaml:") and "warning: 'tree' is out of date" in line
               for line in result.stderr.splitlines())
    strict = translated.run("build", "--lang", "es", "--no-bundles", "--strict")
    assert strict.exit_code == 1
    assert any(line.startswith("handouts/es/one.yaml:") and ": 'tree' is out of date" in line
               for line in strict.stderr.splitlines())
    stale = re.compile(r"handouts/es/one\.yaml:\d+:\d+: (warning: )?'tree' is out of date")
    assert [m.group(1) for m in map(stale.match, translated.run("check").stderr.splitlines()) if m] == ["warning: "]
    assert [m.group(1) for m in map(stale.match, translated.run("check", "--strict").stderr.splitlines())
            if m] == [None]


def test_regional_variant_falls_back_block_by_block(translated):
    translated.write("handouts/es-MX/one.yaml", yaml.safe_dump({
        "id": "one", "todo": [], "translated_from": yaml.safe_load(
            (translated.root / "handouts" / "es" / "one.yaml").read_text(encoding="utf-8"))["translated_from"],
        "body": [{"paragraph": "El kratom sale de un árbol.", "id": "tree"}]}, allow_unicode=True, sort_keys=False))
    result = translated.run("build", "--lang", "es-MX", "--no-bundles")
    assert result.exit_code == 0, result.output
    pdf = translated.pdf("one", lang="es-MX")
    text = "".join(pypdf_pages(pdf))
    assert "El kratom sale de un árbol." in text and "Cápsulas" in text and "Kratom y usted" in text
    assert "Talk to your clinic." not in text
    assert PdfReader(pdf).trailer["/Root"]["/Lang"] == "es-MX"
    entry = one(status(translated, "--lang", "es-MX"), lang="es-MX")
    assert (entry["translated"], entry["inherited"], entry["missing"]) == (1, 5, 0)


def test_regional_variant_builds_the_base_language_handouts_it_does_not_override(translated):
    translated.write("handouts/es-MX/_labels.yaml", "todo: []\n")
    result = translated.run("build", "--lang", "es-MX", "--no-bundles")
    assert result.exit_code == 0, result.output
    assert "Kratom y usted" in "".join(pypdf_pages(translated.pdf("one", lang="es-MX")))


@pytest.mark.parametrize("code,problem", [
    ("es", None), ("es-MX", None), ("zh-Hans", None), ("vi", None),
    ("EN",
     "'EN' is not a language code written the BCP 47 way (for example es, es-MX, zh-Hans: language in lowercase, "
     "region in capitals)"),
    ("es_MX",
     "'es_MX' is not a language code written the BCP 47 way (for example es, es-MX, zh-Hans: language in lowercase, "
     "region in capitals)"),
    ("xx", "'xx' is not a known language code (for example es, es-MX, vi, zh-Hans)"),
])
def test_language_codes(code, problem):
    assert language_problem(code) == problem


def test_fallback_chain():
    assert fallback_chain("zh-Hant-TW") == ["zh-Hant-TW", "zh-Hant", "zh"]
    assert fallback_chain("es-MX") == ["es-MX", "es"]


def test_unknown_language_folder_is_an_error(project):
    project.handout("one")
    project.write("handouts/xx/one.yaml", "id: one\n")
    assert project.run("check").stderr.splitlines()[0] == (
        "handouts/xx: 'xx' is not a known language code (for example es, es-MX, vi, zh-Hans)")
    result = project.run("build")
    assert (result.exit_code, result.stderr) == (
        1, "Error: handouts/xx: 'xx' is not a known language code (for example es, es-MX, vi, zh-Hans)\n")


def test_translation_with_a_different_block_type_is_located(translated):
    edit_yaml(translated.root / "handouts" / "es" / "one.yaml",
              lambda d: d["body"].__setitem__(1, {"bullets": ["El kratom viene de un árbol."], "id": "tree"}))
    result = translated.run("build", "--lang", "es", "--no-bundles")
    assert result.exit_code == 1
    assert any(re.match(r"handouts/es/one\.yaml:\d+:\d+: block 'tree' is a paragraph in the source but a bullets here; "
                        r"keep the same block type", line)
               for line in result.stderr.splitlines())


@pytest.mark.parametrize("damage, english_problem", [
    (lambda d: d.__setitem__("summery", d.pop("summary")), "unknown field 'summery' in the handout"),
    (lambda d: d["body"][1].__setitem__("paragraf", d["body"][1].pop("paragraph")),
     "unknown field 'paragraf' in body item 2"),
], ids=["a misspelled field", "a misspelled block type"])
def test_a_broken_english_handout_is_not_blamed_on_its_translations(translated, damage, english_problem):
    """The English problems come back through the merge as the translation's (a required field missing, a block
    of no known type): the translator is told the file waits for the English, not sent to mend a good file."""
    edit_yaml(translated.root / "handouts" / "en" / "one.yaml", damage)
    result = translated.run("check")
    assert result.exit_code == 1
    problems = [line for line in result.stderr.splitlines() if re.match(r"handouts/\w+/one\.yaml:\d+:\d+: ", line)]
    assert any(english_problem in line and line.startswith("handouts/en/") for line in problems), problems
    assert [line for line in problems if line.startswith("handouts/es/")] == [
        "handouts/es/one.yaml:1:1: not checked: the English handout it translates (handouts/en/one.yaml) has errors; "
        "fix those first"]


def test_a_translation_of_a_good_english_handout_keeps_its_own_problems(translated):
    """The control: with the English sound, the translation's own mistake is reported at its place."""
    edit_yaml(translated.root / "handouts" / "es" / "one.yaml", lambda d: d.__setitem__("summery", "x"))
    result = translated.run("check")
    assert result.exit_code == 1
    assert "not checked" not in result.stderr
    assert re.search(r"handouts/es/one\.yaml:\d+:\d+: unknown field 'summery'", result.stderr), result.stderr


def test_init_refuses_the_source_language_and_bad_codes(project):
    project.handout("one")
    assert (project.run("i18n", "init", "en").stderr
            == "handouts/en: 'en' is the source language; it is not translated\n")
    assert project.run("i18n", "init", "ES").exit_code == 1


def test_init_with_a_broken_english_handout_writes_nothing(project):
    """It stopped at the broken one (exit 1) with half the language's files written and no word of them."""
    for handout_id in ("a", "b", "c"):
        project.handout(handout_id)
    (project.root / "handouts" / "en" / "b.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    result = project.run("i18n", "init", "fr")
    assert result.exit_code == 1
    assert result.stderr.startswith("handouts/en/b.yaml:")
    assert not list((project.root / "handouts").glob("fr/*"))


def test_update_with_nothing_to_change_leaves_each_file_as_the_translator_wrote_it(translated):
    """It rewrote every file, wrapping long lines anew, although nothing had changed."""
    file = translated.root / "handouts" / "es" / "one.yaml"
    assert translated.run("i18n", "update", "es").exit_code == 0  # first brought up to date
    long_line = "title: " + "Kratom y usted, " * 8 + "fin"  # one line of 130 characters, as the translator keeps it
    text = file.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    file.write_text(text.replace(title, long_line), encoding="utf-8")
    before = file.read_bytes(), file.stat().st_mtime_ns
    result = translated.run("i18n", "update", "es")
    assert result.exit_code == 0, result.output
    assert (file.read_bytes(), file.stat().st_mtime_ns) == before
    # A real change still rewrites it.
    translated.handout("one", SOURCE.replace("comes from a tree", "comes from a big tree"))
    assert translated.run("i18n", "update", "es").exit_code == 0
    assert file.read_bytes() != before[0] and long_line.split(", fin")[0][:40] in file.read_text(encoding="utf-8")


@pytest.mark.parametrize("ending", [b"\r\n", b"\n"])
def test_update_keeps_the_files_line_endings(translated, ending):
    """A translator's editor that writes CRLF got back a file of mixed endings: the new lines LF, a comment's CR."""
    file = translated.root / "handouts" / "es" / "one.yaml"
    assert translated.run("i18n", "update", "es").exit_code == 0
    text = file.read_bytes().replace(b"\r\n", b"\n")
    file.write_bytes((b"# mi nota\n" + text).replace(b"\n", ending))
    translated.handout("one", SOURCE.replace("comes from a tree", "comes from a big tree"))
    result = translated.run("i18n", "update", "es")
    assert result.exit_code == 0 and "wrote handouts/es/one.yaml" in result.output
    written = file.read_bytes()
    assert written.startswith(b"# mi nota" + ending)
    lines = written.split(b"\n")[:-1]
    assert all(line.endswith(b"\r") for line in lines) if ending == b"\r\n" else b"\r" not in written
    assert yaml.safe_load(written)["review"] == ["tree"]  # the change was made, and the file reads


def test_status_table(translated):
    result = translated.run("i18n", "status")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "es: 100% translated (0 missing, 0 stale, 0 extra)"


def test_update_adds_new_labels_to_do_and_keeps_translated_ones(translated):
    labels = translated.root / "handouts" / "es" / "_labels.yaml"
    edit_yaml(labels, lambda d: d.pop("reading_grade"))
    result = translated.run("i18n", "update", "es")
    assert result.exit_code == 0, result.output
    assert "  _labels.yaml: 1 part(s) added" in result.stdout.splitlines()
    document = yaml.safe_load(labels.read_text(encoding="utf-8"))
    assert document["todo"] == ["reading_grade"]
    assert document["in_short"] == "En resumen" and document["reading_grade"] == "Reading level: grade {grade}"
    assert one(status(translated), handout="_labels")["missing_units"] == ["reading_grade"]


def test_starting_a_language_does_not_break_the_build(translated):
    translated.write("programs/pack.yaml", "id: pack\ntitle: A pack\nhandouts: [one]\n")
    assert translated.run("i18n", "init", "vi").exit_code == 0
    result = translated.run("build")
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert ("handouts/vi/one.yaml: warning: not translated yet, so not built: title, summary, origin, tree, forms, "
            "talk (--allow-fallback prints them in English)") in lines
    assert "programs/pack.yaml: warning: the 'vi' bundle is not built: not translated yet: one" in lines
    assert "; 2 skipped: translation not finished" in result.stdout
    assert translated.pdf("one", lang="es").exists() and not translated.pdf("one", lang="vi").exists()


def test_check_strict_treats_a_language_just_begun_as_in_progress(translated):
    def errors(result):  # the test project fails --strict on its own (drafts, no help lines): compare those
        return [line for line in result.stderr.splitlines()
                if line.startswith("handouts/") and ": warning: " not in line]

    before = translated.run("check", "--strict")
    assert translated.run("i18n", "init", "vi").exit_code == 0
    result = translated.run("check", "--strict")
    assert (result.exit_code, errors(result)) == (before.exit_code, errors(before))
    assert ("handouts/vi/one.yaml: warning: not started yet: every part is still to do (a language just begun is not "
            "an error; its handouts are not built)") in result.stderr.splitlines()
    built = translated.run("build", "--strict", "--lang", "vi")
    assert not [line for line in errors(built) if line.startswith("handouts/vi/")], built.output
    assert not translated.pdf("one", lang="vi").exists()
    # once the translator has begun a file, what is left in it is unfinished work, which --strict refuses
    edit_yaml(translated.root / "handouts" / "vi" / "one.yaml",
              lambda d: d.update(title="Kratom và bạn", todo=[n for n in d["todo"] if n != "title"]))
    result = translated.run("check", "--strict")
    assert "handouts/vi/one.yaml: not translated yet: summary, origin, tree, forms, talk" in errors(result)


def test_a_typo_in_a_translated_block_is_located_even_under_todo(translated):
    path = translated.root / "handouts" / "es" / "one.yaml"
    text = path.read_text(encoding="utf-8").replace("- paragraph: El kratom viene de un árbol.",
                                                    "- paragrap: El kratom viene de un árbol.")
    path.write_text(text, encoding="utf-8")
    edit_yaml(path, lambda d: d.update(todo=["tree"]))
    line = next(n for n, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "paragrap:" in row)
    result = translated.run("check")
    assert (f"handouts/es/one.yaml:{line}:3: unknown field 'paragrap' in body item 2 (did you mean 'paragraph'?)"
            in result.stderr.splitlines())
    assert result.exit_code == 1


def test_translator_bookkeeping_mistakes_are_warned_about_with_a_suggestion(project):
    import yaml

    project.handout("one")

    def edit(handout_id, document):
        if handout_id != "one":
            return
        document["todo"] = ["titel", "summary"]  # a typo, and a part that is in fact translated
        document["summary"] = "Este es el mensaje principal."
        body = document["body"]
        body[0]["id"] = body[0]["id"] + "x"  # a block id mistyped: it no longer matches the English

    project.translate("es", edit)
    result = project.run("check")
    text = result.output
    source = yaml.safe_load((project.root / "handouts" / "en" / "one.yaml").read_text())
    first_id = source["body"][0].get("id") or "first"
    assert "'titel' is listed under todo, but the handout has no part called so (did you mean 'title'?)" in text
    assert ("'summary' is listed under todo but is no longer the English: if it is translated, delete it from todo"
            in text)
    assert "is not in the source handout; it is ignored (did you mean" in text and first_id in text
