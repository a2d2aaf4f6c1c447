"""The yearly dues book's legend (Ghi chú): one text for the printed book
(reports/dues.py) and the Excel book (app/exporters/dues_xlsx.py).

It lives here, outside app.services, because the PDF renderers take plain data and import no
service (tests/app/test_layers.py), and app/ never imports reports/.
"""

from __future__ import annotations

from collections.abc import Iterable

UNTRACKED_MARK = "—"

LEGEND = (
    "Ghi chú: số trong ô là số tiền đã đóng (đồng); “Miễn”: được miễn đóng; “LD”: chưa đóng, "
    "có lý do; ô trống: chưa đóng."
)
LEGEND_UNTRACKED = (
    f"“{UNTRACKED_MARK}”: chưa theo dõi trên sổ (trước mức đóng đầu tiên ghi trên sổ, chưa "
    "sinh hoạt hay đã thôi sinh hoạt ở chi bộ): không tính là nợ."
)


def year_book_legend(marks: Iterable[str]) -> str:
    """The legend under a book whose cells show `marks`: the “—” line only when one shows."""
    if any(mark == UNTRACKED_MARK for mark in marks):
        return f"{LEGEND} {LEGEND_UNTRACKED}"
    return LEGEND
