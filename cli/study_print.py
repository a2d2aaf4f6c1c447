"""The study campaign's results report as PDF (reports.table_report), for the CLI and the UI."""

from __future__ import annotations

from app.services.study import StudyReport


def study_report_pdf(report: StudyReport, *, large_print: bool = False) -> bytes:
    from reports.layout import DocHeader, Signer
    from reports.table_report import TableReport, table_report_pdf

    c = report.campaign
    subtitle_lines = [line for line in c.resolutions.split("\n") if line.strip()]
    if c.period_label:
        subtitle_lines.append(f"(Thời gian: {c.period_label})")
    table = TableReport(
        title="BÁO CÁO\nKẾT QUẢ HỌC TẬP, QUÁN TRIỆT NGHỊ QUYẾT",
        subtitle=c.title,
        subtitle_lines=subtitle_lines,
        header=DocHeader(
            committee=report.committee,
            branch=report.branch_name,
            place=report.place_name,
            date=report.made_on,
        ),
        columns=list(report.COLUMNS),
        rows=report.table_rows(),
        totals=report.totals_row(),
        weights=(0.6, 3.2, 1.2, 1.5, 1.2, 0.8, 2.2),
        align=("center", "left", "center", "center", "center", "center", "left"),
        notes="\n\n".join(report.summary_lines()),
        signer=Signer(role="Bí thư", name=report.secretary_name, on_behalf="T/M Chi bộ"),
        recipients=("Đảng ủy cấp trên (để báo cáo)", "Lưu chi bộ"),
    )
    return table_report_pdf(table, large_print=large_print)
