"""Faults around the build: missing fonts, an unwritable or full disk, interruptions, two builds at once."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from kratom_handouts import fonts

from .conftest import GOOD_HANDOUT, REPO


def many(project, count: int = 6) -> list[str]:
    ids = [f"h{n}" for n in range(count)]
    for handout_id in ids:
        project.handout(handout_id, GOOD_HANDOUT.format(id=handout_id))
    return ids


def no_temporary_files(root: Path) -> bool:
    return not [p for p in root.rglob("*") if p.name.endswith(".tmp")]


def test_missing_font_file(project, monkeypatch):
    project.handout("good")
    family = fonts.FAMILIES["noto-sans"]
    broken = fonts.Family("noto-sans", dict(family.files, bold=project.root / "gone" / "NotoSans-Bold.ttf"))
    monkeypatch.setitem(fonts.FAMILIES, "noto-sans", broken)
    fonts._cmap.cache_clear()
    result = project.run("build")
    fonts._cmap.cache_clear()
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "gone/NotoSans-Bold.ttf: the font file is missing; reinstall kratom-handouts" in result.stderr.splitlines()
    assert not project.pdf("good").exists()


def test_a_missing_reading_grade_word_list_says_reinstall(project, monkeypatch, tmp_path):
    """The package's own data file, lost from an installation: a located message, no traceback, in build and
    in check."""
    from kratom_handouts.quality import syllables

    project.handout("good")
    monkeypatch.setattr(syllables, "DATA", tmp_path / "gone")
    syllables._english_table.cache_clear()
    try:
        built, checked = project.run("build"), project.run("check")
    finally:
        syllables._english_table.cache_clear()
    message = (f"{tmp_path}/gone/en-syllables.txt.gz: the reading-grade word list cannot be read (No such file or "
               "directory); reinstall kratom-handouts")
    for result in (built, checked):
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        assert message in result.stderr.splitlines()
    assert "cannot write" not in built.output
    assert not project.pdf("good").exists()


def test_a_file_that_cannot_be_read_while_building_is_not_called_unwritable(project, monkeypatch, tmp_path):
    from kratom_handouts import jobs

    project.handout("good")
    unreadable = tmp_path / "elsewhere" / "data.bin"

    def fails(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(unreadable))

    monkeypatch.setattr(jobs, "_build_handout", fails)
    result = project.run("build", "--format", "pdf")
    assert result.exit_code == 1  # not 3: the output folder is fine
    assert f"{unreadable}: cannot read this file: Permission denied" in result.stderr.splitlines()
    assert "cannot write" not in result.output


def test_an_output_folder_under_a_file_is_one_message(project):
    """It was one message per output, each at a folder under the file, none naming the file."""
    project.handout("good")
    (project.root / "blocked").write_text("a file where a folder should be")
    result = project.run("build", "--output", str(project.root / "blocked" / "out"))
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [
        f"Error: --output {project.root}/blocked/out: {project.root}/blocked is a file, not a folder; give a folder "
        "(it is made if it is not there)."]


def test_output_folder_not_writable(project):
    project.handout("good")
    (project.root / "output").mkdir()
    (project.root / "output" / "standard").write_text("a file where a folder should be")
    (project.root / "output" / "web").write_text("a file where a folder should be")
    result = project.run("build")
    assert result.exit_code == 3
    assert "Traceback" not in result.output
    assert "output/standard/en: cannot write the PDF: Not a directory" in result.stderr.splitlines()
    assert "output/web/en: cannot write the web page: Not a directory" in result.stderr.splitlines()


def test_disk_full_keeps_the_last_good_pdf(project, monkeypatch):
    project.handout("good")
    assert project.run("build").exit_code == 0
    before = project.pdf("good").read_bytes()

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    project.handout("good", GOOD_HANDOUT.format(id="good").replace("Some plain words", "Other plain words"))
    result = project.run("build")
    assert result.exit_code == 3
    assert "Traceback" not in result.output
    assert any(line.endswith("cannot write the PDF: No space left on device") for line in result.stderr.splitlines())
    assert project.pdf("good").read_bytes() == before
    assert no_temporary_files(project.root)


def on_third_write(monkeypatch, happen) -> None:
    """``happen()`` runs as the build starts writing its third PDF."""
    from kratom_handouts import output

    real = output.write_atomic
    calls = []

    def third(path, data, inside):
        calls.append(path)
        if len(calls) == 3:
            happen()
        return real(path, data, inside)

    monkeypatch.setattr(output, "write_atomic", third)


def test_ctrl_c_leaves_finished_pdfs_and_no_temporary_files(project, monkeypatch):
    ids = many(project, 4)

    def stop_mid_write(fd):  # the interrupt arrives in the middle of a write: after the temporary file is made
        raise KeyboardInterrupt

    on_third_write(monkeypatch, lambda: monkeypatch.setattr(os, "fsync", stop_mid_write))
    result = project.run("build", "--jobs", "1", "--format", "pdf")  # the hook counts writes in this process
    assert result.exit_code == 130
    assert "Interrupted: PDFs already written are complete; nothing half-written was left." in result.stderr
    written = [project.pdf(i) for i in ids if project.pdf(i).exists()]
    assert len(written) == 2
    assert all(len(PdfReader(path).pages) == 1 for path in written)
    assert no_temporary_files(project.root)


@pytest.mark.parametrize("workers", ["1", "2"])
@pytest.mark.parametrize("how,code,message", [
    ("SIGTERM", 143, "Stopped: PDFs already written are complete"),
    ("SIGINT", 130, "Interrupted: PDFs already written are complete"),
])
def test_a_signal_stops_a_build_cleanly(project, workers, how, code, message):
    """SIGTERM to the build, or Ctrl-C (SIGINT to the whole process group, workers included): the build and its
    workers stop, every PDF left is whole, no temporary file remains, and no worker is left running."""
    many(project, 40)
    process = subprocess.Popen([sys.executable, "-m", "kratom_handouts", "build", "--jobs", workers, "--project",
                                str(project.root)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    out_dir = project.root / "output" / "standard" / "en"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out_dir.glob("*.pdf"))) < 3:
        time.sleep(0.01)
    if how == "SIGTERM":
        process.send_signal(signal.SIGTERM)
    else:
        os.killpg(process.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == code, (stdout, stderr)
    assert message in stderr
    assert "Traceback" not in stderr
    pdfs = list(out_dir.glob("*.pdf"))
    assert 3 <= len(pdfs) < 40
    assert all(len(PdfReader(path).pages) == 1 for path in pdfs)
    assert no_temporary_files(project.root)
    with pytest.raises(ProcessLookupError):  # the session is empty: no worker outlived the build
        os.killpg(process.pid, 0)


def test_two_builds_at_once_into_one_folder(project):
    ids = many(project, 12)
    command = [sys.executable, "-m", "kratom_handouts", "build", "--project", str(project.root)]
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    second = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert first.wait(timeout=120) == 0 and second.wait(timeout=120) == 0
    alone = project.root / "alone"  # the same handouts built by one build on its own: what both must have written
    assert project.run("build", "--output", str(alone)).exit_code == 0
    for handout_id in ids:
        assert project.pdf(handout_id).read_bytes() == (alone / "standard" / "en" / f"{handout_id}.pdf").read_bytes()
    assert no_temporary_files(project.root)


@pytest.mark.parametrize("args,code", [([], 0), (["build", "--nope"], 2), (["frobnicate"], 2)])
def test_usage_exit_codes(args, code):
    result = subprocess.run([sys.executable, "-m", "kratom_handouts", *args, *(["--help"] if not args else [])],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == code
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("kind,code,message", [
    ("Stopped", 143, "Stopped: PDFs already written are complete"),
    ("KeyboardInterrupt", 130, "Interrupted: PDFs already written are complete"),
])
def test_a_signal_a_library_turned_into_an_oserror_still_stops_the_build(project, monkeypatch, kind, code, message):
    """ReportLab catches everything while it reads an image and raises "cannot open resource" instead: a SIGTERM
    or Ctrl-C landing there must still end the build as interrupted, not as a write failure (exit 3)."""
    from kratom_handouts import errors

    ids = many(project, 5)

    def signal_inside_a_library():
        errors.Interruption.arrived(getattr(errors, kind, KeyboardInterrupt))  # what the handler records
        raise OSError("cannot open resource 'logo.png'")  # what the library raises in its place

    on_third_write(monkeypatch, signal_inside_a_library)
    result = project.run("build", "--jobs", "1", "--format", "pdf")  # the hook counts writes in this process
    assert result.exit_code == code, result.output
    assert message in result.stderr and "cannot write" not in result.stderr
    assert len([i for i in ids if project.pdf(i).exists()]) == 2
    assert no_temporary_files(project.root)
