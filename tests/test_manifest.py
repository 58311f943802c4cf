"""Incremental builds: a rebuild renders exactly the outputs whose inputs changed, and nothing else.

The shipped library is copied and built once per test; what a second build rendered is read from its result
(and, for the no-op case, from the files' modification times).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kratom_handouts.build import build
from kratom_handouts.cli import main
from kratom_handouts.manifest import FORMAT_VERSION, MANIFEST_NAME
from kratom_handouts.plan import plan, plan_bundles
from kratom_handouts.project import Project

from .conftest import REPO

LAYOUTS = ("standard", "large-print")


@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = tmp_path / "library"
    for folder in ("layouts", "programs"):
        shutil.copytree(REPO / folder, root / folder)
    for lang in ("en", "es"):  # two languages are enough to follow what depends on what, and quicker
        shutil.copytree(REPO / "handouts" / lang, root / "handouts" / lang)
    shutil.copy(REPO / "kratom-handouts.yaml", root / "kratom-handouts.yaml")
    return root


def jobs(root: Path, layouts=("standard",)):
    project = Project(root)
    return plan(project, (), (), layouts, ("pdf", "html")) + plan_bundles(project, (), (), layouts)


def run(root: Path, layouts=("standard",), **options):
    """Build and return the outputs rendered this time, as paths relative to the output folder."""
    result = build(Project(root), jobs(root, layouts), root / "output", workers=2, **options)
    assert result.ok, result.problems
    return {written.path.relative_to(root / "output").as_posix() for written in result.written}, result


def outputs(root: Path) -> dict[str, int]:
    return {p.relative_to(root / "output").as_posix(): p.stat().st_mtime_ns for p in (root / "output").rglob("*")
            if p.is_file()}


def programs_with(root: Path, handout_id: str) -> list[str]:
    found = []
    for file in sorted((root / "programs").glob("*.yaml")):
        program = yaml.safe_load(file.read_text(encoding="utf-8"))
        if handout_id in program["handouts"]:
            found.append(file.stem)
    return found


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_rebuild_with_nothing_changed_renders_and_rewrites_nothing(library):
    first, _ = run(library)
    assert len(first) == 46  # 20 PDFs, 20 web pages, 6 bundles
    before = outputs(library)
    again, result = run(library)
    assert again == set()
    assert len(result.up_to_date) == 46 and result.pages == 0
    assert outputs(library) == before  # not one file touched, the manifest included


def test_building_another_layout_leaves_the_web_pages_as_they_are(library):
    """The web edition is the same in every layout and branded by the default one, whichever layouts a build asks
    for: a4 then large-print renders each one's PDFs, and the web pages once (each build rendered all 20 again,
    the same bytes, when the first layout asked for branded them)."""
    first, _ = run(library, layouts=("a4",))
    assert sum(path.startswith("web/") for path in first) == 20
    second, _ = run(library, layouts=("large-print",))
    assert second and not any(path.startswith("web/") for path in second), sorted(second)
    assert {job.layout for job in jobs(library, ("a4",)) if job.format == "html"} == {"standard"}


def test_changing_one_english_handout_rebuilds_it_its_translations_and_their_bundles(library):
    run(library)
    edit(library / "handouts/en/kratom-withdrawal.yaml", "updated: ", "updated: 2026-11-30\nxx: ")
    # a bad edit first: nothing built from it, and the last good outputs stay
    result = build(Project(library), jobs(library), library / "output", workers=2)
    assert not result.ok
    (library / "handouts/en/kratom-withdrawal.yaml").write_text(
        (REPO / "handouts/en/kratom-withdrawal.yaml").read_text(encoding="utf-8")
        .replace("Kratom withdrawal", "Kratom withdrawal now", 1),
        encoding="utf-8")
    rebuilt, _ = run(library)
    expected = {f"{folder}/{lang}/kratom-withdrawal.{ext}" for lang in ("en", "es") for folder,
                ext in (("standard", "pdf"), ("web", "html"))}
    expected |= {f"bundles/standard/{lang}/{p}.pdf" for lang in ("en", "es")
                 for p in programs_with(library, "kratom-withdrawal")}
    assert rebuilt == expected


def test_changing_one_translation_rebuilds_only_that_language(library):
    run(library)
    edit(library / "handouts/es/overdose.yaml", "translation_review:", "# a translator's note\ntranslation_review:")
    rebuilt, _ = run(library)
    assert rebuilt == {"standard/es/overdose.pdf", "web/es/overdose.html"} | {
        f"bundles/standard/es/{p}.pdf" for p in programs_with(library, "overdose")}


def test_changing_a_label_rebuilds_every_output_in_that_language(library):
    first, _ = run(library)
    labels = library / "handouts/es/_labels.yaml"
    data = yaml.safe_load(labels.read_text(encoding="utf-8"))
    data["sources"] = data["sources"] + " consultadas"
    labels.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    rebuilt, _ = run(library)
    assert rebuilt == {key for key in first if "/es/" in key}
    assert rebuilt and all("/en/" not in key for key in rebuilt)


def test_changing_the_logo_rebuilds_everything(library):
    run(library)
    logo = library / "layouts/sample-clinic-logo.png"
    from PIL import Image

    with Image.open(logo) as picture:
        picture.convert("RGB").rotate(180).save(logo)
    rebuilt, _ = run(library)
    assert len(rebuilt) == 46  # the web pages show the logo too


def test_changing_one_layout_colour_rebuilds_only_that_layout(library):
    first, _ = run(library, LAYOUTS)
    layout = library / "layouts/large-print.yaml"
    layout.write_text(layout.read_text(encoding="utf-8") + "\ncolors:\n  accent: \"#1d4f2a\"\n", encoding="utf-8")
    rebuilt, _ = run(library, LAYOUTS)
    # the web: standard
    assert rebuilt == {key for key in first if key.startswith(("large-print/", "bundles/large-print/"))}
    assert rebuilt


def test_a_new_tool_version_or_force_rebuilds_everything(library, monkeypatch):
    run(library)
    from kratom_handouts import manifest

    monkeypatch.setattr(manifest, "__version__", "99.0")
    assert len(run(library)[0]) == 46
    assert run(library)[0] == set()
    assert len(run(library, force=True)[0]) == 46


def test_an_output_deleted_or_changed_by_hand_is_rebuilt(library):
    run(library)
    (library / "output/standard/en/overdose.pdf").unlink()
    (library / "output/standard/es/overdose.pdf").write_bytes(b"not a pdf")
    assert run(library)[0] == {"standard/en/overdose.pdf", "standard/es/overdose.pdf"}


@pytest.mark.parametrize("damage", [b"", b"{", b'{"format": 1, "outputs": {"x": {"size": "big"}}}', b"\xff\xfe", b"[]"])
def test_a_damaged_manifest_means_a_full_rebuild_not_a_failure(library, damage):
    run(library)
    (library / "output" / MANIFEST_NAME).write_bytes(damage)
    assert len(run(library)[0]) == 46
    assert json.loads((library / "output" / MANIFEST_NAME).read_text(encoding="utf-8"))["format"] == FORMAT_VERSION


def test_a_skipped_job_still_prints_its_warnings(library):
    """A language without labels builds with a warning; a no-op rebuild says the same."""
    (library / "handouts/fr").mkdir()
    shutil.copy(library / "handouts/es/overdose.yaml", library / "handouts/fr/overdose.yaml")
    first = CliRunner().invoke(main, ["build", "--lang", "fr", "--no-bundles", "--project", str(library)])
    again = CliRunner().invoke(main, ["build", "--lang", "fr", "--no-bundles", "--project", str(library)])
    assert first.exit_code == again.exit_code == 0, first.output
    warning = "handouts/fr/_labels.yaml: warning: there is no _labels.yaml for 'fr': labels print in English"
    assert warning in first.stderr and warning in again.stderr
    assert "Built 1 PDF(s) and 1 web page(s)" in first.stdout
    assert "Built 0 PDF(s), 0 page(s)" in again.stdout and "2 up to date" in again.stdout


def test_outputs_of_a_deleted_handout_are_reported_and_pruned(library):
    run(library)
    for lang in ("en", "es"):
        (library / f"handouts/{lang}/kratom-and-pregnancy.yaml").unlink()
    for file in (library / "programs").glob("*.yaml"):  # no program may name it any more
        assert "kratom-and-pregnancy" not in file.read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--project", str(library)])
    assert result.exit_code == 0
    for lang in ("en", "es"):
        assert (f"stale: output/standard/{lang}/kratom-and-pregnancy.pdf: its handout, program, language or layout is "
                "gone (--prune removes it)") in result.stderr
        assert (library / f"output/standard/{lang}/kratom-and-pregnancy.pdf").exists()
    result = CliRunner().invoke(main, ["build", "--prune", "--project", str(library)])
    assert result.exit_code == 0
    assert "removed output/standard/en/kratom-and-pregnancy.pdf" in result.stdout
    assert not (library / "output/standard/en/kratom-and-pregnancy.pdf").exists()
    assert "stale" not in CliRunner().invoke(main, ["build", "--project", str(library)]).stderr


def test_a_stale_output_deleted_by_hand_is_no_longer_reported(library):
    """It was still listed as stale, and --prune said it 'removed' it."""
    run(library)
    for lang in ("en", "es"):
        (library / f"handouts/{lang}/kratom-and-pregnancy.yaml").unlink()
    for pdf in (library / "output").rglob("kratom-and-pregnancy.*"):
        pdf.unlink()
    for args in (["build"], ["build", "--prune"]):
        result = CliRunner().invoke(main, [*args, "--project", str(library)])
        assert result.exit_code == 0, result.output
        assert "kratom-and-pregnancy" not in result.output, args


def test_prune_never_removes_a_file_the_manifest_leads_out_of_the_output_folder(library, tmp_path):
    """A manifest is a file in output/, which anyone who can write there can edit: its keys must not lead a
    prune to a file outside the output folder, or to one a build does not make."""
    run(library)
    victims = [tmp_path / "outside.txt", library / "handouts" / "en" / "overdose.yaml",
               library / "output" / "notes.txt"]
    for victim in victims[::2]:
        victim.write_text("keep me", encoding="utf-8")
    manifest_file = library / "output" / MANIFEST_NAME
    data = json.loads(manifest_file.read_text(encoding="utf-8"))
    entry = next(iter(data["outputs"].values()))
    for key in ("../../outside.txt", str(tmp_path / "outside.txt"), "../handouts/en/overdose.yaml", "notes.txt",
                "standard/../../handouts/en/overdose.yaml"):
        data["outputs"][key] = entry
    manifest_file.write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--prune", "--project", str(library)])
    assert result.exit_code == 0, result.output
    assert "removed" not in result.stdout and "stale" not in result.stderr
    assert all(victim.exists() for victim in victims)


def test_prune_never_follows_a_linked_folder_out_of_the_output_folder(library, tmp_path):
    run(library)
    outside = tmp_path / "outside"
    (outside / "en").mkdir(parents=True)
    (outside / "en" / "secret.pdf").write_bytes(b"keep me")
    (library / "output" / "evil").symlink_to(outside, target_is_directory=True)
    (library / "output" / "standard" / "en" / "gone.pdf").mkdir()  # a folder where a stale output's file was
    manifest_file = library / "output" / MANIFEST_NAME
    data = json.loads(manifest_file.read_text(encoding="utf-8"))
    entry = next(iter(data["outputs"].values()))
    data["outputs"]["evil/en/secret.pdf"] = data["outputs"]["standard/en/gone.pdf"] = entry
    manifest_file.write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--prune", "--project", str(library)])
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    assert (outside / "en" / "secret.pdf").read_bytes() == b"keep me"
    assert "removed output/evil/en/secret.pdf" not in result.stdout
    assert ("stale: output/standard/en/gone.pdf: its handout, program, language or layout is gone (--prune removes "
            "it)") in result.stderr  # could not be removed: still reported


def test_an_input_the_manifest_names_outside_the_project_is_never_read(library, tmp_path):
    from .conftest import watching_files

    run(library)
    secret = tmp_path / "secret.txt"
    secret.write_text("a secret", encoding="utf-8")
    manifest_file = library / "output" / MANIFEST_NAME
    data = json.loads(manifest_file.read_text(encoding="utf-8"))
    for entry in data["outputs"].values():
        entry["files"][str(secret)] = "0" * 64
    manifest_file.write_text(json.dumps(data), encoding="utf-8")
    with watching_files() as access:
        rendered, _ = run(library)
    assert access.outside(library, library / "output") == ([], [])
    assert len(rendered) == 46  # every entry was set aside, so everything was built again


def test_a_language_folder_that_is_a_broken_link_is_not_pruned_away(library):
    run(library)
    shutil.move(library / "handouts" / "es", library / "elsewhere")
    (library / "handouts" / "es").symlink_to(library / "handouts" / "gone", target_is_directory=True)
    result = CliRunner().invoke(main, ["build", "--prune", "--project", str(library)])
    assert ("handouts/es: warning: is a link that leads nowhere, or back to itself (a loop of links); put the folder "
            "there; nothing is reported stale or pruned until it is fixed") in result.stderr.splitlines()
    assert "removed" not in result.stdout
    assert (library / "output" / "standard" / "es" / "overdose.pdf").exists()
    check = CliRunner().invoke(main, ["check", "--project", str(library)])
    assert check.exit_code == 1
    assert ("handouts/es: is a link that leads nowhere, or back to itself (a loop of links); put the folder there"
            in check.stderr.splitlines())


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_a_manifest_that_is_a_pipe_or_endless_is_no_manifest(library, kind):
    """A named pipe in its place blocked the build for ever; a link to /dev/zero filled the memory."""
    import os

    run(library)
    manifest_file = library / "output" / MANIFEST_NAME
    manifest_file.unlink()
    if kind == "fifo":
        os.mkfifo(manifest_file)
    else:
        manifest_file.symlink_to("/dev/zero")
    done = subprocess.run([sys.executable, "-m", "kratom_handouts", "build", "--lang", "en", "--no-bundles",
                           "--format", "html", "--project", str(library)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Built 0 PDF(s) and 10 web page(s)" in done.stdout  # everything built again, as with no manifest
    assert "Traceback" not in done.stderr


def test_a_no_op_rebuild_does_not_load_reportlab(library):
    run(library)
    script = ("import sys\nfrom click.testing import CliRunner\nfrom kratom_handouts.cli import main\n"
              f"result = CliRunner().invoke(main, ['build', '--project', {str(library)!r}])\n"
              "assert result.exit_code == 0, result.output\nassert '46 up to date' in result.stdout, result.stdout\n"
              "print(sorted(name for name in sys.modules if name.startswith(('reportlab', 'pikepdf'))))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"



def test_the_catalog_follows_the_outputs_and_a_deleted_one_is_made_again(library):
    """A rebuild that renders nothing leaves the catalog alone; one that renders something remakes it."""
    run(library)
    catalog = library / "output" / "index.html"
    catalog.unlink()
    run(library)
    assert catalog.is_file()  # nothing rendered, but the catalog was missing
    edit(library / "handouts" / "en" / "is-my-use-a-problem.yaml", "title: ", "title: Renamed, ")
    rendered, _ = run(library)
    assert "standard/en/is-my-use-a-problem.pdf" in rendered
    assert "Renamed, " in catalog.read_text(encoding="utf-8")
