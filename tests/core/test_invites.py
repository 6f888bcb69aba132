"""The web chat's invite link, and how long an address waits after wrong codes."""

from __future__ import annotations

from datetime import timedelta

from bot.core.invites import CODE_FREE_FAILURES, chat_link, code_lock
from bot.settings import Settings
from tests.clock import NOW


def test_the_link_is_the_chat_address_and_the_code_without_its_dash() -> None:
    assert (
        chat_link("https://chat.gemeente.nl/", "ABCD-EFGH") == "https://chat.gemeente.nl/c/ABCDEFGH"
    )
    assert chat_link(None, "ABCD-EFGH") is None


def test_the_chat_address_defaults_to_where_it_listens() -> None:
    settings = Settings(_env_file=None, chat_host="0.0.0.0", chat_port=9001)  # type: ignore[call-arg]
    assert settings.chat_url == "http://127.0.0.1:9001"
    public = Settings(_env_file=None, chat_public_url="https://chat.example/")  # type: ignore[call-arg]
    assert public.chat_url == "https://chat.example"


def test_wrong_codes_are_free_up_to_a_point_then_wait_longer_at_most_15_minutes() -> None:
    assert code_lock(CODE_FREE_FAILURES - 1, NOW) is None
    assert code_lock(CODE_FREE_FAILURES, NOW) == NOW + timedelta(minutes=1)
    assert code_lock(CODE_FREE_FAILURES + 2, NOW) == NOW + timedelta(minutes=4)
    assert code_lock(CODE_FREE_FAILURES + 50, NOW) == NOW + timedelta(minutes=15)
