"""The web edges' listening socket: one clear error for a busy port, and no Nagle delay
on kept-alive connections."""

from __future__ import annotations

import socket

import pytest

from bot.core.app import StartupError
from bot.web.serving import bind


def test_the_listening_socket_is_tcp_without_nagle() -> None:
    """asyncio sets TCP_NODELAY on accepted sockets only when the socket says it is TCP;
    otherwise each response after the first waits 40 ms for a delayed ACK."""
    sock = bind("127.0.0.1", 0, what="the web chat", hint="")
    try:
        assert sock.proto == socket.IPPROTO_TCP
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    finally:
        sock.close()


def test_a_busy_port_is_one_clear_startup_error() -> None:
    first = bind("127.0.0.1", 0, what="the web chat", hint="")
    try:
        port = first.getsockname()[1]
        with pytest.raises(StartupError, match=r"the web chat cannot listen .*WEGWIJS_CHAT_PORT"):
            bind("127.0.0.1", port, what="the web chat", hint="(set WEGWIJS_CHAT_PORT or --chat)")
    finally:
        first.close()
