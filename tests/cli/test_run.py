"""`wegwijs review`: the dashboard alone, started as the console script and stopped by a
signal; a busy port is one clear line."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
from pathlib import Path

from tests.cli.helpers import WEGWIJS, serve_then_stop
from tests.live_server import free_port


def test_wegwijs_review_serves_makes_the_first_admin_and_stops_on_sigterm(
    db_path: Path, tmp_path: Path
) -> None:
    port = free_port()
    review = [WEGWIJS, "review", "--port", str(port)]
    first = serve_then_stop(review, tmp_path, f"http://127.0.0.1:{port}/", "the dashboard")
    response, err = first.first, first.stderr
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert first.returncode == 0, err
    password = re.search(r"password: (\S+)", err).group(1)  # type: ignore[union-attr]
    assert "username: admin" in err
    # The key that signs sessions is kept next to the database, for the next start.
    assert (tmp_path / "wegwijs.db.dashboard-key").stat().st_mode & 0o077 == 0

    # A second start: users exist, so no new password is printed.
    again = serve_then_stop(
        review, tmp_path, f"http://127.0.0.1:{port}/login", "the dashboard", signal.SIGINT
    )
    assert again.returncode == 0, again.stderr
    assert password not in again.stderr and "password:" not in again.stderr


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
