"""`sotay-server`: run the reference server and manage branches, tokens and publications."""

from __future__ import annotations

import argparse
import json
import mimetypes
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.exc import OperationalError

from app.arguments import VietnameseArgumentParser
from app.errors import KnownError
from app.models.feedback import FEEDBACK_STATES
from server.accounts import AdminError
from server.db import Database, resolve_db_url
from server.placeholders import name_placeholders

DB_HELP = "cơ sở dữ liệu: đường dẫn tệp SQLite hoặc URL (postgresql+psycopg://...); mặc định SOTAY_SERVER_DB"


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _db(args: argparse.Namespace) -> Database:
    return Database(resolve_db_url(getattr(args, "db", None)))


def _with_session(args: argparse.Namespace, work: Callable[[Any], Any]) -> Any:
    db = _db(args)
    try:
        with db.sessions.begin() as session:
            return work(session)
    finally:
        db.dispose()


# -- serve ---------------------------------------------------------------------------------
def _positive_days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"số ngày phải là số nguyên, nhận được: {text}") from None
    if days < 1:
        raise argparse.ArgumentTypeError(
            f"mã đăng ký phải còn hiệu lực ít nhất 1 ngày (nhận được {days})"
        )
    return days


def _workers(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"số tiến trình phải là số nguyên: {text}") from None
    if not 1 <= count <= 64:
        raise argparse.ArgumentTypeError("số tiến trình phục vụ phải từ 1 đến 64")
    return count


def cmd_serve(args: argparse.Namespace) -> int:
    import os

    import uvicorn

    from server.api import create_app
    from server.limits import ENV_TRUSTED_PROXIES, parse_proxies, proxies_from_env
    from server.vault import ENV_KEY_FILE

    url = resolve_db_url(getattr(args, "db", None))
    try:
        proxies = parse_proxies(args.trusted_proxy) if args.trusted_proxy else proxies_from_env()
    except ValueError as exc:
        raise AdminError(str(exc)) from exc
    # Forwarded headers are read by the app, from the configured proxies only; uvicorn's own
    # handling would believe any loopback peer.
    options: dict[str, Any] = {
        "host": args.host,
        "port": args.port,
        "log_level": args.log_level,
        "proxy_headers": False,
    }
    if args.workers > 1:
        if url.startswith("sqlite"):
            print(
                "Cảnh báo: nhiều tiến trình trên SQLite ghi lần lượt từng gói; "
                "nên dùng PostgreSQL khi chạy --workers.",
                file=sys.stderr,
            )
        # Each worker process builds its own app from the environment (server.api:app_from_env).
        os.environ["SOTAY_SERVER_DB"] = url
        os.environ[ENV_TRUSTED_PROXIES] = " ".join(str(p) for p in proxies)
        if args.key_file:
            os.environ[ENV_KEY_FILE] = args.key_file
        # The parent keeps its database (and its lock against a key rotation, server/runlock.py)
        # open while the workers run, so none is ever unguarded, a worker restarted included.
        parent = create_app(url, trusted_proxies=proxies, key_file=args.key_file)
        try:
            uvicorn.run("server.api:app_from_env", factory=True, workers=args.workers, **options)
        finally:
            parent.state.db.dispose()
        return 0
    app = create_app(url, trusted_proxies=proxies, key_file=args.key_file)
    uvicorn.run(app, **options)
    return 0


# -- branches ------------------------------------------------------------------------------
def cmd_branches_add(args: argparse.Namespace) -> int:
    from server.accounts import add_branch

    issued = _with_session(
        args, lambda s: add_branch(s, code=args.code, name=args.name, days=args.valid_days)
    )
    if args.json:
        _print_json(issued.as_json())
    else:
        print(f"Đã tạo chi bộ {issued.branch_code} — {issued.branch_name}.")
        print(f"Mã đăng ký (dùng một lần): {issued.enrolment_code}")
        print(f"Hết hạn: {issued.as_json()['expires_at']}")
    return 0


def cmd_branches_new_code(args: argparse.Namespace) -> int:
    from server.accounts import get_branch, issue_code

    issued = _with_session(
        args, lambda s: issue_code(s, get_branch(s, args.code), days=args.valid_days)
    )
    if args.json:
        _print_json(issued.as_json())
    else:
        print(f"Mã đăng ký mới cho {issued.branch_code} (dùng một lần): {issued.enrolment_code}")
    return 0


def cmd_branches_list(args: argparse.Namespace) -> int:
    from server.stats import branches_overview

    rows = _with_session(args, branches_overview)
    if args.json:
        _print_json(rows)
        return 0
    if not rows:
        print("Chưa có chi bộ nào.")
        return 0
    print(
        f"{'Mã':<14} {'Tên chi bộ':<30} {'Đồng bộ lần cuối':<21} {'ĐV':>4} {'Họp':>4} "
        f"{'VB':>4} {'Tệp':>4} {'Có mặt':>7}"
    )
    for row in rows:
        rate = row["attendance"]["rate"]
        pct = "—" if rate is None else f"{rate * 100:.0f}%"
        print(
            f"{row['code']:<14} {row['name'][:30]:<30} {row['last_sync_at'] or 'chưa':<21} "
            f"{row['members']:>4} {row['meetings']:>4} {row['documents']:>4} {row['files']:>4} "
            f"{pct:>7}"
        )
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    from server.accounts import revoke_tokens

    count = _with_session(
        args,
        lambda s: revoke_tokens(
            s, branch_code=getattr(args, "code", None), device_id=getattr(args, "device_id", None)
        ),
    )
    if getattr(args, "json", False):
        _print_json({"revoked": count})
    else:
        print(f"Đã thu hồi {count} mã thiết bị.")
    return 0


def cmd_tokens_list(args: argparse.Namespace) -> int:
    from server.accounts import list_tokens

    rows = _with_session(args, lambda s: list_tokens(s, args.code))
    if args.json:
        _print_json(rows)
    else:
        for row in rows:
            state = "đã thu hồi" if row["revoked_at"] else "còn hiệu lực"
            print(f"{row['device_id']}  {row['branch']:<14} {row['device_name']:<24} {state}")
    return 0


def cmd_admin_token(args: argparse.Namespace) -> int:
    from server.accounts import create_admin_token

    secret = _with_session(args, lambda s: create_admin_token(s, args.name))
    if args.json:
        _print_json({"admin_token": secret})
    else:
        print(f"Mã quản trị (chỉ hiện một lần): {secret}")
    return 0


# -- publish -------------------------------------------------------------------------------
def _extract_text(path: Path) -> str:
    if path.suffix.lower() == ".txt":
        return path.read_text(encoding="utf-8", errors="replace")
    if path.suffix.lower() == ".pdf":
        try:
            from pypdf import PdfReader

            return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
        except Exception:
            return ""
    return ""


def cmd_publish_document(args: argparse.Namespace) -> int:
    from server.publish import publish_document

    doc_type = (
        {"notice": "TB", "directive": "CT"}.get(args.kind) or getattr(args, "type", None) or "KHAC"
    )
    fields: dict[str, Any] = {
        "number": args.number,
        "doc_type": doc_type,
        "title": args.title,
        "issuer": args.issuer,
        "issued_on": args.issued_on,
        "summary": args.summary,
        "tags": args.tags,
    }
    data = None
    if args.file:
        path = Path(args.file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise AdminError(f"Không đọc được tệp {path}.") from exc
        fields["filename"] = path.name
        fields["mime"] = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        fields["text_content"] = _extract_text(path)
    if args.text:
        fields["text_content"] = args.text
    fields = {k: v for k, v in fields.items() if v not in (None, "")}
    branches: list[str] | str = "all" if args.all else (args.branch or [])
    done = _with_session(
        args,
        lambda s: publish_document(
            s, branches=branches, fields=fields, file_data=data, entity_id=args.id, note=args.note
        ),
    )
    if args.json:
        _print_json(done.as_json())
    else:
        print(f"Đã phát hành văn bản {done.entity_id} tới: {', '.join(done.branches)}.")
    return 0


def _parse_set(values: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise AdminError(f"--set cần dạng TRƯỜNG=GIÁ_TRỊ, nhận được: {item}")
        if value.lower() in ("true", "false"):
            out[key] = value.lower() == "true"
        else:
            out[key] = value
    return out


def cmd_publish_member(args: argparse.Namespace) -> int:
    from server.publish import publish_member

    fields = _parse_set(args.set or [])
    if args.status:
        fields["status"] = args.status
    if args.full_name:
        fields["full_name"] = args.full_name
    if args.branch_label:
        fields["branch_label"] = args.branch_label
    done = _with_session(
        args,
        lambda s: publish_member(
            s, branch=args.branch, fields=fields, entity_id=args.member_id, note=args.note
        ),
    )
    if args.json:
        _print_json(done.as_json())
    else:
        print(
            f"Đã gửi thay đổi đảng viên {done.entity_id} (phiên bản {done.version}) tới {args.branch}."
        )
    return 0


def cmd_publish_answer(args: argparse.Namespace) -> int:
    from server.publish import publish_feedback_answer

    done = _with_session(
        args,
        lambda s: publish_feedback_answer(
            s,
            branch=args.branch,
            feedback_id=args.feedback,
            answer=args.answer,
            answered_by=args.by or "",
            answered_on=args.on,
            note=args.note,
        ),
    )
    if args.json:
        _print_json(done.as_json())
    else:
        print(
            f"Đã gửi trả lời ý kiến {done.entity_id} (phiên bản {done.version}) tới {args.branch}; "
            "chi bộ nhận được ở lần đồng bộ tới."
        )
    return 0


# -- what the branches sent ----------------------------------------------------------------
def _utc_time(value: object) -> str:
    """“21/11/2025 08:30 (UTC)” from an ISO time the desktop sent (UTC)."""
    import datetime as dt

    try:
        moment = dt.datetime.fromisoformat(str(value).replace("Z", ""))
    except ValueError:
        return "—"
    return f"{moment:%d/%m/%Y %H:%M} (UTC)"


def cmd_reports_list(args: argparse.Namespace) -> int:
    from server.records import report_versions

    rows = _with_session(args, lambda s: report_versions(s, branch=args.branch))
    if args.json:
        _print_json(rows)
        return 0
    if not rows:
        print("Chưa có báo cáo nào được gửi lên.")
        return 0
    print(
        f"{'Chi bộ':<14} {'Số':<12} {'Loại':<28} {'Kỳ':<8} {'P.bản':>5}  {'Gửi lúc':<22} Lý do sửa"
    )
    for r in rows:
        print(
            f"{r['branch']:<14} {r['number'] or '—':<12} {r['kind_label'][:28]:<28} "
            f"{r['period']:<8} {r['version']:>5}  {_utc_time(r['submitted_at']):<22} "
            f"{r['amend_reason']}"
        )
    return 0


def cmd_reports_show(args: argparse.Namespace) -> int:
    from server.records import report_detail

    rows = _with_session(
        args,
        lambda s: report_detail(s, report=args.report, branch=args.branch, version=args.version),
    )
    if args.json:
        _print_json(rows)
        return 0
    for r in rows:
        print(
            f"=== {r['kind_label']} số {r['number'] or '—'} — kỳ {r['period']} — chi bộ {r['branch']}"
        )
        print(
            f"Phiên bản {r['version']}, gửi lúc {_utc_time(r['submitted_at'])} "
            f"(mã {r['report_id']})"
        )
        if r["amend_reason"]:
            print(f"Lý do sửa: {r['amend_reason']}")
        if r["subtitle"]:
            print(r["subtitle"])
        for sec in r["sections"]:
            if not isinstance(sec, dict):
                continue
            if sec.get("title"):
                print(f"\n{sec['title']}")
            if sec.get("body"):
                print(sec["body"])
        if r["signer_name"]:
            print(f"\nNgười ký: {r['signer_name']}")
        print()
    return 0


def cmd_feedback_list(args: argparse.Namespace) -> int:
    from server.records import feedback_items

    rows = _with_session(args, lambda s: feedback_items(s, branch=args.branch, state=args.state))
    if args.json:
        _print_json(rows)
        return 0
    if not rows:
        print("Không có ý kiến nào.")
        return 0
    for r in rows:
        who = r["member_name"] or r["member_id"]
        print(
            f"[{r['branch']}] {r['feedback_id']} — {r['kind_label']} của {who}, "
            f"nhận {r['received_on']} — {r['state_label']}"
        )
        print(f"    {r['content']}")
        if r["answer"]:
            print(f"    Trả lời ({r['answered_by']}, {r['answered_on']}): {r['answer']}")
    return 0


# -- the server key ------------------------------------------------------------------------
KEY_FILE_HELP = (
    "tệp khóa mã hóa dữ liệu của máy chủ (mặc định SOTAY_SERVER_KEY / SOTAY_SERVER_KEY_FILE, "
    "hoặc <tệp SQLite>.key)"
)


def _batch_size(text: str) -> int:
    try:
        size = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"cỡ lô phải là số nguyên: {text}") from None
    if not 1 <= size <= 100_000:
        raise argparse.ArgumentTypeError("cỡ lô phải từ 1 đến 100000")
    return size


def _count(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def cmd_key_status(args: argparse.Namespace) -> int:
    from server.keys import key_status

    db = Database(resolve_db_url(getattr(args, "db", None)), key_file=args.key_file)
    try:
        status = key_status(db)
    finally:
        db.dispose()
    if args.json:
        _print_json(status)
        return 0
    names: dict[str, str] = status["key_names"]
    print(f"Tệp khóa: {status['key_file'] or 'biến môi trường SOTAY_SERVER_KEY'}")
    print(f"Dấu vân tay khóa của cơ sở dữ liệu: {status['key_id']}")
    if status["rotating_to"]:
        print(
            f"Đang đổi khóa dở dang sang {status['rotating_to']}: chạy lại "
            "sotay-server key rotate để làm nốt."
        )
    if status["old_key_file"]:
        print(
            f"Khóa cũ còn giữ ở {status['old_key_file']}: xóa tệp này khi máy chủ đã chạy tốt "
            "với khóa hiện tại."
        )
    print(f"{'Bảng.cột':<32} {'Khóa':<20} {'Số giá trị':>12}")
    for col in status["columns"]:
        name = f"{col['table']}.{col['column']}"
        if not col["by_key"]:
            print(f"{name:<32} {'—':<20} {0:>12}")
        for tag, count in sorted(col["by_key"].items()):
            label = f"{tag} ({names.get(tag, 'khóa lạ')})" if tag else "chưa mã hóa"
            print(f"{name:<32} {label:<20} {_count(count):>12}")
    return 0


def cmd_key_rotate(args: argparse.Namespace) -> int:
    from server.keys import print_progress, rotate

    url = resolve_db_url(getattr(args, "db", None))
    print("Đang mã hóa lại dữ liệu bằng khóa mới (có thể dừng giữa chừng rồi chạy lại lệnh này)…")
    done = rotate(url, args.key_file, batch=args.batch, progress=print_progress)
    total = sum(done.resealed.values())
    if done.resumed:
        print("Đã làm nốt lần đổi khóa trước bị dừng giữa chừng.")
    print(
        f"Đã đổi khóa máy chủ: {_count(total)} giá trị được mã hóa lại trong "
        f"{done.seconds:.1f} giây. Dấu vân tay mới: {done.new_id}."
    )
    print(f"Khóa mới ở {done.key_file}: hãy sao lưu tệp này (tách riêng khỏi bản sao lưu dữ liệu).")
    print(
        f"Khóa cũ được giữ ở {done.old_file}. Khi máy chủ đã chạy tốt với khóa mới, hãy xóa tệp "
        "đó, cùng các bản sao lưu cơ sở dữ liệu mã hóa bằng khóa cũ nếu khóa cũ đã bị lộ."
    )
    return 0


# -- parser --------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    common = VietnameseArgumentParser(add_help=False)  # only its --db, shared by every command
    common.add_argument("--db", default=argparse.SUPPRESS, help=DB_HELP)

    parser = VietnameseArgumentParser(
        prog="sotay-server",
        description="Máy chủ đồng bộ tham chiếu của Sổ tay Chi bộ (Đảng ủy cấp trên).",
        parents=[common],
    )
    sub = parser.add_subparsers(dest="command", metavar="LỆNH", required=True)

    p = sub.add_parser("serve", parents=[common], help="chạy máy chủ")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--log-level", default="warning")
    p.add_argument(
        "--workers",
        type=_workers,
        default=1,
        help="số tiến trình phục vụ (uvicorn workers; nên dùng với PostgreSQL)",
    )
    p.add_argument(
        "--trusted-proxy",
        action="append",
        metavar="ĐỊA_CHỈ",
        help="địa chỉ/mạng của reverse proxy được tin X-Forwarded-For (lặp lại được); "
        "mặc định SOTAY_SERVER_TRUSTED_PROXIES, không có thì không tin ai",
    )
    p.add_argument("--key-file", help=KEY_FILE_HELP)
    p.set_defaults(func=cmd_serve)

    key = sub.add_parser("key", help="khóa mã hóa dữ liệu của máy chủ").add_subparsers(
        dest="action", metavar="VIỆC", required=True
    )
    p = key.add_parser(
        "status", parents=[common], help="dấu vân tay khóa, số giá trị mã hóa theo bảng và khóa"
    )
    p.add_argument("--key-file", help=KEY_FILE_HELP)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_key_status)
    p = key.add_parser(
        "rotate",
        parents=[common],
        help="đổi sang khóa mới, mã hóa lại mọi dữ liệu (dừng máy chủ trước)",
    )
    p.add_argument("--key-file", help=KEY_FILE_HELP)
    p.add_argument(
        "--batch", type=_batch_size, default=1000, help="số giá trị mỗi lô (mặc định 1000)"
    )
    p.set_defaults(func=cmd_key_rotate)

    branches = sub.add_parser("branches", help="quản lý chi bộ").add_subparsers(
        dest="action", metavar="VIỆC", required=True
    )
    p = branches.add_parser("add", parents=[common], help="thêm chi bộ, in mã đăng ký dùng một lần")
    p.add_argument("--code", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--valid-days", type=_positive_days, default=14)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_branches_add)
    p = branches.add_parser("new-code", parents=[common], help="cấp mã đăng ký mới cho chi bộ")
    p.add_argument("--code", required=True)
    p.add_argument("--valid-days", type=_positive_days, default=14)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_branches_new_code)
    p = branches.add_parser("list", parents=[common], help="danh sách chi bộ và số liệu")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_branches_list)
    p = branches.add_parser(
        "revoke-tokens", parents=[common], help="thu hồi mọi mã thiết bị của chi bộ"
    )
    p.add_argument("--code", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_revoke)

    tokens = sub.add_parser("tokens", help="mã thiết bị").add_subparsers(
        dest="action", metavar="VIỆC", required=True
    )
    p = tokens.add_parser("list", parents=[common])
    p.add_argument("--code")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_tokens_list)
    p = tokens.add_parser("revoke", parents=[common], help="thu hồi theo chi bộ hoặc theo thiết bị")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--code")
    group.add_argument("--device-id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_revoke)

    admin = sub.add_parser("admin", help="mã quản trị").add_subparsers(
        dest="action", metavar="VIỆC", required=True
    )
    p = admin.add_parser(
        "create-token", parents=[common], help="tạo mã quản trị (API, trang tổng quan)"
    )
    p.add_argument("--name", default="")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_admin_token)

    pub = sub.add_parser("publish", help="phát hành cho chi bộ tải về").add_subparsers(
        dest="kind", metavar="LOẠI", required=True
    )
    for kind, help_text in (
        ("document", "văn bản (nghị quyết, hướng dẫn...)"),
        ("notice", "thông báo (TB)"),
        ("directive", "chỉ thị (CT)"),
    ):
        p = pub.add_parser(kind, parents=[common], help=help_text)
        target = p.add_mutually_exclusive_group(required=True)
        target.add_argument("--branch", action="append", help="mã chi bộ nhận (lặp lại được)")
        target.add_argument("--all", action="store_true", help="gửi mọi chi bộ")
        if kind == "document":
            p.add_argument("--type", help="loại văn bản: NQ, CT, QĐ, KL, HD, KH, TB...")
        p.add_argument("--id", help="mã văn bản (để cập nhật một văn bản đã phát hành)")
        p.add_argument("--number", default="", help="số hiệu, ví dụ 57-NQ/TW")
        p.add_argument("--title", default="", help="trích yếu")
        p.add_argument("--issuer", default="")
        p.add_argument("--issued-on", help="ngày ban hành YYYY-MM-DD")
        p.add_argument("--summary", default="")
        p.add_argument("--tags", default="")
        p.add_argument("--text", help="nội dung văn bản dạng chữ")
        p.add_argument("--file", help="tệp đính kèm (PDF, DOCX...)")
        p.add_argument("--note", default="")
        p.add_argument("--json", action="store_true")
        p.set_defaults(func=cmd_publish_document)
    p = pub.add_parser(
        "member", parents=[common], help="thay đổi đảng viên từ cấp trên (chuyển đi/đến)"
    )
    p.add_argument("--branch", required=True)
    p.add_argument("--member-id", help="mã đảng viên (trống: đảng viên mới chuyển đến)")
    p.add_argument("--status", help="ví dụ chuyen_di")
    p.add_argument("--full-name")
    p.add_argument("--branch-label", help="chi bộ đang sinh hoạt")
    p.add_argument("--set", action="append", metavar="TRƯỜNG=GIÁ_TRỊ")
    p.add_argument("--note", default="")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_publish_member)
    p = pub.add_parser(
        "answer", parents=[common], help="trả lời ý kiến (góp ý, phản ánh, đề xuất) của chi bộ"
    )
    p.add_argument("--branch", required=True, help="mã chi bộ đã gửi ý kiến")
    p.add_argument("--feedback", required=True, help="mã ý kiến (xem: feedback list)")
    p.add_argument("--answer", required=True, help="nội dung trả lời")
    p.add_argument("--by", help="người/cơ quan trả lời (mặc định: Đảng ủy cấp trên)")
    p.add_argument("--on", help="ngày trả lời YYYY-MM-DD (mặc định: hôm nay)")
    p.add_argument("--note", default="")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_publish_answer)

    reports = sub.add_parser("reports", help="báo cáo chi bộ đã gửi lên").add_subparsers(
        dest="action", metavar="VIỆC", required=True
    )
    p = reports.add_parser("list", parents=[common], help="mọi phiên bản báo cáo đã gửi")
    p.add_argument("--branch", help="chỉ một chi bộ")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_reports_list)
    p = reports.add_parser("show", parents=[common], help="nội dung một báo cáo (mọi phiên bản)")
    p.add_argument("report", help="mã báo cáo hoặc số báo cáo (ví dụ 05-BC/CB)")
    p.add_argument("--branch", help="mã chi bộ (số báo cáo trùng giữa các chi bộ)")
    p.add_argument("--version", type=int, help="chỉ một phiên bản")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_reports_show)

    fb = sub.add_parser("feedback", help="ý kiến đảng viên chi bộ gửi lên").add_subparsers(
        dest="action", metavar="VIỆC", required=True
    )
    p = fb.add_parser("list", parents=[common], help="ý kiến đã nhận, chờ hoặc đã trả lời")
    p.add_argument("--branch", help="chỉ một chi bộ")
    p.add_argument("--state", choices=tuple(FEEDBACK_STATES))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_feedback_list)
    return name_placeholders(parser)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except AdminError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except KnownError as exc:  # the server key (server/vault.py)
        print(exc.message, file=sys.stderr)
        return 3
    except OperationalError as exc:
        print(
            f"Không mở được cơ sở dữ liệu của máy chủ ({resolve_db_url(getattr(args, 'db', None))}): "
            f"{exc.orig or exc}",
            file=sys.stderr,
        )
        return 3
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
