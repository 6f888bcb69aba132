"""Configuration from the environment (and `.env`), in one place."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from flows.i18n import DEFAULT_LOCALES_DIR

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_MUNICIPALITY = PROJECT_DIR / "municipalities" / "example.toml"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    database_url: str = Field(
        "sqlite:///./wegwijs.db", validation_alias=AliasChoices("DATABASE_URL", "database_url")
    )
    municipality_file: Path = Field(
        DEFAULT_MUNICIPALITY,
        validation_alias=AliasChoices("WEGWIJS_MUNICIPALITY", "municipality_file"),
    )
    secret_key: SecretStr | None = Field(
        None, validation_alias=AliasChoices("WEGWIJS_SECRET_KEY", "secret_key")
    )
    # Earlier secret keys, comma-separated: still decrypt until `wegwijs keys rotate`.
    old_secret_keys: SecretStr | None = Field(
        None, validation_alias=AliasChoices("WEGWIJS_OLD_SECRET_KEYS", "old_secret_keys")
    )
    locales_dir: Path = Field(
        DEFAULT_LOCALES_DIR, validation_alias=AliasChoices("WEGWIJS_LOCALES_DIR", "locales_dir")
    )
    telegram_bot_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN", "telegram_bot_token")
    )
    telegram_api_base_url: str = Field(
        "https://api.telegram.org",
        validation_alias=AliasChoices("TELEGRAM_API_BASE_URL", "telegram_api_base_url"),
    )
    telegram_webhook_secret: SecretStr | None = Field(
        None, validation_alias=AliasChoices("TELEGRAM_WEBHOOK_SECRET", "telegram_webhook_secret")
    )
    # Messages per second to one chat. Telegram asks for about one; a self-hosted Bot API
    # server or a test server may allow more.
    telegram_chat_rate: float = Field(
        1.0, gt=0, le=30, validation_alias=AliasChoices("TELEGRAM_CHAT_RATE", "telegram_chat_rate")
    )
    # Messages per second overall; unset: the municipality file's [reminders]
    # rate_per_second (at most 30, Telegram's limit). Higher only for a local Bot API
    # server, as in the benchmarks, which measure Wegwijs and not Telegram's limits.
    telegram_rate: float | None = Field(
        None, gt=0, le=10_000, validation_alias=AliasChoices("TELEGRAM_RATE", "telegram_rate")
    )
    # The Bot API unreachable (connection errors, 5xx): a reply is tried again, the wait
    # doubling up to `telegram_retry_cap` seconds, until the update it answers is
    # `telegram_give_up` seconds old; then it is dropped, logged, and the person's next
    # message is answered with the question they missed.
    telegram_give_up: float = Field(
        900.0, gt=0, validation_alias=AliasChoices("TELEGRAM_GIVE_UP", "telegram_give_up")
    )
    telegram_retry_cap: float = Field(
        10.0,
        gt=0,
        le=300,
        validation_alias=AliasChoices("TELEGRAM_RETRY_CAP", "telegram_retry_cap"),
    )
    # How long a reminder worker holds the messages it claimed: a worker that dies is
    # replaced after this long, so a killed worker delays its messages by at most this.
    worker_lease_seconds: float = Field(
        60.0,
        ge=1,
        le=3600,
        validation_alias=AliasChoices("WEGWIJS_WORKER_LEASE", "worker_lease_seconds"),
    )
    # The consulent dashboard (`wegwijs run`, `wegwijs dashboard`).
    dashboard_host: str = Field(
        "127.0.0.1", validation_alias=AliasChoices("WEGWIJS_DASHBOARD_HOST", "dashboard_host")
    )
    dashboard_port: int = Field(
        8000,
        ge=1,
        le=65535,
        validation_alias=AliasChoices("WEGWIJS_DASHBOARD_PORT", "dashboard_port"),
    )
    # The web chat (`wegwijs run`): its own address, so that it alone can face the internet.
    chat_host: str = Field(
        "127.0.0.1", validation_alias=AliasChoices("WEGWIJS_CHAT_HOST", "chat_host")
    )
    chat_port: int = Field(
        8001, ge=1, le=65535, validation_alias=AliasChoices("WEGWIJS_CHAT_PORT", "chat_port")
    )
    # Prometheus metrics (`/metrics`) on an address of their own; off unless a port is set.
    # Never the web chat's or the dashboard's address (refused at start-up).
    metrics_host: str = Field(
        "127.0.0.1", validation_alias=AliasChoices("WEGWIJS_METRICS_HOST", "metrics_host")
    )
    metrics_port: int | None = Field(
        None, ge=1, le=65535, validation_alias=AliasChoices("WEGWIJS_METRICS_PORT", "metrics_port")
    )
    # The web chat's public address, for invite links (`<url>/c/CODE`); unset: the
    # address it listens on.
    chat_public_url: str | None = Field(
        None, validation_alias=AliasChoices("WEGWIJS_CHAT_URL", "chat_public_url")
    )
    # Reverse proxies whose X-Forwarded-For / -Proto are believed (addresses or networks,
    # comma-separated), for both web edges. Unset: none, every peer is the client (the
    # throttles key on the client's address; a header any peer sends must not choose it).
    trusted_proxies: str = Field(
        "", validation_alias=AliasChoices("WEGWIJS_TRUSTED_PROXIES", "trusted_proxies")
    )
    # Only used to print invite links (t.me/<username>?start=CODE).
    telegram_bot_username: str | None = Field(
        None, validation_alias=AliasChoices("TELEGRAM_BOT_USERNAME", "telegram_bot_username")
    )

    @property
    def trusted_proxy_list(self) -> tuple[str, ...]:
        return tuple(part.strip() for part in self.trusted_proxies.split(",") if part.strip())

    @property
    def chat_url(self) -> str:
        """The web chat's public base URL: WEGWIJS_CHAT_URL, else where it listens."""
        if self.chat_public_url:
            return self.chat_public_url.rstrip("/")
        host = self.chat_host
        if host in ("0.0.0.0", "::", ""):
            host = "127.0.0.1"
        return f"http://{host if ':' not in host else f'[{host}]'}:{self.chat_port}"
