"""Which files to import from what was chosen or dropped, and what to say after."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from app.services.documents import ImportOutcome
from ui.qt import QtCore, Signal

# What the file dialog offers and a dropped folder gives: only what the library reads
# (app.documents.extract; tests/ui/test_document_formats.py imports a real file of each).
_GROUPS = (
    ("PDF", (".pdf",)),
    ("Word, LibreOffice, RTF", (".docx", ".doc", ".odt", ".rtf")),
    ("Bảng tính", (".xls", ".xlsx", ".ods")),
    ("Văn bản", (".txt", ".md")),
)
IMPORTABLE = {suffix for _label, suffixes in _GROUPS for suffix in suffixes}


def _patterns(suffixes: Sequence[str]) -> str:
    return " ".join(f"*{suffix}" for suffix in suffixes)


FILE_FILTER = ";;".join(
    [
        f"Tài liệu ({_patterns([s for _label, group in _GROUPS for s in group])})",
        *(f"{label} ({_patterns(group)})" for label, group in _GROUPS),
        "Mọi tệp (*)",
    ]
)


class ProgressRelay(QtCore.QObject):
    """Carries progress(done, total) from the import worker thread to the GUI thread."""

    progress = Signal(int, int)

    def __call__(self, done: int, total: int) -> None:
        self.progress.emit(done, total)


def importable_files(paths: Sequence[Path]) -> list[Path]:
    """Files to import from what was chosen or dropped; folders give their documents."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in IMPORTABLE)
            )
        else:
            out.append(path)
    return out


def import_note(outcome: ImportOutcome) -> str:
    if outcome.problem:
        return outcome.problem
    if outcome.recognised is not None and outcome.recognised.unaccented:
        return (
            "Văn bản bị mất dấu (có thể do quét OCR): chương trình đã đoán một số thông tin, "
            "hãy kiểm tra kỹ và sửa cho đúng."
        )
    return ""


def import_report(outcomes: Sequence[ImportOutcome]) -> tuple[str, str]:
    """(summary, details) about a batch import: the summary fits on one screen whatever the
    number of files; the details list every file that was skipped or needs a look."""
    imported = [o for o in outcomes if o.status == "imported"]
    no_text = [o for o in imported if o.problem]
    duplicates = [o for o in outcomes if o.status == "duplicate"]
    failed = [o for o in outcomes if o.status == "failed"]
    lines = [f"Đã nhập {len(imported)}/{len(outcomes)} tệp."]
    if duplicates:
        lines.append(f"Bỏ qua {len(duplicates)} tài liệu đã có trong thư viện.")
    if failed:
        lines.append(f"{len(failed)} tệp không nhập được.")
    if no_text:
        lines.append(f"{len(no_text)} tệp đã lưu nhưng không đọc được chữ (ví dụ bản quét).")
    details = import_summary(outcomes).split("\n", 1)
    if len(details) > 1 and (duplicates or failed or no_text):
        lines.append("Danh sách từng tệp ở phần chi tiết.")
        return "\n".join(lines), details[1].strip()
    return "\n".join(lines), ""


def import_summary(outcomes: Sequence[ImportOutcome]) -> str:
    """One readable message about a batch import, one line per file that needs a word."""
    imported = [o for o in outcomes if o.status == "imported"]
    lines = [f"Đã nhập {len(imported)}/{len(outcomes)} tệp."]
    no_text = [o for o in imported if o.problem]
    if no_text:
        lines.append("")
        lines.append("Lưu ý, không đọc được chữ (tệp vẫn được lưu):")
        lines.extend(f"• {o.filename}: {o.problem}" for o in no_text)
    duplicates = [o for o in outcomes if o.status == "duplicate"]
    if duplicates:
        lines.append("")
        lines.append("Đã có trong thư viện, không nhập lại:")
        lines.extend(f"• {o.message}" for o in duplicates)
    failed = [o for o in outcomes if o.status == "failed"]
    if failed:
        lines.append("")
        lines.append("Không nhập được:")
        lines.extend(f"• {o.filename}: {o.message}" for o in failed)
    return "\n".join(lines)
