"""The translated project the translation tests share: one English handout and its finished Spanish."""

from __future__ import annotations

import pytest
import yaml

SOURCE = """\
id: one
title: Kratom and you
summary: The main message.
updated: 2026-01-15
next_review: 2027-01-15
sources:
  - {title: DrugFacts, publisher: NIDA}
body:
  - heading: Where it comes from
    id: origin
  - paragraph: Kratom comes from a tree.
    id: tree
  - bullets: [Powder, Capsules]
    id: forms
  - paragraph: Talk to your clinic.
    id: talk
"""

SPANISH = {
    "title": "Kratom y usted", "summary": "El mensaje principal.",
    "origin": {"heading": "De dónde viene", "id": "origin"},
    "tree": {"paragraph": "El kratom viene de un árbol.", "id": "tree"},
    "forms": {"bullets": ["Polvo", "Cápsulas"], "id": "forms"},
    "talk": {"paragraph": "Hable con su clínica.", "id": "talk"},
}


SPANISH_LABELS = {"page_of": "Página {page} de {pages}", "reviewed": "Revisado", "next_review": "Próxima revisión",
                  "sources": "Fuentes", "in_short": "En resumen", "call": "Llame al", "text": "Texto",
                  "not_reviewed": "Borrador pendiente de revisión clínica"}


def spanish(name, document):
    if name == "_labels":
        document.update(SPANISH_LABELS)
    if name.startswith("_"):
        return
    document["title"], document["summary"] = SPANISH["title"], SPANISH["summary"]
    document["body"] = [SPANISH[block["id"]] for block in document["body"]]


@pytest.fixture
def translated(project):
    project.handout("one", SOURCE)
    project.translate("es", spanish)
    return project


def edit_yaml(path, change):
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")


