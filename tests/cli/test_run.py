"""`wegwijs dashboard`: the dashboard alone, started as the console script and stopped by
a signal; a busy port is one clear line; `wegwijs review`, its old name, still works for a
release without being offered."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
from pathlib import Path

import pytest

from tests.cli.helpers import WEGWIJS, serve_then_stop, wegwijs
from tests.live_server import free_port


def test_wegwijs_dashboard_serves_makes_the_first_admin_and_stops_on_sigterm(
    db_path: Path, tmp_path: Path
) -> None:
    port = free_port()
    dashboard = [WEGWIJS, "dashboard", "--port", str(port)]
    first = serve_then_stop(dashboard, tmp_path, f"http://127.0.0.1:{port}/", "the dashboard")
    response, err = first.first, first.stderr
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert first.returncode == 0, err
    password = re.search(r"password: (\S+)", err).group(1)  # type: ignore[union-attr]
    assert "username: admin" in err
    # The key that signs sessions is kept next to the database, for the next start.
    assert (tmp_path / "wegwijs.db.dashboard-key").stat().st_mode & 0o077 == 0

    # A second start: users exist, so no new password is printed.
    again = serve_then_stop(
        dashboard, tmp_path, f"http://127.0.0.1:{port}/login", "the dashboard", signal.SIGINT
    )
    assert again.returncode == 0, again.stderr
    assert password not in again.stderr and "password:" not in again.stderr


@pytest.mark.parametrize("command", ["dashboard", "review"])
def test_a_busy_port_is_one_clear_line(db_path: Path, tmp_path: Path, command: str) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [WEGWIJS, command, "--port", str(port)],
            env=dict(os.environ),
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_review_is_the_dashboard_under_its_old_name_and_not_offered() -> None:
    listed = wegwijs("--help")
    assert listed.exit_code == 0
    assert "dashboard" in listed.output and "review" not in listed.output
    old = wegwijs("review", "--help")
    assert old.exit_code == 0
    assert "Serve only the consulent dashboard" in old.output
    assert "deprecated" in old.output.lower()
