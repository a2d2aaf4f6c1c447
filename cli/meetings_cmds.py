"""`sotay meetings …`: create, list, show, update and delete meetings, write and adopt the
minutes, print a meeting's papers (reports.printing), attach documents, the voting rules."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import KnownError, ValidationError
from app.vocab import MeetingKind
from cli.common import print_json, strptime_any, with_book

if TYPE_CHECKING:
    from app.book import Book
    from app.services.meetings import AttachedDocument, MeetingView, Minutes
    from app.services.voting_rules import RuleConfig

# The papers of one meeting (the same names as reports.printing.PAPER_KINDS).
PAPER_KINDS = ("minutes", "invitation", "signin")

_DATETIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S")
_TIME = re.compile(r"^\s*(\d{1,2})[:hg](\d{2})\s*$")


# --- parsing ----------------------------------------------------------------------------


def parse_datetime(text: str, *, field: str = "starts_at") -> dt.datetime:
    parsed = strptime_any(text or "", _DATETIME_FORMATS)
    if parsed is not None:
        return parsed
    raise ValidationError(
        f"Không hiểu thời gian “{text}”. Hãy viết dạng “YYYY-MM-DD HH:MM”, ví dụ "
        "“2025-11-05 19:30”.",
        field=field,
    )


def parse_time_on(day: dt.date, text: str) -> dt.datetime:
    match = _TIME.match(text or "")
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise ValidationError(
            f"Không hiểu giờ “{text}”. Hãy viết dạng HH:MM, ví dụ 21:00.", field="ends_at"
        )
    return dt.datetime.combine(day, dt.time(int(match.group(1)), int(match.group(2))))


def register(sub: Any) -> None:
    p = sub.add_parser("meetings", help="cuộc họp chi bộ: tạo, danh sách, biên bản, in giấy tờ")
    msub = p.add_subparsers(dest="meetings_command", metavar="LỆNH", required=True)

    c = msub.add_parser("create", help="tạo cuộc họp (chương trình mặc định theo HD 09/HD 12)")
    c.add_argument("--kind", required=True, choices=[k.value for k in MeetingKind])
    c.add_argument("--at", required=True, help="thời gian bắt đầu, “YYYY-MM-DD HH:MM”")
    c.add_argument("--place", required=True)
    c.add_argument("--topic", default="", help="chủ đề (bắt buộc với chuyên đề)")
    c.add_argument("--chair", default="", help="họ tên người chủ trì")
    c.add_argument("--secretary", default="", help="họ tên thư ký")
    c.add_argument("--guest", action="append", default=[], help="khách mời (lặp lại được)")
    c.add_argument(
        "--agenda-item", action="append", help="mục chương trình (thay chương trình mặc định)"
    )
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_create)

    c = msub.add_parser("list", help="danh sách cuộc họp")
    c.add_argument("--year", type=int)
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_list)

    c = msub.add_parser("show", help="chi tiết một cuộc họp")
    c.add_argument("meeting_id")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_show)

    c = msub.add_parser("update", help="sửa cuộc họp (đã kết thúc thì cần --reason)")
    c.add_argument("meeting_id")
    c.add_argument("--at")
    c.add_argument("--place")
    c.add_argument("--topic")
    c.add_argument("--chair")
    c.add_argument("--secretary")
    c.add_argument("--reason", default="", help="lý do đính chính")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_update)

    c = msub.add_parser("delete", help="xóa cuộc họp tạo nhầm (chưa thông qua biên bản)")
    c.add_argument("meeting_id")
    c.add_argument("--reason", default="")
    c.set_defaults(func=cmd_delete)

    c = msub.add_parser("minutes", help="ghi biên bản từ tệp JSON, hoặc in biên bản dạng JSON")
    c.add_argument("meeting_id")
    c.add_argument(
        "--file",
        help="tệp JSON: {number, sections, conclusion, votes, ends_at}; mỗi lần biểu quyết "
        "có kind: resolution (mặc định), admission, recognition, discipline, election",
    )
    c.add_argument("--reason", default="", help="lý do đính chính (khi đã kết thúc)")
    c.set_defaults(func=cmd_minutes)

    c = msub.add_parser("close", help="thông qua biên bản và kết thúc cuộc họp")
    c.add_argument("meeting_id")
    c.add_argument("--end", help="giờ kết thúc HH:MM (nếu chưa ghi)")
    c.set_defaults(func=cmd_close)

    c = msub.add_parser("pdf", help="in biên bản, thông báo mời họp hoặc danh sách ký tên")
    c.add_argument("meeting_id")
    c.add_argument("--kind", required=True, choices=PAPER_KINDS)
    c.add_argument("-o", "--output", required=True)
    c.add_argument("--large-print", action="store_true", help="chữ lớn (18 pt)")
    c.set_defaults(func=cmd_pdf)

    c = msub.add_parser("attach", help="gửi tài liệu kèm cuộc họp")
    c.add_argument("meeting_id")
    c.add_argument("document_id")
    c.set_defaults(func=cmd_attach)

    c = msub.add_parser("detach", help="bỏ tài liệu khỏi cuộc họp")
    c.add_argument("meeting_id")
    c.add_argument("document_id")
    c.set_defaults(func=cmd_detach)

    c = msub.add_parser("rules", help="xem hoặc đặt quy tắc tính số lượng và biểu quyết")
    c.add_argument("--set", action="append", default=[], metavar="TÊN=GIÁ_TRỊ")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_rules)


def cmd_create(args: argparse.Namespace) -> int:
    from app.services import meetings

    data = meetings.MeetingInput(
        kind=args.kind,
        starts_at=parse_datetime(args.at),
        place=args.place,
        topic=args.topic,
        chair_name=args.chair,
        secretary_name=args.secretary,
        guests="\n".join(args.guest),
        agenda=list(args.agenda_item) if args.agenda_item else None,
    )
    m = with_book(args, lambda book: meetings.create(book, data=data))
    if args.json:
        print_json({"id": m.id})
    else:
        print(f"Đã tạo cuộc họp: {m.title}, lúc {m.starts_at:%H:%M %d/%m/%Y} tại {m.place}.")
        print(f"Mã cuộc họp: {m.id}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from app.services import meetings

    items = with_book(args, lambda book: meetings.summaries(book, year=args.year))
    if args.json:
        print_json(
            {
                "meetings": [
                    {
                        **it.meeting.to_json(),
                        "title": it.meeting.title,
                        "expected": it.expected,
                        "present": it.present,
                        "marked": it.marked,
                        "documents": it.documents,
                    }
                    for it in items
                ]
            }
        )
        return 0
    if not items:
        print("Chưa có cuộc họp nào.")
    for it in items:
        m = it.meeting
        print(
            f"{m.starts_at:%d/%m/%Y %H:%M}  {m.title}  [{m.state_label}]  "
            f"có mặt {it.present}/{it.expected}  {m.id}"
        )
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from app.services import meetings

    def fn(book: Book) -> tuple[MeetingView, Minutes, list[AttachedDocument]]:
        return (
            meetings.get(book, meeting_id=args.meeting_id),
            meetings.get_minutes(book, meeting_id=args.meeting_id),
            meetings.documents(book, meeting_id=args.meeting_id),
        )

    m, minutes, docs = with_book(args, fn)
    if args.json:
        print_json(
            {
                **m.to_json(),
                "title": m.title,
                "minutes": minutes.to_json(),
                "documents": [
                    {"id": d.document_id, "number": d.number, "title": d.title} for d in docs
                ],
            }
        )
        return 0
    print(m.title)
    print(f"Thời gian: {m.starts_at:%H:%M %d/%m/%Y}; địa điểm: {m.place}; {m.state_label}.")
    print(f"Chủ trì: {m.chair_name or '(chưa ghi)'}; thư ký: {m.secretary_name or '(chưa ghi)'}.")
    for index, item in enumerate(m.agenda, start=1):
        print(f"  {index}. {item}")
    return 0


def cmd_update(args: argparse.Namespace) -> int:
    from app.services import meetings

    def fn(book: Book) -> MeetingView:
        m = meetings.get(book, meeting_id=args.meeting_id)
        data = meetings.MeetingInput(
            kind=m.kind,
            starts_at=parse_datetime(args.at) if args.at else m.starts_at,
            place=args.place if args.place is not None else m.place,
            topic=args.topic if args.topic is not None else m.topic,
            chair_name=args.chair if args.chair is not None else m.chair_name,
            secretary_name=args.secretary if args.secretary is not None else m.secretary_name,
            guests=m.guests,
            agenda=list(m.agenda),
            ends_at=m.ends_at,
        )
        return meetings.update(book, meeting_id=args.meeting_id, data=data, reason=args.reason)

    m = with_book(args, fn)
    if args.json:
        print_json(m.to_json())
    else:
        print(f"Đã lưu cuộc họp: {m.title}.")
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    from app.services import meetings

    with_book(
        args, lambda book: meetings.delete(book, meeting_id=args.meeting_id, reason=args.reason)
    )
    print("Đã xóa cuộc họp.")
    return 0


_VOTE_KEYS = {"in_favour": "tán thành", "against": "không tán thành", "abstain": "không biểu quyết"}
# No branch has this many members; a bigger figure is a typing slip (or 1e400 = infinity).
MAX_VOTES = 10_000


def _vote_count(vote: dict[str, Any], key: str, index: int) -> int:
    """A vote count from the minutes file: a whole number from 0 to MAX_VOTES, or a
    Vietnamese ValidationError naming the field and the vote."""
    raw = vote.get(key, 0)
    subject = str(vote.get("subject", "")).strip()
    where = f"Tệp biên bản, lần biểu quyết thứ {index}" + (f" “{subject}”" if subject else "")
    what = f"số phiếu {_VOTE_KEYS[key]} (“{key}”)"
    value: int | None = None
    if raw is None:
        value = 0
    elif isinstance(raw, bool):
        value = None
    elif isinstance(raw, int):
        value = raw
    elif isinstance(raw, float) and math.isinf(raw):
        value = (MAX_VOTES + 1) * (1 if raw > 0 else -1)  # 1e400 reads as infinity
    elif isinstance(raw, float) and raw.is_integer():
        value = int(raw)
    elif isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit():
        value = int(raw.strip())
    if value is None:
        shown = json.dumps(raw, ensure_ascii=False)[:40]
        raise ValidationError(
            f"{where}: {what} phải là một số nguyên (ví dụ 12), không phải {shown}.",
            field="votes",
        )
    if not 0 <= value <= MAX_VOTES:
        if abs(value) <= MAX_VOTES:
            shown = str(value)
        else:
            shown = "một số quá lớn" if value > 0 else "một số âm"
        raise ValidationError(
            f"{where}: {what} phải từ 0 đến {MAX_VOTES}, không phải {shown}.", field="votes"
        )
    return value


def _vote_kind(vote: dict[str, Any], index: int) -> str:
    """The "kind" of a vote in the minutes file (resolution when left out)."""
    from app.services.voting_rules import VoteKind

    subject = str(vote.get("subject", "")).strip()
    where = f"Tệp biên bản, lần biểu quyết thứ {index}" + (f" “{subject}”" if subject else "")
    raw = vote.get("kind")
    if raw is not None and not isinstance(raw, str):
        raise ValidationError(f"{where}: “kind” phải là chữ, ví dụ “recognition”.", field="kind")
    try:
        return VoteKind.parse(raw).value
    except ValidationError as exc:
        raise ValidationError(f"{where}: {exc.message}", field="kind") from exc


def minutes_from_json(data: Any, *, day: dt.date) -> Any:
    """A Minutes value from the JSON the CLI reads (same keys as Minutes.to_json)."""
    from app.services.meetings import DiscussionEntry, Minutes, MinutesSection, VoteRecord

    if not isinstance(data, dict):
        raise ValidationError("Tệp biên bản phải là một đối tượng JSON.", field="file")
    try:
        sections = tuple(
            MinutesSection(
                title=str(sec.get("title", "")),
                content=str(sec.get("content", "")),
                discussion=tuple(
                    DiscussionEntry(str(d.get("speaker", "")), str(d.get("text", "")))
                    for d in sec.get("discussion") or []
                ),
                conclusion=str(sec.get("conclusion", "")),
            )
            for sec in data.get("sections") or []
        )
    except (AttributeError, TypeError, ValueError) as exc:
        raise ValidationError(
            "Tệp biên bản không đúng mẫu: “sections” phải là danh sách các mục, mỗi mục là một "
            "đối tượng JSON (title, content, discussion, conclusion).",
            field="file",
        ) from exc
    raw_votes = data.get("votes") or []
    if not isinstance(raw_votes, list) or not all(isinstance(v, dict) for v in raw_votes):
        raise ValidationError(
            "Tệp biên bản không đúng mẫu: “votes” phải là danh sách các lần biểu quyết, mỗi "
            "lần là một đối tượng JSON (subject, kind, in_favour, against, abstain).",
            field="file",
        )
    votes = tuple(
        VoteRecord(
            subject=str(v.get("subject", "")),
            in_favour=_vote_count(v, "in_favour", index),
            against=_vote_count(v, "against", index),
            abstain=_vote_count(v, "abstain", index),
            kind=_vote_kind(v, index),
        )
        for index, v in enumerate(raw_votes, start=1)
    )
    ends_at = None
    raw_end = data.get("ends_at")
    if isinstance(raw_end, str) and raw_end.strip():
        ends_at = (
            parse_time_on(day, raw_end)
            if _TIME.match(raw_end)
            else parse_datetime(raw_end, field="ends_at")
        )
    return Minutes(
        number=str(data.get("number", "")),
        sections=sections,
        conclusion=str(data.get("conclusion", "")),
        votes=votes,
        ends_at=ends_at,
    )


def cmd_minutes(args: argparse.Namespace) -> int:
    from app.services import meetings

    def fn(book: Book) -> tuple[Minutes, list[Any]]:
        if not args.file:
            shown = meetings.get_minutes(book, meeting_id=args.meeting_id)
            return shown, _vote_results(book, args.meeting_id, shown)
        m = meetings.get(book, meeting_id=args.meeting_id)
        try:
            raw = json.loads(Path(args.file).read_text(encoding="utf-8"))
        except OSError as exc:
            raise KnownError(f"Không đọc được tệp {args.file}: {exc.strerror or exc}.") from exc
        except ValueError as exc:
            where = (
                f" (lỗi ở dòng {exc.lineno}, cột {exc.colno})"
                if isinstance(exc, json.JSONDecodeError)
                else ""
            )
            raise ValidationError(
                f"Tệp {args.file} không phải JSON hợp lệ{where}.", field="file"
            ) from exc
        minutes = minutes_from_json(raw, day=m.starts_at.date())
        saved = meetings.save_minutes(
            book, meeting_id=args.meeting_id, minutes=minutes, reason=args.reason
        )
        return saved, _vote_results(book, args.meeting_id, saved)

    minutes, results = with_book(args, fn)
    if args.file:
        print("Đã lưu biên bản.")
        for vote, check in zip(minutes.votes, results, strict=True):
            print(f"Biểu quyết “{vote.subject}”: {check.result_text}")
            print(f"  {check.base_text}")
    else:
        data = minutes.to_json()
        data["vote_results"] = [
            {
                "subject": vote.subject,
                "kind": vote.kind,
                "base": check.eligible,
                "needed": check.needed,
                "adopted": check.adopted,
                "result": check.result_text,
                "explanation": check.base_text,
            }
            for vote, check in zip(minutes.votes, results, strict=True)
        ]
        print_json(data)
    return 0


def _vote_results(book: Book, meeting_id: str, minutes: Minutes) -> list[Any]:
    """Each recorded vote's outcome under its kind's rule (as printed in the minutes)."""
    from app.services import attendance, voting_rules

    if not minutes.votes:
        return []
    figures = attendance.roll_call(book, meeting_id=meeting_id).figures
    rules = voting_rules.get_rules(book)
    return [
        voting_rules.evaluate_vote(
            figures,
            in_favour=v.in_favour,
            against=v.against,
            abstain=v.abstain,
            kind=v.kind,
            config=rules,
        )
        for v in minutes.votes
    ]


def cmd_close(args: argparse.Namespace) -> int:
    from app.services import meetings

    def fn(book: Book) -> MeetingView:
        m = meetings.get(book, meeting_id=args.meeting_id)
        ends_at = parse_time_on(m.starts_at.date(), args.end) if args.end else None
        return meetings.close(book, meeting_id=args.meeting_id, ends_at=ends_at)

    m = with_book(args, fn)
    print(f"Đã thông qua biên bản và kết thúc cuộc họp: {m.title}.")
    return 0


def cmd_pdf(args: argparse.Namespace) -> int:
    from reports.printing import write_meeting_pdf

    path = with_book(
        args,
        lambda book: write_meeting_pdf(
            book,
            meeting_id=args.meeting_id,
            kind=args.kind,
            output=args.output,
            large_print=args.large_print,
        ),
    )
    print(f"Đã ghi {path}")
    return 0


def cmd_attach(args: argparse.Namespace) -> int:
    from app.services import meetings

    doc = with_book(
        args,
        lambda book: meetings.attach_document(
            book, meeting_id=args.meeting_id, document_id=args.document_id
        ),
    )
    print(f"Đã gửi kèm tài liệu: {doc.number or doc.title}.")
    return 0


def cmd_detach(args: argparse.Namespace) -> int:
    from app.services import meetings

    with_book(
        args,
        lambda book: meetings.detach_document(
            book, meeting_id=args.meeting_id, document_id=args.document_id
        ),
    )
    print("Đã bỏ tài liệu khỏi cuộc họp.")
    return 0


def _parse_rule_value(current: object, raw: str, name: str) -> object:
    text = raw.strip().lower()
    if isinstance(current, bool):
        if text in ("1", "true", "yes", "co", "có", "on"):
            return True
        if text in ("0", "false", "no", "khong", "không", "off"):
            return False
        raise ValidationError(f"Giá trị của {name} phải là có/không (true/false).", field=name)
    try:
        if isinstance(current, int):
            return int(text)
        return float(text.replace(",", "."))
    except ValueError as exc:
        raise ValidationError(f"Giá trị của {name} phải là một số.", field=name) from exc


def cmd_rules(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from app.services import voting_rules

    def fn(book: Book) -> RuleConfig:
        config = voting_rules.get_rules(book)
        if not args.set:
            return config
        values: dict[str, Any] = {}
        for item in args.set:
            name, sep, raw = item.partition("=")
            name = name.strip()
            if not sep or not hasattr(config, name):
                known = ", ".join(voting_rules.CONFIG_LABELS)
                raise ValidationError(
                    f"Không có quy tắc “{name}”. Các quy tắc: {known}.", field=name
                )
            values[name] = _parse_rule_value(getattr(config, name), raw, name)
        return voting_rules.set_rules(book, config=replace(config, **values))

    config = with_book(args, fn)
    if args.json:
        print_json(config.to_json())
        return 0
    for name, value in config.to_json().items():
        print(f"{voting_rules.CONFIG_LABELS.get(name, name)}: {value}")
    print(voting_rules.UNCERTAIN_NOTE)
    return 0
