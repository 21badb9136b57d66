"""The development mail catcher keeps every email it receives as an .eml file."""

import email
import signal
import smtplib
import socket
import subprocess
import sys
from email.message import EmailMessage
from email.policy import default

from portico.mailcatcher import MailCatcher, free_port
from portico.testing import wait_for


def an_email(to: str = "jane@example.com") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Portico <no-reply@portico.local>"
    message["To"] = to
    message["Subject"] = "Set your password, Jane"
    message.set_content("Hello Jane,\nhttps://portal.example/set-password?token=abc\n")
    return message


def eml_files(directory):
    return sorted(directory.glob("*.eml"))


def listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        return True
    except OSError:
        return False


def test_received_email_is_written_as_an_eml_file(tmp_path):
    with MailCatcher(tmp_path / "mail", port=0) as catcher, smtplib.SMTP("127.0.0.1", catcher.port, timeout=5) as smtp:
        smtp.send_message(an_email(), to_addrs=["jane@example.com", "hidden@example.com"])

    [path] = eml_files(tmp_path / "mail")
    stamp, _, rest = path.stem.partition("-")
    assert stamp.endswith("Z") and len(rest) == 36  # <timestamp>-<uuid>
    stored = email.message_from_bytes(path.read_bytes(), policy=default)
    assert stored["Subject"] == "Set your password, Jane"
    assert stored["To"] == "jane@example.com"
    assert stored["X-Envelope-To"] == "<jane@example.com>, <hidden@example.com>"
    assert "token=abc" in stored.get_content()
    assert not list((tmp_path / "mail").glob(".*.tmp"))


def test_each_email_gets_a_file_of_its_own(tmp_path):
    with MailCatcher(tmp_path, port=0) as catcher, smtplib.SMTP("127.0.0.1", catcher.port, timeout=5) as smtp:
        for address in ("a@example.com", "b@example.com", "c@example.com"):
            smtp.send_message(an_email(to=address))

    recipients = sorted(email.message_from_bytes(p.read_bytes(), policy=default)["To"] for p in eml_files(tmp_path))
    assert recipients == ["a@example.com", "b@example.com", "c@example.com"]


def test_main_catches_until_sigterm_and_exits_zero(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "portico.mailcatcher", "--port", str(port), "--dir", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(lambda: listening(port) or process.poll() is not None, timeout=10, message="the catcher to listen")
        with smtplib.SMTP("127.0.0.1", port, timeout=5) as smtp:
            smtp.send_message(an_email())
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
    assert len(eml_files(tmp_path)) == 1
    assert not listening(port)
