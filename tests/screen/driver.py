"""Runs the real program (Controller, main window, threaded TaskRunner) on the X screen and
opens one dialog the way the Sinh hoạt section does, so a test can click in it with xdotool.

    python tests/screen/driver.py roll-call|minutes DATA_DIR OUT_DIR

It writes OUT_DIR/opened.json (screen positions and ids) once the dialog is shown and idle,
waits until the test creates OUT_DIR/done, writes OUT_DIR/state.json (what the dialog holds),
and quits. Message boxes are the real ones: nothing is answered for the test.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.services import meetings  # noqa: E402
from app.vocab import MeetingKind  # noqa: E402
from ui.main import Controller, _excepthook, _use_bundled_fonts  # noqa: E402
from ui.qt import QtCore, QtWidgets  # noqa: E402

ROWS = 10


def _centre(widget: QtWidgets.QWidget) -> list[int]:
    point = widget.mapToGlobal(widget.rect().center())
    return [point.x(), point.y()]


def main() -> int:
    mode, data_dir, out_dir = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    data_dir.mkdir(parents=True, exist_ok=True)
    app = QtWidgets.QApplication(sys.argv)
    app.setQuitOnLastWindowClosed(False)
    _use_bundled_fonts()
    controller = Controller(app, data_dir, demo=True)
    sys.excepthook = _excepthook(controller)
    if not controller.start() or controller.window is None:
        return 3
    window: Any = controller.window
    section = window.show_section("meetings")
    controller.runner.wait()
    # A meeting of this week, as the secretary creates it before the evening's roll call.
    today = dt.date.today()
    assert controller.book is not None
    meeting = meetings.create(
        controller.book,
        data=meetings.MeetingInput(
            kind=MeetingKind.THEMATIC,
            starts_at=dt.datetime.combine(today, dt.time(19, 30)),
            place="Nhà văn hóa khu phố 3",
            topic="Học tập chuyên đề năm 2026",
        ),
    )
    section.refresh(None)
    controller.runner.wait()
    section.select(meeting.id)
    dialog_class = "RollCallDialog" if mode == "roll-call" else "MinutesEditor"
    state: dict[str, Any] = {"meeting_id": meeting.id}

    def find_dialog() -> Any:
        for widget in QtWidgets.QApplication.topLevelWidgets():
            if type(widget).__name__ == dialog_class and widget.isVisible():
                return widget
        return None

    def opened() -> None:
        dialog = find_dialog()
        if dialog is None or controller.runner.running:
            QtCore.QTimer.singleShot(200, opened)
            return
        state["window_id"] = int(dialog.winId())
        state["dialog_meeting_id"] = dialog.meeting_id
        if mode == "roll-call":
            from ui.meetings.roll_call_model import COL_PRESENT

            view = dialog.view
            rows = []
            for row in range(min(ROWS, len(dialog.model.rows))):
                rect = view.visualRect(dialog.model.index(row, COL_PRESENT))
                point = view.viewport().mapToGlobal(rect.center())
                visible = view.viewport().rect().contains(rect)
                member = dialog.model.rows[row]
                rows.append(
                    {
                        "member_id": member.member_id,
                        "x": point.x(),
                        "y": point.y(),
                        "visible": visible,
                    }
                )
            state["rows"] = rows
        else:
            state["sections"] = [s.title for s in dialog.sections]
            state["current"] = dialog.current
            state["speaker"] = _centre(dialog.speaker)
            state["speech"] = _centre(dialog.speech)
            state["entries"] = len(dialog.discussion.entries)
        (out_dir / "opened.json").write_text(json.dumps(state, ensure_ascii=False))
        poll_done()

    def poll_done() -> None:
        if not (out_dir / "done").exists() or controller.runner.running:
            QtCore.QTimer.singleShot(100, poll_done)
            return
        dialog = find_dialog()
        result: dict[str, Any] = {"dialog_open": dialog is not None}
        if dialog is not None and mode == "minutes":
            result["sections"] = [s.title for s in dialog.sections]
            result["current"] = dialog.current
            result["entries"] = [[e.speaker, e.text] for e in dialog.discussion.entries]
            result["error"] = dialog.error.text() if hasattr(dialog, "error") else ""
        boxes = [
            f"{w.windowTitle()}: {w.text()}"
            for w in QtWidgets.QApplication.topLevelWidgets()
            if isinstance(w, QtWidgets.QMessageBox) and w.isVisible()
        ]
        result["message_boxes"] = boxes
        (out_dir / "state.json").write_text(json.dumps(result, ensure_ascii=False))
        if dialog is not None:
            dialog.done(0)
        QtCore.QTimer.singleShot(0, lambda: app.exit(0))

    QtCore.QTimer.singleShot(300, opened)
    if mode == "roll-call":
        section.roll_call()
    else:
        section.minutes()
    controller.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
