"""The document import dialog offers only what really imports: a real file of every offered
type is read, and any other type gets a message naming the types that work."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from app.documents.extract import extract
from app.errors import ValidationError
from tests.app.document_files import PARTY_PLAN, make_docx, make_pdf, write
from tests.app.odf_files import h, make_odt, make_rtf, p
from tests.data.legacy_files import make_doc, make_ods, make_xls, ods_content, ods_rows
from ui.documents.importing import FILE_FILTER, IMPORTABLE, importable_files

ROWS: list[list[object]] = [["Họ và tên", "Chức vụ"], ["Trần Văn Bình", "Bí thư"]]


def _xlsx() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in ROWS:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def sample(suffix: str, tmp_path: Path) -> bytes:
    """A real file of the type, holding "Trần Văn Bình" or the Party plan."""
    text = "\n".join(PARTY_PLAN)
    makers = {
        ".pdf": lambda: make_pdf([PARTY_PLAN]),
        ".docx": lambda: make_docx(PARTY_PLAN),
        ".doc": lambda: make_doc([("\r".join(PARTY_PLAN) + "\r", False)]),
        ".odt": lambda: make_odt(h(PARTY_PLAN[0]) + "".join(p(line) for line in PARTY_PLAN[1:])),
        ".rtf": lambda: make_rtf(PARTY_PLAN),
        ".txt": lambda: text.encode("utf-8"),
        ".md": lambda: ("# " + text).encode("utf-8"),
        ".xlsx": _xlsx,
        ".xls": lambda: make_xls(tmp_path / "s.xls", ROWS).read_bytes(),
        ".ods": lambda: make_ods(
            tmp_path / "s.ods", ods_content({"DS": ods_rows(ROWS)})
        ).read_bytes(),
    }
    return makers[suffix]()


def offered_in_filter() -> set[str]:
    return {s.lower() for s in re.findall(r"\*(\.\w+)", FILE_FILTER)}


def test_the_dialog_offers_what_a_dropped_folder_gives() -> None:
    assert offered_in_filter() == IMPORTABLE
    assert {".odt", ".rtf", ".doc", ".ods"} <= IMPORTABLE


@pytest.mark.parametrize("suffix", sorted(IMPORTABLE))
def test_every_offered_type_imports(suffix: str, tmp_path: Path) -> None:
    got = extract(sample(suffix, tmp_path), filename="tai-lieu" + suffix)
    assert got.problem == ""
    assert "Trần Văn Bình" in got.text or "Số 05-KH/CB" in got.text, got.text[:200]


@pytest.mark.parametrize("name", ["ban-cu.wps", "trinh-chieu.odp", "bang.xlsb", "so-do.odg"])
def test_a_type_that_does_not_import_names_the_types_that_do(name: str) -> None:
    with pytest.raises(ValidationError) as err:
        extract(b"\x00\x01bin", filename=name)
    message = err.value.message
    suffix = Path(name).suffix
    assert f"Chưa nhập được loại tệp “{suffix}” ({name})" in message
    for works in ("PDF", "Word (.docx, .doc)", "OpenDocument (.odt)", "RTF (.rtf)", "(.txt)"):
        assert works in message


def test_an_open_document_presentation_is_not_taken_for_text(tmp_path: Path) -> None:
    from tests.app.odf_files import Package

    data = make_odt(
        Package(content="<x/>", mimetype="application/vnd.oasis.opendocument.presentation")
    )
    with pytest.raises(ValidationError) as err:
        extract(data, filename="trinh-chieu.odp")
    assert "Chưa nhập được loại tệp “.odp”" in err.value.message
    assert "OpenDocument (.odt)" in err.value.message


def test_a_dropped_folder_gives_its_odt_and_rtf_files(tmp_path: Path) -> None:
    folder = tmp_path / "van-ban"
    wanted = [
        write(folder / "nghi-quyet.odt", sample(".odt", tmp_path)),
        write(folder / "cu" / "cong-van.rtf", sample(".rtf", tmp_path)),
    ]
    write(folder / "trinh-chieu.odp", b"PK")
    write(folder / "anh.png", b"\x89PNG")
    assert sorted(importable_files([folder])) == sorted(wanted)
