"""The placeholder each `sotay-server` option shows in `--help`: `--db CSDL`, not `--db DB`.

By dest; one concept, one word. app/arguments.py's `name_placeholders` fills them in once the
parser is built (the desktop's `sotay` has its own table, cli/placeholders.py, which the server
may not import). A `metavar=` given where the option is made wins, options with `choices` show
their codes. Acronyms (URL) stay as they are.
"""

from __future__ import annotations

import argparse

from app import arguments

PLACEHOLDERS: dict[str, str] = {
    "db": "CSDL",
    "code": "MÃ_CHI_BỘ",
    "branch": "MÃ_CHI_BỘ",
    "branch_label": "TÊN_CHI_BỘ",
    "name": "TÊN",
    "full_name": "HỌ_TÊN",
    "device_id": "MÃ_THIẾT_BỊ",
    "member_id": "MÃ_ĐẢNG_VIÊN",
    "feedback": "MÃ_Ý_KIẾN",
    "id": "MÃ_VĂN_BẢN",
    "report": "BÁO_CÁO",
    "file": "TỆP",
    "key_file": "TỆP",
    "host": "ĐỊA_CHỈ",
    "port": "CỔNG",
    "log_level": "MỨC",
    "workers": "SỐ_TIẾN_TRÌNH",
    "batch": "CỠ_LÔ",
    "valid_days": "SỐ_NGÀY",
    "issued_on": "NGÀY",
    "on": "NGÀY",
    "issuer": "CƠ_QUAN",
    "by": "NGƯỜI_TRẢ_LỜI",
    "number": "SỐ_HIỆU",
    "title": "TRÍCH_YẾU",
    "summary": "TÓM_TẮT",
    "tags": "NHÃN",
    "text": "NỘI_DUNG",
    "answer": "NỘI_DUNG",
    "note": "GHI_CHÚ",
    "type": "LOẠI",
    "status": "TRẠNG_THÁI",
    "version": "PHIÊN_BẢN",
}


def name_placeholders(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Every value of `parser` and its sub-commands gets its placeholder from PLACEHOLDERS."""
    return arguments.name_placeholders(parser, PLACEHOLDERS)
