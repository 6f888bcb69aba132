"""The application core, assembled: settings → municipality, catalogs, engine, database
→ service (`build`), and what it checks before it serves (`prepare_database`).

The composition root is `bot.cli` and `bot.system`: they build an `App` here and start
the edges on it."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from pydantic import SecretStr

from bot.core.appointments import AppointmentService, context_of
from bot.core.health import Health
from bot.core.journey import journey_context
from bot.core.service import Service
from bot.municipality import Municipality, MunicipalityError, load_municipality
from bot.municipality.model import who_sees_lines
from bot.settings import Settings
from flows import texts
from flows.engine import Context, Engine
from flows.i18n import Renderer, load_catalogs, missing_catalogs
from flows.intake import INTAKE
from flows.model import Flow
from storage import Database, current_revision, head_revision, upgrade
from storage.crypto import KeyRing
from storage.keys import KeyProblem, check_keys

log = logging.getLogger(__name__)


class StartupError(Exception):
    """Wegwijs cannot start; the message says why and what to do."""


@dataclass
class App:
    """The application core's parts, built once per process (`build`). Not a web
    application: each web edge makes one of those on it (`asgi_app`); nor the CLI's
    Typer application (`bot.cli.app`)."""

    settings: Settings
    municipality: Municipality
    flow: Flow
    renderer: Renderer
    engine: Engine
    db: Database
    service: Service
    appointments: AppointmentService
    health: Health = field(init=False)  # what /healthz and /readyz answer

    def __post_init__(self) -> None:
        self.health = Health(lambda: self.db)  # the app's database, even if replaced


def consent_version(municipality: Municipality) -> str:
    """The consent text's version plus what it promises (retention, who sees the
    answers): a municipality that changes either asks everyone again."""
    return f"{texts.CONSENT_TEXT_VERSION}-{municipality.privacy.promise}"


def build(settings: Settings | None = None) -> App:
    settings = settings or Settings()
    try:
        # Also refuses a file whose roles' own texts contradict its routing of topics.
        municipality = load_municipality(settings.municipality_file)
    except MunicipalityError as exc:
        raise StartupError(str(exc)) from None
    catalogs = load_catalogs(settings.locales_dir)
    missing = missing_catalogs(catalogs)
    if missing:
        raise StartupError(
            f"compiled catalogs missing for {', '.join(missing)} in {settings.locales_dir}: "
            "run `make catalogs`"
        )
    renderer = Renderer(catalogs)
    context = Context(
        municipality=municipality.name,
        consent_version=consent_version(municipality),
        retention_months=municipality.privacy.retention_months,
        who_sees=who_sees_lines(municipality),
        roles=municipality.role_cards(),
        topics=municipality.routing(),
        appointments=context_of(municipality),
        journey=journey_context(municipality),
    )
    engine = Engine(INTAKE, context, renderer.text)
    ring = key_ring(settings)
    try:
        db = Database(settings.database_url, key_ring=ring)
    except ValueError as exc:
        raise StartupError(f"DATABASE_URL: {exc}") from None
    service = Service(db, engine, renderer)
    appointments = AppointmentService(db, municipality)
    return App(settings, municipality, INTAKE, renderer, engine, db, service, appointments)


def key_ring(settings: Settings) -> KeyRing | None:
    """The keys for free text at rest, from WEGWIJS_SECRET_KEY and WEGWIJS_OLD_SECRET_KEYS."""

    def value(secret: SecretStr | None) -> str | None:
        return secret.get_secret_value() if secret else None

    try:
        return KeyRing.from_settings(value(settings.secret_key), value(settings.old_secret_keys))
    except ValueError as exc:
        raise StartupError(str(exc)) from None


async def check_encryption(db: Database) -> None:
    """Refuse keys that cannot read the stored text; say so when text is stored plain."""
    try:
        status = await check_keys(db)
    except KeyProblem as exc:
        raise StartupError(str(exc)) from None
    if db.key_ring is None:
        log.warning(
            "WEGWIJS_SECRET_KEY is not set: free-text answers and notes are stored "
            "unencrypted (see PRIVACY.md)"
        )
    elif status.plaintext:
        log.warning(
            "%d free-text value(s) are stored unencrypted from before the key was set: "
            "run `wegwijs keys rotate`",
            status.plaintext,
        )


async def prepare_database(app: App, *, auto_upgrade: bool) -> None:
    """Reach the database and make sure its schema is current.

    An embedded SQLite database is upgraded on the spot (one process owns it); a shared
    PostgreSQL is upgraded on purpose, with `wegwijs db upgrade`, before workers start.
    """
    await app.db.ping()
    url = app.settings.database_url
    current = await asyncio.to_thread(current_revision, url, app.db.schema)
    if current != head_revision():
        if app.db.dialect == "sqlite" and auto_upgrade:
            # Only now: a current database never loads Alembic (some 12 MB resident).
            await asyncio.to_thread(upgrade, url, schema=app.db.schema)
        else:
            raise StartupError(
                f"the database schema is at {current or 'nothing'}, this version needs "
                f"{head_revision()}: run `wegwijs db upgrade`"
            )
    await check_encryption(app.db)
