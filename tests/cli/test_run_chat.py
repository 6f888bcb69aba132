"""`wegwijs run` serves the web chat on its own address (`--chat HOST:PORT`), and
`wegwijs case create` prints the web chat's invite link."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest
import typer

from bot.cli.run import parse_address
from tests.cli.helpers import WEGWIJS, wegwijs


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_wegwijs_run_serves_the_web_chat_on_its_own_address(db_path: Path, tmp_path: Path) -> None:
    port = _free_port()
    proc = subprocess.Popen(
        [WEGWIJS, "run", "--no-bot", "--no-dashboard", "--chat", f"127.0.0.1:{port}"],
        env=dict(os.environ),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read()  # type: ignore[union-attr]
                assert time.monotonic() < deadline, "the web chat did not start"
                time.sleep(0.1)
        assert response.status_code == 200 and 'id="code-form"' in response.text
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert f"web chat on http://127.0.0.1:{port}" in err


def test_the_chat_address_is_host_and_port() -> None:
    assert parse_address("0.0.0.0:8001") == ("0.0.0.0", 8001)
    assert parse_address(":9000") == ("127.0.0.1", 9000)
    assert parse_address("[::1]:8001") == ("::1", 8001)
    for wrong in ("8001", "host:", "host:99999", "host:x"):
        with pytest.raises(typer.BadParameter):
            parse_address(wrong)


def test_case_create_prints_the_web_chat_link(db_path: Path) -> None:
    result = wegwijs("case", "create", WEGWIJS_CHAT_URL="https://chat.gemeente.example")
    assert result.exit_code == 0, result.output
    code = result.output.split("Invite code: ")[1].split()[0]
    assert f"Web chat: https://chat.gemeente.example/c/{code.replace('-', '')}" in result.output
