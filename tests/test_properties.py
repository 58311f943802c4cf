"""Property-based tests (hypothesis).

1. Any valid handout the strategy makes builds to a PDF whose text reads back (40 examples).
2. Random mutations of a shipped handout file always end in a PDF or a located error, never an
   internal failure or a traceback (80 examples).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings, strategies as st
from pypdf import PdfReader

from kratom_handouts.build import build
from kratom_handouts.plan import Job
from kratom_handouts.project import Project

from .conftest import REPO, squash

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéñüçøåßàèìòùâêîôûăđơưếộữЖжЯяΩωΣσ"
word = st.text(alphabet=LETTERS + "0123456789", min_size=1, max_size=12)
plain_text = st.lists(word, min_size=1, max_size=12).map(" ".join)


@st.composite
def emphasised(draw):
    words = draw(st.lists(word, min_size=1, max_size=10))
    marks = draw(st.lists(st.sampled_from(["", "", "**", "*"]), min_size=len(words), max_size=len(words)))
    return " ".join(f"{m}{w}{m}" for m, w in zip(marks, words, strict=False)), " ".join(words)


@st.composite
def blocks(draw):
    kind = draw(st.sampled_from(["heading", "paragraph", "bullets", "steps", "checklist", "callout", "table",
                                 "contacts"]))
    if kind in ("heading", "paragraph"):
        marked, plain = draw(emphasised())
        return {kind: marked}, [plain]
    if kind in ("bullets", "steps", "checklist"):
        items = draw(st.lists(plain_text, min_size=1, max_size=4))
        return {kind: items}, items
    if kind == "callout":
        title, text = draw(plain_text), draw(plain_text)
        return {"callout": {"kind": draw(st.sampled_from(["info", "tip", "warning", "emergency"])), "title": title,
                            "text": text}}, [title, text]
    if kind == "table":
        columns = draw(st.integers(1, 3))
        header = draw(st.lists(word, min_size=columns, max_size=columns))
        rows = draw(st.lists(st.lists(word, min_size=columns, max_size=columns), min_size=1, max_size=3))
        return {"table": {"header": header, "rows": rows}}, header + [cell for row in rows for cell in row]
    label = draw(plain_text)
    return {"contacts": [{"label": label, "phone": "1-800-662-4357"}]}, [label]


@st.composite
def handouts(draw):
    title, summary = draw(plain_text), draw(plain_text)
    body = draw(st.lists(blocks(), min_size=1, max_size=5))
    document = {
        "id": "generated", "title": title, "summary": summary, "updated": "2026-01-01", "next_review": "2027-01-01",
        "sources": [{"title": draw(plain_text), "publisher": "NIDA"}], "body": [block for block, _ in body],
    }
    expected = [title, summary] + [text for _, texts in body for text in texts]
    return document, expected


def new_project() -> Path:
    root = Path(tempfile.mkdtemp(prefix="kh-property-"))
    shutil.copytree(REPO / "layouts", root / "layouts")
    (root / "handouts" / "en").mkdir(parents=True)
    shutil.copy(REPO / "handouts" / "en" / "_labels.yaml", root / "handouts" / "en")
    return root


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(handouts())
def test_any_valid_handout_builds_and_reads_back(generated):
    document, expected = generated
    root = new_project()
    try:
        (root / "handouts" / "en" / "generated.yaml").write_text(yaml.safe_dump(document, allow_unicode=True),
                                                                 encoding="utf-8")
        result = build(Project(root), [Job("generated", "en", "standard")], root / "output")
        assert [p.describe(root) for p in result.problems if p.is_error] == []
        reader = PdfReader(root / "output" / "standard" / "en" / "generated.pdf")
        text = squash("".join(page.extract_text() for page in reader.pages))
        for piece in expected:
            assert squash(piece) in text, piece
    finally:
        shutil.rmtree(root)


SHIPPED = (REPO / "handouts" / "en" / "kratom-withdrawal.yaml").read_text(encoding="utf-8")
NOISE = st.text(alphabet=":-#&*!|>{}[]\"'\t\n ,%@`?~\\abcé\u202e\u200b0123456789", min_size=1, max_size=6)


@st.composite
def mutations(draw):
    text = SHIPPED
    for _ in range(draw(st.integers(1, 3))):
        position = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "duplicate-line", "drop-line"]))
        if action == "insert":
            text = text[:position] + draw(NOISE) + text[position:]
        elif action == "delete":
            text = text[:position] + text[position + draw(st.integers(1, 20)):]
        else:
            lines = text.split("\n")
            index = draw(st.integers(0, len(lines) - 1))
            lines[index:index + 1] = [lines[index]] * 2 if action == "duplicate-line" else []
            text = "\n".join(lines)
    return text


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations())
def test_mutated_yaml_gives_a_pdf_or_a_located_error(mutated):
    root = new_project()
    try:
        (root / "handouts" / "en" / "kratom-withdrawal.yaml").write_text(mutated, encoding="utf-8")
        result = build(Project(root), [Job("kratom-withdrawal", "en", "standard")], root / "output")
        internal = [p.message for p in result.problems if p.message.startswith("could not lay this out")]
        assert internal == []
        pdf = root / "output" / "standard" / "en" / "kratom-withdrawal.pdf"
        if result.failed:
            assert not pdf.exists()
            assert all(p.origin.file.name == "kratom-withdrawal.yaml" for p in result.problems if p.is_error)
            errors = [p for p in result.problems if p.is_error]
            # every error names its line and column: a translator goes straight to it
            assert errors and all(p.origin.line > 0 and p.origin.column > 0 for p in errors), [
                p.describe(root) for p in errors]
        else:
            assert len(PdfReader(pdf).pages) >= 1
    finally:
        shutil.rmtree(root)
