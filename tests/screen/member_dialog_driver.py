"""Runs the real program (demo book) on the X screen and opens Đảng viên → Thêm đảng viên the
way the section's button does, so a test can type into it with xdotool right after it opens.

    python tests/screen/member_dialog_driver.py DATA_DIR OUT_DIR

Writes OUT_DIR/opened.json as soon as the dialog is on screen, waits until the test creates
OUT_DIR/done, writes OUT_DIR/state.json (what each field holds) and quits.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from ui.main import Controller, _excepthook, _use_bundled_fonts  # noqa: E402
from ui.qt import QtCore, QtWidgets  # noqa: E402


def main() -> int:
    data_dir, out_dir = Path(sys.argv[1]), Path(sys.argv[2])
    data_dir.mkdir(parents=True, exist_ok=True)
    app = QtWidgets.QApplication(sys.argv)
    app.setQuitOnLastWindowClosed(False)
    _use_bundled_fonts()
    controller = Controller(app, data_dir, demo=True)
    sys.excepthook = _excepthook(controller)
    if not controller.start() or controller.window is None:
        return 3
    window: Any = controller.window
    section = window.show_section("members")
    controller.runner.wait()

    def find_dialog() -> Any:
        for widget in QtWidgets.QApplication.topLevelWidgets():
            if type(widget).__name__ == "MemberDialog" and widget.isVisible():
                return widget
        return None

    def opened() -> None:
        dialog = find_dialog()
        if dialog is None:
            QtCore.QTimer.singleShot(20, opened)
            return
        state = {"window_id": int(dialog.winId()), "title": dialog.windowTitle()}
        (out_dir / "opened.json").write_text(json.dumps(state, ensure_ascii=False))
        poll_done()

    def poll_done() -> None:
        if not (out_dir / "done").exists():
            QtCore.QTimer.singleShot(100, poll_done)
            return
        dialog = find_dialog()
        result: dict[str, Any] = {"dialog_open": dialog is not None}
        if dialog is not None:
            result["full_name"] = dialog.name.text()
            result["birth_date"] = dialog.dates["birth_date"].text()
            result["messages"] = [m.text() for m in dialog.messages.values() if m.text()]
            dialog.done(0)
        (out_dir / "state.json").write_text(json.dumps(result, ensure_ascii=False))
        QtCore.QTimer.singleShot(0, lambda: app.exit(0))

    QtCore.QTimer.singleShot(0, opened)
    section.add_member()
    controller.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
