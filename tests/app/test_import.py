"""Importing the member list from the Excel/CSV files secretaries already keep."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from app.book import Book, open_book
from app.errors import ValidationError
from app.exporters.members_xlsx import export_members
from app.importers import members_table
from app.services import audit, members
from app.services.members import MemberInput

PASSWORD = "mat-khau-thu-nghiem"
TODAY = dt.date(2025, 11, 15)
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "danh_sach_dang_vien_mau.xlsx"


def write_xlsx(
    path: Path,
    rows: Sequence[Sequence[Any]],
    *,
    start_row: int = 1,
    merges: Sequence[str] = (),
    formats: dict[str, str] | None = None,
) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "DS đảng viên"
    for r, values in enumerate(rows, start=start_row):
        for c, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    for rng in merges:
        ws.merge_cells(rng)
    for ref, fmt in (formats or {}).items():
        ws[ref].number_format = fmt
    wb.save(path)
    return path


TITLE = [
    ["ĐẢNG BỘ PHƯỜNG QUY NHƠN", None, None, None, None, "ĐẢNG CỘNG SẢN VIỆT NAM"],
    ["CHI BỘ KHU PHỐ 3"],
    [],
    ["DANH SÁCH ĐẢNG VIÊN"],
]
HEADER = ["TT", "Họ tên", "Ngày sinh", "Giới tính", "Ngày vào Đảng", "Ngày chính thức",
          "Số thẻ ĐV", "Số CMND/CCCD", "Số ĐT", "Ghi chú"]  # fmt: skip


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


TONES = "\u0300\u0301\u0303\u0309\u0323"


def windows_1258(text: str) -> bytes:
    """Text as Windows-1258 stores it: letters like â, ơ precomposed, tones as marks."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(p for p in parts if p in TONES)
        base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in TONES))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


def damaged_list(path: Path) -> Path:
    """Rows 6.. below a merged title block: every kind of Excel damage, a repeat, bad rows."""
    rows = [
        *TITLE,
        HEADER,
        # 6: numeric ID lost its zero (11 digits), dd/mm/yyyy text, phone as a number.
        [
            1,
            "Nguyễn Thị Hòa",
            "02/04/1958",
            "NỮ",
            "19/05/1980",
            "19/05/1981",
            "52010013",
            52158001234,
            912345678,
            None,
        ],
        # 7: NFD name with stray spaces, Excel serial dates, Hà Nội ID lost two zeros.
        [
            2,
            nfd("  Đặng   Văn  Đức "),
            21551,
            "nam",
            29252,
            29617,
            "52010026",
            1059001235,
            "0905 111 222",
            None,
        ],
        # 8: dd-mm-yyyy text, datetime cells, name in capitals, phone with +84.
        [
            3,
            "TRẦN VĂN BÌNH",
            dt.datetime(1960, 7, 1),
            "Nam",
            "03-02-1985",
            dt.datetime(1986, 2, 3),
            "52010039",
            "064060001236",
            "+84 987 654 321",
            None,
        ],
        # 9: the same as row 6, pasted twice.
        [
            4,
            "Nguyễn Thị Hòa",
            "02/04/1958",
            "NỮ",
            "19/05/1980",
            "19/05/1981",
            "52010013",
            52158001234,
            912345678,
            None,
        ],
        # 10: same ID as row 7 but another birth date: a conflict.
        [5, "Đặng Văn Đức", "05/01/1959", "nam", None, None, None, 1059001235, None, None],
        # 11: an impossible date and an unreadable phone.
        [6, "Lê Văn Hậu", "31/02/1961", "nam", None, None, None, None, "12345", None],
        # 12: old 9-digit CMND and a CCCD-year mismatch is only a warning.
        [
            7,
            "Phạm Thị Lan",
            "15/08/1962",
            "nữ",
            "01/09/1990",
            "01/09/1991",
            "52010052",
            "211234567",
            None,
            "Đã nghỉ hưu",
        ],
    ]
    write_xlsx(path, rows, merges=["A1:D1", "F1:J1", "A2:D2", "A4:J4"])
    return path


def by_row(report: members_table.ImportReport) -> dict[int, members_table.RowResult]:
    return {r.row: r for r in report.rows}


def test_preview_reports_each_row_and_writes_nothing(book: Book, tmp_path: Path) -> None:
    loaded = members_table.load(damaged_list(tmp_path / "ds.xlsx"))
    assert loaded.header.row == 5
    report = members_table.preview(book, loaded, today=TODAY)
    rows = by_row(report)
    assert sorted(rows) == [6, 7, 8, 9, 10, 11, 12]
    assert [rows[n].outcome for n in (6, 7, 8)] == ["new", "new", "new"]
    # The repeat is reported once, on the later row, and not imported twice.
    assert rows[9].outcome == "warning" and rows[9].action == "none"
    assert rows[9].messages == ("Dòng này lặp lại dòng 6 (cùng số định danh); chỉ nhập một lần.",)
    assert rows[10].outcome == "error"
    assert "dòng 7" in rows[10].errors[0] and "ngày sinh" in rows[10].errors[0]
    assert rows[11].outcome == "error"
    assert any("31/02/1961" in e for e in rows[11].errors)
    assert any("12345" in e for e in rows[11].errors)
    assert rows[12].outcome == "warning" and rows[12].action == "create"
    assert any("9 số" in w for w in rows[12].warnings)
    assert any("thêm số 0" in r for r in rows[6].repairs)
    assert report.counts() == {"new": 3, "updated": 0, "unchanged": 0, "warning": 2, "error": 2}
    assert members.count(book) == 0


def test_apply_imports_valid_rows_repaired_and_reimport_changes_nothing(
    book: Book, data_dir: Path, tmp_path: Path
) -> None:
    path = damaged_list(tmp_path / "ds.xlsx")
    report = members_table.apply(book, members_table.load(path), today=TODAY)
    assert report.applied and report.to_write == 4
    book.close()
    book = open_book(data_dir, password=PASSWORD)
    try:
        stored = {m.full_name: m for m in members.list_members(book)}
        assert set(stored) == {"Đặng Văn Đức", "Nguyễn Thị Hòa", "Phạm Thị Lan", "Trần Văn Bình"}
        hoa = stored["Nguyễn Thị Hòa"]
        assert hoa.personal_id == "052158001234"
        assert hoa.phone == "0912345678"
        assert (hoa.birth_date, hoa.gender) == (dt.date(1958, 4, 2), "nữ")
        assert hoa.official_date == dt.date(1981, 5, 19)
        duc = stored["Đặng Văn Đức"]
        assert duc.full_name == unicodedata.normalize("NFC", duc.full_name)
        assert duc.personal_id == "001059001235"
        assert duc.birth_date == dt.date(1959, 1, 1)  # serial 21551
        assert duc.admission_date == dt.date(1980, 2, 1)  # serial 29252
        binh = stored["Trần Văn Bình"]
        assert binh.admission_date == dt.date(1985, 2, 3)
        assert binh.phone == "0987654321"
        assert stored["Phạm Thị Lan"].notes == "Đã nghỉ hưu"
        history = members.history(book, member_id=hoa.id)
        assert "Nhập từ tệp ds.xlsx, dòng 6" in history[0].reason
        entries_before = len(audit.history(book))

        again = members_table.apply(book, members_table.load(path), today=TODAY)
        assert [r.outcome for r in again.rows if r.row in (6, 7, 8)] == ["unchanged"] * 3
        assert by_row(again)[12].outcome == "unchanged"
        assert again.to_write == 0
        # Only the import's own summary line is added to the journal.
        assert len(audit.history(book)) == entries_before + 1
        assert members.count(book) == 4
    finally:
        book.close()


def test_changed_row_is_an_update_listing_what_changes(book: Book, tmp_path: Path) -> None:
    path = damaged_list(tmp_path / "ds.xlsx")
    members_table.apply(book, members_table.load(path), today=TODAY)
    rows = [
        ["Họ và tên", "Số CCCD", "Điện thoại", "Ngày sinh"],
        ["Nguyễn Thị Hòa", "052158001234", "0977 000 111", None],  # empty birth: kept
    ]
    changed = write_xlsx(tmp_path / "sua.xlsx", rows)
    report = members_table.preview(book, members_table.load(changed), today=TODAY)
    (row,) = report.rows
    assert row.outcome == "updated"
    assert row.changes == ("Số điện thoại: 0912345678 → 0977000111",)
    members_table.apply(book, members_table.load(changed), today=TODAY)
    (hoa,) = members.list_members(book, search="hoa")
    assert hoa.phone == "0977000111"
    assert hoa.birth_date == dt.date(1958, 4, 2)  # an empty cell erases nothing


def test_match_by_card_then_by_name_and_birth(book: Book, tmp_path: Path) -> None:
    by_card = members.create(
        book, data=MemberInput(full_name="Võ Văn Sơn", card_number="52010099", personal_id=None)
    )
    by_name = members.create(
        book, data=MemberInput(full_name="Hồ Thị Mai", birth_date=dt.date(1950, 3, 8))
    )
    rows = [
        ["Họ và tên", "Ngày sinh", "Số thẻ đảng viên", "Số định danh cá nhân", "Địa chỉ"],
        ["Võ Văn Sơn", "01/01/1955", "52010099", "052055000001", "Tổ 1"],
        ["Ho Thi Mai", "08/03/1950", None, None, "Tổ 2"],  # typed without marks
        ["Hồ Thị Mai", "09/03/1950", None, None, "Tổ 3"],  # another person
    ]
    report = members_table.apply(
        book, members_table.load(write_xlsx(tmp_path / "m.xlsx", rows)), today=TODAY
    )
    outcome = {r.row: (r.outcome, r.member_id) for r in report.rows}
    assert outcome[2] == ("updated", by_card.id)
    assert outcome[3][1] == by_name.id
    assert outcome[4][0] == "new" and outcome[4][1] not in (by_card.id, by_name.id)
    son = members.get(book, member_id=by_card.id)
    assert son.personal_id == "052055000001" and son.address == "Tổ 1"
    assert members.count(book) == 3


def test_header_words_vary_and_user_mapping_wins(book: Book, tmp_path: Path) -> None:
    rows = [
        ["Số thứ tự", "Họ và tên đảng viên", "Sinh ngày", "Phái", "Kết nạp ngày",
         "Ngày công nhận chính thức", "Số thẻ Đảng", "Số định danh cá nhân", "Số máy"],
        [1, "Bùi Văn Tâm", "12/12/1950", "Nam", "01/01/1975", "01/01/1976", "52010111",
         "052050000111", "0905333444"],
    ]  # fmt: skip
    loaded = members_table.load(write_xlsx(tmp_path / "h.xlsx", rows))
    fields = [c.field for c in loaded.header.columns]
    assert fields == ["row_number", "full_name", "birth_date", "gender", "admission_date",
                      "official_date", "card_number", "personal_id", None]  # fmt: skip
    report = members_table.apply(book, loaded, mapping={"Số máy": "phone"}, today=TODAY)
    assert report.rows[0].outcome == "new"
    assert members.list_members(book)[0].phone == "0905333444"
    # By column letter, by Vietnamese field label, and "-" to leave a column out.
    columns = loaded.columns({"I": "Số điện thoại", "D": "-"})
    assert (columns[8].field, columns[3].field) == ("phone", None)
    with pytest.raises(ValidationError):
        loaded.columns({"I": "không có trường này"})
    with pytest.raises(ValidationError) as err:
        members_table.preview(book, loaded, mapping={"B": "-"})
    assert "Họ và tên" in err.value.message


def test_two_row_header_and_birth_year_columns_by_sex(book: Book, tmp_path: Path) -> None:
    rows = [
        ["DANH SÁCH ĐẢNG VIÊN"],
        ["STT", "Họ và tên", "Ngày sinh", None, "Ngày, tháng, năm", None, "Ghi chú"],
        [None, None, "Nam", "Nữ", "Vào Đảng", "Chính thức", None],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
        [1, "Lê Văn Tư", "04/04/1949", None, "10/10/1970", "10/10/1971", None],
        [2, "Lê Thị Năm", None, "05/05/1952", "01/02/1975", "01/02/1976", None],
    ]
    path = write_xlsx(tmp_path / "hai_dong.xlsx", rows, merges=["C2:D2", "E2:F2", "A2:A3", "B2:B3"])
    loaded = members_table.load(path)
    assert (loaded.header.row, loaded.header.last_row) == (2, 4)
    report = members_table.apply(book, loaded, today=TODAY)
    assert [r.outcome for r in report.rows] == ["new", "new"]
    people = {m.full_name: m for m in members.list_members(book)}
    assert (people["Lê Văn Tư"].gender, people["Lê Văn Tư"].birth_date) == (
        "nam",
        dt.date(1949, 4, 4),
    )
    assert (people["Lê Thị Năm"].gender, people["Lê Thị Năm"].admission_date) == (
        "nữ",
        dt.date(1975, 2, 1),
    )


def test_group_rows_footers_and_merged_data_cells(book: Book, tmp_path: Path) -> None:
    rows = [
        ["STT", "Họ và tên", "Ngày sinh", "Chi bộ", "Số CCCD"],
        ["I. Tổ dân phố 1"],
        [1, "Phan Văn Hải", "01/01/1950", "Chi bộ Khu phố 3", "052050000201"],
        [2, "Phan Thị Hà", "02/02/1952", None, "052152000202"],  # merged with the row above
        ["II. Tổ dân phố 2"],
        [3, "Võ Văn Long", "03/03/1953", "Chi bộ Khu phố 4", "052053000203"],
        [],
        [None, "Tổng số: 3 đồng chí"],
        [None, None, None, "BÍ THƯ"],
    ]
    path = write_xlsx(tmp_path / "nhom.xlsx", rows, merges=["A2:E2", "D3:D4", "A5:E5"])
    report = members_table.apply(book, members_table.load(path), today=TODAY)
    assert [r.row for r in report.rows] == [3, 4, 6]
    assert any("dòng 2" in n and "Tổ dân phố 1" in n for n in report.notes)
    assert any("ô gộp" in n for n in report.notes)
    ha = members.list_members(book, search="phan thi ha")[0]
    assert ha.branch_label == "Chi bộ Khu phố 3"


def test_formula_cells_use_excel_cached_values(book: Book, tmp_path: Path) -> None:
    """A workbook saved by Excel keeps each formula's last value: that value is imported."""
    rows = [
        ["Họ và tên", "Ngày sinh", "Số CCCD"],
        ["Trương Văn Quý", "=DATE(1950,1,1)", "052050000301"],
    ]
    path = write_xlsx(tmp_path / "f.xlsx", rows)
    # Add the cached value Excel stores next to the formula (serial 18264 = 01/01/1950).
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = re.sub(rb"(<f>DATE\(1950,1,1\)</f>)<v\s*/>|(<f>DATE\(1950,1,1\)</f>)<v></v>|(<f>DATE\(1950,1,1\)</f>)",
                          rb"<f>DATE(1950,1,1)</f><v>18264</v>", parts[sheet])  # fmt: skip
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    loaded = members_table.load(path)
    assert any("công thức" in n and "giá trị" in n for n in loaded.notes)
    report = members_table.apply(book, loaded, today=TODAY)
    assert report.rows[0].outcome == "new"
    assert members.list_members(book)[0].birth_date == dt.date(1950, 1, 1)


def test_csv_encodings_and_delimiters(book: Book, tmp_path: Path) -> None:
    header = "Họ và tên;Ngày sinh;Giới tính;Số CCCD;Điện thoại"
    line = "Nguyễn Văn Thắng;05/06/1955;Nam;52055000401;912000111"
    (tmp_path / "utf8.csv").write_text(f"{header}\n{line}\n", encoding="utf-8-sig")
    report = members_table.apply(book, members_table.load(tmp_path / "utf8.csv"), today=TODAY)
    assert report.rows[0].outcome == "new"
    (m,) = members.list_members(book)
    assert (m.full_name, m.personal_id, m.phone) == (
        "Nguyễn Văn Thắng",
        "052055000401",
        "0912000111",
    )

    # Windows-1258 stores tones as combining marks; the importer gives NFC names.
    text = "Họ và tên,Ngày sinh,Số CCCD\nĐỗ Thị Hằng,07/07/1957,052157000402\n"
    (tmp_path / "cp1258.csv").write_bytes(windows_1258(text))
    loaded = members_table.load(tmp_path / "cp1258.csv")
    assert loaded.table.encoding == "cp1258"
    members_table.apply(book, loaded, today=TODAY)
    assert [m.full_name for m in members.list_members(book, search="hang")] == ["Đỗ Thị Hằng"]

    # Excel's "Unicode text": UTF-16 with tabs.
    text16 = "Họ và tên\tNgày sinh\tSố CCCD\nLương Văn Phúc\t08/08/1958\t052058000403\n"
    (tmp_path / "u16.txt").write_bytes(text16.encode("utf-16"))
    members_table.apply(book, members_table.load(tmp_path / "u16.txt"), today=TODAY)
    assert members.count(book) == 3


def test_progress_is_reported_and_a_failure_midway_leaves_nothing(
    book: Book, tmp_path: Path
) -> None:
    rows = [["Họ và tên", "Số CCCD"]] + [
        [f"Đảng Viên Số {chr(65 + i % 26)}{chr(65 + i // 26)}", f"0520500{i:05d}"]
        for i in range(250)
    ]
    path = write_xlsx(tmp_path / "nhieu.xlsx", rows)
    seen: list[tuple[int, int]] = []

    def stop_midway(done: int, total: int) -> None:
        seen.append((done, total))
        if done >= 200:
            raise KeyboardInterrupt  # the user closes the program mid-import

    with pytest.raises(KeyboardInterrupt):
        members_table.apply(book, members_table.load(path), progress=stop_midway, today=TODAY)
    assert seen[-1] == (200, 250)
    assert members.count(book) == 0  # all or nothing

    seen.clear()
    members_table.apply(book, members_table.load(path), progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (250, 250)
    assert members.count(book) == 250


def test_export_then_import_changes_nothing(book: Book, tmp_path: Path) -> None:
    members_table.apply(book, members_table.load(SAMPLE), today=TODAY)
    hoa = members.list_members(book)[0]
    members.update(
        book,
        member_id=hoa.id,
        data=MemberInput(**{**hoa.to_input().__dict__, "notes": "Dòng một\nDòng hai",
                            "needs_support": True, "app_account": "da_duyet"}),
    )  # fmt: skip
    out = tmp_path / "xuat.xlsx"
    assert export_members(book, out) == members.count(book)
    report = members_table.preview(book, members_table.load(out), today=TODAY)
    assert {r.outcome for r in report.rows} == {"unchanged"}
    assert len(report.rows) == members.count(book)


def test_the_committed_sample_file(book: Book) -> None:
    report = members_table.preview(book, members_table.load(SAMPLE), today=TODAY)
    counts = report.counts()
    assert report.header_row == 7
    assert counts["error"] == 1 and counts["new"] + counts["warning"] == 32
    duplicate = [r for r in report.rows if "lặp lại" in " ".join(r.messages)]
    assert len(duplicate) == 1
    assert any("T/M CHI BỘ" in n for n in report.notes)  # the signature block is not a member


def test_imported_rows_carry_the_same_audit_and_outbox_entries_as_a_form(
    book: Book, tmp_path: Path
) -> None:
    import json

    from sqlalchemy import select

    from app.models import AuditEntry, Member, OutboxEntry

    typed = members.create(
        book, data=MemberInput(full_name="Lê Văn Một", personal_id="052050000901")
    )
    path = write_xlsx(
        tmp_path / "mot.xlsx", [["Họ và tên", "Số CCCD"], ["Lê Văn Hai", "052050000902"]]
    )
    (row,) = members_table.apply(book, members_table.load(path), today=TODAY).rows
    with book.read_session() as s:
        entries = {}
        for member_id in (typed.id, row.member_id):
            stored = s.get(Member, member_id)
            assert stored is not None
            out = s.scalars(select(OutboxEntry).where(OutboxEntry.entity_id == member_id)).one()
            log = s.scalars(select(AuditEntry).where(AuditEntry.entity_id == member_id)).one()
            assert json.loads(out.fields_json) == json.loads(
                json.dumps(stored.sync_fields(), default=str)
            )
            entries[member_id] = (out.op, out.base_version, out.version, out.state, log.action)
    assert entries[typed.id] == entries[row.member_id] == ("upsert", 0, 1, "pending", "create")


def test_register_dates_and_illness_go_out_to_excel_and_back(book: Book, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    members_table.apply(book, members_table.load(SAMPLE), today=TODAY)
    first, second = members.list_members(book)[:2]
    decided = first.admission_date - dt.timedelta(days=20) if first.admission_date else None
    members.update(
        book,
        member_id=first.id,
        data=MemberInput(**{**first.to_input().__dict__, "admission_decision_date": decided,
                            "serious_illness": True}),
    )  # fmt: skip
    members.update(
        book,
        member_id=second.id,
        data=MemberInput(**{**second.to_input().__dict__, "status": "tu_tran",
                            "death_date": dt.date(2025, 3, 9)}),
    )  # fmt: skip
    out = tmp_path / "xuat.xlsx"
    export_members(book, out)
    sheet = load_workbook(out, read_only=True).active
    rows = [list(r) for r in sheet.iter_rows(min_row=6, values_only=True)]
    header = rows[0]
    by_name = {r[1]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    one, two = by_name[first.full_name], by_name[second.full_name]
    assert "Ngày quyết định kết nạp" in header and "Bệnh hiểm nghèo" in header
    assert one["Bệnh hiểm nghèo"] == "Có" and two["Bệnh hiểm nghèo"] == "Không"
    assert two["Ngày từ trần"] == dt.datetime(2025, 3, 9) and one["Ngày từ trần"] is None
    if decided is not None:
        assert one["Ngày quyết định kết nạp"] == dt.datetime.combine(decided, dt.time())
    report = members_table.preview(book, members_table.load(out), today=TODAY)
    assert {r.outcome for r in report.rows} == {"unchanged"}

    # The same columns typed by hand change the register.
    edited = write_xlsx(
        tmp_path / "sua.xlsx",
        [["Họ và tên", "Ngày sinh", "Số định danh cá nhân", "Bệnh hiểm nghèo", "Ngày từ trần"],
         [first.full_name, first.birth_date, first.personal_id or "", "Không", None]],
    )  # fmt: skip
    changed = members_table.preview(book, members_table.load(edited), today=TODAY)
    (row,) = changed.rows
    assert row.outcome == "updated", row.messages
    assert any(c.startswith("Bệnh hiểm nghèo") for c in row.changes)
