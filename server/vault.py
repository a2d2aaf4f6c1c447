"""The server key and the columns sealed with it (docs/security-model.md, "The committee's server").

What the branches send about people (names, số định danh, phone numbers, addresses, and what
is derived from them such as name_search/name_sort) lives in JSON columns: the records, their
kept versions, what the committee publishes, and the stored answers of batches (a conflict
quotes the server's copy). Those columns are `SealedText`: AES-256-GCM with a 32-byte key that
is never stored in the database. A dump of the database (SQLite file, WAL, `pg_dump`) holds
only `enc1:` strings there. Each value names the key that sealed it (`enc1:<key tag>:`), so
`sotay-server key rotate` (server/keys.py) can re-seal them under a new key a batch at a time.

The key comes from, in order: SOTAY_SERVER_KEY (base64 of 32 bytes), the file named by
SOTAY_SERVER_KEY_FILE, or a default file — beside the SQLite file (`<db file>.key`), or
`server.key` in the user's configuration folder for PostgreSQL. A missing file is created
(0600) on first start. The database remembers only the key's fingerprint, so a wrong key is
refused at start instead of failing on the first read.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import os
import secrets
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from app.errors import KnownError

PREFIX = "enc1:"
KEY_BYTES = 32
NONCE_BYTES = 12
AAD = b"sotay-server/v1"
ENV_KEY = "SOTAY_SERVER_KEY"
ENV_KEY_FILE = "SOTAY_SERVER_KEY_FILE"


class ServerKeyError(KnownError):
    """The server key is missing, unreadable or not the one this database was sealed with."""


class Vault:
    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ServerKeyError("Khóa máy chủ phải dài đúng 32 byte.")
        self._aead = AESGCM(key)
        self.key_id = hashlib.sha256(b"sotay-server-key-id\0" + key).hexdigest()[:32]
        self.tag = self.key_id[:8]
        _LOADED[self.tag] = self

    def seal(self, text: str) -> str:
        """`enc1:<key tag>:<base64 of nonce + ciphertext>`; the tag names the key, not it."""
        nonce = os.urandom(NONCE_BYTES)
        data = self._aead.encrypt(nonce, text.encode("utf-8"), AAD)
        return f"{PREFIX}{self.tag}:{base64.b64encode(nonce + data).decode('ascii')}"

    def open(self, stored: str) -> str:
        if not stored.startswith(PREFIX):
            return stored  # written before sealing existed; sealed again at the next start
        tag, _, body = stored[len(PREFIX) :].partition(":")
        vault = self if tag == self.tag else _LOADED.get(tag)
        if vault is None:
            raise ServerKeyError(
                "Dữ liệu này được mã hóa bằng một khóa máy chủ khác với khóa đang dùng."
            )
        try:
            raw = base64.b64decode(body, validate=True)
            return vault._aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], AAD).decode("utf-8")
        except (binascii.Error, InvalidTag, ValueError) as exc:
            raise ServerKeyError(
                "Không giải mã được dữ liệu của máy chủ: khóa máy chủ không đúng hoặc dữ liệu "
                "đã bị sửa."
            ) from exc


# Every key loaded in this process, by tag: an engine made outside `Database` (a script, a
# test reading the tables) can still open what this process's servers sealed.
_LOADED: dict[str, Vault] = {}


def vault_of(dialect: Dialect) -> Vault:
    vault: Vault | None = getattr(dialect, "sotay_vault", None)
    if vault is not None:
        return vault
    if _LOADED:
        return next(reversed(_LOADED.values()))
    if os.environ.get(ENV_KEY) or os.environ.get(ENV_KEY_FILE):
        path = os.environ.get(ENV_KEY_FILE)
        if os.environ.get(ENV_KEY) or (path and Path(path).exists()):
            return Vault(load_key("", None))
    raise ServerKeyError("Máy chủ chưa nạp khóa mã hóa dữ liệu (SOTAY_SERVER_KEY_FILE).")


class SealedText(TypeDecorator[str]):
    """A text column stored sealed with the server key of the engine it goes through."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return vault_of(dialect).seal(str(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return vault_of(dialect).open(str(value))


# -- where the key lives ---------------------------------------------------------------------
def default_key_file(db_url: str) -> Path:
    if db_url.startswith("sqlite:///") and db_url != "sqlite:///:memory:":
        db_file = Path(db_url.removeprefix("sqlite:///"))
        return db_file.with_name(db_file.name + ".key")
    from platformdirs import user_config_dir

    return Path(user_config_dir("sotay-server")) / "server.key"


def _decode(text: str, where: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ServerKeyError(f"Khóa máy chủ trong {where} không phải base64 hợp lệ.") from exc
    if len(key) != KEY_BYTES:
        raise ServerKeyError(f"Khóa máy chủ trong {where} phải là 32 byte (base64).")
    return key


def _create_key_file(path: Path) -> None:
    """Write a new random key, atomically: with several workers starting at once, exactly
    one file wins and every worker reads that one."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii") + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def key_path(db_url: str, key_file: str | Path | None = None) -> Path | None:
    """The file the key is read from, or None when it comes from SOTAY_SERVER_KEY."""
    if os.environ.get(ENV_KEY) and key_file is None:
        return None
    return Path(key_file or os.environ.get(ENV_KEY_FILE) or default_key_file(db_url)).expanduser()


def load_key(db_url: str, key_file: str | Path | None = None) -> bytes:
    path = key_path(db_url, key_file)
    if path is None:
        return _decode(os.environ[ENV_KEY], f"biến môi trường {ENV_KEY}")
    if not path.exists():
        try:
            _create_key_file(path)
        except OSError as exc:
            raise ServerKeyError(
                f"Không tạo được tệp khóa máy chủ {path}: {exc.strerror}."
            ) from exc
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise ServerKeyError(f"Không đọc được tệp khóa máy chủ {path}.") from exc
    return _decode(text, f"tệp {path}")


# -- rotation (server/keys.py): the key file's companions ------------------------------------
NEW_SUFFIX = ".new"  # the next key while a rotation is under way
OLD_SUFFIX = ".old"  # the previous key, kept after a rotation until the operator removes it


def companion(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def create_key_file(path: Path) -> None:
    """A new random key in `path` (owner-only, atomic); an existing file is left as it is."""
    try:
        _create_key_file(path)
    except OSError as exc:
        raise ServerKeyError(f"Không tạo được tệp khóa máy chủ {path}: {exc.strerror}.") from exc


def read_key_file(path: Path) -> Vault | None:
    """The key in `path`, or None when there is no such file."""
    if not path.exists():
        return None
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise ServerKeyError(f"Không đọc được tệp khóa máy chủ {path}.") from exc
    return Vault(_decode(text, f"tệp {path}"))


WRONG_KEY = (
    "Khóa máy chủ không phải khóa đã dùng để mã hóa cơ sở dữ liệu này. Hãy dùng "
    "đúng tệp khóa (hoặc SOTAY_SERVER_KEY) đã sao lưu cùng cơ sở dữ liệu."
)


def settle(primary: Vault, path: Path | None, stored: str | None, pending: str | None) -> Vault:
    """The key to seal with, given the database's fingerprint (`stored`) and the key a
    rotation is moving to (`pending`); loads the key file's companion that a half-done
    rotation needs so that every value still opens. Refuses a key that is not this database's.

    A rotation moves through: key file = old, `.new` = new (values re-sealed one batch at a
    time) → `.old` = old → key file = new → fingerprint = new. Every state in between opens.
    """
    if stored is None or (stored == primary.key_id and pending is None):
        return primary
    if stored == primary.key_id:
        new = read_key_file(companion(path, NEW_SUFFIX)) if path is not None else None
        if new is None or new.key_id != pending:
            raise ServerKeyError(
                "Cơ sở dữ liệu đang đổi khóa máy chủ dở dang nhưng không tìm thấy khóa mới "
                f"({path}{NEW_SUFFIX}). Hãy đặt lại tệp đó rồi chạy: sotay-server key rotate."
            )
        return _latest(new)
    if pending is not None and pending == primary.key_id and path is not None:
        old = read_key_file(companion(path, OLD_SUFFIX))
        if old is not None and old.key_id == stored:
            return _latest(primary)
    raise ServerKeyError(WRONG_KEY)


def _latest(vault: Vault) -> Vault:
    """The key an engine made outside `Database` seals with is the last loaded (vault_of)."""
    _LOADED.pop(vault.tag, None)
    _LOADED[vault.tag] = vault
    return vault
