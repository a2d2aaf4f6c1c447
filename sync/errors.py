"""What can go wrong while syncing, as messages for the secretary (Vietnamese).

`retry_later` tells the UI whether to simply try again later (network, server trouble) or
whether the secretary must act (enrol again, update the program, fix the address).
"""

from __future__ import annotations

from app.errors import KnownError


class SyncError(KnownError):
    exit_code = 6
    retry_later = False


class NotEnrolledError(SyncError):
    def __init__(self) -> None:
        super().__init__(
            "Máy này chưa đăng ký với máy chủ của Đảng ủy cấp trên. "
            "Hãy đăng ký bằng địa chỉ máy chủ và mã đăng ký được cấp (sotay enroll)."
        )


class ReEnrolRequired(SyncError):
    exit_code = 7

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(
            "Máy chủ không còn chấp nhận máy này (mã thiết bị bị thu hồi hoặc không hợp lệ). "
            "Vui lòng xin Đảng ủy cấp trên mã đăng ký mới và đăng ký lại. "
            "Các thay đổi chưa gửi vẫn được giữ nguyên trong sổ.",
            detail=detail,
        )


class ServerUnreachable(SyncError):
    retry_later = True

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(
            "Không kết nối được với máy chủ đồng bộ (mất mạng hoặc máy chủ không trả lời). "
            "Các thay đổi vẫn được giữ trong sổ và sẽ gửi lại khi có mạng.",
            detail=detail,
        )


class ServerTrouble(SyncError):
    retry_later = True

    def __init__(self, status: int, detail: str | None = None) -> None:
        super().__init__(
            f"Máy chủ đồng bộ đang gặp sự cố (mã {status}). "
            "Các thay đổi vẫn được giữ trong sổ; chương trình sẽ thử lại sau.",
            detail=detail,
        )
        self.status = status


class UnexpectedResponse(SyncError):
    """Not our server's JSON: typically a Wi-Fi login (captive portal) or proxy page."""

    retry_later = True

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(
            "Địa chỉ máy chủ trả về một trang không phải của máy chủ đồng bộ (có thể mạng Wi-Fi "
            "đang yêu cầu đăng nhập, hoặc địa chỉ máy chủ bị sai). Hãy mở trình duyệt để đăng "
            "nhập mạng hoặc kiểm tra lại địa chỉ. Không có dữ liệu nào bị mất.",
            detail=detail,
        )


class UpgradeRequired(SyncError):
    def __init__(self, detail: str | None = None) -> None:
        super().__init__(
            "Máy chủ yêu cầu phiên bản Sổ tay Chi bộ mới hơn để đồng bộ. "
            "Vui lòng cập nhật chương trình. Các thay đổi vẫn được giữ trong sổ.",
            detail=detail,
        )


class TlsError(SyncError):
    def __init__(self, detail: str | None = None) -> None:
        super().__init__(
            "Không xác minh được chứng chỉ bảo mật (HTTPS) của máy chủ. Nếu Đảng ủy cấp trên "
            "dùng chứng chỉ riêng, hãy khai báo tệp chứng chỉ gốc (--ca-bundle). "
            "Chưa có dữ liệu nào được gửi.",
            detail=detail,
        )


class ServerRefused(SyncError):
    """A 4xx the client cannot fix by itself; the server's own (Vietnamese) message is shown."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message or f"Máy chủ từ chối yêu cầu (mã {status}).", detail=code)
        self.status = status
        self.code = code


class TooManyAttempts(SyncError):
    """429: the server refuses more enrolment attempts from this address for a while."""

    def __init__(self, retry_after: int | None, message: str = "") -> None:
        wait = max(1, -(-(retry_after or 600) // 60))
        super().__init__(
            message
            or (
                "Đã nhập sai mã đăng ký quá nhiều lần. "
                f"Vui lòng đợi khoảng {wait} phút rồi thử lại, và kiểm tra kỹ mã do "
                "Đảng ủy cấp trên cấp."
            ),
            detail=f"retry_after={retry_after}",
        )
        self.retry_after = retry_after


class FileTooLarge(SyncError):
    """413 for a document's file: the server does not take files this large."""

    def __init__(self, message: str) -> None:
        super().__init__(message or "Tệp quá lớn, máy chủ không nhận.")
