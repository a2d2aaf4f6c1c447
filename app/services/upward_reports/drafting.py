"""Drafting a report's text from the gathered data: the sections of each kind (monthly,
quarterly, yearly, the app deployment report), its figures, the notices shown with a fresh
draft, and the default subtitle and recipients.

Nothing here reads the book (`gathering.gather` did that): each function turns a `Gathered`
into text, tables or the figures stored with the report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from app.services import feedback as feedback_service
from app.services import milestones, support
from app.services.upward_reports.gathering import LEFT_STATUSES, Gathered
from app.services.upward_reports.periods import QUARTER_NAMES, next_period, period_label
from app.services.upward_reports.views import ReportSection, ReportTable
from app.text import name_sort_key
from app.vocab import MeetingKind, MemberStatus

# The order the deployment report lists why members do not use the app yet.
_HARD_REASONS = ("no_smartphone", "needs_help", "awaiting_approval", "not_registered")


def _dang_uy(committee: str) -> str:
    return feedback_service.committee_body(committee)


def _names(items: Sequence[str]) -> str:
    return ", ".join(sorted(items, key=name_sort_key))


def _pct(part: int, whole: int) -> str:
    """'71,4%'; '—' when there is nothing to count (a month with no meeting is not 0%)."""
    if whole <= 0:
        return "—"
    value = round(100.0 * part / whole, 1)
    text = f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{text}%"


# Advice meant for the secretary, never printed on paper sent upward.
PRIVATE_HINTS = (" Nên gặp gỡ, nhắc nhở.", "Nên gặp gỡ, nhắc nhở.", " (có thể cấu hình)")


def public_text(text: str) -> str:
    """`text` without the secretary's private hints."""
    for hint in PRIVATE_HINTS:
        text = text.replace(hint, "")
    return text.strip()


def _meetings_section(d: Gathered, label: str) -> ReportSection:
    held = d.stats.meetings
    total = d.stats.total
    lines: list[str] = []
    if held:
        listed = "; ".join(
            f"{hm.meeting.kind_label.lower()} ngày {hm.meeting.starts_at:%d/%m/%Y}" for hm in held
        )
        lines.append(f"1. Trong {label}, chi bộ tổ chức {len(held)} cuộc họp: {listed}.")
    else:
        lines.append(f"1. Trong {label}, sổ chưa ghi cuộc họp chi bộ nào đã tổ chức.")
    if d.chi_uy:
        lines.append(f"Chi ủy họp {len(d.chi_uy)} lần.")
    if total.expected:
        target = d.stats.hd12
        verdict = (
            f"đạt yêu cầu trên {target.target_percent:g}% (HD 12-HD/BTCTW)"
            if target.meets_target
            else f"chưa đạt yêu cầu trên {target.target_percent:g}% (HD 12-HD/BTCTW)"
        )
        lines.append(
            f"2. Tổng số lượt đảng viên phải dự: {total.expected}; có mặt: {total.present} "
            f"({_pct(total.present, total.expected)}), {verdict}; vắng có lý do: {total.excused}; "
            f"vắng không lý do: {total.unexcused}."
        )
        serious = [public_text(w.message) for w in d.stats.warnings if w.serious]
        if serious:
            lines.append("3. Đảng viên cần lưu ý: " + " ".join(serious))
    table = None
    if held:
        rows = tuple(
            (
                i + 1,
                f"{hm.meeting.kind_label} ({hm.meeting.starts_at:%d/%m/%Y})",
                hm.figures.expected - hm.figures.unmarked,
                hm.figures.present,
                hm.figures.absent_excused,
                hm.figures.absent_unexcused,
                _pct(hm.figures.present, hm.figures.expected - hm.figures.unmarked),
            )
            for i, hm in enumerate(held)
        )
        table = ReportTable(
            ("STT", "Cuộc họp", "Phải dự", "Có mặt", "Vắng có lý do", "Vắng không lý do", "Tỷ lệ"),
            rows,
        )
    return ReportSection("Tình hình sinh hoạt chi bộ", "\n\n".join(lines), table)


def _months_section(d: Gathered, label: str) -> ReportSection:
    """Quarterly / yearly: meetings and attendance month by month."""
    section = _meetings_section(d, label)
    rows = []
    for p in d.stats.months:
        rows.append(
            (
                p.label,
                p.meetings,
                p.expected,
                p.present,
                p.excused,
                p.unexcused,
                _pct(p.present, p.expected),
            )
        )
    extra = []
    hd12 = d.stats.hd12
    if hd12.months_without_regular:
        months = ", ".join(str(m) for m in hd12.months_without_regular)
        extra.append(f"Tháng chưa sinh hoạt chi bộ thường kỳ: {months}.")
    if hd12.quarters_without_thematic:
        quarters = ", ".join(QUARTER_NAMES[q - 1] for q in hd12.quarters_without_thematic)
        extra.append(f"Quý chưa sinh hoạt chuyên đề: {quarters}.")
    body = section.body + ("\n\n" + " ".join(extra) if extra else "")
    table = ReportTable(
        ("Tháng", "Số cuộc họp", "Phải dự", "Có mặt", "Vắng có lý do", "Vắng không lý do", "Tỷ lệ"),
        tuple(rows),
    )
    return ReportSection(section.title, body, table)


def _study_section(d: Gathered, label: str) -> ReportSection:
    if not d.campaigns:
        return ReportSection(
            "Công tác học tập, quán triệt nghị quyết",
            f"Trong {label}, sổ chưa ghi đợt học tập, quán triệt nghị quyết nào.",
        )
    lines = []
    for c in d.campaigns:
        p = c.progress
        line = (
            f"- {c.title}: {p.attended}/{p.participants} đảng viên dự học tập "
            f"({_pct(p.attended, p.participants)}); {p.submitted} đồng chí đã nộp bài thu hoạch"
        )
        if p.graded:
            line += f", {p.graded} bài đã chấm"
        line += "."
        lines.append(line)
    return ReportSection(
        "Công tác học tập, quán triệt nghị quyết",
        f"Trong {label}, chi bộ thực hiện {len(d.campaigns)} đợt học tập, quán triệt:\n"
        + "\n".join(lines),
    )


def _feedback_section(d: Gathered, label: str, *, list_items: bool) -> ReportSection:
    c = d.feedback
    title = "Tiếp nhận ý kiến góp ý, phản ánh, đề xuất của đảng viên"
    if not c.total:
        return ReportSection(
            title, f"Trong {label}, chi bộ không nhận được ý kiến nào của đảng viên."
        )
    kinds = "; ".join(
        f"{feedback_service.FEEDBACK_KINDS[k].lower()}: {c.by_kind.get(k, 0)}"
        for k in feedback_service.FEEDBACK_KINDS
    )
    lines = [
        f"Trong {label}, chi bộ tiếp nhận {c.total} ý kiến của đảng viên ({kinds}); đã trả lời: "
        f"{c.answered}; đã chuyển cấp ủy cấp trên: {c.forwarded}; đang xử lý, chờ trả lời: {c.waiting}."
    ]
    if list_items:
        for item in d.feedback_items[:20]:
            lines.append(
                f"- Đồng chí {item.member_name} ({item.kind_label.lower()}, {item.received_on:%d/%m/%Y}): "
                f"“{feedback_service._short(item.content, 160)}” — {item.state_label.lower()}."
            )
        if len(d.feedback_items) > 20:
            lines.append(f"- Và {len(d.feedback_items) - 20} ý kiến khác.")
    return ReportSection(title, "\n".join(lines))


def _members_section(d: Gathered, label: str) -> ReportSection:
    t = d.members.totals
    active = sum(t.get(s, 0) for s in MemberStatus.active())
    parts = "; ".join(
        f"{s.label.lower()}: {t.get(s, 0)}" for s in MemberStatus.active() if t.get(s, 0)
    )
    lines = [
        f"Tổng số đảng viên của chi bộ đến ngày {d.today:%d/%m/%Y}: {active}"
        + (f" ({parts})." if parts else ".")
    ]
    m = d.members
    if m.any:
        changes_text = []
        if m.admitted:
            changes_text.append(
                f"- Kết nạp đảng viên mới: {len(m.admitted)} ({_names(m.admitted)})."
            )
        if m.made_official:
            changes_text.append(
                f"- Công nhận đảng viên chính thức: {len(m.made_official)} ({_names(m.made_official)})."
            )
        for status in LEFT_STATUSES:
            names = m.left.get(status) or []
            if names:
                changes_text.append(f"- {status.label}: {len(names)} ({_names(names)}).")
        lines.append(f"Biến động trong {label}:\n" + "\n".join(changes_text))
    else:
        lines.append(f"Trong {label}, không có biến động về đảng viên.")
    b = d.board
    lines.append(
        f"Đảng viên sử dụng ứng dụng “Sổ tay đảng viên điện tử”: {b.using}/{b.required} "
        f"({_pct(b.using, b.required)})."
    )
    return ReportSection("Công tác đảng viên", "\n\n".join(lines))


def _plan_items(d: Gathered) -> list[str]:
    items: list[str] = []
    next_label = period_label(d.kind, d.next_start, d.next_end)
    regular = [m for m in d.next_meetings if m.kind == MeetingKind.REGULAR]
    if regular:
        dates = ", ".join(f"{m.starts_at:%d/%m/%Y} tại {m.place}" for m in regular)
        items.append(f"Tổ chức sinh hoạt chi bộ thường kỳ (đã lên lịch: {dates}).")
    else:
        items.append(f"Tổ chức sinh hoạt chi bộ thường kỳ {next_label} đúng quy định.")
    thematic = [m for m in d.next_meetings if m.kind == MeetingKind.THEMATIC]
    if thematic:
        items.extend(
            f"Sinh hoạt chuyên đề “{m.topic}” ngày {m.starts_at:%d/%m/%Y}." for m in thematic
        )
    for c in d.campaigns:
        if c.state == "open" and c.progress.submitted < c.progress.participants:
            due = f" trước ngày {c.submission_due:%d/%m/%Y}" if c.submission_due else ""
            items.append(
                f"Đôn đốc {c.progress.participants - c.progress.submitted} đồng chí nộp bài thu "
                f"hoạch {c.title}{due}."
            )
    waiting = d.feedback.waiting
    if waiting:
        items.append(f"Theo dõi, trả lời {waiting} ý kiến của đảng viên đang chờ.")
    not_using = d.board.required - d.board.using
    if not_using > 0:
        items.append(
            f"Tiếp tục hướng dẫn, hỗ trợ {not_using} đảng viên chưa sử dụng ứng dụng “Sổ tay "
            "đảng viên điện tử”, phấn đấu 100% đảng viên sử dụng."
        )
    if d.probation_due:
        items.append(f"Xét công nhận đảng viên chính thức cho đồng chí {_names(d.probation_due)}.")
    by_award: dict[dt.date, list[str]] = {}
    for b in d.badges:
        by_award.setdefault(b.award_date, []).append(f"{b.full_name} ({b.years} năm)")
    for award, names in sorted(by_award.items()):
        items.append(
            f"Đề nghị trao Huy hiệu Đảng dịp {milestones.occasion_label(award)} cho đồng chí "
            f"{', '.join(names)}."
        )
    return items


def _plan_section(d: Gathered) -> ReportSection:
    label = period_label(d.kind, d.next_start, d.next_end)
    items = _plan_items(d)
    return ReportSection(
        f"Phương hướng, nhiệm vụ {label}", "\n".join(f"{i + 1}. {t}" for i, t in enumerate(items))
    )


def _deployment_sections(d: Gathered, label: str) -> list[ReportSection]:
    b = d.board
    total = d.support_total
    in_period = d.support_period
    sections = [
        ReportSection(
            "",
            "Thực hiện Quy định số 339-QĐ/TW ngày 10/7/2025 của Ban Bí thư và kế hoạch của "
            f"{_dang_uy(d.committee)} về triển khai ứng dụng “Sổ tay đảng viên điện tử”, "
            f"{d.branch} báo cáo kết quả triển khai, sử dụng ứng dụng đến ngày "
            f"{d.today if d.today < d.end else d.end:%d/%m/%Y} như sau:",
        ),
        ReportSection("Công tác quán triệt, tuyên truyền", ""),
    ]
    not_using = b.required - b.using
    result = (
        f"Tổng số đảng viên phải sử dụng ứng dụng: {b.required} đồng chí (đảng viên chính thức, "
        f"dự bị, sinh hoạt tạm thời; không tính {b.exempt} đồng chí được miễn sinh hoạt).\n"
        f"- Đã đăng ký tài khoản: {b.registered} đồng chí ({_pct(b.registered, b.required)}).\n"
        f"- Đã được phê duyệt tài khoản, đang sử dụng: {b.approved} đồng chí "
        f"({_pct(b.approved, b.required)}).\n"
        f"- Chưa sử dụng: {not_using} đồng chí."
    )
    sections.append(
        ReportSection(
            "Kết quả cài đặt, đăng ký và sử dụng ứng dụng",
            result,
            ReportTable(
                ("Nội dung", "Số đảng viên", "Tỷ lệ"),
                (
                    ("Phải sử dụng", b.required, "100%" if b.required else "—"),
                    ("Đã đăng ký tài khoản", b.registered, _pct(b.registered, b.required)),
                    ("Đã được phê duyệt, đang sử dụng", b.approved, _pct(b.approved, b.required)),
                    ("Chưa sử dụng", not_using, _pct(not_using, b.required)),
                ),
            ),
        )
    )
    if total.sessions:
        acts = "; ".join(
            f"{support.SUPPORT_ACTIONS[a].lower()}: {total.by_action.get(a, 0)}"
            for a in support.SUPPORT_ACTIONS
            if total.by_action.get(a)
        )
        help_text = (
            f"Chi bộ đã tổ chức {total.sessions} buổi hỗ trợ đảng viên cao tuổi, đảng viên chưa "
            f"sử dụng thành thạo điện thoại thông minh ({in_period.sessions} buổi trong {label}), "
            f"hỗ trợ {total.members_helped} đồng chí: {acts}."
        )
    else:
        help_text = "Sổ chưa ghi buổi hỗ trợ đảng viên cao tuổi nào."
    sections.append(
        ReportSection(
            "Hỗ trợ đảng viên cao tuổi, đảng viên chưa có điện thoại thông minh", help_text
        )
    )
    hard: list[str] = []
    groups: dict[str, list[str]] = {}
    for r in b.not_yet:
        groups.setdefault(r.reason, []).append(r.full_name)
    for reason in _HARD_REASONS:
        names = groups.get(reason) or []
        if names:
            hard.append(f"- {support.REASONS[reason]}: {len(names)} đồng chí ({_names(names)}).")
    sections.append(
        ReportSection(
            "Khó khăn, vướng mắc",
            "\n".join(hard) if hard else "Không có khó khăn, vướng mắc.",
        )
    )
    steps = []
    if not_using > 0:
        steps.append(
            f"Tiếp tục hướng dẫn, hỗ trợ {not_using} đồng chí chưa sử dụng ứng dụng; phấn đấu "
            "100% đảng viên (trừ trường hợp được miễn sinh hoạt) sử dụng thành thạo ứng dụng."
        )
    if groups.get("awaiting_approval"):
        steps.append("Chi ủy phê duyệt các tài khoản đã đăng ký.")
    if b.next_session is not None:
        steps.append(
            f"Tổ chức buổi hỗ trợ ngày {b.next_session.held_on:%d/%m/%Y} tại {b.next_session.place}."
        )
    steps.append("Tích hợp việc sử dụng ứng dụng vào nội dung sinh hoạt chi bộ định kỳ.")
    sections.append(
        ReportSection(
            "Phương hướng thời gian tới", "\n".join(f"{i + 1}. {t}" for i, t in enumerate(steps))
        )
    )
    sections.append(ReportSection("Đề xuất, kiến nghị", ""))
    return sections


def draft_sections(d: Gathered) -> list[ReportSection]:
    label = period_label(d.kind, d.start, d.end)
    if d.kind == "deployment":
        return _deployment_sections(d, label)
    intro = ReportSection(
        "",
        f"{d.branch} báo cáo kết quả thực hiện nhiệm vụ {label} và phương hướng, nhiệm vụ "
        f"{period_label(d.kind, d.next_start, d.next_end)} như sau:",
    )
    if d.kind == "monthly":
        return [
            intro,
            _meetings_section(d, "tháng"),
            _study_section(d, "tháng"),
            _feedback_section(d, "tháng", list_items=True),
            _members_section(d, "tháng"),
            _plan_section(d),
            ReportSection("Đề xuất, kiến nghị", ""),
        ]
    word = "quý" if d.kind == "quarterly" else "năm"
    b = d.board
    deployment = ReportSection(
        "Triển khai ứng dụng “Sổ tay đảng viên điện tử”",
        f"Đảng viên đã đăng ký tài khoản: {b.registered}/{b.required} ({_pct(b.registered, b.required)}); "
        f"đã được phê duyệt, đang sử dụng: {b.approved}/{b.required} ({_pct(b.approved, b.required)}). "
        f"Trong {word}, chi bộ tổ chức {d.support_period.sessions} buổi hỗ trợ, hỗ trợ "
        f"{d.support_period.members_helped} đồng chí.",
    )
    return [
        intro,
        _months_section(d, word),
        _study_section(d, word),
        _feedback_section(d, word, list_items=False),
        _members_section(d, word),
        deployment,
        _plan_section(d),
        ReportSection("Đề xuất, kiến nghị", ""),
    ]


def report_figures(d: Gathered, notices: list[str]) -> dict[str, Any]:
    total = d.stats.total
    return {
        "as_of": d.today.isoformat(),
        "has_data": d.has_activity,
        "notices": notices,
        "meetings_held": len(d.stats.meetings),
        "chi_uy_meetings": len(d.chi_uy),
        "attendance": {
            "expected": total.expected,
            "present": total.present,
            "excused": total.excused,
            "unexcused": total.unexcused,
            "percent": round(total.percent, 1),
        },
        "study": [{"title": c.title, **c.progress.to_json()} for c in d.campaigns],
        "feedback": {
            "total": d.feedback.total,
            "by_kind": d.feedback.by_kind,
            "answered": d.feedback.answered,
            "forwarded": d.feedback.forwarded,
            "waiting": d.feedback.waiting,
        },
        "members": {
            "totals": d.members.totals,
            "admitted": len(d.members.admitted),
            "made_official": len(d.members.made_official),
            "left": {k: len(v) for k, v in d.members.left.items()},
        },
        "app": {
            "required": d.board.required,
            "registered": d.board.registered,
            "approved": d.board.approved,
            "using": d.board.using,
            "exempt": d.board.exempt,
        },
        "support": {
            "sessions": d.support_period.sessions,
            "members_helped": d.support_period.members_helped,
            "sessions_total": d.support_total.sessions,
            "members_helped_total": d.support_total.members_helped,
            "by_action": d.support_total.by_action,
        },
    }


def report_notices(d: Gathered) -> list[str]:
    label = period_label(d.kind, d.start, d.end)
    out: list[str] = []
    if d.kind == "deployment":
        if d.board.required == 0 and not d.support_total.sessions:
            out.append(
                "Sổ chưa có đảng viên nào phải sử dụng ứng dụng và chưa ghi buổi hỗ trợ nào, nên "
                "chưa có số liệu triển khai. Bản nháp đã được tạo; đồng chí nhập danh sách đảng "
                "viên hoặc tự điền nội dung báo cáo."
            )
    elif not d.has_activity:
        out.append(
            f"Trong {label}, sổ chưa có dữ liệu nào (cuộc họp, học tập nghị quyết, ý kiến đảng "
            "viên, biến động đảng viên, buổi hỗ trợ). Bản nháp đã được tạo với các mục để "
            "đồng chí tự điền."
        )
    if d.today < d.end:
        out.append(
            f"Kỳ báo cáo chưa kết thúc: số liệu tính đến hôm nay ({d.today:%d/%m/%Y}); nên cập "
            "nhật lại số liệu trước khi gửi."
        )
    return out


def default_recipients(kind: str, committee: str) -> list[str]:
    uy = _dang_uy(committee)
    if kind == "deployment":
        return [f"Ban Xây dựng đảng {uy} (b/c)", f"Văn phòng {uy} (b/c)", "Lưu chi bộ"]
    return [f"{uy} (b/c)", "Lưu chi bộ"]


def default_subtitle(kind: str, start: dt.date, end: dt.date) -> str:
    label = period_label(kind, start, end)
    nxt = period_label(kind, *next_period(kind, start, end))
    if kind == "deployment":
        return f"Kết quả triển khai, sử dụng ứng dụng “Sổ tay đảng viên điện tử” {label}"
    if kind == "yearly":
        return f"Tổng kết công tác {label} và phương hướng, nhiệm vụ {nxt}"
    return f"Kết quả thực hiện nhiệm vụ {label} và phương hướng, nhiệm vụ {nxt}"
