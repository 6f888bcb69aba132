"""deploy/Caddyfile, run for real: Debian's caddy with its internal CA in front of two
webhook workers and the web chat (and the dashboard on the internal site), on free
ports. Updates go through HTTPS to the webhook path with the secret header and are
answered on the fake Bot API; an intake is walked in the web chat through HTTPS; the
dashboard and the metrics are not reachable on the public address.

`make test-deploy` runs this folder (`make deploy-tools` installs caddy); where caddy
cannot be installed, the test says so and is skipped."""

from __future__ import annotations

import asyncio
import os
import shutil
import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.channels.test_console import FULL_INTAKE
from tests.channels.web.conftest import Browser
from tests.e2e.fake_bot_api import DEFAULT_TOKEN, FakeBotApi
from tests.e2e.harness import SECRET_KEY, WEGWIJS
from tests.live_server import free_port

CADDYFILE = Path(__file__).resolve().parents[2] / "deploy" / "Caddyfile"
WEBHOOK_SECRET = "deploy-test-secret_0123456789"
CHAT = 8_400_000_000

pytestmark = pytest.mark.skipif(
    shutil.which("caddy") is None,
    reason="caddy is not installed and could not be: `make deploy-tools` (as root) installs "
    "Debian's caddy; elsewhere `sudo apt-get install caddy`",
)


@dataclass
class Site:
    api: FakeBotApi
    public: str  # https://localhost:PORT
    internal: str  # https://127.0.0.1:PORT
    ca: ssl.SSLContext
    workers_metrics: list[str]
    logs: list[Path]
    code: str  # a case's invite code

    def client(self, base: str) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=base, verify=self.ca, timeout=20)


async def wait_ready(url: str, verify: ssl.SSLContext | bool = True, timeout: float = 60) -> None:
    async with httpx.AsyncClient(verify=verify, timeout=5) as client:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            try:
                if (await client.get(url)).status_code == 200:
                    return
            except (httpx.TransportError, ssl.SSLError):
                pass
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"{url} never became ready")
            await asyncio.sleep(0.2)


@pytest.fixture
async def site(tmp_path: Path, migrated_sqlite: Path) -> AsyncIterator[Site]:
    database = tmp_path / "wegwijs.db"
    shutil.copyfile(migrated_sqlite, database)
    public_port, internal_port = free_port(), free_port()
    hooks = [free_port(), free_port()]
    hook_metrics = [free_port(), free_port()]
    chat_port, dashboard_port = free_port(), free_port()
    public = f"https://localhost:{public_port}"
    processes: list[asyncio.subprocess.Process] = []
    logs: list[Path] = []

    async def start(name: str, *args: str, env: dict[str, str]) -> None:
        log = tmp_path / f"{name}.log"
        logs.append(log)
        with log.open("w") as out:
            processes.append(
                await asyncio.create_subprocess_exec(*args, env=env, stdout=out, stderr=out)
            )

    async with FakeBotApi() as api:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{database}",
            "WEGWIJS_SECRET_KEY": SECRET_KEY,
            "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
            "TELEGRAM_API_BASE_URL": api.base_url,
            "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "TELEGRAM_CHAT_RATE": "20",
            "WEGWIJS_CHAT_URL": public,
            "WEGWIJS_TRUSTED_PROXIES": "127.0.0.1",  # Caddy, as deploy/wegwijs.env.example
        }
        created = await asyncio.create_subprocess_exec(
            WEGWIJS, "case", "create", env=env, stdout=asyncio.subprocess.PIPE
        )
        output = (await created.communicate())[0].decode()
        code = output.split("Invite code: ", 1)[1].split()[0]
        try:
            await start(
                "web", WEGWIJS, "run", "--no-bot", "--no-worker",
                "--chat", f"127.0.0.1:{chat_port}", "--dashboard-port", str(dashboard_port),
                env=env,
            )  # fmt: skip
            for number, (port, metrics) in enumerate(zip(hooks, hook_metrics, strict=True)):
                await start(
                    f"webhook-{number + 1}", WEGWIJS, "run", "--webhook", "--port", str(port),
                    "--no-worker", "--no-dashboard", "--no-chat",
                    "--metrics", f"127.0.0.1:{metrics}", env=env,
                )  # fmt: skip
            caddy_env = {
                **os.environ,
                "XDG_DATA_HOME": str(tmp_path / "caddy"),
                "XDG_CONFIG_HOME": str(tmp_path / "caddy"),
                "WEGWIJS_CADDY_GLOBAL": "\n".join(
                    ("admin off", "skip_install_trust", "auto_https disable_redirects")
                ),
                "WEGWIJS_PUBLIC_NAME": public,
                "WEGWIJS_INTERNAL_SITE": f"https://127.0.0.1:{internal_port}",
                "WEGWIJS_INTERNAL_BIND": "127.0.0.1",
                "WEGWIJS_WEBHOOK_UPSTREAMS": " ".join(f"127.0.0.1:{p}" for p in hooks),
                "WEGWIJS_CHAT_UPSTREAM": f"127.0.0.1:{chat_port}",
                "WEGWIJS_DASHBOARD_UPSTREAM": f"127.0.0.1:{dashboard_port}",
            }
            for port in (*hooks, chat_port, dashboard_port):
                await wait_ready(f"http://127.0.0.1:{port}/readyz")
            await start(
                "caddy", "caddy", "run", "--config", str(CADDYFILE), "--adapter", "caddyfile",
                env=caddy_env,
            )  # fmt: skip
            root = tmp_path / "caddy" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
            for _ in range(300):
                if root.exists():
                    break
                await asyncio.sleep(0.1)
            ca = ssl.create_default_context(cafile=str(root))
            await wait_ready(f"{public}/readyz", ca)
            yield Site(
                api,
                public,
                f"https://127.0.0.1:{internal_port}",
                ca,
                [f"http://127.0.0.1:{m}/metrics" for m in hook_metrics],
                logs,
                code,
            )
        finally:
            for process in reversed(processes):
                if process.returncode is None:
                    process.terminate()
            for process in processes:
                try:
                    await asyncio.wait_for(process.wait(), 30)
                except TimeoutError:
                    process.kill()
    for log in logs:
        text = log.read_text()
        assert "Traceback" not in text, f"{log.name}:\n{text}"
        assert DEFAULT_TOKEN not in text and WEBHOOK_SECRET not in text, log.name


async def test_caddy_serves_the_chat_and_the_webhook_and_keeps_the_dashboard_inside(
    site: Site,
) -> None:
    """One set-up (four processes and caddy) for the three checks."""
    await updates_reach_both_webhook_workers_through_https_with_the_secret(site)
    await an_intake_is_walked_in_the_web_chat_through_https(site)
    await the_dashboard_and_the_metrics_are_internal_only(site)


async def updates_reach_both_webhook_workers_through_https_with_the_secret(site: Site) -> None:
    chats = [CHAT + i for i in range(4)]
    updates = []
    for chat in chats:
        site.api.push_command(chat, "/start", language_code="en")
        updates.append(site.api.pushed[-1])
    async with site.client(site.public) as client:
        for update in updates:
            refused = await client.post("/telegram/webhook", json=update)
            assert refused.status_code == 401  # no secret header: refused by the worker
        headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
        for update in updates:
            accepted = await client.post("/telegram/webhook", json=update, headers=headers)
            assert accepted.status_code == 200, accepted.text
    for chat in chats:
        sent = await site.api.wait_sent(chat, 1, timeout=30)
        assert "language" in str(sent[0].params.get("text")).lower()
    async with httpx.AsyncClient() as plain:
        handled = []
        for address in site.workers_metrics:
            text = (await plain.get(address)).text
            rows = [row for row in text.splitlines() if row.startswith("wegwijs_updates_total{")]
            handled.append(sum(float(row.rsplit(" ", 1)[-1]) for row in rows))
    assert all(count >= 1 for count in handled), handled  # round robin over both
    assert sum(handled) == len(chats)


async def an_intake_is_walked_in_the_web_chat_through_https(site: Site) -> None:
    async with site.client(site.public) as client:
        browser = Browser(client)
        page = await browser.enter(site.code)
        assert "Choose your language" in page.transcript()
        await browser.press("English")
        await browser.press("Yes, I agree")
        for line in FULL_INTAKE[1:-1]:
            await browser.say(line)
        page = await browser.press("Send to my consulent")
        assert "Thank you" in page.transcript()
        cookies = (
            page.response.history[0].headers.get_list("set-cookie") if page.response.history else []
        )
        assert all("Secure" in cookie for cookie in cookies)


async def the_dashboard_and_the_metrics_are_internal_only(site: Site) -> None:
    async with site.client(site.public) as public:
        login = await public.get("/login")
        assert login.status_code == 404 and "Wachtwoord" not in login.text
        assert (await public.get("/metrics")).status_code == 404
        assert (await public.get("/metrics/worker")).status_code == 404
        page = await public.get("/")
        assert "Wachtwoord" not in page.text  # the chat's page, not the dashboard's
    async with site.client(site.internal) as internal:
        login = await internal.get("/login")
        assert login.status_code == 200 and "Wachtwoord" in login.text
    # The public port under another name (the internal one's address) is no way in either.
    async with httpx.AsyncClient(verify=site.ca, timeout=10) as client:
        try:
            other = await client.get(site.public.replace("localhost", "127.0.0.1") + "/login")
        except (httpx.TransportError, ssl.SSLError):
            return
        assert "Wachtwoord" not in other.text
