"""Faults: the server or the client killed mid-batch, a revoked token, a captive portal, TLS."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from srvkit import Srv
from synckit import FAST, PASSWORD, add_members, enrolled, reopen

from app.book import Book
from app.models import OutboxEntry
from app.services import sync_state
from server.models import Batch, Op, Record
from server.runner import ROOT, ServerProcess, ServerThread
from sync.client import enrol, run_sync
from sync.errors import ReEnrolRequired, ServerUnreachable, TlsError, UnexpectedResponse


def _server_counts(db_url: str) -> tuple[int, int, bool]:
    """(ops stored, member records, every stored batch complete)."""
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            ops = conn.execute(select(func.count()).select_from(Op)).scalar_one()
            recs = conn.execute(
                select(func.count()).select_from(Record).where(Record.entity == "member")
            ).scalar_one()
            # One statement, so one snapshot: the server may still be committing the batch
            # it received when the client was killed.
            stored = select(Op.batch_id, func.count().label("n")).group_by(Op.batch_id).subquery()
            whole = all(
                (n or 0) == expected
                for expected, n in conn.execute(
                    select(Batch.change_count, stored.c.n).join(
                        stored, stored.c.batch_id == Batch.batch_id, isouter=True
                    )
                ).all()
            )
            return int(ops), int(recs), whole
    finally:
        engine.dispose()


def _local_states(book: Book) -> dict[str, int]:
    with book.read_session() as s:
        rows = s.execute(select(OutboxEntry.state, func.count()).group_by(OutboxEntry.state)).all()
    return {state: int(n) for state, n in rows}


def _wait_for(predicate, timeout: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return False


def test_server_killed_mid_batch(book: Book, tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'server.db'}"
    total = 1200
    with ServerProcess(db_url) as proc:
        srv = Srv(None, db_url, proc.url)
        enrolled(book, srv)
        add_members(book, total)
        errors: list[BaseException] = []

        def client() -> None:
            try:
                run_sync(book, policy=FAST, batch_size=30)
            except BaseException as exc:
                errors.append(exc)

        worker = threading.Thread(target=client)
        worker.start()
        assert _wait_for(lambda: _server_counts(db_url)[0] > 0)
        proc.kill()  # SIGKILL while batches are flowing
        worker.join(timeout=60)
        assert errors and isinstance(errors[0], ServerUnreachable)
        assert "giữ trong sổ" in errors[0].message
        ops, _recs, whole = _server_counts(db_url)
        assert 0 < ops < total + 1 and whole

        restarted = ServerProcess(db_url, port=proc.port).start()
        try:
            report = run_sync(book, policy=FAST, batch_size=30).as_json()
        finally:
            restarted.stop()
    assert report["pending"] == 0 and report["rejected"] == 0
    ops, recs, whole = _server_counts(db_url)
    assert (ops, recs, whole) == (total + 1, total, True)  # + the branch row; no duplicate
    states = _local_states(book)
    assert states.get("pending", 0) == 0 and sum(states.values()) == total + 1
    assert set(states) <= {"applied", "duplicate"}


def test_client_killed_mid_batch(book: Book, srv: Srv, data_dir: Path) -> None:
    total = 1200
    enrolled(book, srv)
    add_members(book, total)
    book.close()
    env = {**os.environ, "SOTAY_PASSWORD": PASSWORD, "SOTAY_KDF_PROFILE": "test"}
    cmd = [
        sys.executable,
        "-m",
        "cli",
        "--data-dir",
        str(data_dir),
        "sync",
        "--json",
        "--batch-size",
        "40",
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert _wait_for(lambda: _server_counts(srv.db_url)[0] > 0, timeout=60)
        proc.kill()  # SIGKILL: no clean-up, possibly between the answer and its recording
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    ops_after_kill, _, whole = _server_counts(srv.db_url)
    assert ops_after_kill > 0 and whole

    rerun = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    report = json.loads(rerun.stdout)
    assert report["pending"] == 0 and report["rejected"] == 0
    assert _server_counts(srv.db_url) == (total + 1, total, True)
    again = reopen(data_dir)
    try:
        states = _local_states(again)
    finally:
        again.close()
    assert set(states) <= {"applied", "duplicate"} and sum(states.values()) == total + 1


def test_revoked_token_asks_to_enrol_again(book: Book, srv: Srv, data_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code = enrolled(book, srv)
    add_members(book, 3)
    srv.cli("tokens", "revoke", "--code", code)
    with pytest.raises(ReEnrolRequired) as err:
        run_sync(book, policy=FAST)
    assert "đăng ký lại" in err.value.message
    state = sync_state.status(book)
    assert state.pending == 4 and state.last_error and "đăng ký lại" in state.last_error
    assert srv.branch_row(code)["members"] == 0
    book.close()

    from cli import main as sotay

    assert sotay(["--data-dir", str(data_dir), "sync"]) == ReEnrolRequired.exit_code
    assert "đăng ký lại" in capsys.readouterr().err
    fresh = srv.cli_json("branches", "new-code", "--code", code)["enrolment_code"]
    assert sotay(["--data-dir", str(data_dir), "enroll", "--server", srv.url, "--code", fresh]) == 0
    capsys.readouterr()
    assert sotay(["--data-dir", str(data_dir), "sync", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["acknowledged"] == 4 and srv.branch_row(code)["members"] == 3


class _Portal(http.server.BaseHTTPRequestHandler):
    """A Wi-Fi login page that answers every request with HTML (or a redirect)."""

    redirect = False

    def _answer(self) -> None:
        if self.redirect:
            self.send_response(302)
            self.send_header("Location", "http://login.wifi.example/portal")
            self.end_headers()
            return
        body = "<html><head><title>Đăng nhập Wi-Fi miễn phí</title></head><body>Vui lòng đăng nhập</body></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(params=[False, True], ids=["html", "redirect"])
def portal(request: pytest.FixtureRequest) -> Iterator[str]:
    handler = type("Portal", (_Portal,), {"redirect": request.param})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_captive_portal_is_reported_and_nothing_is_lost(book: Book, srv: Srv, portal: str) -> None:
    with pytest.raises(UnexpectedResponse) as err:
        enrol(book, server_url=portal, code="ABCD-EFGH-JKLM", policy=FAST)
    assert "Wi-Fi" in err.value.message
    assert not sync_state.load_config(book).enrolled
    enrolled(book, srv)
    add_members(book, 3)
    with book.session() as s:  # the network now sends everything to the portal
        sync_state.kv_set(s, sync_state.KEY_SERVER, portal)
    with pytest.raises(UnexpectedResponse):
        run_sync(book, policy=FAST)
    assert _local_states(book) == {"pending": 4}
    with book.session() as s:
        sync_state.kv_set(s, sync_state.KEY_SERVER, srv.url)
    assert run_sync(book, policy=FAST).as_json()["acknowledged"] == 4


def test_unreachable_server_keeps_everything(book: Book, srv: Srv) -> None:
    enrolled(book, srv)
    add_members(book, 2)
    srv.thread.stop()
    started = time.monotonic()
    with pytest.raises(ServerUnreachable):
        run_sync(book, policy=FAST)
    assert time.monotonic() - started < 10
    assert _local_states(book) == {"pending": 3}


def _make_ca(tmp: Path) -> tuple[str, str, str]:
    """A private CA and a server certificate for 127.0.0.1 signed by it (PEM files)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "CA Đảng ủy phường (thử)")])
    ca = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
        .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    ca_file, cert_file, key_file = tmp / "ca.pem", tmp / "server.pem", tmp / "server.key"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(ca_file), str(cert_file), str(key_file)


def test_tls_is_verified_and_a_private_ca_can_be_configured(book: Book, tmp_path: Path) -> None:
    ca_file, cert_file, key_file = _make_ca(tmp_path)
    db_url = f"sqlite:///{tmp_path / 'tls.db'}"
    thread = ServerThread(db_url, ssl_certfile=cert_file, ssl_keyfile=key_file).start()
    try:
        srv = Srv(thread, db_url)
        code, enrolment = srv.new_branch()
        with pytest.raises(TlsError) as err:
            enrol(book, server_url=srv.url, code=enrolment, policy=FAST)
        assert "chứng chỉ" in err.value.message
        assert srv.url.startswith("https://")
        enrol(book, server_url=srv.url, code=enrolment, ca_bundle=ca_file, policy=FAST)
        assert sync_state.load_config(book).ca_bundle == ca_file
        add_members(book, 2)
        assert run_sync(book, policy=FAST).as_json()["acknowledged"] == 3
        assert srv.branch_row(code)["members"] == 2
    finally:
        thread.stop()
