"""`sotay study ...`: study campaigns (đợt học tập nghị quyết) and each member's result."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import ValidationError
from app.models.study import STUDY_GRADES
from cli.common import opened_book, print_json, strptime_any

if TYPE_CHECKING:
    from app.book import Book
    from app.services.study import CampaignView, ParticipantView


def register(sub: Any) -> None:
    p = sub.add_parser("study", help="học tập nghị quyết: đợt học tập và kết quả từng đảng viên")
    ssub = p.add_subparsers(dest="study_command", metavar="LỆNH", required=True)

    q = ssub.add_parser("create", help="tạo đợt học tập (mọi đảng viên trừ người được miễn)")
    q.add_argument("--title", required=True, help="ví dụ “Học tập Nghị quyết số 57-NQ/TW”")
    q.add_argument("--resolutions", default="", help="các nghị quyết học tập, mỗi dòng một văn bản")
    q.add_argument("--document", action="append", default=[], metavar="MÃ_TÀI_LIỆU",
                   help="tài liệu trong thư viện (có thể lặp lại)")  # fmt: skip
    q.add_argument("--from", dest="starts_on", help="ngày bắt đầu dd/mm/yyyy")
    q.add_argument("--to", dest="ends_on", help="ngày kết thúc dd/mm/yyyy")
    q.add_argument("--session", help="buổi học tập: dd/mm/yyyy HH:MM")
    q.add_argument("--place", default="")
    q.add_argument("--presenter", default="", help="báo cáo viên")
    q.add_argument("--due", help="hạn nộp thu hoạch dd/mm/yyyy")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_create)

    q = ssub.add_parser("list", help="các đợt học tập và tiến độ")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_list)

    q = ssub.add_parser("show", help="một đợt học tập với kết quả từng đảng viên")
    q.add_argument("id", metavar="MÃ_ĐỢT")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_show)

    q = ssub.add_parser("record", help="ghi kết quả của một đảng viên")
    q.add_argument("id", metavar="MÃ_ĐỢT")
    q.add_argument("--member", required=True, help="họ tên (không cần dấu) hoặc mã đảng viên")
    q.add_argument("--attended", choices=["yes", "no"], help="dự buổi học tập")
    q.add_argument("--submitted", choices=["yes", "no"], help="đã nộp thu hoạch")
    q.add_argument(
        "--date", help="ngày đảng viên nộp thu hoạch, dd/mm/yyyy (mặc định: hôm nay khi nộp)"
    )
    q.add_argument("--grade", help="xếp loại: " + ", ".join(STUDY_GRADES.values()))
    q.add_argument("--score", help="điểm (thang 10); để trống để xóa")
    q.add_argument("--notes")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_record)

    q = ssub.add_parser("add-members", help="thêm đảng viên mới vào đợt học tập")
    q.add_argument("id", metavar="MÃ_ĐỢT")
    q.set_defaults(func=cmd_add_members)

    q = ssub.add_parser("close", help="kết thúc đợt học tập")
    q.add_argument("id", metavar="MÃ_ĐỢT")
    q.set_defaults(func=cmd_close)

    q = ssub.add_parser("reopen", help="mở lại đợt học tập đã kết thúc")
    q.add_argument("id", metavar="MÃ_ĐỢT")
    q.set_defaults(func=cmd_reopen)

    q = ssub.add_parser("report", help="báo cáo kết quả (PDF hoặc .xlsx theo đuôi tệp)")
    q.add_argument("id", metavar="MÃ_ĐỢT")
    q.add_argument("-o", "--output", required=True, help="tệp .pdf hoặc .xlsx")
    q.add_argument("--large", action="store_true", help="chữ lớn (PDF)")
    q.set_defaults(func=cmd_report)


def _date(value: str | None, field: str) -> dt.date | None:
    if not value or not value.strip():
        return None
    parsed = strptime_any(value, ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"))
    if parsed is not None:
        return parsed.date()
    raise ValidationError(f"Ngày “{value}” không đúng dạng ngày/tháng/năm.", field=field)


def _datetime(value: str | None) -> dt.datetime | None:
    if not value or not value.strip():
        return None
    parsed = strptime_any(value, ("%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"))
    if parsed is not None:
        return parsed
    raise ValidationError(
        f"Thời gian “{value}” không đúng dạng ngày/tháng/năm giờ:phút.", field="session_at"
    )


def _campaign_id(book: Book, ref: str) -> str:
    from app.errors import NotFoundError
    from app.services import study

    rows = study.list_campaigns(book)
    exact = [c.id for c in rows if c.id == ref]
    if exact:
        return exact[0]
    starts = [c.id for c in rows if c.id.startswith(ref)]
    if len(starts) == 1:
        return starts[0]
    if len(starts) > 1:
        raise ValidationError(
            f"Mã “{ref}” trùng với nhiều đợt học tập; hãy gõ dài hơn.", field="id"
        )
    raise NotFoundError(f"Không tìm thấy đợt học tập “{ref}”.")


def cmd_create(args: argparse.Namespace) -> int:
    from app.services import documents, study

    with opened_book(args) as book:
        doc_ids = [documents.resolve_id(book, ref=ref) for ref in args.document]
        campaign = study.create_campaign(
            book,
            data=study.CampaignInput(
                title=args.title,
                resolutions=args.resolutions.replace("\\n", "\n"),
                document_ids=doc_ids,
                starts_on=_date(args.starts_on, "starts_on"),
                ends_on=_date(args.ends_on, "ends_on"),
                session_at=_datetime(args.session),
                place=args.place,
                presenter=args.presenter,
                submission_due=_date(args.due, "submission_due"),
            ),
        )
    if args.json:
        print_json(campaign.to_json())
    else:
        print(
            f"Đã tạo đợt học tập “{campaign.title}” (mã {campaign.id[:8]}) với "
            f"{campaign.progress.participants} đảng viên tham gia."
        )
    return 0


def _progress_line(c: CampaignView) -> str:
    p = c.progress
    return (
        f"dự học {p.attended}/{p.participants}, nộp thu hoạch {p.submitted}/{p.participants}, "
        f"đã xếp loại {p.graded}"
    )


def cmd_list(args: argparse.Namespace) -> int:
    from app.services import study

    with opened_book(args) as book:
        rows = study.list_campaigns(book)
    if args.json:
        print_json({"campaigns": [c.to_json() for c in rows]})
        return 0
    if not rows:
        print("Chưa có đợt học tập nào.")
    for c in rows:
        period = f" ({c.period_label})" if c.period_label else ""
        print(f"{c.id[:8]}  {c.title}{period} — {c.state_label}; {_progress_line(c)}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from app.services import study

    with opened_book(args) as book:
        cid = _campaign_id(book, args.id)
        campaign = study.get_campaign(book, campaign_id=cid)
        people = study.participants(book, campaign_id=cid)
    if args.json:
        print_json(campaign.to_json() | {"participants": [p.to_json() for p in people]})
        return 0
    print(f"{campaign.title} — {campaign.state_label}")
    if campaign.resolutions:
        print(campaign.resolutions)
    print(f"Tiến độ: {_progress_line(campaign)}")
    for i, p in enumerate(people, start=1):
        marks = [
            "dự học" if p.attended else "vắng",
            "đã nộp thu hoạch" if p.submitted else "chưa nộp",
        ]
        if p.grade:
            marks.append(p.grade_label)
        if p.score is not None:
            marks.append(f"{p.score:g} điểm")
        print(f"{i:3}. {p.full_name}: {', '.join(marks)}")
    return 0


def _find_participant(book: Book, cid: str, ref: str) -> ParticipantView:
    from app.errors import NotFoundError
    from app.services import study
    from app.text import fold

    people = study.participants(book, campaign_id=cid)
    by_id = [p for p in people if p.member_id == ref or p.id == ref]
    if by_id:
        return by_id[0]
    key = fold(ref)
    exact = [p for p in people if fold(p.full_name) == key]
    if len(exact) == 1:
        return exact[0]
    partial = [p for p in people if key in fold(p.full_name)]
    if len(partial) == 1:
        return partial[0]
    if len(exact) > 1 or len(partial) > 1:
        names = ", ".join(p.full_name for p in (exact or partial)[:5])
        raise ValidationError(
            f"Có nhiều người khớp “{ref}”: {names}. Hãy dùng mã đảng viên.", field="member"
        )
    raise NotFoundError(f"Không có đảng viên “{ref}” trong đợt học tập này.")


def cmd_record(args: argparse.Namespace) -> int:
    from app.services import study

    with opened_book(args) as book:
        cid = _campaign_id(book, args.id)
        person = _find_participant(book, cid, args.member)
        kwargs: dict[str, Any] = {}
        if args.attended is not None:
            kwargs["attended"] = args.attended == "yes"
        if args.submitted is not None:
            kwargs["submitted"] = args.submitted == "yes"
        if args.date is not None:
            if args.submitted == "no":
                raise ValidationError(
                    "Đã ghi chưa nộp thu hoạch thì không ghi ngày nộp.", field="date"
                )
            kwargs["submitted_on"] = _date(args.date, "date")
            kwargs.setdefault("submitted", True)
        if args.grade is not None:
            kwargs["grade"] = args.grade
        if args.score is not None:
            kwargs["score"] = args.score.replace(",", ".") if args.score.strip() else None
        if args.notes is not None:
            kwargs["notes"] = args.notes
        result = study.record_result(book, participant_id=person.id, **kwargs)
    if args.json:
        print_json(result.to_json())
    else:
        print(f"Đã ghi kết quả của {result.full_name}.")
    return 0


def cmd_add_members(args: argparse.Namespace) -> int:
    from app.services import study

    with opened_book(args) as book:
        added = study.add_participants(book, campaign_id=_campaign_id(book, args.id))
    if added:
        print("Đã thêm: " + ", ".join(p.full_name for p in added) + ".")
    else:
        print("Không có đảng viên nào cần thêm.")
    return 0


def cmd_close(args: argparse.Namespace) -> int:
    from app.services import study

    with opened_book(args) as book:
        c = study.set_state(book, campaign_id=_campaign_id(book, args.id), state="closed")
    print(f"Đã kết thúc đợt học tập “{c.title}”.")
    return 0


def cmd_reopen(args: argparse.Namespace) -> int:
    from app.services import study

    with opened_book(args) as book:
        c = study.set_state(book, campaign_id=_campaign_id(book, args.id), state="open")
    print(f"Đã mở lại đợt học tập “{c.title}”.")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from app.services import study

    with opened_book(args) as book:
        report = study.results_report(book, campaign_id=_campaign_id(book, args.id))
    out = Path(args.output)
    if out.suffix.lower() == ".xlsx":
        from app.exporters.study_xlsx import write_study_xlsx

        write_study_xlsx(report, out)
    elif out.suffix.lower() == ".pdf":
        from reports.output import write_pdf
        from reports.printing import study_report_pdf

        write_pdf(out, study_report_pdf(report, large_print=args.large))
    else:
        raise ValidationError("Tên tệp báo cáo phải có đuôi .pdf hoặc .xlsx.", field="output")
    print(f"Đã ghi báo cáo kết quả học tập: {out}")
    return 0
