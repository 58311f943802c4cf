"""What the registry knows about one block type (``BlockSpec``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ..model import Text

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from ..render.blocks import BlockContext
    from ..render.html import HtmlContext
    from ..validate import Reader

B = TypeVar("B")


@dataclass(frozen=True)
class BlockSpec(Generic[B]):
    key: str  # the YAML key that names the type: "paragraph", "callout"...
    model: type[B]
    read: Callable[[Reader, Any, str, str | None], B | None]  # reader, node, what (for messages), block id
    texts: Callable[[B], Iterator[Text]]  # every printed text, in reading order
    pdf: Callable[[B, int, BlockContext], list[Flowable]]  # block, its index in the body, the drawing kit
    role: str  # the block's element in the PDF structure tree (a standard structure type)
    html: Callable[[B, int, HtmlContext], str]  # the block in the web edition: semantic HTML
    readable: Callable[[B], Iterator[Text]] = None  # type: ignore[assignment]  # set to ``texts`` when not given

    def __post_init__(self) -> None:
        if self.readable is None:
            object.__setattr__(self, "readable", self.texts)


def one_text(model: Callable[[Text, str | None], B]) -> Callable[[Reader, Any, str, str | None], B | None]:
    """The reader of a block whose YAML value is one text (a heading, a paragraph)."""

    def read(reader: Reader, node: Any, what: str, block_id: str | None) -> B | None:
        text = reader.text(node, what)
        return None if text is None else model(text, block_id)

    return read
