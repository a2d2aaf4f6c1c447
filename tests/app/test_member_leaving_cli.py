"""A member who leaves, outside the form: `sotay members add/edit --left-date/--left-to`
(refused without the date, as the form does), `members show` printing them, and the .xlsx
export read back by the importer with the two columns."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from app.book import Book, create_book
from app.importers import members_table
from app.importers.columns import field_for_header
from app.services import members
from tests.cli_runner import CLI_PASSWORD, one_line_error, run_sotay


def sotay(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_sotay(data_dir, *args, password=CLI_PASSWORD)


@pytest.fixture(scope="module")
def branch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("leaving") / "so"
    r = sotay(
        data, "init", "--branch", "Chi bộ Khu phố 3", "--committee", "Đảng bộ phường Quy Nhơn",
        "--place", "Quy Nhơn", "--secretary", "Trần Văn Bình",
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    return data


def _new_book(folder: Path) -> Book:
    book, _recovery_key = create_book(
        folder, password=CLI_PASSWORD, branch_name="Chi bộ Khu phố 3", committee="Đảng bộ phường"
    )
    return book


def _add(data: Path, name: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return sotay(
        data, "members", "add", "--name", name, "--birth", "02/03/1960",
        "--admitted", "07/11/1990", "--official", "07/11/1991", "--json", *extra,
    )  # fmt: skip


def test_transfer_without_date_is_refused_with_the_form_message(branch: Path) -> None:
    r = _add(branch, "Lê Văn Tám", "--status", "chuyển đi", "--left-to", "Đảng bộ phường Nhơn Bình")
    assert r.returncode != 0
    assert one_line_error(r) == "Vui lòng ghi ngày chuyển đi."
    r = _add(branch, "Lê Văn Tám", "--status", "xoa_ten")
    assert one_line_error(r) == "Vui lòng ghi ngày xóa tên."
    names = [m["full_name"] for m in json.loads(sotay(branch, "members", "list", "--json").stdout)[
        "members"
    ]]  # fmt: skip
    assert "Lê Văn Tám" not in names  # nothing was saved


def test_edit_to_transferred_takes_date_and_place_and_show_prints_them(branch: Path) -> None:
    added = _add(branch, "Phạm Thị Hoa")
    assert added.returncode == 0, added.stderr
    member_id = json.loads(added.stdout)["id"]

    refused = sotay(branch, "members", "edit", member_id, "--status", "chuyen_di")
    assert refused.returncode != 0
    assert "Vui lòng ghi ngày chuyển đi." in one_line_error(refused)
    assert "Vui lòng ghi nơi chuyển đến" in one_line_error(refused)
    shown = json.loads(sotay(branch, "members", "show", member_id, "--json").stdout)
    assert shown["status"] == "chinh_thuc"  # unchanged

    done = sotay(
        branch, "members", "edit", member_id, "--status", "chuyển đi",
        "--left-date", "15/10/2026", "--left-to", "Chi bộ Khu phố 5, Đảng bộ phường Nhơn Bình",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    shown = json.loads(sotay(branch, "members", "show", member_id, "--json").stdout)
    assert shown["left_date"] == "2026-10-15"
    assert shown["left_to"] == "Chi bộ Khu phố 5, Đảng bộ phường Nhơn Bình"
    text = sotay(branch, "members", "show", member_id).stdout
    assert "Ngày chuyển đi / xóa tên: 15/10/2026" in text
    assert "Nơi chuyển đến" in text and "Đảng bộ phường Nhơn Bình" in text

    # Other edits of a member already recorded as transferred are not asked again.
    assert sotay(branch, "members", "edit", member_id, "--phone", "0912345678").returncode == 0


def test_help_shows_vietnamese_placeholders(branch: Path) -> None:
    out = sotay(branch, "members", "edit", "--help").stdout
    assert "--left-date NGÀY" in out and "--left-to NƠI_CHUYỂN_ĐẾN" in out


def test_export_then_import_keeps_the_leaving_date_and_place(tmp_path: Path) -> None:
    source = _new_book(tmp_path / "a")
    try:
        members.create(
            source,
            data=members.MemberInput(
                full_name="Nguyễn Văn An",
                birth_date=dt.date(1955, 5, 19),
                admission_date=dt.date(1980, 2, 3),
                official_date=dt.date(1981, 2, 3),
                status="chuyen_di",
                left_date=dt.date(2026, 9, 30),
                left_to="Đảng bộ xã Phước Hòa",
            ),
        )
        from app.exporters.members_xlsx import export_members

        out = tmp_path / "danh-sach.xlsx"
        assert export_members(source, out, status="chuyen_di") == 1
    finally:
        source.close()
    sheet = load_workbook(out).active
    assert sheet is not None
    header = [c.value for c in sheet[6]]
    assert "Ngày chuyển đi / xóa tên" in header and "Nơi chuyển đến" in header

    target = _new_book(tmp_path / "b")
    try:
        report = members_table.import_file(target, out)
        assert report.applied, report.summary()
        [back] = members.list_members(target, status="chuyen_di")
    finally:
        target.close()
    assert back.left_date == dt.date(2026, 9, 30)
    assert back.left_to == "Đảng bộ xã Phước Hòa"


@pytest.mark.parametrize(
    ("heading", "field"),
    [
        ("Ngày chuyển đi / xóa tên", "left_date"),
        ("Ngày chuyển", "left_date"),
        ("Ngày xóa tên", "left_date"),
        ("Nơi chuyển đến", "left_to"),
        ("Chuyển đến", "left_to"),
        ("Nơi chuyển", "left_to"),
        ("Nơi chuyển đến (chi bộ, đảng bộ)", "left_to"),
        ("Ngày chuyển đến", None),  # the day a member arrived: not the day one left
        ("Nơi sinh hoạt", "branch_label"),
        ("Nơi sinh", None),
    ],
)
def test_import_recognises_the_leaving_headings(heading: str, field: str | None) -> None:
    assert field_for_header(heading) == field


def test_import_reads_a_secretarys_own_wording(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Ngày vào Đảng", "Trạng thái", "Ngày chuyển",
               "Chuyển đến"])  # fmt: skip
    ws.append([1, "Đỗ Thị Lan", "12/04/1962", "19/05/1988", "Chuyển đi", "01/11/2026",
               "Chi bộ Thôn 2"])  # fmt: skip
    path = tmp_path / "ds.xlsx"
    wb.save(path)
    book = _new_book(tmp_path / "c")
    try:
        members_table.import_file(book, path)
        [lan] = members.list_members(book, status="chuyen_di")
    finally:
        book.close()
    assert (lan.left_date, lan.left_to) == (dt.date(2026, 11, 1), "Chi bộ Thôn 2")
