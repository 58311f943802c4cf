"""The block registry: every body block type, declared once.

Each block type lives in one module of this package: its model (a frozen
dataclass), its reader (YAML node -> model, with located problems), the texts
it prints, its role in the PDF structure tree, and its PDF renderer. Every
other table (the YAML keys, the model-to-key map, the glyph check's texts, the
renderers) is derived from ``SPECS`` here, and ``check_registry`` fails loudly
if a block type is missing a part. A new block type is one module, one line in
``SPECS``, its schema entry and its docs.

The block modules import no ReportLab: their renderers draw with the kit they
are handed (``render/blocks.py``), so loading content stays light.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Union

from ..model import Text
from .callout import SPEC as CALLOUT, Callout
from .contacts import SPEC as CONTACTS, Contact, Contacts
from .heading import SPEC as HEADING, Heading
from .image import SPEC as IMAGE, Image
from .lists import BULLETS, CHECKLIST, STEPS, Bullets, Checklist, Steps
from .paragraph import SPEC as PARAGRAPH, Paragraph
from .qr import SPEC as QR, QRCode
from .spec import BlockSpec
from .table import SPEC as TABLE, Table

if TYPE_CHECKING:
    from ..validate import Reader

# A Union object rather than ``|``, so that check_registry can read its members at run time.
Block = Union[Heading, Paragraph, Bullets, Steps, Checklist, Callout, Table, Contacts, QRCode, Image]  # noqa: UP007

SPECS: tuple[BlockSpec[Any], ...] = (HEADING, PARAGRAPH, BULLETS, STEPS, CHECKLIST, CALLOUT, TABLE, CONTACTS, QR, IMAGE)
BLOCK_TYPES: tuple[str, ...] = tuple(spec.key for spec in SPECS)  # the YAML keys, in the order docs list them
_BY_KEY = {spec.key: spec for spec in SPECS}
_BY_MODEL = {spec.model: spec for spec in SPECS}


def spec_for(block: Block) -> BlockSpec[Any]:
    """The spec of a block object; a model class that is not registered is a programming error."""
    return _BY_MODEL[type(block)]


def spec_named(key: str) -> BlockSpec[Any]:
    return _BY_KEY[key]


def block_key(block: Block) -> str:
    return spec_for(block).key


def block_texts(block: Block) -> Iterator[Text]:
    """Every printed text of one block, in reading order (what the glyph check and translators see)."""
    yield from spec_for(block).texts(block)


def readable_texts(block: Block) -> Iterator[Text]:
    """The text a patient reads in one block (phone numbers, addresses and alt text left out)."""
    yield from spec_for(block).readable(block)


def read_block(reader: Reader, key: str, node: Any, what: str, block_id: str | None) -> Block | None:
    return _BY_KEY[key].read(reader, node, what, block_id)


def check_registry() -> None:
    """Every block in the ``Block`` union is registered once, with every part; raises at import otherwise."""
    union = set(Block.__args__)  # type: ignore[attr-defined]
    models = [spec.model for spec in SPECS]
    if set(models) != union or len(models) != len(set(models)) or len(BLOCK_TYPES) != len(set(BLOCK_TYPES)):
        raise RuntimeError("block registry and Block union disagree: "
                           f"{sorted(m.__name__ for m in union ^ set(models))}")
    for spec in SPECS:
        missing = [name for name in ("read", "texts", "readable", "pdf", "html") if not callable(getattr(spec, name))]
        if missing or not spec.role:
            raise RuntimeError(f"block '{spec.key}' is missing {', '.join(missing) or 'its structure role'}")


check_registry()

__all__ = [
    "BLOCK_TYPES", "SPECS", "Block", "BlockSpec", "Bullets", "Callout", "Checklist", "Contact", "Contacts", "Heading",
    "Image", "Paragraph", "QRCode", "Steps", "Table", "block_key", "block_texts", "read_block", "readable_texts",
    "spec_for", "spec_named",
]

