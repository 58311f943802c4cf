"""Translation units: the pieces of a handout that are translated and tracked one by one.

A unit is ``title``, ``subtitle``, ``summary``, ``keywords``, or one body
block, named by its ``id`` (a block without one is named ``<type>-<n>``, its
position among blocks of that type). Each unit's English text has a hash;
a translation records the hash of the English it was made from, so "stale"
is exact: any change to the English unit changes its hash.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ..blocks import BLOCK_TYPES
from ..load import Mapping, Node, Scalar, Sequence
from ..model import auto_block_id

HEADER_UNITS = ("title", "subtitle", "summary", "keywords")


def plain(node: Node) -> Any:
    """A node as plain Python (text stays text, whatever YAML would have made of it)."""
    if isinstance(node, Scalar):
        return node.text
    if isinstance(node, Sequence):
        return [plain(item) for item in node.items]
    return {key: plain(value) for key, value in node.entries.items()}


def block_type(block: Node) -> str | None:
    if isinstance(block, Mapping):
        types = [key for key in block.entries if key in BLOCK_TYPES]
        if len(types) == 1:
            return types[0]
    return None


def unit_names(body: Node | None) -> list[str]:
    """The unit name of each body block, in order (a block's ``id``, else its type and position)."""
    names = []
    counts: dict[str, int] = {}
    for block in body.items if isinstance(body, Sequence) else ():
        kind = block_type(block) or "block"
        counts[kind] = counts.get(kind, 0) + 1
        explicit = block.entries.get("id") if isinstance(block, Mapping) else None
        names.append(explicit.text if isinstance(explicit, Scalar) else auto_block_id(kind, counts[kind]))
    return names


def block_units(body: Node | None) -> dict[str, Node]:
    """Body blocks by unit name, in order."""
    units: dict[str, Node] = {}
    blocks = body.items if isinstance(body, Sequence) else ()
    for name, block in zip(unit_names(body), blocks, strict=True):
        units.setdefault(name, block)
    return units


def handout_units(node: Node) -> dict[str, Node]:
    """Every unit of a handout (or translation) file, header units first."""
    if not isinstance(node, Mapping):
        return {}
    units = {name: node.entries[name] for name in HEADER_UNITS if name in node.entries}
    units.update(block_units(node.entries.get("body")))
    return units


def unit_hash(unit: Node) -> str:
    """A short fingerprint of a unit's content (its id left out, so renaming nothing else changes it)."""
    value = plain(unit)
    if isinstance(value, dict):
        value = {key: item for key, item in value.items() if key != "id"}
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:10]
