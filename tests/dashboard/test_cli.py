"""`wegwijs user add|list|password`, `wegwijs review`, and the audited `wegwijs export`."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from bot.cli import app
from storage import AuditRepository, Database, UserRepository

WEGWIJS = str(Path(sys.executable).with_name("wegwijs"))


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    values = {"DATABASE_URL": f"sqlite:///{tmp_path / 'wegwijs.db'}"}
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("WEGWIJS_SECRET_KEY", raising=False)
    return values


def wegwijs(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args), input=stdin)


async def _read(url: str, work):  # type: ignore[no-untyped-def]
    db = Database(url)
    try:
        async with db.session() as session:
            return await work(session)
    finally:
        await db.dispose()


def test_user_add_prints_a_random_password_once_and_list_shows_the_user(
    env: dict[str, str],
) -> None:
    added = wegwijs("user", "add", "Anna.deVries")
    assert added.exit_code == 0, added.output
    password = re.search(r"Password \(shown only now\): (\S+)", added.output).group(1)  # type: ignore[union-attr]
    assert len(password) >= 16
    admin = wegwijs(
        "user", "add", "beheer", "--admin", "--password-stdin", stdin="long enough pw\n"
    )
    assert admin.exit_code == 0 and "Password" not in admin.output
    listed = wegwijs("user", "list")
    assert re.search(r"anna\.devries\s+consulent\s+last login never", listed.output)
    assert re.search(r"beheer\s+admin", listed.output)

    async def check(session):  # type: ignore[no-untyped-def]
        user = await UserRepository(session).by_username("anna.devries")
        entries = await AuditRepository(session).list()
        return user, entries

    user, entries = asyncio.run(_read(env["DATABASE_URL"], check))
    assert user.password_hash.startswith("$argon2id$") and password not in user.password_hash
    assert {(e.actor, e.action, e.target) for e in entries} == {
        ("cli", "user.create", "anna.devries"),
        ("cli", "user.create", "beheer"),
    }


def test_user_add_refuses_a_duplicate_a_bad_name_and_a_short_password(env: dict[str, str]) -> None:
    assert wegwijs("user", "add", "anna").exit_code == 0
    again = wegwijs("user", "add", "ANNA")
    assert again.exit_code == 2 and "already a user 'anna'" in again.output
    assert "not a valid username" in wegwijs("user", "add", "a b").output
    short = wegwijs("user", "add", "bram", "--password-stdin", stdin="short\n")
    assert short.exit_code == 2 and "at least 10" in short.output


def test_user_password_sets_a_new_one_and_ends_sessions(env: dict[str, str]) -> None:
    assert wegwijs("user", "add", "anna").exit_code == 0
    changed = wegwijs("user", "password", "anna")
    assert changed.exit_code == 0 and "their sessions have ended" in changed.output
    user = asyncio.run(_read(env["DATABASE_URL"], lambda s: UserRepository(s).by_username("anna")))
    assert user.session_epoch == 1
    assert wegwijs("user", "password", "nobody").exit_code == 2


def test_export_from_the_command_line_is_audited(env: dict[str, str]) -> None:
    created = wegwijs("case", "create", "--label", "gezin Haddad")
    code = re.search(r"Invite code: (\S+)", created.output).group(1)  # type: ignore[union-attr]
    assert wegwijs("export", code, "--format", "csv").exit_code == 0
    entries = asyncio.run(_read(env["DATABASE_URL"], lambda s: AuditRepository(s).list()))
    assert [(e.actor, e.action, e.detail) for e in entries] == [("cli", "case.export", "csv")]
    assert entries[0].target is not None and "Haddad" not in (entries[0].target or "")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_wegwijs_review_serves_makes_the_first_admin_and_stops_on_sigterm(
    env: dict[str, str], tmp_path: Path
) -> None:
    port = _free_port()
    proc = subprocess.Popen(
        [WEGWIJS, "review", "--port", str(port)],
        env={**os.environ, **env},
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
        env={**os.environ, **env},
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


def test_a_busy_port_is_one_clear_line(env: dict[str, str], tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [WEGWIJS, "review", "--port", str(port)],
            env={**os.environ, **env},
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr
