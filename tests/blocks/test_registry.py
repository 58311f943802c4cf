"""The block registry: every block type declared once, every other table derived from it."""

from __future__ import annotations

import dataclasses
import json
import typing

import pytest

import kratom_handouts.blocks as blocks
from kratom_handouts.blocks import BLOCK_TYPES, SPECS, Block, check_registry

from ..conftest import REPO

STANDARD_ROLES = {"H1", "H2", "H3", "P", "L", "Table", "Figure", "Div", "Sect", "Part"}


def test_every_block_type_is_registered_once_with_every_part():
    assert {spec.model for spec in SPECS} == set(typing.get_args(Block))
    assert len(BLOCK_TYPES) == len(set(BLOCK_TYPES)) == len(SPECS)
    for spec in SPECS:
        assert callable(spec.read) and callable(spec.texts) and callable(spec.readable) and callable(spec.pdf), spec.key
        assert spec.role in STANDARD_ROLES, spec.key


def test_the_handout_schema_lists_exactly_the_registered_block_types():
    schema = json.loads((REPO / "schemas" / "handout.schema.json").read_text(encoding="utf-8"))
    text = json.dumps(schema)
    for key in BLOCK_TYPES:
        assert f'"{key}"' in text, key


def test_the_docs_describe_every_block_type():
    docs = (REPO / "docs" / "content-format.md").read_text(encoding="utf-8")
    assert [key for key in BLOCK_TYPES if f"`{key}`" not in docs] == []


def test_a_block_type_left_out_of_the_registry_is_caught(monkeypatch):
    monkeypatch.setattr(blocks, "SPECS", SPECS[:-1])
    with pytest.raises(RuntimeError, match="block registry and Block union disagree: \\['Image'\\]"):
        check_registry()


def test_a_spec_without_a_renderer_is_caught(monkeypatch):
    broken = dataclasses.replace(SPECS[0], pdf=None)
    monkeypatch.setattr(blocks, "SPECS", (broken, *SPECS[1:]))
    with pytest.raises(RuntimeError, match="block 'heading' is missing pdf"):
        check_registry()


def test_block_texts_cover_every_text_field_of_every_block():
    """The glyph check sees every printed text: each Text-valued field of each block model is yielded."""
    from pathlib import Path

    from kratom_handouts.blocks import Contact, block_texts
    from kratom_handouts.errors import Origin
    from kratom_handouts.model import Text

    def text(name: str) -> Text:
        return Text(name, Origin(Path("x.yaml")))

    samples = {
        "heading": blocks.Heading(text("h")), "paragraph": blocks.Paragraph(text("p")),
        "bullets": blocks.Bullets((text("b1"), text("b2"))), "steps": blocks.Steps((text("s1"),)),
        "checklist": blocks.Checklist((text("c1"),)),
        "callout": blocks.Callout("tip", text("ct"), text("cx"), (text("cb"),)),
        "table": blocks.Table((text("th"),), ((text("td"),),)),
        "contacts": blocks.Contacts((Contact(text("l"), text("ph"), text("sm"), text("u"), text("n")),)),
        "qr": blocks.QRCode(text("https://x.org"), text("cap")), "image": blocks.Image(Path("i.png"), text("alt")),
    }
    assert set(samples) == set(BLOCK_TYPES)
    expected = {"heading": ["h"], "paragraph": ["p"], "bullets": ["b1", "b2"], "steps": ["s1"], "checklist": ["c1"],
                "callout": ["ct", "cx", "cb"], "table": ["th", "td"], "contacts": ["l", "n", "ph", "sm", "u"],
                "qr": ["cap"], "image": ["alt"]}
    assert {key: [t.value for t in block_texts(block)] for key, block in samples.items()} == expected
