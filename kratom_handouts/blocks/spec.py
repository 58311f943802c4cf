"""What the registry knows about one block type (``BlockSpec``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ..model import Text

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from ..render.blocks import BlockContext
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
    readable: Callable[[B], Iterator[Text]] = None  # type: ignore[assignment]  # set to ``texts`` when not given

    def __post_init__(self) -> None:
        if self.readable is None:
            object.__setattr__(self, "readable", self.texts)
