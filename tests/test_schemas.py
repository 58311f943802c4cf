"""The published JSON Schemas accept the shipped files and agree with the validator's field lists."""

import json

import jsonschema
import pytest
import yaml

from kratom_handouts.layouts import LAYOUT_FIELDS
from kratom_handouts.model import LABEL_DEFAULTS
from kratom_handouts.validate import BLOCK_TYPES, HANDOUT_FIELDS

from .conftest import REPO


class TextDatesLoader(yaml.SafeLoader):
    """Dates stay strings, as an editor's JSON-Schema validator sees them."""


TextDatesLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def schema(name):
    return json.loads((REPO / "schemas" / f"{name}.schema.json").read_text())


@pytest.mark.parametrize("path", sorted((REPO / "handouts").glob("*/[!_]*.yaml")),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_shipped_handouts_match_schema(path):
    kind = "handout" if path.parent.name == "en" else "translation"
    jsonschema.validate(yaml.load(path.read_text(), TextDatesLoader), schema(kind))


@pytest.mark.parametrize("path", sorted((REPO / "layouts").glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_layouts_match_schema(path):
    jsonschema.validate(yaml.load(path.read_text(), TextDatesLoader), schema("layout"))


def test_shipped_labels_match_schema():
    for path in (REPO / "handouts").glob("*/_labels.yaml"):
        jsonschema.validate(yaml.load(path.read_text(), TextDatesLoader), schema("labels"))


def test_schemas_list_the_same_fields_as_the_validator():
    from kratom_handouts.i18n.merge import TRANSLATION_FIELDS

    assert set(schema("translation")["properties"]) == set(TRANSLATION_FIELDS)
    handout = schema("handout")
    assert set(handout["properties"]) == set(HANDOUT_FIELDS)
    assert {next(iter(b["required"])) for b in handout["properties"]["body"]["items"]["oneOf"]} == set(BLOCK_TYPES)
    assert set(schema("layout")["properties"]) == set(LAYOUT_FIELDS)
    assert set(schema("labels")["properties"]) == set(LABEL_DEFAULTS) | {"todo"}


def test_schema_rejects_what_the_validator_rejects():
    bad = {"id": "x", "title": "T", "summary": "S", "reviewed": "2026-01-01", "next_review": "2027-01-01",
           "sources": [{"title": "a", "publisher": "b"}], "body": [{"paragrph": "typo"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema("handout"))


@pytest.mark.parametrize("path", sorted((REPO / "programs").glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_programs_match_schema(path):
    jsonschema.validate(yaml.load(path.read_text(), TextDatesLoader), schema("program"))


def test_program_schema_lists_the_validator_fields():
    from kratom_handouts.programs import INSERT_FIELDS, PROGRAM_FIELDS

    program = schema("program")
    assert set(program["properties"]) == set(PROGRAM_FIELDS)
    assert set(program["properties"]["inserts"]["items"]["properties"]) == set(INSERT_FIELDS)
