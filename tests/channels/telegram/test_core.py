"""The Telegram core shared by both adapters: parsing updates, splitting long texts, and
what `TelegramCore.handle` answers, against a real Service (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import gettext
import itertools
import json
import re
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sqlmodel import func, select

from bot.channels.telegram.core import (
    MEDIA_KEYS,
    TELEGRAM_LIMIT,
    AnswerCallback,
    ClearKeyboard,
    Incoming,
    Send,
    TelegramCore,
    parse_update,
    split_text,
)
from bot.core import language as language_module
from bot.core.cases import close_case
from bot.core.service import Service
from flows import texts
from flows.engine import Context, Engine
from flows.i18n import Renderer
from flows.intake import INTAKE
from flows.replies import Msg
from storage import ChannelAccount, Database, ProcessedUpdate
from tests.clock import NOW, Clock
from tests.core.test_service import CHAT

# -- parse_update -----------------------------------------------------------------------

USER = {"id": CHAT, "is_bot": False, "first_name": "Amal", "language_code": "ar"}
PRIVATE = {"id": CHAT, "type": "private", "first_name": "Amal"}


def message(**fields: Any) -> dict[str, Any]:
    return {"message_id": 10, "date": 1_700_000_000, "chat": PRIVATE, "from": USER, **fields}


def test_a_private_text_message_is_parsed() -> None:
    incoming = parse_update({"update_id": 5, "message": message(text="hallo")})
    assert incoming == Incoming(5, CHAT, "private", "ar", text="hallo")


def test_a_start_command_with_a_code_keeps_the_whole_text() -> None:
    incoming = parse_update({"update_id": 6, "message": message(text="/start ABCD-EFGH")})
    assert incoming is not None
    assert incoming.text == "/start ABCD-EFGH" and incoming.media == ""
    assert incoming.callback_id is None


def test_a_callback_query_takes_the_chat_from_its_message() -> None:
    update = {
        "update_id": 7,
        "callback_query": {
            "id": "cb-1",
            "from": {**USER, "id": 1},  # another id than the chat: the chat must win
            "message": message(message_id=33),
            "data": "lang:en",
        },
    }
    incoming = parse_update(update)
    assert incoming == Incoming(
        7,
        CHAT,
        "private",
        "ar",
        callback_id="cb-1",
        callback_data="lang:en",
        callback_message_id=33,
    )


def test_a_callback_query_without_its_message_takes_the_chat_from_the_user() -> None:
    update = {"update_id": 8, "callback_query": {"id": "cb-2", "from": USER, "data": "c:yes"}}
    incoming = parse_update(update)
    assert incoming is not None
    assert incoming.chat_id == CHAT and incoming.chat_type == "private"
    assert incoming.callback_id == "cb-2" and incoming.callback_data == "c:yes"
    assert incoming.callback_message_id is None


def test_a_callback_query_without_message_or_user_is_ignored() -> None:
    assert parse_update({"update_id": 9, "callback_query": {"id": "cb-3"}}) is None


@pytest.mark.parametrize("kind", MEDIA_KEYS)
def test_every_media_kind_is_recognised(kind: str) -> None:
    incoming = parse_update({"update_id": 11, "message": message(**{kind: {"x": 1}})})
    assert incoming is not None
    assert incoming.media == kind and incoming.text == ""


def test_a_photo_with_a_caption_is_still_a_photo() -> None:
    update = {"update_id": 12, "message": message(photo=[{"file_id": "f"}], caption="my text")}
    incoming = parse_update(update)
    assert incoming is not None and incoming.media == "photo" and incoming.text == ""


def test_a_message_with_neither_text_nor_known_media_is_other_media() -> None:
    incoming = parse_update({"update_id": 13, "message": message(new_chat_title="x")})
    assert incoming is not None and incoming.media == "other"


def test_an_edited_message_is_media_edited() -> None:
    incoming = parse_update({"update_id": 14, "edited_message": message(text="changed")})
    assert incoming is not None and incoming.media == "edited"
    assert incoming.chat_id == CHAT


def test_a_channel_post_keeps_the_channel_type() -> None:
    channel = {"id": -1001234567890, "type": "channel", "title": "News"}
    update = {"update_id": 15, "channel_post": {"message_id": 1, "chat": channel, "text": "hi"}}
    incoming = parse_update(update)
    assert incoming == Incoming(15, -1001234567890, "channel", None, text="hi")


def test_a_group_message_keeps_the_group_type() -> None:
    group = {"id": -4242, "type": "group", "title": "Klas"}
    incoming = parse_update({"update_id": 16, "message": message(chat=group, text="hoi")})
    assert incoming is not None
    assert incoming.chat_type == "group" and incoming.chat_id == -4242


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({"message": message(text="x")}, id="no-update_id"),
        pytest.param({"update_id": "17", "message": message(text="x")}, id="update_id-string"),
        pytest.param({"update_id": 17, "message": {"text": "x"}}, id="message-without-chat"),
        pytest.param(
            {"update_id": 17, "message": message(chat={"type": "private"}, text="x")},
            id="chat-without-id",
        ),
        pytest.param(
            {"update_id": 17, "poll_answer": {"poll_id": "p", "user": USER, "option_ids": [0]}},
            id="poll_answer",
        ),
        pytest.param({"update_id": 17}, id="nothing-else"),
        pytest.param({}, id="empty"),
        pytest.param({"update_id": 17, "message": "text"}, id="message-a-string"),
    ],
)
def test_garbage_and_ignored_updates_give_none(data: dict[str, Any]) -> None:
    assert parse_update(data) is None


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({"update_id": 1, "message": {"chat": [1], "text": "x"}}, id="chat-a-list"),
        pytest.param({"update_id": 1, "message": message(text="x", **{"from": "u"})}, id="from"),
        pytest.param(
            {"update_id": 1, "callback_query": {"id": "c", "message": "gone", "from": USER}},
            id="callback-message-a-string",
        ),
        pytest.param(
            {"update_id": 1, "callback_query": {"id": "c", "from": [CHAT]}},
            id="callback-from-a-list",
        ),
    ],
)
def test_wrongly_typed_parts_of_an_update_give_none(data: dict[str, Any]) -> None:
    assert parse_update(data) is None


# JSON-like values, with Telegram's own keys likely, so the shapes parse_update looks at
# come up often.
KEYS = st.sampled_from(
    [
        "update_id", "message", "edited_message", "channel_post", "edited_channel_post",
        "callback_query", "chat", "from", "id", "type", "text", "data", "language_code",
        "message_id", "photo", "poll_answer",
    ]
) | st.text(max_size=5)  # fmt: skip
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(KEYS, children, max_size=5),
    max_leaves=20,
)


@given(st.dictionaries(KEYS, JSON, max_size=6))
@example({"update_id": 0, "message": {"chat": [0]}})  # makes the known failure certain
def test_parse_update_never_raises_on_json_like_input(data: dict[str, Any]) -> None:
    result = parse_update(data)
    assert result is None or isinstance(result, Incoming)


# -- split_text -------------------------------------------------------------------------


def without_newlines(text: str) -> str:
    return text.replace("\n", "")


def test_a_short_text_is_not_split() -> None:
    assert split_text("Kort bericht.\n\nTweede alinea.") == ["Kort bericht.\n\nTweede alinea."]
    assert split_text("x" * TELEGRAM_LIMIT) == ["x" * TELEGRAM_LIMIT]


def test_ten_thousand_characters_split_into_chunks_that_rejoin_to_the_original() -> None:
    lines = [f"Regel {i:04d}: " + "woorden " * 8 for i in range(400)]
    text = "\n".join(line.rstrip() for line in lines)[:10_000]
    assert len(text) == 10_000
    chunks = split_text(text)
    assert len(chunks) >= 3
    assert all(0 < len(chunk) <= TELEGRAM_LIMIT for chunk in chunks)
    assert without_newlines("".join(chunks)) == without_newlines(text)


def test_a_text_without_any_newline_is_cut_at_the_limit() -> None:
    text = "abcdefghij" * 1_000
    chunks = split_text(text)
    assert [len(c) for c in chunks] == [TELEGRAM_LIMIT, TELEGRAM_LIMIT, 10_000 - 2 * 4096]
    assert "".join(chunks) == text


def test_a_split_falls_on_a_paragraph_break_when_there_is_no_other_newline() -> None:
    first, second = "a" * 3_000, "b" * 3_000
    assert split_text(f"{first}\n\n{second}") == [first, second]


def test_a_split_falls_on_a_line_break_rather_than_inside_a_line() -> None:
    lines = ["x" * 99] * 60  # 6000 characters in lines of 100
    chunks = split_text("\n".join(lines))
    assert all(set(chunk.split("\n")) == {"x" * 99} for chunk in chunks)


def test_a_split_prefers_a_paragraph_break_to_a_line_break() -> None:
    paragraph = "\n".join(["p" * 99] * 25)  # 2499 characters in lines
    second = "\n".join(["q" * 99] * 25)
    chunks = split_text(f"{paragraph}\n\n{second}")
    assert chunks == [paragraph, second]


@given(st.text(alphabet=st.sampled_from("ab \n\n."), max_size=12_000))
def test_split_text_keeps_every_visible_character_within_the_limit(text: str) -> None:
    chunks = split_text(text, limit=1_000)
    assert all(len(chunk) <= 1_000 for chunk in chunks)
    assert re.sub(r"\s", "", "".join(chunks)) == re.sub(r"\s", "", text)


# -- TelegramCore.handle ----------------------------------------------------------------


class LongCatalog(gettext.NullTranslations):
    """English, except that the language question runs far over Telegram's limit."""

    LONG = "\n\n".join(f"Alinea {i}. " + "Kies uw taal. " * 40 for i in range(12))

    def gettext(self, message: str) -> str:
        return self.LONG if message == texts.CHOOSE_LANGUAGE else message


def make_core(db: Database, renderer: Renderer | None = None) -> TelegramCore:
    renderer = renderer or Renderer({})
    engine = Engine(INTAKE, Context("Rijswijk", consent_version="1-r12"), renderer.text)
    return TelegramCore(Service(db, engine, renderer, Clock(tick=timedelta(seconds=1))))


class Updates:
    """Incoming updates for one chat, with update ids never used before in the test run
    (update ids are per bot, not per chat)."""

    ids = itertools.count(1000)

    def __init__(self, chat: int = CHAT) -> None:
        self.chat = chat
        self.next_id = 0

    def _id(self) -> int:
        self.next_id = next(self.ids)
        return self.next_id

    def text(self, text: str, **fields: Any) -> Incoming:
        return Incoming(self._id(), self.chat, text=text, **fields)

    def press(self, data: str, message_id: int | None = 55) -> Incoming:
        return Incoming(
            self._id(),
            self.chat,
            callback_id=f"cb-{self.next_id}",
            callback_data=data,
            callback_message_id=message_id,
        )


def sends(actions: list[Any]) -> list[Send]:
    return [a for a in actions if isinstance(a, Send)]


async def count(db: Database, model: type) -> int:
    async with db.session() as session:
        return (await session.exec(select(func.count()).select_from(model))).one()


async def linked(core: TelegramCore, updates: Updates) -> str:
    """A case, linked by /start CODE, with English chosen and consent given."""
    case = await core.service.create_case()
    await core.handle(updates.text(f"/start {case.invite_code}"))
    await core.handle(updates.press("lang:en"))
    await core.handle(updates.press("c:yes"))
    return case.id


async def test_a_group_message_gets_one_refusal_and_nothing_is_stored(db: Database) -> None:
    core = make_core(db)
    group = Incoming(1, -4242, "group", "nl", text="hallo allemaal")
    actions = await core.handle(group)
    refusal = Renderer({}).text(Msg.of(texts.GROUP_REFUSAL), "en")
    assert actions == [Send(-4242, refusal)]
    assert await count(db, ChannelAccount) == 0
    assert await count(db, ProcessedUpdate) == 0


async def test_a_group_button_press_is_only_answered(db: Database) -> None:
    core = make_core(db)
    press = Incoming(2, -4242, "supergroup", callback_id="cb", callback_data="lang:en")
    assert await core.handle(press) == [AnswerCallback("cb")]
    assert await count(db, ChannelAccount) == 0


@pytest.mark.parametrize(
    "update",
    [
        Incoming(3, -100123, "channel", text="post"),
        Incoming(4, -4242, "group", text="changed", media="edited"),
    ],
    ids=["channel-post", "edited-group-message"],
)
async def test_channel_posts_and_edits_in_groups_get_no_answer(
    db: Database, update: Incoming
) -> None:
    assert await make_core(db).handle(update) == []
    assert await count(db, ChannelAccount) == 0


async def test_a_button_press_is_answered_then_its_keyboard_cleared_then_replied(
    db: Database,
) -> None:
    core, updates = make_core(db), Updates()
    press = updates.press("lang:en", message_id=77)
    actions = await core.handle(press)
    assert actions[0] == AnswerCallback(press.callback_id)
    assert actions[1] == ClearKeyboard(CHAT, 77)
    assert len(actions) > 2 and all(isinstance(a, Send) for a in actions[2:])
    assert all(a.chat_id == CHAT for a in sends(actions))


async def test_a_button_press_without_its_message_clears_no_keyboard(db: Database) -> None:
    core, updates = make_core(db), Updates()
    actions = await core.handle(updates.press("lang:en", message_id=None))
    assert isinstance(actions[0], AnswerCallback)
    assert not any(isinstance(a, ClearKeyboard) for a in actions)
    assert sends(actions)


async def test_start_with_a_valid_code_links_the_case_and_says_so_first(db: Database) -> None:
    core, updates = make_core(db), Updates()
    case = await core.service.create_case()
    actions = await core.handle(updates.text(f"/start {case.invite_code}", language_code="en"))
    assert texts.INVITE_OK in actions[0].text
    async with db.session() as session:
        account = (await session.exec(select(ChannelAccount))).one()
    assert account.channel == "telegram" and account.external_id == CHAT
    assert account.case_id == case.id


async def test_start_with_an_unknown_code_says_the_code_is_unknown(db: Database) -> None:
    core, updates = make_core(db), Updates()
    actions = await core.handle(updates.text("/start ZZZZ-ZZZZ"))
    assert texts.INVITE_UNKNOWN in actions[0].text
    async with db.session() as session:
        accounts = (await session.exec(select(ChannelAccount))).all()
    assert all(a.case_id is None for a in accounts)


async def test_a_used_code_in_a_second_chat_is_answered_as_an_unknown_one(db: Database) -> None:
    """Whether a code exists is not told to whoever guesses it."""
    core = make_core(db)
    case = await core.service.create_case()
    await core.handle(Updates(1).text(f"/start {case.invite_code}"))
    used = await core.handle(Updates(2).text(f"/start {case.invite_code}"))
    unknown = await core.handle(Updates(3).text("/start ZZZZ-ZZZZ"))
    assert texts.INVITE_UNKNOWN in used[0].text
    assert [a.text for a in used] == [a.text for a in unknown]


async def test_start_with_the_code_of_a_closed_case_says_it_is_closed(db: Database) -> None:
    core = make_core(db)
    case = await core.service.create_case()
    await close_case(db, case.id, actor="anna", now=NOW)
    actions = await core.handle(Updates().text(f"/start {case.invite_code}"))
    assert texts.CASE_CLOSED in actions[0].text
    async with db.session() as session:
        accounts = (await session.exec(select(ChannelAccount))).all()
    assert all(a.case_id is None for a in accounts)


async def test_a_command_addressed_to_the_bot_by_name_is_the_plain_command(db: Database) -> None:
    core, updates = make_core(db), Updates()
    await core.handle(updates.press("lang:en"))
    plain = "\n".join(s.text for s in sends(await core.handle(updates.text("/help"))))
    named = sends(await core.handle(updates.text("/help@wegwijs_test_bot")))
    assert texts.HELP in named[0].text
    assert texts.UNKNOWN_COMMAND not in named[0].text
    assert "\n".join(s.text for s in named) == plain


async def test_a_slash_followed_by_only_spaces_does_not_crash(db: Database) -> None:
    core, updates = make_core(db), Updates()
    await core.handle(updates.press("lang:en"))
    assert sends(await core.handle(updates.text("/ ")))


async def test_a_reply_over_the_limit_is_sent_in_pieces_with_buttons_on_the_last(
    db: Database,
) -> None:
    core = make_core(db, Renderer({"en": LongCatalog()}))
    actions = sends(await core.handle(Updates().text("hello", language_code="en")))
    assert len(actions) > 1
    assert all(len(a.text) <= TELEGRAM_LIMIT for a in actions)
    assert all(a.buttons == () for a in actions[:-1])
    assert actions[-1].buttons  # the language buttons
    assert {b.data for row in actions[-1].buttons for b in row} >= {"lang:en", "lang:ar"}
    assert without_newlines("".join(a.text for a in actions)).count("Kies uw taal.") == 480


async def test_a_flood_is_fully_processed_but_only_the_last_replies_are_sent(
    db: Database,
) -> None:
    core, updates = make_core(db), Updates()
    await linked(core, updates)
    single = len(sends(await core.handle(updates.text("/help"))))
    flood = [updates.text(f"bericht {i}") for i in range(5)]
    results = await asyncio.gather(*(core.handle(u) for u in flood))
    sent = [s for actions in results for s in sends(actions)]
    assert 0 < len(sent) < 5 * single
    assert sum(1 for actions in results if sends(actions)) == 1  # one message answered
    assert sends(results[-1])  # … the last one, after the others
    for update in flood:  # every update was processed: a redelivery is a no-op
        assert await core.handle(update) == []
    assert core._pending == {}


async def test_a_flood_of_updates_is_counted_as_processed(db: Database) -> None:
    core, updates = make_core(db), Updates()
    flood = [updates.text(f"hallo {i}") for i in range(5)]
    await asyncio.gather(*(core.handle(u) for u in flood))
    assert await count(db, ProcessedUpdate) == 5


async def test_a_redelivered_update_sends_nothing(db: Database) -> None:
    core, updates = make_core(db), Updates()
    update = updates.text("hallo")
    assert sends(await core.handle(update))
    assert await core.handle(update) == []


async def test_mydata_sends_a_document_holding_json(db: Database) -> None:
    core, updates = make_core(db), Updates()
    case_id = await linked(core, updates)
    actions = sends(await core.handle(updates.text("/mydata")))
    documents = [a for a in actions if a.document is not None]
    assert len(documents) == 1
    document = documents[0].document
    assert document is not None and document.filename.endswith(".json")
    data = json.loads(document.content.decode("utf-8"))
    assert data["account"]["channel"] == "telegram"
    assert case_id in json.dumps(data)


async def test_a_document_survives_a_flood(db: Database) -> None:
    core, updates = make_core(db), Updates()
    await linked(core, updates)
    results = await asyncio.gather(
        core.handle(updates.text("/mydata")), core.handle(updates.text("hallo"))
    )
    documents = [s for actions in results for s in sends(actions) if s.document is not None]
    assert len(documents) == 1


async def test_a_first_typed_message_puts_its_language_first_in_the_menu(db: Database) -> None:
    core, updates = make_core(db), Updates()
    [menu] = sends(await core.handle(updates.text("مرحبا، أريد أن أسأل عن الاندماج")))
    assert menu.buttons[0][0].data == "lang:ar"
    [menu] = sends(await core.handle(Updates(CHAT + 1).text("Hallo, ik heb een vraag")))
    assert menu.buttons[0][0].data == "lang:nl"


async def test_once_a_language_is_chosen_typed_text_is_not_guessed_again(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guessing a Latin text's language takes as long as the rest of an update; only a
    person without a language needs the guess."""
    core, updates = make_core(db), Updates()
    await core.handle(updates.press("lang:en"))
    guessed: list[str] = []
    monkeypatch.setattr(language_module, "_nl_or_en", lambda text: guessed.append(text))
    assert sends(await core.handle(updates.text("Hello, what can I do here?")))
    assert guessed == []
