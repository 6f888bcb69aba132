"""`wegwijs run` serves the web chat on its own address (`--chat HOST:PORT`), and
`wegwijs case create` prints the web chat's invite link."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from bot.cli.run import parse_address
from tests.cli.helpers import WEGWIJS, serve_then_stop, wegwijs
from tests.live_server import free_port


def test_wegwijs_run_serves_the_web_chat_on_its_own_address(db_path: Path, tmp_path: Path) -> None:
    port = free_port()
    served = serve_then_stop(
        [WEGWIJS, "run", "--no-bot", "--no-dashboard", "--chat", f"127.0.0.1:{port}"],
        tmp_path,
        f"http://127.0.0.1:{port}/",
        "the web chat",
    )
    assert served.first.status_code == 200 and 'id="code-form"' in served.first.text
    assert served.returncode == 0, served.stderr
    assert f"web chat on http://127.0.0.1:{port}" in served.stderr


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
