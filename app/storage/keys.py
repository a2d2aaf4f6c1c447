"""Envelope keys for the book.

A random 32-byte data key opens the SQLCipher database. It is never stored in the clear: the
key file holds it wrapped (AES-256-GCM) by
  * a key derived from the password with Argon2id,
  * a key derived from the printed recovery key (160 random bits, so HKDF suffices),
  * optionally a random key kept in the OS keyring ("Ghi nhớ trên máy này").
The key file also counts failed password attempts so each further try must wait longer.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import secrets
import time
import unicodedata
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.errors import BookError, KnownError, WrongPasswordError
from app.storage.files import fsync_dir, replace

KEYFILE_FORMAT = 1
DATA_KEY_BYTES = 32
KEYRING_SERVICE = "SoTayChiBo"

# Tuned on a 2-core office-class machine: about 0.25 s per derivation.
PRODUCTION_KDF = {"time_cost": 4, "memory_cost": 128 * 1024, "parallelism": 2}
# Only for the test suite (SOTAY_KDF_PROFILE=test); recorded in the key file like any other.
TEST_KDF = {"time_cost": 1, "memory_cost": 8 * 1024, "parallelism": 1}

# Failed-attempt policy: the first FREE_ATTEMPTS tries are free, then the wait doubles.
FREE_ATTEMPTS = 3
MAX_WAIT_SECONDS = 300.0

_RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no I, O, 0, 1: easy to read aloud


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))


def kdf_params() -> dict[str, int]:
    return dict(TEST_KDF if os.environ.get("SOTAY_KDF_PROFILE") == "test" else PRODUCTION_KDF)


def derive_password_key(password: str, salt: bytes, params: dict[str, int]) -> bytes:
    return hash_secret_raw(
        password.encode("utf-8"),
        salt,
        time_cost=params["time_cost"],
        memory_cost=params["memory_cost"],
        parallelism=params["parallelism"],
        hash_len=32,
        type=Type.ID,
    )


def new_recovery_key() -> str:
    """32 characters from a 32-letter alphabet (160 bits), shown as 8 groups of 4."""
    chars = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(32))
    return "-".join(chars[i : i + 4] for i in range(0, 32, 4))


def normalise_recovery_key(text: str) -> str:
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    if len(cleaned) != 32 or any(ch not in _RECOVERY_ALPHABET for ch in cleaned):
        raise WrongPasswordError(
            "Mã khôi phục không đúng dạng: cần 32 ký tự (8 nhóm 4 ký tự) như trên tờ đã in."
        )
    return cleaned


def derive_recovery_key(recovery_key: str, salt: bytes) -> bytes:
    material = normalise_recovery_key(recovery_key).encode("ascii")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"sotay-recovery").derive(
        material
    )


def _wrap(wrapping_key: bytes, data_key: bytes, aad: bytes) -> dict[str, str]:
    nonce = os.urandom(12)
    return {
        "nonce": _b64(nonce),
        "wrapped": _b64(AESGCM(wrapping_key).encrypt(nonce, data_key, aad)),
    }


def _unwrap(wrapping_key: bytes, slot: dict[str, Any], aad: bytes) -> bytes | None:
    try:
        return AESGCM(wrapping_key).decrypt(_unb64(slot["nonce"]), _unb64(slot["wrapped"]), aad)
    except (InvalidTag, KeyError, ValueError):
        return None


@dataclass
class KeyFile:
    path: Path
    book_id: str
    slots: dict[str, dict[str, Any]] = field(default_factory=dict)
    failed_attempts: int = 0
    last_failed_at: float = 0.0
    created_at: str = ""

    # -- persistence -------------------------------------------------------------------
    @classmethod
    def load(cls, path: Path) -> KeyFile:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise BookError("Không tìm thấy tệp khóa của sổ (book.keys).") from exc
        except (OSError, ValueError) as exc:
            raise BookError("Tệp khóa của sổ (book.keys) bị hỏng, không đọc được.") from exc
        if not isinstance(raw, dict) or raw.get("format") != KEYFILE_FORMAT:
            raise BookError("Tệp khóa của sổ thuộc định dạng không hỗ trợ.")
        return cls(
            path=path,
            book_id=str(raw["book_id"]),
            slots=dict(raw.get("slots", {})),
            failed_attempts=int(raw.get("failed_attempts", 0)),
            last_failed_at=float(raw.get("last_failed_at", 0.0)),
            created_at=str(raw.get("created_at", "")),
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": KEYFILE_FORMAT,
                "book_id": self.book_id,
                "created_at": self.created_at,
                "slots": self.slots,
                "failed_attempts": self.failed_attempts,
                "last_failed_at": self.last_failed_at,
            },
            indent=2,
        )

    def save(self) -> None:
        """Atomic replace, so a power cut never leaves a half-written key file."""
        tmp = self.path.with_suffix(".keys.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(self.to_json())
            fh.flush()
            os.fsync(fh.fileno())  # on the writing handle (Windows needs write access)
        replace(tmp, self.path)  # retried while an antivirus holds the old file
        fsync_dir(self.path.parent)

    # -- creating ----------------------------------------------------------------------
    @classmethod
    def create(cls, path: Path, data_key: bytes, password: str) -> tuple[KeyFile, str]:
        kf = cls(
            path=path, book_id=str(uuid.uuid4()), created_at=time.strftime("%Y-%m-%dT%H:%M:%S")
        )
        kf.set_password(data_key, password)
        recovery = new_recovery_key()
        kf.set_recovery(data_key, recovery)
        return kf, recovery

    def _aad(self, slot: str) -> bytes:
        return f"{self.book_id}:{slot}".encode()

    def set_password(self, data_key: bytes, password: str) -> None:
        params = kdf_params()
        salt = os.urandom(16)
        # NFC: "Mật khẩu" typed composed or decomposed (Unikey "tổ hợp") is one password.
        wrapping = derive_password_key(unicodedata.normalize("NFC", password), salt, params)
        self.slots["password"] = {
            "kdf": "argon2id",
            "normal_form": "NFC",
            **params,
            "salt": _b64(salt),
            **_wrap(wrapping, data_key, self._aad("password")),
        }

    def set_recovery(self, data_key: bytes, recovery_key: str) -> None:
        salt = os.urandom(16)
        wrapping = derive_recovery_key(recovery_key, salt)
        self.slots["recovery"] = {
            "kdf": "hkdf-sha256",
            "salt": _b64(salt),
            **_wrap(wrapping, data_key, self._aad("recovery")),
        }

    # -- opening -----------------------------------------------------------------------
    def wait_seconds(self, now: float | None = None) -> float:
        """How long the user must still wait before the next password try."""
        if self.failed_attempts < FREE_ATTEMPTS:
            return 0.0
        delay = min(MAX_WAIT_SECONDS, 2.0 ** (self.failed_attempts - FREE_ATTEMPTS + 1))
        remaining = self.last_failed_at + delay - (now if now is not None else time.time())
        return max(0.0, remaining)

    def _check_wait(self) -> None:
        wait = self.wait_seconds()
        if wait > 0:
            raise WrongPasswordError(
                f"Đã nhập sai {self.failed_attempts} lần. Vui lòng đợi {int(wait + 0.999)} giây "
                "rồi thử lại.",
                wait_seconds=wait,
            )

    def _record_failure(self) -> None:
        self.failed_attempts += 1
        self.last_failed_at = time.time()
        self.save()

    def _record_success(self) -> None:
        if self.failed_attempts:
            self.failed_attempts = 0
            self.last_failed_at = 0.0
            self.save()

    def unlock_with_password(self, password: str) -> bytes:
        self._check_wait()
        slot = self.slots.get("password")
        if not slot:
            raise BookError("Sổ này chưa có mật khẩu; hãy dùng mã khôi phục.")
        params = {k: int(slot[k]) for k in ("time_cost", "memory_cost", "parallelism")}
        salt = _unb64(slot["salt"])
        composed = unicodedata.normalize("NFC", password)
        data_key = _unwrap(derive_password_key(composed, salt, params), slot, self._aad("password"))
        if slot.get("normal_form") != "NFC":
            # A book made before passwords were normalised holds the password as it was
            # typed then (composed or decomposed): try those forms, and keep NFC from now on.
            if data_key is not None:
                slot["normal_form"] = "NFC"  # it was composed already: only say so
                self.save()
            else:
                for form in dict.fromkeys((password, unicodedata.normalize("NFD", password))):
                    if form == composed:
                        continue
                    key = derive_password_key(form, salt, params)
                    data_key = _unwrap(key, slot, self._aad("password"))
                    if data_key is not None:
                        self.set_password(data_key, composed)  # re-wrapped in NFC
                        self.save()
                        break
        if data_key is None:
            self._record_failure()
            more = self.wait_seconds()
            hint = f" Lần thử tiếp theo sau {int(more + 0.999)} giây." if more > 0 else ""
            raise WrongPasswordError("Mật khẩu không đúng." + hint, wait_seconds=more)
        self._record_success()
        return data_key

    def unlock_with_recovery(self, recovery_key: str) -> bytes:
        self._check_wait()
        slot = self.slots.get("recovery")
        if not slot:
            raise BookError("Sổ này không có mã khôi phục.")
        wrapping = derive_recovery_key(recovery_key, _unb64(slot["salt"]))
        data_key = _unwrap(wrapping, slot, self._aad("recovery"))
        if data_key is None:
            self._record_failure()
            raise WrongPasswordError("Mã khôi phục không đúng với sổ này.")
        self._record_success()
        return data_key

    # -- OS keyring ("Ghi nhớ trên máy này") -------------------------------------------
    def remember_on_this_computer(self, data_key: bytes) -> None:
        wrapping = os.urandom(32)
        keyring_set(self.book_id, _b64(wrapping))
        self.slots["keyring"] = {
            "service": KEYRING_SERVICE,
            **_wrap(wrapping, data_key, self._aad("keyring")),
        }
        self.save()

    def forget_on_this_computer(self) -> None:
        self.slots.pop("keyring", None)
        self.save()
        keyring_delete(self.book_id)

    def unlock_with_keyring(self) -> bytes | None:
        slot = self.slots.get("keyring")
        if not slot:
            return None
        stored = keyring_get(self.book_id)
        if not stored:
            return None
        return _unwrap(_unb64(stored), slot, self._aad("keyring"))


class KeyringUnavailable(KnownError):
    pass


NO_KEYRING_MESSAGE = (
    "Máy này không có nơi cất mật khẩu an toàn, nên không ghi nhớ được mật khẩu. "
    "Sổ vẫn mở bằng mật khẩu như thường."
)
# {name} is the store's plain name from BACKEND_LABELS (never a Python class name).
PLAINTEXT_KEYRING_MESSAGE = (
    "Máy này không có nơi cất mật khẩu an toàn, nên không ghi nhớ được mật khẩu (nơi cất hiện "
    "có là {name}: không mã hóa hoặc cần mật khẩu riêng). Sổ vẫn mở bằng mật khẩu như thường."
)

# What each keyring backend is called in front of the secretary.
BACKEND_LABELS: dict[tuple[str, str], str] = {
    ("keyring.backends.Windows", "WinVaultKeyring"): (
        "Trình quản lý thông tin đăng nhập của Windows"
    ),
    ("keyring.backends.macOS", "Keyring"): "Chuỗi khóa (Keychain) của macOS",
    ("keyring.backends.SecretService", "Keyring"): "kho mật khẩu của máy (Secret Service)",
    ("keyring.backends.libsecret", "Keyring"): "kho mật khẩu của máy (Secret Service)",
    ("keyring.backends.kwallet", "DBusKeyring"): "ví mật khẩu KWallet",
    ("keyring.backends.kwallet", "DBusKeyringKWallet4"): "ví mật khẩu KWallet",
    ("keyrings.alt.file", "PlaintextKeyring"): "một tệp thường",
    ("keyrings.alt.file", "EncryptedKeyring"): "một tệp cần mật khẩu riêng",
    ("keyring.backends.null", "Keyring"): "không có nơi cất mật khẩu",
    ("keyring.backends.fail", "Keyring"): "không có nơi cất mật khẩu",
}
UNKNOWN_BACKEND_LABEL = "nơi cất mật khẩu không rõ loại"


def backend_label(backend: object) -> str:
    """The keyring backend's plain Vietnamese name, for messages shown to the secretary."""
    key = (type(backend).__module__, type(backend).__qualname__)
    return BACKEND_LABELS.get(key, UNKNOWN_BACKEND_LABEL)


# Only the operating system's own encrypted stores may hold the wrapping key. Anything else
# (keyrings.alt's PlaintextKeyring writes it base64 in a file; its EncryptedKeyring asks for
# its own password on the console) would let the book open with no password at all.
ENCRYPTING_BACKENDS = frozenset(
    {
        ("keyring.backends.Windows", "WinVaultKeyring"),  # Windows Credential Manager
        ("keyring.backends.macOS", "Keyring"),  # macOS Keychain
        ("keyring.backends.SecretService", "Keyring"),  # GNOME Keyring and the like
        ("keyring.backends.libsecret", "Keyring"),  # the same store through libsecret
        ("keyring.backends.kwallet", "DBusKeyring"),  # KWallet
        ("keyring.backends.kwallet", "DBusKeyringKWallet4"),
    }
)


def _chosen_backend() -> tuple[Any | None, str | None]:
    """The keyring backend that would hold the key, and why it may not (None when it may)."""
    try:
        import keyring
        from keyring.backends import chainer, fail

        backend: Any = keyring.get_keyring()
        if isinstance(backend, chainer.ChainerBackend):
            # The chainer writes to its first (highest-priority) member: that one must encrypt.
            members = list(backend.backends)
            if not members:
                return None, NO_KEYRING_MESSAGE
            backend = members[0]
        if isinstance(backend, fail.Keyring):
            return None, NO_KEYRING_MESSAGE
    except Exception:
        return None, NO_KEYRING_MESSAGE
    if (type(backend).__module__, type(backend).__qualname__) not in ENCRYPTING_BACKENDS:
        return None, PLAINTEXT_KEYRING_MESSAGE.format(name=backend_label(backend))
    try:
        priority = getattr(backend, "priority", 1)  # <= 0: present but not usable here
    except Exception:
        return None, NO_KEYRING_MESSAGE
    if priority is not None and priority <= 0:
        return None, NO_KEYRING_MESSAGE
    return backend, None


def keyring_refusal() -> str | None:
    """Why "Ghi nhớ trên máy này" is off on this computer (Vietnamese), or None when it is on."""
    return _chosen_backend()[1]


def keyring_available() -> bool:
    return _chosen_backend()[0] is not None


def keyring_set(account: str, secret: str) -> None:
    backend, refusal = _chosen_backend()
    if backend is None:
        raise KeyringUnavailable(refusal or NO_KEYRING_MESSAGE)
    from keyring.errors import KeyringError

    try:
        backend.set_password(KEYRING_SERVICE, account, secret)
    except KeyringError as exc:
        raise KeyringUnavailable(NO_KEYRING_MESSAGE) from exc


def keyring_get(account: str) -> str | None:
    backend, _ = _chosen_backend()
    if backend is None:
        return None
    from keyring.errors import KeyringError

    try:
        value = backend.get_password(KEYRING_SERVICE, account)
    except KeyringError:
        return None
    return value if isinstance(value, str) else None


def keyring_delete(account: str) -> None:
    backend, _ = _chosen_backend()
    if backend is None:
        return
    from keyring.errors import KeyringError, PasswordDeleteError

    with contextlib.suppress(PasswordDeleteError, KeyringError):
        backend.delete_password(KEYRING_SERVICE, account)


def password_strength(password: str) -> tuple[int, str]:
    """0..4 and a Vietnamese hint, for the wizard's strength meter."""
    score = 0
    if len(password) >= 8:
        score += 1
    if len(password) >= 12:
        score += 1
    classes = sum(
        [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
    )
    if classes >= 2:
        score += 1
    if classes >= 3 and len(password) >= 10:
        score += 1
    hints = {
        0: "Rất yếu: cần ít nhất 8 ký tự.",
        1: "Yếu: nên dài hơn và có cả chữ, số.",
        2: "Trung bình: thêm chữ hoa, số hoặc ký hiệu.",
        3: "Khá mạnh.",
        4: "Mạnh.",
    }
    return score, hints[score]


MIN_PASSWORD_LENGTH = 8
