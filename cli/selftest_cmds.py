"""`sotay selftest`: proves an installed or frozen build works end to end, offscreen.

Creates a book in a temporary folder (migrations), unlocks it, opens the main window,
prints the recovery sheet (fonts) and reports the keyring backends found.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from cli.common import print_json


def register(sub: Any) -> None:
    p = sub.add_parser("selftest", help="tự kiểm tra bản cài đặt (không đụng tới sổ thật)")
    p.add_argument("--no-gui", action="store_true", help="bỏ qua phần giao diện")
    p.set_defaults(func=cmd_selftest)


def cmd_selftest(args: argparse.Namespace) -> int:
    from app.book import create_book, open_book
    from app.services import members
    from app.storage import migrate

    report: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="sotay-selftest-") as tmp:
        folder = Path(tmp) / "book"
        t0 = time.perf_counter()
        book, recovery_key = create_book(
            folder,
            password="tu-kiem-tra-1",
            branch_name="Chi bộ Tự kiểm tra",
            committee="Đảng bộ thử",
        )
        members.create(book, data=members.MemberInput(full_name="Nguyễn Văn Thử"))
        book.close()
        book = open_book(folder, password="tu-kiem-tra-1")
        assert book.engine is not None
        report["created_and_unlocked"] = True
        report["schema"] = migrate.current_revision(book.engine)
        report["members"] = members.count(book)
        report["integrity"] = book.check() == []
        report["seconds"] = round(time.perf_counter() - t0, 3)

        from reports.recovery_sheet import recovery_key_pdf

        pdf = recovery_key_pdf(
            branch_name="Chi bộ Tự kiểm tra",
            committee="Đảng bộ thử",
            recovery_key=recovery_key,
            book_id=book.book_id,
            created=dt.date.today(),
        )
        report["pdf_bytes"] = len(pdf)

        import keyring

        report["keyring_backends"] = sorted(
            type(b).__module__ + "." + type(b).__name__ for b in keyring.backend.get_all_keyring()
        )
        if not args.no_gui:
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
            from ui.qt import QtWidgets

            app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
            from app.settings import Settings
            from ui.main_window import MainWindow
            from ui.messages import Messages
            from ui.tasks import TaskRunner
            from ui.widgets.section import AppContext

            ctx = AppContext(
                book=book,
                runner=TaskRunner(synchronous=True),
                settings=Settings(),
                message=Messages(),
            )
            window = MainWindow(ctx)
            window.show()
            app.processEvents()
            report["window_title"] = window.windowTitle()
            window.close()
        book.close()
    print_json(report)
    return 0
