"""The plain HTML overview page for the committee (no scripts, no external assets)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

STYLE = (
    "body{font-family:'Times New Roman',serif;font-size:18px;margin:2em;color:#222}"
    "table{border-collapse:collapse}th,td{border:1px solid #999;padding:.35em .7em}"
    "th{background:#eee}td.n{text-align:right}h1{font-size:1.4em}"
)


def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def _money(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _dues_rows(rows: list[dict[str, Any]], *, escape: Callable[[str], str]) -> str:
    out = []
    for row in rows:
        for m in row.get("dues", {}).get("months", []):
            year, month = m["month"][:4], m["month"][5:7]
            out.append(
                f"<tr><td>{escape(row['code'])}</td><td>{escape(row['name'])}</td>"
                f"<td>{int(month)}/{escape(year)}</td><td class=n>{_money(m['collected'])}</td>"
                f"<td class=n>{_money(m['remitted'])}</td></tr>"
            )
    return "".join(out) or "<tr><td colspan=5>Chưa có chi bộ nào gửi số liệu đảng phí.</td></tr>"


def overview_html(rows: list[dict[str, Any]], *, escape: Callable[[str], str]) -> str:
    body = []
    for row in rows:
        att = row["attendance"]
        body.append(
            "<tr>"
            f"<td>{escape(row['code'])}</td><td>{escape(row['name'])}</td>"
            f"<td>{escape(row['last_sync_at'] or 'chưa đồng bộ')}</td>"
            f"<td class=n>{row['members']}</td><td class=n>{row['meetings']}</td>"
            f"<td class=n>{row['documents']}</td><td class=n>{row['files']}</td>"
            f"<td class=n>{att['events']}</td>"
            f"<td class=n>{_pct(att['rate'])}</td><td class=n>{att['unexcused']}</td>"
            f"<td class=n>{row['devices']}</td>"
            "</tr>"
        )
    if not body:
        body.append("<tr><td colspan=11>Chưa có chi bộ nào.</td></tr>")
    dues = _dues_rows(rows, escape=escape)
    return (
        "<!doctype html><html lang=vi><head><meta charset=utf-8>"
        "<title>Tổng quan đồng bộ các chi bộ</title>"
        f"<style>{STYLE}</style></head><body>"
        "<h1>Tổng quan đồng bộ các chi bộ</h1>"
        "<table><thead><tr><th>Mã</th><th>Chi bộ</th><th>Đồng bộ lần cuối (UTC)</th>"
        "<th>Đảng viên</th><th>Cuộc họp</th><th>Văn bản</th><th>Tệp văn bản</th>"
        "<th>Lượt điểm danh</th>"
        "<th>Tỷ lệ có mặt</th><th>Vắng không lý do</th><th>Thiết bị</th></tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
        "<h2>Đảng phí các chi bộ theo tháng (đồng)</h2>"
        "<table><thead><tr><th>Mã</th><th>Chi bộ</th><th>Tháng</th><th>Đã thu</th>"
        "<th>Đã nộp lên cấp trên</th></tr></thead>"
        f"<tbody>{dues}</tbody></table>"
        "<p>Giao diện lập trình: <a href=/docs>/docs</a> · <a href=/openapi.json>openapi.json</a></p>"
        "</body></html>"
    )
