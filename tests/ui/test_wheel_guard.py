"""The mouse wheel over a drop-down, number or date field the user has not clicked scrolls
the form and leaves the value as it was; once the field has the focus the wheel changes it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ui.qt import QtCore, QtGui, QtWidgets
from ui.style import apply_text_size
from ui.widgets import wheel_guard


@pytest.fixture
def guarded_app(qapp: QtWidgets.QApplication) -> Iterator[QtWidgets.QApplication]:
    apply_text_size(qapp, large=False)  # how the app (and the tour) is set up
    yield qapp


def _form(qtbot: object) -> tuple[QtWidgets.QScrollArea, dict[str, QtWidgets.QWidget]]:
    area = QtWidgets.QScrollArea()
    area.setWidgetResizable(True)
    body = QtWidgets.QWidget()
    layout = QtWidgets.QVBoxLayout(body)
    before = QtWidgets.QLineEdit("Tiêu đề")
    layout.addWidget(before)
    kind = QtWidgets.QComboBox()
    kind.addItems(["Thông qua nghị quyết, quyết định", "Bầu cử", "Biểu quyết khác"])
    number = QtWidgets.QSpinBox()
    number.setRange(0, 100)
    number.setValue(27)
    date = QtWidgets.QDateEdit(QtCore.QDate(2026, 11, 5))
    slider = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
    slider.setRange(0, 10)
    slider.setValue(5)
    fields: dict[str, QtWidgets.QWidget] = {
        "before": before,
        "kind": kind,
        "number": number,
        "date": date,
        "slider": slider,
    }
    for name in ("kind", "number", "date", "slider"):
        layout.addWidget(fields[name])
    for i in range(40):  # a long form: the area scrolls
        layout.addWidget(QtWidgets.QLabel(f"Dòng {i + 1}"))
    area.setWidget(body)
    area.resize(400, 300)
    qtbot.addWidget(area)  # type: ignore[attr-defined]
    area.show()
    qtbot.waitExposed(area)  # type: ignore[attr-defined]
    before.setFocus()
    return area, fields


def _wheel_down(widget: QtWidgets.QWidget) -> None:
    centre = QtCore.QPointF(widget.rect().center())
    event = QtGui.QWheelEvent(
        centre,
        QtCore.QPointF(widget.mapToGlobal(centre.toPoint())),
        QtCore.QPoint(0, 0),
        QtCore.QPoint(0, -120),  # one notch towards the user: scroll down / next value
        QtCore.Qt.MouseButton.NoButton,
        QtCore.Qt.KeyboardModifier.NoModifier,
        QtCore.Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QtWidgets.QApplication.sendEvent(widget, event)


def _value(widget: QtWidgets.QWidget) -> object:
    if isinstance(widget, QtWidgets.QComboBox):
        return widget.currentText()
    if isinstance(widget, QtWidgets.QDateEdit):
        return widget.date().toString("dd/MM/yyyy")
    if isinstance(widget, QtWidgets.QSpinBox | QtWidgets.QSlider):
        return widget.value()
    raise AssertionError(widget)


@pytest.mark.parametrize("name", ["kind", "number", "date", "slider"])
def test_the_wheel_scrolls_the_form_over_a_field_without_focus(
    guarded_app: QtWidgets.QApplication, qtbot: object, name: str
) -> None:
    area, fields = _form(qtbot)
    field = fields[name]
    before = _value(field)
    bar = area.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == 0
    _wheel_down(field)
    assert _value(field) == before  # the choice is as the user left it
    assert bar.value() > 0  # the form scrolled instead
    assert not field.hasFocus()


@pytest.mark.parametrize("name", ["kind", "number", "date", "slider"])
def test_the_wheel_changes_a_field_the_user_clicked(
    guarded_app: QtWidgets.QApplication, qtbot: object, name: str
) -> None:
    area, fields = _form(qtbot)
    field = fields[name]
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)  # type: ignore[attr-defined]
    before = _value(field)
    _wheel_down(field)
    assert _value(field) != before
    assert area.verticalScrollBar().value() == 0


def test_wheel_turns_no_longer_give_a_drop_down_the_focus(
    guarded_app: QtWidgets.QApplication, qtbot: object
) -> None:
    _area, fields = _form(qtbot)
    for name in ("kind", "number", "date"):
        assert fields[name].focusPolicy() == QtCore.Qt.FocusPolicy.StrongFocus
    made_before = QtWidgets.QComboBox()  # made before, polished after: guarded too
    qtbot.addWidget(made_before)  # type: ignore[attr-defined]
    made_before.show()
    assert made_before.focusPolicy() == QtCore.Qt.FocusPolicy.StrongFocus
    assert wheel_guard.install(guarded_app) is wheel_guard.install(guarded_app)
