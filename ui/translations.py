"""Vietnamese for Qt's own strings: file dialogs, message-box buttons, context menus, wizards.

Qt ships no Vietnamese translation, so the program carries its own: `QtVietnamese` is a
QTranslator answering from the table below. The source strings and contexts are Qt's own
(`QCoreApplication::translate(context, source)` in qtbase, as listed in qtbase_*.ts);
a string missing here simply stays English.

File dialogs: on Windows the native dialog is used (Windows' own dialog is already in the
user's language and has the familiar places bar). Elsewhere (Linux desktops used for testing
and by a few branches) the native dialog follows the desktop's language, which is often
English, so Qt's own dialog is used there and translated from this table.

`install_vietnamese(app)` also sets QLocale(Vietnamese, Vietnam) as the default, so calendars
show Vietnamese month and day names, weeks start on Monday and numbers read "1.234,5".
"""

from __future__ import annotations

import sys

from ui.qt import QtCore, QtWidgets

# Text shared by several contexts (the same English word means the same thing everywhere).
_COMMON: dict[str, str] = {
    # Standard buttons (QPlatformTheme::defaultStandardButtonText) and QDialogButtonBox.
    "OK": "Đồng ý",
    "&OK": "Đồng ý",
    "Open": "Mở",
    "&Open": "&Mở",
    "Save": "Lưu",
    "&Save": "&Lưu",
    "Cancel": "Hủy",
    "&Cancel": "&Hủy",
    "Close": "Đóng",
    "&Close": "Đó&ng",
    "Discard": "Bỏ thay đổi",
    "Don't Save": "Không lưu",
    "Apply": "Áp dụng",
    "Reset": "Đặt lại",
    "Restore Defaults": "Khôi phục mặc định",
    "Help": "Trợ giúp",
    "&Help": "&Trợ giúp",
    "Save All": "Lưu tất cả",
    "&Yes": "&Có",
    "Yes": "Có",
    "Yes to &All": "Có với &tất cả",
    "&No": "&Không",
    "No": "Không",
    "N&o to All": "Khô&ng với tất cả",
    "Abort": "Dừng",
    "Retry": "Thử lại",
    "Ignore": "Bỏ qua",
    # QMessageBox
    "Show Details...": "Xem chi tiết…",
    "Hide Details...": "Ẩn chi tiết…",
    "About Qt": "Giới thiệu Qt",
    # Edit context menus (QLineEdit, QWidgetTextControl, QAbstractSpinBox)
    "&Undo": "&Hoàn tác",
    "&Redo": "&Làm lại",
    "Cu&t": "&Cắt",
    "&Copy": "&Sao chép",
    "&Paste": "&Dán",
    "Delete": "Xóa",
    "Select All": "Chọn tất cả",
    "&Select All": "&Chọn tất cả",
    "Copy &Link Location": "Sao chép địa chỉ &liên kết",
    "&Step up": "&Tăng",
    "Step &down": "&Giảm",
    # QWizard
    "< &Back": "< &Quay lại",
    "&Next >": "&Tiếp >",
    "&Next": "&Tiếp",
    "&Finish": "&Hoàn tất",
    "Commit": "Xác nhận",
    "Continue": "Tiếp tục",
    "Done": "Xong",
    "Go Back": "Quay lại",
    # QFileDialog
    "Look in:": "Tìm trong:",
    "&Look in:": "&Tìm trong:",
    "File &name:": "&Tên tệp:",
    "File name:": "Tên tệp:",
    "Files of type:": "Loại tệp:",
    "Files of &type:": "&Loại tệp:",
    "Directory:": "Thư mục:",
    "&Choose": "&Chọn",
    "Choose": "Chọn",
    "Back": "Quay lại",
    "Forward": "Tiến tới",
    "Go back": "Quay lại",
    "Go forward": "Tiến tới",
    "Parent Directory": "Thư mục cha",
    "Go to the parent directory": "Lên thư mục cha",
    "Create New Folder": "Tạo thư mục mới",
    "Create a New Folder": "Tạo một thư mục mới",
    "New Folder": "Thư mục mới",
    "&New Folder": "Thư mục &mới",
    "List View": "Xem dạng danh sách",
    "Detail View": "Xem chi tiết",
    "Change to list view mode": "Chuyển sang xem dạng danh sách",
    "Change to detail view mode": "Chuyển sang xem chi tiết",
    "Sidebar": "Thanh bên",
    "List of places and bookmarks": "Các nơi hay dùng",
    "Show ": "Hiện ",
    "Show &hidden files": "Hiện tệp ẩ&n",
    "&Rename": "Đổi &tên",
    "&Delete": "&Xóa",
    "Remove": "Bỏ khỏi danh sách",
    "Files": "Tệp",
    "Directories": "Thư mục",
    "All Files (*)": "Mọi tệp (*)",
    "All files (*)": "Mọi tệp (*)",
    "Save As": "Lưu thành",
    "Find Directory": "Chọn thư mục",
    "My Computer": "Máy tính",
    "Computer": "Máy tính",
    "Recent Places": "Nơi mở gần đây",
    "%1 already exists.\nDo you want to replace it?": "Tệp %1 đã có.\nĐồng chí có muốn ghi đè lên tệp đó không?",
    "'%1' is write protected.\nDo you want to delete it anyway?": (
        "“%1” đang được bảo vệ chống ghi.\nĐồng chí vẫn muốn xóa?"
    ),
    "Are you sure you want to delete '%1'?": "Đồng chí có chắc muốn xóa “%1”?",
    "Could not delete directory.": "Không xóa được thư mục.",
    "%1\nFile not found.\nPlease verify the correct file name was given.": (
        "%1\nKhông tìm thấy tệp.\nHãy kiểm tra lại tên tệp."
    ),
    "%1\nDirectory not found.\nPlease verify the correct directory name was given.": (
        "%1\nKhông tìm thấy thư mục.\nHãy kiểm tra lại tên thư mục."
    ),
    # QFileSystemModel and the file icon provider (columns and the Type column's values)
    "Name": "Tên",
    "Size": "Cỡ",
    "Type": "Loại",
    "Kind": "Loại",
    "Date Modified": "Ngày sửa",
    "Invalid filename": "Tên tệp không hợp lệ",
    '<b>The name "%1" cannot be used.</b><p>Try using another name, with fewer characters or no punctuation marks.': (
        "<b>Không dùng được tên “%1”.</b><p>Hãy đặt tên khác, ngắn hơn hoặc không có dấu câu."
    ),
    "%1 File": "Tệp %1",
    "File": "Tệp",
    "File Folder": "Thư mục",
    "Folder": "Thư mục",
    "Drive": "Ổ đĩa",
    "Unknown": "Không rõ",
    "Alias": "Lối tắt",
    "Shortcut": "Lối tắt",
    # QCalendarWidget (tooltips and accessible names of its navigation bar)
    "Previous Month": "Tháng trước",
    "Next Month": "Tháng sau",
    "Today": "Hôm nay",
    "Week": "Tuần",
    # QColorDialog
    "Select Color": "Chọn màu",
    "&Basic colors": "Màu &cơ bản",
    "&Custom colors": "Màu &tự chọn",
    "&Add to Custom Colors": "&Thêm vào màu tự chọn",
    "&Pick Screen Color": "&Lấy màu trên màn hình",
    "Hu&e:": "Sắ&c độ:",
    "&Sat:": "Độ &bão hòa:",
    "&Val:": "Độ &sáng:",
    "&Red:": "Đỏ:",
    "&Green:": "Xanh lá:",
    "Bl&ue:": "Xanh lam:",
    "A&lpha channel:": "Độ &trong:",
    "&HTML:": "&HTML:",
    # QErrorMessage, QInputDialog
    "&Show this message again": "&Hiện lại thông báo này",
    "Enter a value:": "Nhập giá trị:",
}

# The Qt classes whose strings the table covers. QShortcut and key names are left alone:
# shortcuts are shown as on the keyboard ("Ctrl+L").
_CONTEXTS = frozenset(
    {
        "QPlatformTheme",
        "QDialogButtonBox",
        "QMessageBox",
        "QLineEdit",
        "QWidgetTextControl",
        "QTextControl",
        "QAbstractSpinBox",
        "QWizard",
        "QFileDialog",
        "QFileSystemModel",
        "QAbstractFileIconProvider",
        "QFileIconProvider",
        "QSidebar",
        "QCalendarWidget",
        "QColorDialog",
        "QErrorMessage",
        "QInputDialog",
        "QProgressDialog",
    }
)


def qt_text(context: str, source: str) -> str | None:
    """The Vietnamese for one of Qt's strings, or None when the table has none."""
    if context not in _CONTEXTS:
        return None
    return _COMMON.get(source)


class QtVietnamese(QtCore.QTranslator):
    """A translator answering from the table above (no .qm file to build or ship)."""

    def translate(
        self,
        context: str,
        source_text: str,
        disambiguation: str | None = None,
        n: int = -1,
    ) -> str | None:
        return qt_text(context, source_text)

    def isEmpty(self) -> bool:
        return False

    def language(self) -> str:
        return "vi_VN"


VIETNAMESE = QtCore.QLocale(QtCore.QLocale.Language.Vietnamese, QtCore.QLocale.Country.Vietnam)


def install_vietnamese(app: QtWidgets.QApplication) -> QtVietnamese:
    """Vietnamese for Qt's own dialogs and the Vietnamese locale; safe to call twice."""
    existing = getattr(app, "sotay_translator", None)
    if isinstance(existing, QtVietnamese):
        return existing
    QtCore.QLocale.setDefault(VIETNAMESE)
    translator = QtVietnamese(app)
    app.installTranslator(translator)
    app.sotay_translator = translator  # type: ignore[attr-defined]
    if sys.platform != "win32":
        app.setAttribute(QtCore.Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)
    return translator
