"""Fixtures for the flows tests: the pre-intake engine for Rijswijk, rendered with English
msgids (no catalogs), and a renderer with the real compiled catalogs.

The engine is stateless, so the fixtures are session-scoped (which also lets the
hypothesis tests use them)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pytest

from flows.engine import Engine, Step
from flows.events import Event
from flows.i18n import DEFAULT_LOCALES_DIR, Renderer, load_catalogs
from flows.intake import INTAKE
from flows.state import State
from tests.flows.helpers import CONTEXT, NOW, new_state
from tests.flows.helpers import drive as _drive


@pytest.fixture(scope="session")
def renderer() -> Renderer:
    return Renderer({})


@pytest.fixture(scope="session")
def engine(renderer: Renderer) -> Engine:
    return Engine(INTAKE, CONTEXT, renderer.text)


@pytest.fixture(scope="session")
def catalog_renderer() -> Renderer:
    """The real catalogs in locales/ (compiled by `make catalogs`). Their translations are
    still being written: tests assert structure only, never a specific translation."""
    if not any(DEFAULT_LOCALES_DIR.glob("*/LC_MESSAGES/messages.mo")):
        pytest.skip("no compiled catalogs: run `make catalogs`")
    return Renderer(load_catalogs())


@pytest.fixture(scope="session")
def catalog_engine(catalog_renderer: Renderer) -> Engine:
    return Engine(INTAKE, CONTEXT, catalog_renderer.text)


Drive = Callable[..., Step]


@pytest.fixture(scope="session")
def drive(engine: Engine) -> Drive:
    """`drive(events, state=None)`: the last Step after feeding the events one by one, each
    step's state into the next; the default start is a new person with an invite code."""

    def run(events: Iterable[Event], state: State | None = None, now=NOW) -> Step:
        return _drive(engine, new_state() if state is None else state, events, now)

    return run
