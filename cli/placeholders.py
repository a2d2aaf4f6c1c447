"""The Vietnamese placeholder each option shows in `--help`: `--year NĂM`, not `--year YEAR`.

argparse names an option's value after its English `dest` (`--data-dir DATA_DIR`). Instead,
every command line gets its placeholders from the one table below, grouped by concept so that
one concept has one word in every command (all dates are NGÀY, all files TỆP…).
`name_placeholders(parser)` fills them in once the parser is built (app/arguments.py, shared
with `sotay-server`, which has its own table); a `metavar=` given in a command module wins (for
a `dest` that means something else there, such as `id`), and options with `choices` keep
showing their codes. tests/cli/test_cli_vietnamese.py checks that no option or argument of any
command is left with an English placeholder.

Only app/arguments.py (standard library) besides: `sotay --help` stays light.
"""

from __future__ import annotations

import argparse

from app import arguments

# placeholder -> the dests that show it
_BY_CONCEPT: dict[str, tuple[str, ...]] = {
    "THƯ_MỤC": ("data_dir",),
    "TỆP": ("file", "output", "pdf", "recovery_pdf", "ca_bundle"),
    "NGÀY": (
        "date", "birth", "admitted", "decision", "died", "official", "issued", "due",
        "deployment_due", "starts_on", "ends_on", "left_date",
    ),
    "NGÀY_GIỜ": ("at", "session"),
    "GIỜ": ("end",),
    "THÁNG": ("month", "from_month", "until"),
    "NĂM": ("year",),
    "KỲ": ("period",),
    "SỐ_TIỀN": ("amount", "income", "fixed_amount", "round_to"),
    "SỐ_THÁNG": ("months",),
    "PHẦN_TRĂM": ("retain",),
    "SỐ_LƯỢNG": ("limit", "batch_size"),
    "SỐ_DÒNG": ("header_row",),
    "SỐ": ("number",),
    "ĐIỂM": ("score",),
    "ĐẢNG_VIÊN": ("member",),
    "MÃ_ĐẢNG_VIÊN": ("member_id",),
    "MÃ_CUỘC_HỌP": ("meeting_id",),
    "MÃ_TÀI_LIỆU": ("document_id",),
    "MÃ_Ý_KIẾN": ("feedback_id",),
    "MÃ_BÁO_CÁO": ("report_id",),
    "MÃ_MỤC": ("op",),
    "MÃ": ("id",),
    "MÃ_ĐĂNG_KÝ": ("code",),
    "MÃ_KHÔI_PHỤC": ("recovery_key",),
    "MÃ_GIAO_DỊCH": ("ref",),
    "KÝ_HIỆU": ("receipt_series", "series"),
    "HỌ_TÊN": ("name", "chair", "secretary", "presenter", "helper", "guest"),
    "TÊN_MÁY": ("device_name",),
    "CHI_BỘ": ("branch", "branch_label"),
    "ĐẢNG_BỘ": ("committee",),
    "NƠI_CHUYỂN_ĐẾN": ("left_to",),
    "CƠ_QUAN": ("issuer",),
    "CẤP": ("by",),
    "ĐỊA_CHỈ": ("address",),
    "ĐỊA_ĐIỂM": ("place",),
    "LÝ_DO": ("reason", "amend_reason"),
    "GHI_CHÚ": ("note", "notes"),
    "NỘI_DUNG": ("content", "body", "text", "summary"),
    "TIÊU_ĐỀ": ("title", "subtitle"),
    "CHỦ_ĐỀ": ("topic",),
    "MỤC": ("agenda_item", "section"),
    "NGHỊ_QUYẾT": ("resolutions",),
    "NHÃN": ("tags",),
    "TỪ_KHÓA": ("search",),
    "LOẠI": ("kind", "entity"),
    "CÁCH_TÍNH": ("basis",),
    "DIỆN_MIỄN": ("exempt_kind",),
    "HÌNH_THỨC": ("via", "channel"),
    "KHOẢNG": ("window",),
    "GIỚI_TÍNH": ("gender",),
    "XẾP_LOẠI": ("grade",),
    "TRẠNG_THÁI": ("status",),
    "CHỨC_VỤ": ("position",),
    "CÓ_KHÔNG": ("serious_illness", "smartphone", "needs_support"),
    "SỐ_THẺ": ("card",),
    "SỐ_ĐỊNH_DANH": ("personal_id",),
    "SĐT": ("phone",),
    "TÀI_KHOẢN": ("account",),
    "TRANG_TÍNH": ("sheet",),
    "URL": ("server",),
}  # fmt: skip

PLACEHOLDERS: dict[str, str] = {dest: word for word, dests in _BY_CONCEPT.items() for dest in dests}


def name_placeholders(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Every value of `parser` and its sub-commands gets its placeholder from PLACEHOLDERS."""
    return arguments.name_placeholders(parser, PLACEHOLDERS)
