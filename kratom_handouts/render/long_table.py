"""A table of many rows, laid out page by page in time linear in its rows.

ReportLab splits a table at a page break by building the rest of it as a new table and measuring that again,
so a table of n rows over p pages costs about n * p: a table of thousands of rows took seconds per thousand.
``RowsByPage`` measures every row once (ReportLab's own measure, on runs of rows), works out from those
heights which rows a page can hold, and hands ReportLab only those rows and a couple more to cut exactly, with
its rules for keeping the header with a row. What is printed is what the plain table prints.

Only tables whose style treats every row after the header alike can be cut this way: each run of rows is drawn
as a table of its own, with the header again.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from reportlab.platypus import Flowable, Table, TableStyle

LONG_TABLE_ROWS = 60  # tables up to this many rows go to ReportLab whole: most fit on a page or two
UNBOUNDED = 1e9  # points: room enough to measure every row
MEASURED_TOGETHER = 50  # rows
Row = Sequence[Any]
MakeTable = Callable[[list[Row], int], Table]  # rows, header rows printed again (0 on the first run)


@dataclass(frozen=True)
class Measure:
    width: float  # the room the rows were measured in
    table_width: float
    header: float  # height of the header rows
    before: list[float]  # before[i]: height of the body rows ahead of row i


class RowsByPage(Flowable):
    """The body rows from ``start`` on, under the header rows, made into tables a page's worth at a time."""

    def __init__(self, make: MakeTable, header: list[Row], body: list[Row], start: int = 0,
                 measure: Measure | None = None, continued: bool = False) -> None:
        super().__init__()
        self._make = make
        self._header = header
        self._body = body
        self._start = start
        self._measure = measure
        self._continued = continued
        self._style: TableStyle | None = None
        self.spaceAfter = 0.0
        self.hAlign = "CENTER"  # as a ReportLab table: the runs are drawn where the whole table would be

    def setStyle(self, style: TableStyle) -> None:  # ReportLab's name: blocks style it as they style a table
        self._style = style

    def _table(self, rows: list[Row], continued: bool) -> Table:
        table = self._make(self._header + rows, len(self._header) if continued else 0)
        if self._style is not None:
            table.setStyle(self._style)
        return table

    def _measured(self, width: float) -> Measure:
        if self._measure is None or abs(self._measure.width - width) > 1e-6:
            header = len(self._header)
            table_width, header_height, heights = 0.0, 0.0, []
            # In runs: ReportLab's own measure of one table looks for each unmeasured row from the first row on.
            for first in range(self._start, len(self._body), MEASURED_TOGETHER):
                run = self._table(self._body[first:first + MEASURED_TOGETHER], self._continued)
                table_width, _ = run.wrap(width, UNBOUNDED)
                header_height = sum(run._rowHeights[:header])  # type: ignore[attr-defined]
                heights.extend(run._rowHeights[header:])  # type: ignore[attr-defined]
            self._measure = Measure(width, table_width, header_height,
                                    [0.0] * self._start + list(accumulate(heights, initial=0.0)))
        return self._measure

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        measure = self._measured(available_width)
        self.width = measure.table_width
        self.height = measure.header + measure.before[-1] - measure.before[self._start]
        return self.width, self.height

    def _rest(self, start: int) -> RowsByPage:
        rest = RowsByPage(self._make, self._header, self._body, start, self._measure, continued=True)
        rest._style = self._style
        rest.spaceAfter = self.spaceAfter
        return rest

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        measure = self._measured(available_width)
        room = available_height - measure.header + measure.before[self._start]
        fitting = bisect_right(measure.before, room) - 1 - self._start  # rows whose bottoms are on this page
        taken = min(len(self._body) - self._start, max(fitting, 0) + 2)
        last = self._start + taken == len(self._body)
        run = self._table(self._body[self._start:self._start + taken], self._continued)
        run.spaceAfter = self.spaceAfter if last else 0
        parts = run.split(available_width, available_height)
        if not parts:  # what does not fit at the head of the run does not fit at the head of the rest
            return []
        header = len(self._header)
        rows_in = [part._nrows - header for part in parts]  # type: ignore[attr-defined]
        if len(parts) == 2 and sum(rows_in) == taken:  # cut between two rows
            return [parts[0], self._rest(self._start + rows_in[0])]
        if len(parts) == 1 and rows_in[0] == taken:  # the run fits whole
            return [parts[0]] if last else [parts[0], self._rest(self._start + taken)]
        # A row taller than a page was cut inside: ReportLab's own split of the rest, as for a short table.
        rest = self._table(self._body[self._start:], self._continued)
        rest.spaceAfter = self.spaceAfter
        return list(rest.split(available_width, available_height))

    def draw(self) -> None:
        table = self._table(self._body[self._start:], self._continued)
        table.wrap(self.width, self.height + 1)
        table.drawOn(self.canv, 0, 0)
