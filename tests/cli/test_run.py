"""`wegwijs review`: the dashboard alone, started as the console script and stopped by a
signal; a busy port is one clear line."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx

from tests.cli.helpers import WEGWIJS


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_wegwijs_review_serves_makes_the_first_admin_and_stops_on_sigterm(
    db_path: Path, tmp_path: Path
) -> None:
    port = _free_port()
    proc = subprocess.Popen(
        [WEGWIJS, "review", "--port", str(port)],
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
                assert time.monotonic() < deadline, "the dashboard did not start"
                time.sleep(0.1)
        assert response.status_code == 303 and response.headers["location"] == "/login"
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    password = re.search(r"password: (\S+)", err).group(1)  # type: ignore[union-attr]
    assert "username: admin" in err
    # The key that signs sessions is kept next to the database, for the next start.
    assert (tmp_path / "wegwijs.db.dashboard-key").stat().st_mode & 0o077 == 0

    # A second start: users exist, so no new password is printed.
    again = subprocess.Popen(
        [WEGWIJS, "review", "--port", str(port)],
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
                httpx.get(f"http://127.0.0.1:{port}/login", timeout=1)
                break
            except httpx.TransportError:
                assert again.poll() is None, again.stderr.read()  # type: ignore[union-attr]
                assert time.monotonic() < deadline
                time.sleep(0.1)
        again.send_signal(signal.SIGINT)
        _, err2 = again.communicate(timeout=20)
    finally:
        if again.poll() is None:
            again.kill()
    assert again.returncode == 0, err2
    assert password not in err2 and "password:" not in err2


def test_a_busy_port_is_one_clear_line(db_path: Path, tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [WEGWIJS, "review", "--port", str(port)],
            env=dict(os.environ),
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr
