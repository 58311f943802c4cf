"""Marked content: PDF structure around what a flowable draws.

Today this marks spans in another language (``/Span <</Lang (en)>> BDC ... EMC``)
so that a screen reader switches voice for an English fallback block inside a
Spanish handout. Tagged PDF will add its roles here the same way.
"""

from __future__ import annotations

from reportlab.platypus import Flowable


def _pdf_string(value: str) -> str:
    return "(" + value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


class LangSpan(Flowable):
    """Draws another flowable inside a marked-content span with its own /Lang."""

    def __init__(self, inner: Flowable, lang: str):
        super().__init__()
        self.inner = inner
        self.lang = lang

    def __getattr__(self, name: str):
        # keepWithNext, spaceBefore and the like belong to the wrapped flowable
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = self.inner.wrap(available_width, available_height)
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        return [LangSpan(part, self.lang) for part in self.inner.split(available_width, available_height)]

    def getSpaceBefore(self) -> float:
        return self.inner.getSpaceBefore()

    def getSpaceAfter(self) -> float:
        return self.inner.getSpaceAfter()

    def draw(self) -> None:
        self.canv.addLiteral(f"/Span <</Lang {_pdf_string(self.lang)}>> BDC")
        self.inner.drawOn(self.canv, 0, 0)
        self.canv.addLiteral("EMC")


def in_language(flowables: list[Flowable], lang: str | None) -> list[Flowable]:
    """The flowables, each marked as ``lang`` when it is given."""
    return flowables if lang is None else [LangSpan(flowable, lang) for flowable in flowables]
