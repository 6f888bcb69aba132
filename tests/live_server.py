"""A Wegwijs web app (the dashboard or the web chat) served on a thread of its own, for
the browser tests: Playwright's sync API keeps the test's thread, so the server needs its
own event loop. One helper for both, so their start-up and shutdown cannot drift."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from contextlib import contextmanager
from typing import Any

from bot.core.app import App, prepare_database


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def served(
    app: App,
    serve: Callable[[int, asyncio.Event], Coroutine[Any, Any, None]],
    *,
    what: str,
    prepare: Callable[[App], Awaitable[None]] | None = None,
) -> Iterator[tuple[str, asyncio.AbstractEventLoop]]:
    """Migrate `app`'s database, run `prepare` (seeding), then `serve(port, stop)` until
    the block ends; yields the address and the server's loop (to run coroutines on)."""
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    port = free_port()
    started = threading.Event()
    failure: list[BaseException] = []

    async def main() -> None:
        try:
            await prepare_database(app, auto_upgrade=True)
            if prepare is not None:
                await prepare(app)
            server = asyncio.create_task(serve(port, stop))
            await asyncio.sleep(0.3)
            started.set()
            await server
        except BaseException as exc:
            failure.append(exc)
            started.set()
            raise
        finally:
            await app.db.dispose()

    thread = threading.Thread(target=lambda: loop.run_until_complete(main()), daemon=True)
    thread.start()
    assert started.wait(60), f"{what} did not start"
    if failure:
        raise failure[0]
    try:
        yield f"http://127.0.0.1:{port}", loop
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(30)
        loop.close()
