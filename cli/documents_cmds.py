"""Document commands: import, search, list, show, edit, remove, export, print.

`sotay documents import FILE... [--json]`; `sotay documents search QUERY [--json]` prints
{"results": [{"id", "title", "number", "filename", "snippet", "score"}]} best first;
`sotay documents show ID --json`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from app.errors import ValidationError
from app.models.document import DOCUMENT_TYPES
from cli.common import opened_book, print_json, strptime_any


def register(sub: Any) -> None:
    p = sub.add_parser("documents", help="thư viện tài liệu (nghị quyết, chỉ thị, kế hoạch...)")
    dsub = p.add_subparsers(dest="documents_command", metavar="LỆNH", required=True)

    q = dsub.add_parser("import", help="nhập tệp PDF, Word (.docx), văn bản (.txt)")
    q.add_argument("files", nargs="+", metavar="TỆP")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_import)

    q = dsub.add_parser("search", help="tìm trong tài liệu (không cần gõ dấu)")
    q.add_argument("query", metavar="TỪ_KHÓA")
    _filters(q)
    q.add_argument("--limit", type=int, default=20)
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_search)

    q = dsub.add_parser("list", help="danh sách tài liệu, mới nhất trước")
    _filters(q)
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_list)

    q = dsub.add_parser("show", help="thông tin một tài liệu")
    q.add_argument("id", metavar="MÃ_TÀI_LIỆU")
    q.add_argument("--text", action="store_true", help="kèm toàn văn")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_show)

    q = dsub.add_parser("edit", help="xác nhận hoặc sửa số hiệu, loại, nơi ban hành, ngày, tiêu đề")
    q.add_argument("id", metavar="MÃ_TÀI_LIỆU")
    q.add_argument("--number")
    q.add_argument("--type", choices=list(DOCUMENT_TYPES))
    q.add_argument("--issuer")
    q.add_argument("--date", help="ngày ban hành, dd/mm/yyyy (để trống: không rõ)")
    q.add_argument("--place")
    q.add_argument("--title")
    q.add_argument("--summary")
    q.add_argument("--tags")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_edit)

    q = dsub.add_parser("remove", help="xóa tài liệu khỏi thư viện")
    q.add_argument("id", metavar="MÃ_TÀI_LIỆU")
    q.add_argument("--reason", default="")
    q.set_defaults(func=cmd_remove)

    q = dsub.add_parser("export", help="lưu tệp gốc ra đĩa")
    q.add_argument("id", metavar="MÃ_TÀI_LIỆU")
    q.add_argument("-o", "--output", required=True, help="tệp hoặc thư mục đích")
    q.set_defaults(func=cmd_export)

    q = dsub.add_parser("print", help="in tài liệu (hoặc phần tóm tắt) ra PDF")
    q.add_argument("id", metavar="MÃ_TÀI_LIỆU")
    q.add_argument("--large", action="store_true", help="chữ lớn 18 pt cho người cao tuổi")
    q.add_argument("--summary", action="store_true", help="chỉ in phần tóm tắt")
    q.add_argument("-o", "--output", required=True, help="tệp PDF")
    q.set_defaults(func=cmd_print)


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--type", choices=list(DOCUMENT_TYPES), help="loại tài liệu (NQ, CT, KH...)")
    p.add_argument("--issuer", help="cơ quan ban hành (đúng như trong danh sách)")
    p.add_argument("--year", type=int, help="năm ban hành")
    p.add_argument("--source", choices=["local", "committee"])


def _progress(done: int, total: int) -> None:
    if total > 1 and sys.stderr.isatty():
        print(f"\rĐang nhập {done}/{total} tệp…", end="" if done < total else "\n", file=sys.stderr)


def cmd_import(args: argparse.Namespace) -> int:
    from app.services import documents

    with opened_book(args) as book:
        outcomes = documents.import_files(
            book, paths=[Path(f) for f in args.files], progress=_progress
        )
    failed = [o for o in outcomes if o.status == "failed"]
    if args.json:
        print_json(
            {
                "imported": sum(o.status == "imported" for o in outcomes),
                "duplicates": sum(o.status == "duplicate" for o in outcomes),
                "failed": len(failed),
                "results": [o.to_json() for o in outcomes],
            }
        )
    else:
        for o in outcomes:
            if o.status == "imported" and o.document is not None:
                print(f"Đã nhập: {o.document.label} (tệp {o.filename}, mã {o.document.id[:8]})")
                if o.problem:
                    print(f"  Lưu ý: {o.problem}")
                elif o.note:
                    print(f"  Lưu ý: {o.note}")
                elif o.recognised is not None and o.recognised.unaccented:
                    print(
                        "  Lưu ý: văn bản mất dấu (có thể do quét OCR); hãy kiểm tra các thông tin."
                    )
            elif o.status == "duplicate":
                print(f"Bỏ qua: {o.message}")
    for o in failed:
        print(f"Không nhập được {o.filename}: {o.message}", file=sys.stderr)
    return 2 if failed else 0


def cmd_search(args: argparse.Namespace) -> int:
    from app.services import documents

    with opened_book(args) as book:
        found = documents.search(
            book,
            query=args.query,
            doc_type=args.type,
            issuer=args.issuer,
            year=args.year,
            source=args.source,
            limit=max(1, args.limit),
        )
    if args.json:
        print_json(
            {
                "query": args.query,
                "total": found.total,
                "results": [h.to_json() for h in found.hits],
            }
        )
        return 0
    if not found.hits:
        print(f"Không tìm thấy tài liệu nào với “{args.query}”.")
        return 0
    print(f"Tìm thấy {found.total} tài liệu (hiện {len(found.hits)}):")
    for i, h in enumerate(found.hits, start=1):
        head = f"{h.number} — {h.title}" if h.number else h.title
        print(f"{i}. {head}  [mã {h.id[:8]}, tệp {h.filename}]")
        if h.snippet:
            print(f"   {h.snippet}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from app.services import documents

    with opened_book(args) as book:
        rows = documents.list_documents(
            book, doc_type=args.type, issuer=args.issuer, year=args.year, source=args.source
        )
    if args.json:
        print_json({"documents": [d.to_json() for d in rows]})
        return 0
    if not rows:
        print("Thư viện chưa có tài liệu nào.")
    for d in rows:
        date = d.issued_on.strftime("%d/%m/%Y") if d.issued_on else "—"
        print(f"{d.id[:8]}  {date}  {d.type_label}: {d.label}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from app.services import documents

    with opened_book(args) as book:
        doc_id = documents.resolve_id(book, ref=args.id)
        doc = documents.get(book, document_id=doc_id, with_text=args.text)
    if args.json:
        print_json(doc.to_json())
        return 0
    lines = [
        ("Số hiệu", doc.number or "(chưa rõ)"),
        ("Loại", doc.type_label),
        ("Tiêu đề", doc.title),
        ("Cơ quan ban hành", doc.issuer or "(chưa rõ)"),
        ("Ngày ban hành", doc.issued_on.strftime("%d/%m/%Y") if doc.issued_on else "(chưa rõ)"),
        ("Nơi ban hành", doc.place or "—"),
        ("Tệp", f"{doc.filename} ({doc.size:,} byte)".replace(",", ".")),
        ("Nguồn", doc.source_label),
        ("Mã", doc.id),
    ]
    for label, value in lines:
        print(f"{label}: {value}")
    if doc.summary:
        print(f"Tóm tắt: {doc.summary}")
    if not doc.has_text:
        print("Lưu ý: tài liệu chưa có nội dung chữ (bản quét hoặc có mật khẩu).")
    if args.text and doc.text:
        print()
        print(doc.text)
    return 0


def _parse_date(value: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    parsed = strptime_any(value, ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y"))
    if parsed is not None:
        return parsed.date()
    raise ValidationError(f"Ngày “{value}” không đúng dạng ngày/tháng/năm.", field="issued_on")


def cmd_edit(args: argparse.Namespace) -> int:
    from app.services import documents

    with opened_book(args) as book:
        doc_id = documents.resolve_id(book, ref=args.id)
        data = documents.fields_of(documents.get(book, document_id=doc_id))
        for attr, value in (
            ("number", args.number),
            ("doc_type", args.type),
            ("issuer", args.issuer),
            ("place", args.place),
            ("title", args.title),
            ("summary", args.summary),
            ("tags", args.tags),
        ):
            if value is not None:
                setattr(data, attr, value)
        if args.date is not None:
            data.issued_on = _parse_date(args.date)
        doc = documents.update(book, document_id=doc_id, data=data)
    if args.json:
        print_json(doc.to_json())
    else:
        print(f"Đã lưu: {doc.label}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from app.services import documents

    with opened_book(args) as book:
        doc_id = documents.resolve_id(book, ref=args.id)
        doc = documents.get(book, document_id=doc_id)
        documents.remove(book, document_id=doc_id, reason=args.reason)
    print(f"Đã xóa khỏi thư viện: {doc.label}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from app.services import documents

    with opened_book(args) as book:
        doc_id = documents.resolve_id(book, ref=args.id)
        dest = documents.export_file(book, document_id=doc_id, dest=Path(args.output))
    print(f"Đã lưu tệp: {dest}")
    return 0


def cmd_print(args: argparse.Namespace) -> int:
    from app.services import documents

    with opened_book(args) as book:
        doc_id = documents.resolve_id(book, ref=args.id)
        doc = documents.get(book, document_id=doc_id)
        if args.summary and not doc.summary.strip() and doc.text_length:
            from app.errors import ValidationError

            raise ValidationError(
                f"Tài liệu này chưa có phần tóm tắt (nội dung chữ có {doc.text_length} ký tự); "
                "hãy nhập tóm tắt (sotay documents edit … --summary) hoặc in toàn văn (bỏ "
                "--summary).",
                field="summary",
            )
        heading, body = documents.reading_text(book, document_id=doc_id, summary_only=args.summary)
    from reports.printing import document_pdf

    data = document_pdf(doc, heading=heading, body=body, large=args.large, summary=args.summary)
    from reports.output import write_pdf

    dest = write_pdf(args.output, data)
    size = "chữ lớn" if args.large else "cỡ chữ thường"
    print(f"Đã ghi bản in {size}: {dest}")
    return 0
