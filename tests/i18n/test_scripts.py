"""Vietnamese and Russian: they build, bold and italic work, and the text reads back exactly, in NFC."""

from __future__ import annotations

import shutil
import unicodedata

import pytest
import yaml
from pypdf import PdfReader

from kratom_handouts import inline

from ..conftest import REPO, pdfminer_pages, pypdf_pages, squash

FIXTURES = REPO / "tests" / "fixtures" / "scripts"


@pytest.fixture(params=["vi", "ru"])
def script_project(project, request):
    lang = request.param
    shutil.copytree(FIXTURES / lang, project.root / "handouts" / lang)
    return project, lang


def expected_texts(lang: str) -> list[str]:
    document = yaml.safe_load((FIXTURES / lang / "kratom-basics.yaml").read_text(encoding="utf-8"))
    texts = [document["title"], document["summary"]]
    for block in document["body"]:
        for key in ("heading", "paragraph"):
            if key in block:
                texts.append(block[key])
        texts.extend(block.get("bullets", []))
    return [inline.plain_text(text) for text in texts]


def test_builds_and_reads_back_exactly(script_project):
    project, lang = script_project
    result = project.run("build", "--lang", lang)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    pdf = project.pdf("kratom-basics", lang=lang)
    for reader in (pypdf_pages, pdfminer_pages):
        text = unicodedata.normalize("NFC", "".join(reader(pdf)))
        raw = "".join(reader(pdf))
        for expected in expected_texts(lang):
            assert squash(expected) in squash(text), (reader.__name__, expected)
        assert raw == unicodedata.normalize("NFC", raw), "the PDF's text is NFC already"
    assert PdfReader(pdf).trailer["/Root"]["/Lang"] == lang


def test_bold_and_italic_faces_are_used(script_project):
    project, lang = script_project
    assert project.run("build", "--lang", lang).exit_code == 0
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTTextContainer

    faces: dict[str, set[str]] = {}
    for page in extract_pages(str(project.pdf("kratom-basics", lang=lang))):
        for box in page:
            if isinstance(box, LTTextContainer):
                for line in box:
                    for char in line:
                        if isinstance(char, LTChar):
                            faces.setdefault(char.fontname.split("+")[-1], set()).add(char.get_text())
    bold_word = {"vi": "chấp", "ru": "одобряет"}[lang]
    italic_word = {"vi": "gọi", "ru": "Позвоните"}[lang]
    assert set(bold_word) <= faces["NotoSans-Bold"]
    assert set(italic_word) <= faces["NotoSans-Italic"]


def test_decomposed_input_is_normalised(project):
    decomposed = unicodedata.normalize("NFD", (FIXTURES / "vi" / "kratom-basics.yaml").read_text(encoding="utf-8"))
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    project.write("handouts/vi/kratom-basics.yaml", decomposed)
    assert project.run("build", "--lang", "vi").exit_code == 0
    text = "".join(pypdf_pages(project.pdf("kratom-basics", lang="vi")))
    assert "Kratom và sức khỏe của bạn" in text
