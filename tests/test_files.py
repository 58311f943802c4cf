"""Files are files, and the project is the boundary: pipes, devices, folders, links out and huge files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kratom_handouts.errors import UnsafeFile
from kratom_handouts.files import read_limited

from .conftest import GOOD_HANDOUT


def test_a_regular_file_is_read_whole():
    assert read_limited(Path(__file__), 10_000_000) == Path(__file__).read_bytes()


@pytest.mark.parametrize("make,message", [
    (lambda p: os.mkfifo(p), "is a named pipe (FIFO), not a file"),
    (lambda p: p.symlink_to("/dev/zero"), "is a link to a file outside the project"),
    (lambda p: p.mkdir(), "is a folder, not a file"),
])
def test_a_handout_that_is_not_a_file_is_a_located_error_not_a_hang(project, make, message):
    import subprocess
    import sys

    project.handout("good")
    make(project.root / "handouts" / "en" / "bad.yaml")
    # In a process of its own with a time limit: a read that blocks fails the test instead of hanging the suite.
    result = subprocess.run([sys.executable, "-m", "kratom_handouts", "build", "--format", "pdf", "--project",
                             str(project.root)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert f"handouts/en/bad.yaml: the file {message}" in result.stderr, result.stderr
    assert project.pdf("good").is_file() and not project.pdf("bad").exists()
    assert "Traceback" not in result.stderr + result.stdout


def test_a_device_inside_the_project_is_refused(tmp_path):
    (tmp_path / "handouts").mkdir()
    link = tmp_path / "handouts" / "zero.yaml"
    os.symlink("/dev/zero", link)
    (tmp_path / "handouts" / "dev").symlink_to("/dev", target_is_directory=True)
    with pytest.raises(UnsafeFile, match="outside the project"):
        read_limited(link, 1000)


def test_a_link_to_a_file_outside_the_project_is_not_read(project, tmp_path):
    outside = tmp_path / "secret.yaml"
    outside.write_text(GOOD_HANDOUT.format(id="leak"), encoding="utf-8")
    project.handout("good")
    (project.root / "handouts" / "en" / "leak.yaml").symlink_to(outside)
    result = project.run("check")
    assert result.exit_code == 1
    assert ("handouts/en/leak.yaml: the file is a link to a file outside the project; copy the file into the "
            "project instead") in result.output


def test_a_link_inside_the_project_is_followed(project):
    project.handout("good")
    (project.root / "handouts" / "en" / "alias.yaml").write_text(GOOD_HANDOUT.format(id="alias"), encoding="utf-8")
    (project.root / "handouts" / "en" / "other.yaml").symlink_to(project.root / "handouts" / "en" / "alias.yaml")
    result = project.run("check")
    assert "outside the project" not in result.output


def test_a_file_larger_than_the_limit_is_refused_without_trusting_its_size(project, tmp_path):
    big = project.handout("big", "# " + "x" * 1_200_000 + "\n")
    result = project.run("check")
    assert result.exit_code == 1
    assert "handouts/en/big.yaml: the file is too large (more than 1 MB, the limit)" in result.output
    with pytest.raises(UnsafeFile, match="too large"):
        read_limited(big, 1_000_000)


def test_an_insert_that_is_a_pipe_does_not_hang_a_bundle(project):
    project.handout("good")
    os.mkfifo(project.root / "consent.pdf")
    project.write("programs/p.yaml", "title: P\nhandouts: [good]\ninserts:\n  - {id: consent, path: consent.pdf, "
                                     "title: Consent, after: good}\n")
    result = project.run("bundle")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "consent.pdf" in result.output
