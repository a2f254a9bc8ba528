"""Two plain charts for the 首页, drawn with QPainter: a line over months (with the goal as a
dashed line) and bars side by side. Each knows where it put every value (`points`), so a test
can check the picture against the numbers."""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from huzhu_desktop.core.labels import plain_number

LINE = QColor("#1a5fb4")
BAR = QColor("#3584e4")
GOAL = QColor("#b00020")
GRID = QColor("#d0d7e2")


class Chart(QWidget):
    def __init__(self, title: str, unit: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title, self.unit = title, unit
        self.labels: list[str] = []
        self.values: list[float | None] = []
        self.goal: float | None = None
        self.points: list[QPointF | None] = []  # where each value was drawn (last paint)
        self.setMinimumHeight(170)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_data(
        self, labels: list[str], values: list[float | None], goal: float | None = None
    ) -> None:
        self.labels, self.values, self.goal = labels, values, goal
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(360, 200)

    def top(self) -> float:
        """The axis' top: a round number at or above every value and the goal, in four steps
        that read well (4, 8, 20, 40, 100, 200 …)."""
        highest = max([v for v in self.values if v is not None] + [self.goal or 0, 1])
        scale = 1.0
        while True:
            for top in (4 * scale, 8 * scale, 10 * scale, 20 * scale):
                if top >= highest:
                    return top
            scale *= 10

    def plot_area(self) -> QRectF:
        fm = self.fontMetrics()
        left = fm.horizontalAdvance(plain_number(self.top())) + 10
        return QRectF(left, fm.height() + 10, self.width() - left - 8,
                      self.height() - 2 * fm.height() - 18)  # fmt: skip

    def y_of(self, value: float, area: QRectF) -> float:
        return area.bottom() - value / self.top() * area.height()

    def paintEvent(self, _event: object) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = self.fontMetrics()
        p.drawText(0, fm.ascent(), f"{self.title}" + (f"（{self.unit}）" if self.unit else ""))
        area = self.plot_area()
        p.setPen(QPen(GRID, 1))
        for i in range(5):
            value = self.top() * i / 4
            y = self.y_of(value, area)
            p.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
            p.drawText(QRectF(0, y - fm.height() / 2, area.left() - 4, fm.height()),
                       Qt.AlignmentFlag.AlignRight, plain_number(value))  # fmt: skip
        if self.goal is not None:
            p.setPen(QPen(GOAL, 1.5, Qt.PenStyle.DashLine))
            y = self.y_of(self.goal, area)
            p.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
        self.points = self.draw(p, area)
        p.setPen(QPen(Qt.GlobalColor.black))
        n = max(len(self.labels), 1)
        widest = max([fm.horizontalAdvance(label) for label in self.labels] + [1]) + 8
        step = max(1, -(-n * widest // max(1, int(area.width()))))  # labels never overlap
        for i, label in enumerate(self.labels):
            if i % step:
                continue
            x = area.left() + (i + 0.5) * area.width() / n
            width = fm.horizontalAdvance(label)
            p.drawText(QPointF(x - width / 2, area.bottom() + fm.height() + 2), label)
        p.end()

    def draw(self, p: QPainter, area: QRectF) -> list[QPointF | None]:
        raise NotImplementedError


class LineChart(Chart):
    def draw(self, p: QPainter, area: QRectF) -> list[QPointF | None]:
        n = max(len(self.values), 1)
        points: list[QPointF | None] = [
            None if v is None
            else QPointF(area.left() + (i + 0.5) * area.width() / n, self.y_of(v, area))
            for i, v in enumerate(self.values)
        ]  # fmt: skip
        p.setPen(QPen(LINE, 2.5))
        drawn = [q for q in points if q is not None]
        for a, b in pairwise(drawn):
            p.drawLine(a, b)
        p.setBrush(LINE)
        for q in drawn:
            p.drawEllipse(q, 3.5, 3.5)
        return points


class BarChart(Chart):
    def draw(self, p: QPainter, area: QRectF) -> list[QPointF | None]:
        n = max(len(self.values), 1)
        slot = area.width() / n
        points: list[QPointF | None] = []
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(BAR)
        for i, v in enumerate(self.values):
            if v is None:
                points.append(None)
                continue
            y = self.y_of(v, area)
            p.drawRect(
                QRectF(area.left() + i * slot + slot * 0.15, y, slot * 0.7, area.bottom() - y)
            )
            points.append(QPointF(area.left() + (i + 0.5) * slot, (y + area.bottom()) / 2))
        return points
