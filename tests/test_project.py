"""Where things are in a project folder."""

from __future__ import annotations

import os
from pathlib import Path

from kratom_handouts.project import Project


def test_one_handout_file_is_what_the_folder_listing_gives_for_every_kind_of_name(tmp_path: Path) -> None:
    folder = tmp_path / "handouts" / "en"
    folder.mkdir(parents=True)
    for name in ("plain.yaml", ".hidden.yaml", "a.b.yaml", "_labels.yaml", "_draft.yaml", "notes.txt",
                 "plain.yml", "Upper.yaml", "sp ace.yaml", "é.yaml"):
        (folder / name).write_text("id: x\n", encoding="utf-8")
    (folder / "folder.yaml").mkdir()  # the listing names it; reading it then says what is wrong
    os.symlink(tmp_path / "nowhere.yaml", folder / "broken.yaml")
    (tmp_path / "outside.yaml").write_text("id: outside\n", encoding="utf-8")
    project = Project(tmp_path)
    listed = project.handout_files("en")
    asked = ["plain", ".hidden", "a.b", "_labels", "_draft", "notes", "notes.txt", "plain.yml", "upper", "Upper",
             "sp ace", "é", "folder", "broken", "missing", "", ".", "..", "../outside", "../../outside",
             "sub/plain", "plain\x00", "plain.yaml"]
    for handout_id in asked:
        assert project.handout_file("en", handout_id) == listed.get(handout_id), handout_id
    assert project.handout_file("fr", "plain") is None  # no such language folder
    assert {"plain", ".hidden", "a.b", "folder", "broken"} <= set(listed)  # the cases above do cover these
