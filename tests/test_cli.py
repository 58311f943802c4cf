"""The command line: every bad input gives its own located message, exit 1, no traceback, no PDF."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from kratom_handouts import __version__
from kratom_handouts.cli import main

from .conftest import GOOD_HANDOUT, pypdf_pages, squash

BODY_END = "  - paragraph: Some plain words for the reader.\n"


def with_body(extra: str, handout_id: str = "bad") -> str:
    return GOOD_HANDOUT.format(id=handout_id) + extra


# (case, file content, expected message line); the handout file is handouts/en/bad.yaml
BAD_HANDOUTS = [
    ("yaml syntax", with_body("  - paragraph: [unclosed\n"),
     "handouts/en/bad.yaml:15:1: YAML syntax error: expected ',' or ']', but got '<stream end>'"),
    ("number for text", GOOD_HANDOUT.format(id="bad").replace("title: A test handout", "title: 2026"),
     "handouts/en/bad.yaml:2:8: title must be text, found a number (put it in quotes if it is meant as text)"),
    ("unknown field", with_body("  - paragraph: x\n    colour: red\n"),
     "handouts/en/bad.yaml:15:5: unknown field 'colour' in body item 3 (did you mean 'callout'?)"),
    ("missing field", GOOD_HANDOUT.format(id="bad").replace("summary: This is the main message.\n", ""),
     "handouts/en/bad.yaml:1:1: the handout is missing the required field 'summary'"),
    ("duplicate key", GOOD_HANDOUT.format(id="bad") + "title: Again\n",
     "handouts/en/bad.yaml:14:1: duplicate key 'title' (first given on line 2)"),
    ("anchor and alias", with_body("  - paragraph: &words Hello\n  - paragraph: *words\n"),
     "handouts/en/bad.yaml:14:16: YAML anchors (&name) are not allowed: write the value out in full"),
    ("javascript link", with_body("  - paragraph: '[Click](javascript:alert(1))'\n"),
     "handouts/en/bad.yaml:14:16: paragraph (body item 3) has a link to 'javascript:alert(1)': "
     "links must start with https:, http:, mailto: or tel:"),
    ("file link", with_body("  - paragraph: See [this](file:///etc/passwd).\n"),
     "handouts/en/bad.yaml:14:16: paragraph (body item 3) has a link to 'file:///etc/passwd': "
     "links must start with https:, http:, mailto: or tel:"),
    ("image outside", with_body("  - image: {path: /etc/hostname, alt: Host}\n"),
     "handouts/en/bad.yaml:14:19: image (body item 3) path: the path '/etc/hostname' leaves the project folder; "
     "keep files inside the project"),
    ("unclosed bold", with_body("  - paragraph: '**Call 911 right away.'\n"),
     "handouts/en/bad.yaml:14:16: paragraph (body item 3) has a '**' that starts bold text and is never closed, so "
     "the stars would print: put '**' after the last word to be bold, or remove it"),
    ("missing glyph", with_body("  - paragraph: Read 中文 here\n"),
     "handouts/en/bad.yaml:14:16: the font 'noto-sans' has no glyph for '中' (U+4E2D); "
     "replace it or choose another font"),
]


@pytest.mark.parametrize("case,content,expected", BAD_HANDOUTS, ids=[c[0] for c in BAD_HANDOUTS])
def test_bad_handout(project, case, content, expected):
    project.handout("good")
    project.handout("bad", content)
    result = project.run("build")
    assert result.exit_code == 1
    assert expected in result.stderr.splitlines()
    assert "Traceback" not in result.output
    assert not project.pdf("bad").exists()
    assert project.pdf("good").exists(), "one broken handout must not stop the others"
    check = project.run("check")
    assert check.exit_code == 1
    assert expected in check.stderr.splitlines()


def test_not_utf8(project):
    project.handout("good")
    project.handout("bad", GOOD_HANDOUT.format(id="bad").replace("main message", "main m\xe9ssage").encode("latin-1"))
    result = project.run("build")
    assert result.exit_code == 1
    assert ("handouts/en/bad.yaml:3:28: the file is not UTF-8 text (byte 0xe9); save it as UTF-8"
            in result.stderr.splitlines())
    assert not project.pdf("bad").exists()


def test_markup_lookalikes_print_literally(project):
    project.handout("odd", with_body('  - paragraph: \'<img src="/etc/passwd"> <b>bold?</b> Tom & Jerry\'\n', "odd"))
    result = project.run("build")
    assert result.exit_code == 0, result.output
    text = squash("".join(pypdf_pages(project.pdf("odd"))))
    assert squash('<img src="/etc/passwd"> <b>bold?</b> Tom & Jerry') in text


def test_unknown_layout(project):
    project.handout("good")
    result = project.run("build", "--layout", "fancy")
    assert result.exit_code == 1
    assert result.stderr == "Error: unknown layout 'fancy'; there are: a4, large-print, standard\n"
    assert not (project.root / "output").exists()


def test_layout_extends_cycle(project):
    project.handout("good")
    project.write("layouts/standard.yaml", "extends: a4\n")
    result = project.run("build")
    assert result.exit_code == 1
    assert ("layouts/a4.yaml:2:10: layout 'extends' goes round in a circle: standard -> a4 -> standard"
            in result.stderr.splitlines())
    assert not project.pdf("good").exists()


def test_bad_logo_in_the_brand_file(project):
    project.handout("good")
    brand = (project.root / "layouts" / "_brand.yaml").read_text().replace("logo: layouts/sample-clinic-logo.png",
                                                                           "logo: ../../logo.png")
    project.write("layouts/_brand.yaml", brand)
    result = project.run("build")
    assert result.exit_code == 1
    assert any(line.startswith("layouts/_brand.yaml:") and "leaves the project folder" in line
               for line in result.stderr.splitlines())


def test_last_good_pdf_is_kept_when_a_handout_breaks(project):
    project.handout("good")
    assert project.run("build").exit_code == 0
    before = project.pdf("good").read_bytes()
    project.handout("good", "title: [broken\n")
    assert project.run("build").exit_code == 1
    assert project.pdf("good").read_bytes() == before
    assert [p.name for p in project.pdf("good").parent.iterdir()] == ["good.pdf"], "no temporary files left behind"


def test_build_selects_ids_languages_and_layouts(project):
    project.handout("one")
    project.handout("two")
    result = project.run("build", "two", "--layout", "a4", "--layout", "large-print", "--format", "pdf", "--verbose",
                         "--output", str(project.root / "out"))
    assert result.exit_code == 0, result.output
    built = sorted(str(p.relative_to(project.root / "out")) for p in (project.root / "out").rglob("*.pdf"))
    assert built == ["a4/en/two.pdf", "large-print/en/two.pdf"]
    lines = result.stdout.splitlines()
    assert lines[:2] == ["wrote out/a4/en/two.pdf", "wrote out/large-print/en/two.pdf"]
    assert lines[-1].startswith("Built 2 PDF(s), 2 page(s), in ")
    assert (PdfReader(project.root / "out" / "a4" / "en" / "two.pdf").pages[0].mediabox.width
            == pytest.approx(595.28, abs=0.01))


def test_unknown_handout_and_language(project):
    project.handout("one")
    assert (project.run("build", "nope").stderr
            == "Error: unknown handout 'nope'; run 'kratom-handouts list' to see them\n")
    result = project.run("build", "--lang", "xx")
    assert (result.exit_code, result.stderr) == (1, "Error: unknown language 'xx'; there are: en\n")
    assert project.run("build", "onee").stderr == "Error: unknown handout 'onee' (did you mean 'one'?)\n"
    assert project.run("build", "--lang", "EN").stderr == "Error: unknown language 'EN' (did you mean 'en'?)\n"
    # a handout's file for its id, and a language without its script or region
    assert (project.run("build", "handouts/en/one.yaml").stderr
            == "Error: unknown handout 'handouts/en/one.yaml' (did you mean 'one'?)\n")
    project.write("handouts/zh-Hans/one.yaml", "id: one\n")
    assert project.run("build", "--lang", "zh").stderr == "Error: unknown language 'zh' (did you mean 'zh-Hans'?)\n"


def test_list_shows_titles_programs_languages_layouts(project):
    project.handout("one")
    result = project.run("list")
    assert result.exit_code == 0
    assert result.stdout == (
        "Handouts:\n  one\n    en: A test handout\nPrograms: none\nLanguages: en\n"
        "Layouts: a4, large-print, standard (default: standard)\n"
    )
    # the ids 'bundle' takes (found in a new user's run: only 'list --json' showed them)
    project.write("programs/starter.yaml", "id: starter\ntitle: Starter pack\nhandouts: [one]\n")
    assert "\nPrograms: starter\n" in project.run("list").stdout


def test_check_reports_and_exit_codes(project):
    project.handout("one")
    result = project.run("check")
    # the fixture has no help lines or call to action: health-literacy errors, but valid content
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == ("Checked 1 handout file(s), 3 layout(s) and 0 program(s): "
                                              "2 error(s), 0 warning(s).")
    assert result.stderr.splitlines() == [
        "handouts/en/one.yaml: no call to action: tell the reader what to do (a sentence starting with a verb such as "
        "'Call' or 'Talk', or a steps list)",
        "handouts/en/one.yaml: no help lines: add a contacts block (for example SAMHSA's National Helpline and 988)",
    ]


def test_version_and_help():
    runner = CliRunner()
    assert runner.invoke(main, ["--version"]).output == f"kratom-handouts, version {__version__}\n"
    for command in ([], ["build"], ["check"], ["list"]):
        result = runner.invoke(main, [*command, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output


def test_usage_error_exit_code():
    result = CliRunner().invoke(main, ["build", "--bogus"])
    assert result.exit_code == 2
    assert "No such option '--bogus'" in result.output


@pytest.mark.parametrize("command", [["--help"], ["list", "--project", "REPO"]])
def test_help_and_list_do_not_import_reportlab(command):
    import subprocess
    import sys

    from .conftest import REPO

    args = [str(REPO) if word == "REPO" else word for word in command]
    code = (f"import sys; from kratom_handouts.cli import main\ntry: main({args!r})\n"
            "except SystemExit: pass\nprint('reportlab' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip().endswith("False")


def test_a_folder_that_is_not_a_project(tmp_path):
    for command in (["build"], ["list"], ["bundle"], ["i18n", "init", "vi"], ["i18n", "status"]):
        result = CliRunner().invoke(main, [*command, "--project", str(tmp_path)])
        assert result.exit_code == 2, command
        assert result.stderr == (f"Error: {tmp_path} is not a kratom-handouts project (it has no handouts/ folder). "
                                 "Run this in the project folder, or give --project DIR.\n")
    assert not (tmp_path / "handouts").exists()


def test_a_project_folder_that_does_not_exist_is_said_so(tmp_path):
    for command in (["build"], ["list"], ["check"]):
        result = CliRunner().invoke(main, [*command, "--project", str(tmp_path / "gone")])
        assert (result.exit_code, result.stderr) == (2, f"Error: {tmp_path}/gone does not exist (or is not a folder); "
                                                        "give --project the project folder, the one with handouts/ "
                                                        "and layouts/.\n"), command
    assert not (tmp_path / "gone").exists()


def test_a_command_run_inside_a_project_finds_it(project, monkeypatch):
    """From handouts/es, as a translator works, a command finds the project above and says where it is."""
    project.handout("one")
    project.translate("es")
    monkeypatch.chdir(project.root / "handouts" / "es")
    result = CliRunner().invoke(main, ["build", "--lang", "es", "--no-bundles", "--format", "pdf"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == f"Project: {project.root}"
    assert (project.root / "output" / "standard" / "es" / "one.pdf").is_file()
    assert not (project.root / "handouts" / "es" / "output").exists()
    monkeypatch.chdir(project.root)  # in the project itself, nothing more is said
    result = CliRunner().invoke(main, ["list"])
    assert result.exit_code == 0 and "Project:" not in result.stderr
    # An explicit --project is taken as it is, never searched above.
    result = CliRunner().invoke(main, ["list", "--project", str(project.root / "handouts")])
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {project.root / 'handouts'} is not a kratom-handouts project (it has no "
                             "handouts/ folder). Run this in the project folder, or give --project DIR.\n")


def test_a_folder_with_no_project_above_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["list"])
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {tmp_path} is not a kratom-handouts project (neither it nor a folder above it "
                             "has a handouts/ folder). Run this in the project folder, or give --project DIR.\n")


def test_output_inside_the_handouts_folder_is_refused(project):
    """Outputs there are read as content by the next build ("'standard' is not a language code")."""
    project.handout("one")
    for inside in ("handouts", "handouts/en/x", "layouts", "programs/p"):
        result = project.run("build", "--output", str(project.root / inside))
        assert result.exit_code == 2, inside
        source = inside.split("/")[0]
        assert result.stderr == (f"Error: --output {project.root / inside} is inside the project's {source}/ folder, "
                                 f"where the next build would read the outputs as {source}; write somewhere else "
                                 "(the default is output/).\n")
    assert sorted(p.name for p in (project.root / "handouts").iterdir()) == ["en"]


def test_output_into_a_handouts_folder_that_is_a_link_is_refused_too(project):
    project.handout("one")
    shutil.move(project.root / "handouts", project.root / "content")
    (project.root / "handouts").symlink_to(project.root / "content", target_is_directory=True)
    result = project.run("build", "--output", str(project.root / "handouts" / "out"))
    assert result.exit_code == 2 and "is inside the project's handouts/ folder" in result.stderr
    assert sorted(p.name for p in (project.root / "content").iterdir()) == ["en"]


def test_a_current_folder_that_is_gone_is_said_plainly(project, tmp_path, monkeypatch):
    project.handout("one")
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    result = CliRunner().invoke(main, ["list"])
    assert result.exit_code == 2
    assert result.stderr == ("Error: the current folder no longer exists; run this in the project folder, or give "
                             "--project DIR.\n")
    assert CliRunner().invoke(main, ["list", "--project", str(project.root)]).exit_code == 0


@pytest.mark.parametrize("which,code", [("project", 2), ("output", 3)])
def test_a_folder_that_is_a_loop_of_links_is_said_plainly(project, tmp_path, which, code):
    project.handout("one")
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    args = ["build", "--project", str(loop)] if which == "project" else ["build", "--output", str(loop),
                                                                         "--project", str(project.root)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == code
    assert result.stderr == (f"Error: {loop} is a link that leads back to itself (a loop of links), or cannot be "
                             "looked at; give a real folder.\n")


def test_a_project_with_no_handouts_yet_says_so(project):
    """Its programs name handouts that are not there: a located message each, not an IndexError."""
    project.write("programs/pack.yaml", "id: pack\ntitle: A pack\nhandouts: [one]\n")
    shutil.rmtree(project.root / "handouts")
    (project.root / "handouts").mkdir()
    result = project.run("build")
    assert "Traceback" not in result.output and result.exit_code == 1
    assert "programs/pack.yaml:3:12: unknown handout 'one'; there are none yet" in result.stderr.splitlines()


def test_check_lang_checks_one_language_alone(project):
    project.handout("one")
    project.translate("es")
    (project.root / "handouts" / "en" / "bad.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    alone = project.run("check", "--lang", "es")
    assert "handouts/en/bad.yaml" not in alone.output  # the English files are not this translator's
    assert "Checked 1 handout file(s)" in alone.output
    everything = project.run("check")
    assert "handouts/en/bad.yaml" in everything.output
    unknown = project.run("check", "--lang", "ess")
    assert unknown.exit_code == 1 and unknown.stderr == "Error: unknown language 'ess' (did you mean 'es'?)\n"


def test_a_failure_nothing_expected_ends_in_one_plain_line(project, monkeypatch):
    """Staff never read a traceback: a defect of the tool (here, one put in on purpose) is one message, exit 70."""
    from kratom_handouts import catalog

    project.handout("good")

    def broken(*args, **kwargs):
        raise KeyError("titles\x1b[31m")

    monkeypatch.setattr(catalog, "describe_project", broken)
    result = project.run("list")
    assert result.exit_code == 70
    assert "Traceback" not in result.output
    assert result.stderr.splitlines() == [
        "Error: kratom-handouts stopped on a failure of its own (KeyError: 'titles\\x1b[31m'). Files already "
        "written are complete. Reinstall kratom-handouts; if this happens again, report it with the command you ran "
        "(KRATOM_HANDOUTS_DEBUG=1 shows where it failed)."]
    debugging = project.run("list", env={"KRATOM_HANDOUTS_DEBUG": "1"})
    assert isinstance(debugging.exception, KeyError)  # the developer's view: the exception itself


def test_clicks_own_endings_pass_through_the_guard(project):
    result = project.run("list", "--no-such-option")  # a usage error, raised while the group invokes 'list'
    assert result.exit_code == 2 and "No such option '--no-such-option'" in result.output


def test_every_exit_code_is_documented():
    import re

    from kratom_handouts.errors import ExitCode

    from .conftest import REPO

    table = re.findall(r"^\| (\d+) \|", (REPO / "docs" / "SECURITY.md").read_text(encoding="utf-8"), re.MULTILINE)
    assert sorted(map(int, table)) == sorted(code.value for code in ExitCode)
