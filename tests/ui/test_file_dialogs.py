"""Open and save dialogs start in the folder the user chose last for that kind of file
(else Documents), and the folder is remembered in settings.json across restarts."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from openpyxl import Workbook

from app.paths import SETTINGS_FILE
from app.settings import Settings
from ui.qt import QtCore, QtWidgets
from ui.widgets import file_dialogs, pdf_output
from ui.widgets.file_dialogs import FileKind
from ui.widgets.section import AppContext


class FakeDialogs:
    """QFileDialog's static functions: record where each dialog starts, answer `answer`."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.starts: list[str] = []
        self.answer: str | list[str] = ""
        for name in ("getOpenFileName", "getOpenFileNames", "getSaveFileName"):
            monkeypatch.setattr(QtWidgets.QFileDialog, name, staticmethod(self.dialog))

    def dialog(self, _parent: Any, _title: str, start: str, _filter: str) -> tuple[Any, str]:
        self.starts.append(start)
        return self.answer, ""


@pytest.fixture
def docs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    folder = tmp_path / "Tài liệu"
    folder.mkdir()
    monkeypatch.setattr(
        QtCore.QStandardPaths, "writableLocation", staticmethod(lambda _loc: str(folder))
    )
    return folder


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def run_program(qapp: Any, monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> Settings:
    """What ui.main.Controller does at start: load this computer's settings."""
    settings = Settings.load(data_dir)
    controller = SimpleNamespace(settings=settings, data_dir=data_dir)
    monkeypatch.setattr(qapp, "sotay_controller", controller, raising=False)
    return settings


@pytest.fixture
def dialogs(qapp: Any, monkeypatch: pytest.MonkeyPatch, docs: Path, data_dir: Path) -> FakeDialogs:
    run_program(qapp, monkeypatch, data_dir)
    return FakeDialogs(monkeypatch)


@pytest.fixture
def downloads(tmp_path: Path) -> Path:
    folder = tmp_path / "x" / "Tải về"
    folder.mkdir(parents=True)
    return folder


def test_open_starts_in_documents_then_where_the_user_was_last(
    dialogs: FakeDialogs, docs: Path, downloads: Path
) -> None:
    dialogs.answer = str(downloads / "a.xlsx")
    assert file_dialogs.open_file(None, FileKind.MEMBER_LIST, "Chọn", "*.xlsx") == str(
        downloads / "a.xlsx"
    )
    dialogs.answer = ""
    assert file_dialogs.open_file(None, FileKind.MEMBER_LIST, "Chọn", "*.xlsx") == ""
    assert dialogs.starts == [str(docs), str(downloads)]


def test_each_kind_remembers_its_own_folder(
    dialogs: FakeDialogs, docs: Path, downloads: Path, tmp_path: Path
) -> None:
    dialogs.answer = str(downloads / "a.xlsx")
    file_dialogs.open_file(None, FileKind.MEMBER_LIST, "Chọn", "*.xlsx")
    papers = tmp_path / "Giấy tờ"
    papers.mkdir()
    dialogs.answer = str(papers / "bien-ban.pdf")
    file_dialogs.save_file(None, FileKind.PDF, "In", "bien-ban.pdf", "*.pdf")
    dialogs.answer = ""
    file_dialogs.open_file(None, FileKind.DUES_IMPORT, "Chọn", "*.csv")  # never used yet
    file_dialogs.open_file(None, FileKind.MEMBER_LIST, "Chọn", "*.xlsx")
    file_dialogs.save_file(None, FileKind.PDF, "In", "bao-cao.pdf", "*.pdf")
    assert dialogs.starts[2:] == [
        str(docs),
        str(downloads),
        str(papers / "bao-cao.pdf"),
    ]


def test_a_removed_folder_falls_back_to_documents(
    dialogs: FakeDialogs, docs: Path, tmp_path: Path
) -> None:
    usb = tmp_path / "USB"
    usb.mkdir()
    dialogs.answer = str(usb / "so-tay.sotaybak")
    file_dialogs.save_file(None, FileKind.BACKUP, "Sao lưu sổ", "so-tay.sotaybak", "*.sotaybak")
    usb.joinpath("so-tay.sotaybak").touch()
    dialogs.answer = ""
    file_dialogs.open_file(None, FileKind.BACKUP, "Chọn bản sao lưu", "*.sotaybak")
    for child in usb.iterdir():
        child.unlink()
    usb.rmdir()  # the USB stick was taken out
    file_dialogs.open_file(None, FileKind.BACKUP, "Chọn bản sao lưu", "*.sotaybak")
    assert dialogs.starts[1:] == [str(usb), str(docs)]


def test_the_folder_survives_a_restart(
    qapp: Any,
    monkeypatch: pytest.MonkeyPatch,
    dialogs: FakeDialogs,
    docs: Path,
    downloads: Path,
    data_dir: Path,
) -> None:
    dialogs.answer = [str(downloads / "nghi-quyet.pdf"), str(downloads / "ke-hoach.docx")]
    chosen = file_dialogs.open_files(None, FileKind.DOCUMENTS, "Chọn tài liệu", "*")
    assert chosen == [str(downloads / "nghi-quyet.pdf"), str(downloads / "ke-hoach.docx")]
    stored = json.loads((data_dir / SETTINGS_FILE).read_text(encoding="utf-8"))
    assert stored["last_folders"] == {"documents": str(downloads)}

    run_program(qapp, monkeypatch, data_dir)  # the program is closed and opened again
    dialogs.answer = []
    assert file_dialogs.open_files(None, FileKind.DOCUMENTS, "Chọn tài liệu", "*") == []
    assert dialogs.starts == [str(docs), str(downloads)]


def test_a_broken_setting_is_ignored(data_dir: Path) -> None:
    data_dir.mkdir()
    (data_dir / SETTINGS_FILE).write_text(
        json.dumps({"large_text": True, "last_folders": ["/tmp"]}), encoding="utf-8"
    )
    settings = Settings.load(data_dir)
    assert settings.large_text and settings.last_folders == {}


def test_a_suggested_name_is_made_valid_on_windows(
    dialogs: FakeDialogs, docs: Path, downloads: Path
) -> None:
    dialogs.answer = str(downloads / "x.pdf")
    path = pdf_output.ask_pdf_path(None, "In", 'Biên bản "họp" chi bộ: tháng 12?.pdf')
    assert path == str(downloads / "x.pdf")
    pdf_output.ask_pdf_path(None, "In", "CON.pdf")
    assert dialogs.starts == [
        str(docs / "Biên bản _họp_ chi bộ_ tháng 12_.pdf"),
        str(downloads / "_CON.pdf"),
    ]


def test_importing_members_then_dues_from_downloads(
    qtbot: Any, ctx: AppContext, dialogs: FakeDialogs, docs: Path, downloads: Path
) -> None:
    """The tester's walk: the member list from Tải về, then again; the dues list keeps its
    own folder."""
    from ui.dues.dialogs import ImportDialog as DuesImportDialog
    from ui.members.import_wizard import ImportDialog

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["STT", "Họ tên", "Ngày sinh"])
    ws.append([1, "Lê Thị Mười", "10/10/1960"])
    wb.save(downloads / "ds.xlsx")

    wizard = ImportDialog(ctx)
    qtbot.addWidget(wizard)
    dialogs.answer = str(downloads / "ds.xlsx")
    wizard.choose_file()
    assert wizard.pages.currentIndex() == wizard.PAGE_MAPPING  # the file was read
    again = ImportDialog(ctx)
    qtbot.addWidget(again)
    dialogs.answer = ""
    again.choose_file()

    dues_dialog = DuesImportDialog(ctx)
    qtbot.addWidget(dues_dialog)
    dues_dialog.choose()
    assert dialogs.starts == [str(docs), str(downloads), str(docs)]


def test_the_running_program_keeps_the_folder_beside_its_other_settings(
    qapp: Any,
    monkeypatch: pytest.MonkeyPatch,
    docs: Path,
    downloads: Path,
    data_dir: Path,
) -> None:
    """Through ui.main.Controller: switching large text (which saves the settings) keeps the
    folder, and the next start begins there."""
    from ui.main import Controller
    from ui.messages import Messages

    monkeypatch.setattr(qapp, "sotay_controller", None, raising=False)  # undone afterwards
    dialogs = FakeDialogs(monkeypatch)
    controller = Controller(qapp, data_dir, synchronous=True, messages=Messages())
    try:
        dialogs.answer = str(downloads / "dang-phi.csv")
        file_dialogs.open_file(None, FileKind.DUES_IMPORT, "Chọn", "*.csv")
        controller.set_large_text(True)
        controller.set_large_text(False)
    finally:
        qapp.removeEventFilter(controller.idle)
    assert Settings.load(data_dir).last_folders == {"dues-import": str(downloads)}
    run_program(qapp, monkeypatch, data_dir)
    dialogs.answer = ""
    file_dialogs.open_file(None, FileKind.DUES_IMPORT, "Chọn", "*.csv")
    assert dialogs.starts == [str(docs), str(downloads)]
