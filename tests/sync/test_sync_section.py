"""The Đồng bộ panel: status, sync on demand, a conflict shown with both versions."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from srvkit import Srv
from synckit import FAST, add_members, enrolled

from app.book import Book
from app.services import members, sync_state
from app.settings import Settings
from sync.client import run_sync
from ui.messages import Messages
from ui.sync.section import SyncSection
from ui.tasks import TaskRunner
from ui.widgets.section import AppContext


@pytest.fixture
def section(qtbot, book: Book) -> SyncSection:  # type: ignore[no-untyped-def]
    messages = Messages()
    messages.auto_answer = True
    ctx = AppContext(
        book=book, runner=TaskRunner(synchronous=True), settings=Settings(), message=messages
    )
    widget = SyncSection(ctx)
    qtbot.addWidget(widget)
    widget.auto.stop()
    return widget


def test_panel_shows_state_and_syncs_on_demand(section: SyncSection, book: Book, srv: Srv) -> None:
    section.refresh(None)
    assert "chưa đăng ký" in section.values["server"].text()
    assert not section.sync_button.isEnabled()
    code = enrolled(book, srv)
    add_members(book, 3)
    section.refresh(None)
    assert section.values["pending"].text() == "4"
    assert section.values["last_sync"].text() == "chưa có"
    section.sync_now()
    assert "Đã gửi 4 thay đổi (4 được ghi nhận" in section.outcome.text()
    assert section.values["pending"].text() == "0"
    assert section.values["last_sync"].text() != "chưa có"
    assert srv.branch_row(code)["members"] == 3


def test_conflict_listed_with_both_versions_and_resolved(
    section: SyncSection,
    book: Book,
    srv: Srv,
    qtmodeltester,  # type: ignore[no-untyped-def]
) -> None:
    code = enrolled(book, srv)
    (mid,) = add_members(book, 1, prefix="Huỳnh Văn")
    run_sync(book, policy=FAST)
    srv.cli("publish", "member", "--branch", code, "--member-id", mid, "--status", "chuyen_di")
    data = members.get(book, member_id=mid).to_input()
    data.phone = "0912345678"
    members.update(book, member_id=mid, data=data)
    section.sync_now()
    assert section.values["attention"].text() == "1"
    model = section.problems
    qtmodeltester.check(model)
    assert model.rowCount() == 1
    assert model.data(model.index(0, 0)) == "Xung đột"
    assert model.data(model.index(0, 1)).startswith("Đảng viên Huỳnh Văn")
    section.table.selectRow(0)
    versions = section.versions
    qtmodeltester.check(versions)
    rows = {versions.data(versions.index(r, 0)): r for r in range(versions.rowCount())}
    status_row = rows["Trạng thái"]
    assert versions.data(versions.index(status_row, 1)) == "Chính thức"
    assert versions.data(versions.index(status_row, 2)) == "Chuyển đi"
    phone_row = rows["Số điện thoại"]
    assert versions.data(versions.index(phone_row, 1)) == "0912345678"
    assert section.keep_mine.isEnabled() and section.take_theirs.isEnabled()
    section.resolve("theirs")
    assert section.values["attention"].text() == "0"
    assert model.rowCount() == 0
    assert members.get(book, member_id=mid).status == "chuyen_di"
    assert sync_state.status(book).needing_attention == 0
