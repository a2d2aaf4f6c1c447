"""Mutated member lists and documents: every reader answers with a KnownError or a result,
never another exception.

A seeded loop (a few hundred inputs here; run this file as a script for more:
`.venv/bin/python tests/app/test_import_fuzz.py 10000`) mutates valid CSV (UTF-8, UTF-16,
TCVN3), XLSX, XLS, ODS, DOC, DOCX, ODT and RTF files: cut short, bytes flipped, inserted or
zeroed, chunks repeated, and for the zip formats the XML inside mutated and zipped again.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import sys
import tempfile
import traceback
import zipfile
from collections import Counter
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.documents.extract import extract
from app.errors import KnownError
from app.importers import members_table
from tests.app.odf_files import make_odt, make_rtf, p
from tests.app.odf_files import table as odt_table
from tests.data.legacy_files import (
    legacy_bytes,
    make_doc,
    make_ods,
    make_xls,
    ods_content,
    ods_rows,
)

TODAY = dt.date(2025, 11, 15)
ROWS = [
    ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Số định danh", "Ngày vào Đảng", "Ghi chú"],
    [1, "Trần Văn Bình", "Nam", "05/11/1965", "052065000101", "07/11/2024", "dự bị"],
    [2, "Nguyễn Thị Hoa", "Nữ", "12/03/1970", "052170000102", "01/01/1995", ""],
]
TCVN3 = [
    ["STT", "Hä vµ tªn", "Giíi tÝnh", "Ngµy sinh"],
    [1, "TrÇn V¨n B×nh", "Nam", "05/11/1965"],
    [2, "NguyÔn ThÞ Hoa", "N÷", "12/03/1970"],
]


def _csv(rows: list[list[object]]) -> str:
    return "\r\n".join(",".join(str(v) for v in r) for r in rows) + "\r\n"


def seeds(workdir: Path) -> dict[str, tuple[str, bytes]]:
    """name → (reader, bytes): reader is "import" (member list) or "document"."""
    from docx import Document
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for r in ROWS:
        ws.append(r)
    xlsx = io.BytesIO()
    wb.save(xlsx)
    doc = Document()
    doc.add_paragraph("ĐẢNG BỘ PHƯỜNG QUY NHƠN")
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Số 12-NQ/ĐU"
    table.cell(0, 1).text = "Quy Nhơn, ngày 05 tháng 11 năm 2025"
    docx = io.BytesIO()
    doc.save(docx)
    xls = make_xls(workdir / "seed.xls", ROWS).read_bytes()
    ods = make_ods(workdir / "seed.ods", ods_content({"DS": ods_rows(ROWS)})).read_bytes()
    return {
        "utf8.csv": ("import", _csv(ROWS).encode("utf-8-sig")),
        "utf16.csv": ("import", _csv(ROWS).encode("utf-16")),
        "tcvn3.csv": ("import", legacy_bytes(_csv(TCVN3))),
        "ds.xlsx": ("import", xlsx.getvalue()),
        "ds.xls": ("import", xls),
        "ds.ods": ("import", ods),
        "nq.doc": (
            "document",
            make_doc([("ĐẢNG BỘ\x07Số 12-NQ/ĐU\x07\x07\x13 PAGE \x141\x15\r", False)]),
        ),
        "nq.docx": ("document", docx.getvalue()),
        "nq.odt": (
            "document",
            make_odt(
                odt_table([[["ĐẢNG BỘ PHƯỜNG QUY NHƠN", "Số 12-NQ/ĐU"], ["Quy Nhơn, ngày 05"]]])
                + p("NghÞ quyÕt  vÒ c«ng t¸c\t®¶ng viªn")
                + '<text:p>A<text:span>B<text:s text:c="3"/>C</text:span><text:line-break/></text:p>'
            ),
        ),
        "nq.rtf": (
            "document",
            make_rtf(
                ["NGHỊ QUYẾT", "về công tác {đảng viên}", "{\\field{\\*\\fldinst{ HYPERLINK x}}"],
                header_table=(["ĐẢNG BỘ PHƯỜNG QUY NHƠN", "Số 12-NQ/ĐU"], ["Quy Nhơn, ngày 05"]),
            ),
        ),
        "cv.txt": ("document", legacy_bytes("C«ng v¨n sè 12\r\nV/v tæ chøc\r\n")),
    }


def mutate(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        if not out:
            out = bytearray(b"\x00")
        how = rng.randrange(7)
        pos = rng.randrange(len(out))
        if how == 0:  # cut short (often to an odd length)
            out = out[: rng.randrange(len(out))]
        elif how == 1:
            out[pos] = rng.randrange(256)
        elif how == 2:
            out[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        elif how == 3:
            end = min(len(out), pos + rng.randint(1, 64))
            out[pos:end] = b"\x00" * (end - pos)
        elif how == 4:
            end = min(len(out), pos + rng.randint(1, 256))
            out[pos:pos] = out[pos:end] * rng.randint(1, 8)
        elif how == 5:
            del out[pos : pos + rng.randint(1, 32)]
        else:
            interesting = (b"\xff\xff\xff\xff", b"\x00\x00\x00\x80", b"\xff\xfe", b"?", b"\xad")
            chunk = rng.choice(interesting)
            out[pos : pos + len(chunk)] = chunk
    return bytes(out)


def mutate_zip(data: bytes, rng: random.Random) -> bytes:
    """Mutate one member of a zip, then zip again: the XML parsers see damaged XML."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            parts = {i.filename: zf.read(i) for i in zf.infolist()}
    except Exception:
        return mutate(data, rng)
    name = rng.choice(sorted(parts))
    parts[name] = mutate(parts[name], rng)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for part, content in parts.items():
            zf.writestr(part, content)
    return out.getvalue()


def run_one(reader: str, name: str, data: bytes, workdir: Path) -> str:
    """ "ok", "known" or the traceback of any other exception."""
    try:
        if reader == "import":
            path = workdir / name
            path.write_bytes(data)
            loaded = members_table.load(path)
            members_table._parse_all(loaded, None, TODAY)
        else:
            extract(data, filename=name)
        return "ok"
    except KnownError:
        return "known"
    except Exception:
        return traceback.format_exc(limit=6)


def fuzz(count: int, seed: int = 12) -> tuple[Counter[str], list[tuple[str, str]]]:
    rng = random.Random(seed)
    outcomes: Counter[str] = Counter()
    failures: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        bases = seeds(workdir)
        names = sorted(bases)
        for i in range(count):
            name = names[i % len(names)]
            reader, data = bases[name]
            zipped = data.startswith(b"PK") and rng.random() < 0.6
            mutated = mutate_zip(data, rng) if zipped else mutate(data, rng)
            result = run_one(reader, name, mutated, workdir)
            if result in ("ok", "known"):
                outcomes[result] += 1
            else:
                outcomes["raw"] += 1
                failures.append((name, result))
    return outcomes, failures


def test_mutated_files_give_a_message_or_a_result() -> None:
    outcomes, failures = fuzz(360)
    assert not failures, failures[0][0] + "\n" + failures[0][1]
    assert outcomes["known"] > 50 and outcomes["ok"] > 20  # both paths were exercised


def test_every_seed_is_read() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for name, (reader, data) in seeds(workdir).items():
            assert run_one(reader, name, data, workdir) == "ok", name


if __name__ == "__main__":
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    result, raw = fuzz(total, seed=int(sys.argv[2]) if len(sys.argv) > 2 else 2026)
    print(f"{total} inputs: {dict(result)}")
    kinds = Counter(
        name
        + " "
        + [ln for ln in tb.splitlines() if 'File "' in ln][-1].strip()[-90:]
        + " "
        + tb.strip().splitlines()[-1][:100]
        for name, tb in raw
    )
    for line, n in kinds.most_common(20):
        print(f"{n:5d}  {line}")
