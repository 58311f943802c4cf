"""``i18n update`` never loses a translator's work: texts, comments, and every file when one has an error."""

from __future__ import annotations

import yaml

from .conftest import SOURCE, edit_yaml

CHANGED = SOURCE.replace("comes from a tree", "comes from a big tree")


def spanish_file(project):
    return project.root / "handouts" / "es" / "one.yaml"


def snapshot(project):
    """Every file of the language, as bytes: what 'writes nothing' is checked against."""
    folder = project.root / "handouts" / "es"
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def with_comments(project):
    path = spanish_file(project)
    lines = path.read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        if line.startswith("title:"):
            line += "  # Ana: 'usted', not 'tú', as the clinic asked"
        if "El kratom viene de un árbol." in line:
            out.append("# Ana: check 'árbol' with Dr Gómez")
        out.append(line)
    path.write_text("\n".join(out) + "\n# Ana: end of file note\n", encoding="utf-8")


def test_update_keeps_the_translators_comments_and_texts(translated):
    with_comments(translated)
    translated.handout("one", CHANGED)
    result = translated.run("i18n", "update", "es")
    assert result.exit_code == 0, result.output
    text = spanish_file(translated).read_text(encoding="utf-8")
    assert "title: Kratom y usted  # Ana: 'usted', not 'tú', as the clinic asked" in text
    assert "# Ana: check 'árbol' with Dr Gómez" in text
    assert text.index("# Ana: check 'árbol'") < text.index("El kratom viene de un árbol.")
    assert "# Ana: end of file note" in text
    document = yaml.safe_load(text)
    assert document["review"] == ["tree"]
    assert document["body"][1]["paragraph"] == "El kratom viene de un árbol."


def test_a_translated_part_still_listed_in_todo_is_kept_and_reported(translated):
    edit_yaml(spanish_file(translated), lambda d: d.update(todo=["tree"]))
    translated.handout("one", CHANGED)
    result = translated.run("i18n", "update", "es")
    assert result.exit_code == 0, result.output
    assert ("  one: translated but still listed in todo, kept: tree (delete them from todo when they are done)"
            in result.stdout.splitlines())
    document = yaml.safe_load(spanish_file(translated).read_text(encoding="utf-8"))
    assert document["body"][1]["paragraph"] == "El kratom viene de un árbol."
    assert document["todo"] == ["tree"]


def test_an_untouched_part_under_todo_shows_the_newest_english(translated):
    def untranslate(document):
        document["todo"] = ["tree"]
        document["body"][1]["paragraph"] = "Kratom comes from a tree."

    edit_yaml(spanish_file(translated), untranslate)
    translated.handout("one", CHANGED)
    result = translated.run("i18n", "update", "es")
    assert result.exit_code == 0, result.output
    assert "kept" not in result.stdout
    document = yaml.safe_load(spanish_file(translated).read_text(encoding="utf-8"))
    assert document["body"][1]["paragraph"] == "Kratom comes from a big tree."
    assert document["todo"] == ["tree"]


def test_a_duplicate_block_id_is_an_error_in_check_and_update_writes_nothing(translated):
    def duplicate(document):
        document["body"].append({"paragraph": "Otra frase.", "id": "tree"})

    edit_yaml(spanish_file(translated), duplicate)
    translated.handout("one", CHANGED)
    first, line = [number for number, text in enumerate(spanish_file(translated).read_text("utf-8").splitlines(), 1)
                   if text.strip() == "id: tree"]
    before = snapshot(translated)
    result = translated.run("i18n", "update", "es")
    assert result.exit_code == 1
    message = f"handouts/es/one.yaml:{line}:7: block id 'tree' is used twice (first on line {first})"
    assert message in result.output
    assert snapshot(translated) == before
    check = translated.run("check")
    assert check.exit_code == 1
    assert message in check.output


def test_a_labels_file_of_the_wrong_shape_is_an_error_not_replaced_by_defaults(translated):
    labels = translated.root / "handouts" / "es" / "_labels.yaml"
    labels.write_text("- Página {page} de {pages}\n- Fuentes\n", encoding="utf-8")
    translated.handout("one", CHANGED)
    before = snapshot(translated)
    result = translated.run("i18n", "update", "es")
    assert result.exit_code == 1
    assert "handouts/es/_labels.yaml:1:1: the labels must be a mapping" in result.output, result.output
    assert snapshot(translated) == before


def test_a_broken_english_source_stops_update_before_anything_is_written(translated):
    translated.handout("two", SOURCE.replace("id: one", "id: two"))
    translated.handout("one", CHANGED.replace("  - paragraph: Talk", "   - paragraph: Talk"))
    before = snapshot(translated)
    result = translated.run("i18n", "update", "es")
    assert result.exit_code == 1
    assert "handouts/en/one.yaml:" in result.output
    assert "Traceback" not in result.output
    assert snapshot(translated) == before  # two.yaml, new in English, is not written either


def test_update_keeps_the_translation_record_and_notes_as_written(translated):
    def record(document):
        document["translation_review"] = {"translated_by": "Ana Pérez, medical translator"}
        document["review_notes"] = ["Confirm 'naloxona' with the pharmacist."]

    edit_yaml(spanish_file(translated), record)
    translated.handout("one", CHANGED)
    assert translated.run("i18n", "update", "es").exit_code == 0
    document = yaml.safe_load(spanish_file(translated).read_text(encoding="utf-8"))
    assert document["translation_review"] == {"translated_by": "Ana Pérez, medical translator"}
    assert document["review_notes"] == ["Confirm 'naloxona' with the pharmacist."]


def test_update_with_nothing_changed_keeps_the_file_as_it_was(translated):
    with_comments(translated)
    assert translated.run("i18n", "update", "es").exit_code == 0
    before = snapshot(translated)
    assert translated.run("i18n", "update", "es").exit_code == 0
    assert snapshot(translated) == before
