"""aiogram imported with its types built on first use (bot/channels/telegram/deferred_models).

Each check runs in a fresh interpreter: aiogram is imported once per process, and the
rest of the suite imports it the ordinary way.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.e2e.fake_bot_api import MEDIA_KINDS, _media

# Updates of the kinds Wegwijs reads, with the nested types they bring along.
UPDATES = [
    {
        "update_id": 1,
        "message": {
            "message_id": 7,
            "date": 1_780_000_000,
            "chat": {"id": 42, "type": "private", "first_name": "Amal"},
            "from": {"id": 42, "is_bot": False, "first_name": "Amal", "language_code": "ar"},
            "text": "/start abc",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    },
    {
        "update_id": 2,
        "callback_query": {
            "id": "99",
            "chat_instance": "x",
            "data": "o:3",
            "from": {"id": 42, "is_bot": False, "first_name": "Amal"},
            "message": {
                "message_id": 8,
                "date": 1_780_000_001,
                "chat": {"id": 42, "type": "private"},
                "text": "Question",
                "reply_markup": {"inline_keyboard": [[{"text": "Ja", "callback_data": "o:3"}]]},
            },
        },
    },
    {
        "update_id": 3,
        "message": {
            "message_id": 9,
            "date": 1_780_000_002,
            "chat": {"id": 42, "type": "private"},
            "photo": [{"file_id": "f", "file_unique_id": "u", "width": 1, "height": 1}],
            "sticker": {
                "file_id": "s",
                "file_unique_id": "t",
                "type": "regular",
                "width": 1,
                "height": 1,
                "is_animated": False,
                "is_video": False,
            },
        },
    },
]

# Every kind of media message the fake Bot API sends (an animation also carries a
# `document`, which pydantic serializes with the type's own serializer).
UPDATES += [
    {
        "update_id": 10 + n,
        "message": {
            "message_id": 10 + n,
            "date": 1_780_000_003,
            "chat": {"id": 42, "type": "private"},
            "from": {"id": 42, "is_bot": False, "first_name": "Amal"},
            **_media(kind, n),
        },
    }
    for n, kind in enumerate(MEDIA_KINDS)
]

SCRIPT = """
import json, sys, warnings
warnings.simplefilter("error")  # pydantic warns when a value is not of the type it expects
from pydantic import BaseModel
if sys.argv[1] == "deferred":
    from bot.channels.telegram.deferred_models import import_aiogram
    adapter = import_aiogram("bot.channels.telegram.aiogram_adapter")
    types = sys.modules["aiogram.types"]
    read = adapter.as_dict
else:
    import aiogram.types as types
    read = lambda u: u.model_dump(mode="json", by_alias=True, exclude_none=True)
models = [
    getattr(types, name) for name in types.__all__
    if isinstance(getattr(types, name), type) and issubclass(getattr(types, name), BaseModel)
]
unbuilt = sorted(m.__name__ for m in models if not m.__pydantic_complete__)
from aiogram.methods.base import Response
raw = {"ok": True, "result": json.loads(sys.argv[2])}
dumps = [read(u) for u in Response[list[types.Update]].model_validate(raw).result]
# The calls Wegwijs makes, with types they contain that nothing built yet.
from aiogram.methods import SendMessage, SetMyCommands
SetMyCommands(
    commands=[types.BotCommand(command="start", description="x")],
    scope=types.BotCommandScopeChat(chat_id=1),
).model_dump()
SendMessage(
    chat_id=1, text="x",
    reply_markup=types.InlineKeyboardMarkup(
        inline_keyboard=[[{"text": "a", "callback_data": "b"}]]
    ),
).model_dump()
for model in models:
    model.model_rebuild(raise_errors=True)
print(json.dumps({
    "models": len(models),
    "unbuilt_at_import": len(unbuilt),
    "still_unbuilt": [m.__name__ for m in models if not m.__pydantic_complete__],
    "dumps": dumps,
}))
"""


@pytest.fixture(scope="module")
def runs() -> dict[str, dict]:
    """Both interpreters at once: each imports aiogram, the deferred one builds all of
    its types one by one (some seconds)."""
    procs = {
        mode: subprocess.Popen(
            [sys.executable, "-c", SCRIPT, mode, json.dumps(UPDATES)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for mode in ("eager", "deferred")
    }
    found = {}
    for mode, proc in procs.items():
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
        found[mode] = json.loads(out)
    return found


@pytest.fixture(scope="module")
def eager(runs: dict[str, dict]) -> dict:
    return runs["eager"]


@pytest.fixture(scope="module")
def deferred(runs: dict[str, dict]) -> dict:
    return runs["deferred"]


def test_aiogram_types_are_left_unbuilt_at_import(eager: dict, deferred: dict) -> None:
    assert eager["unbuilt_at_import"] == 0
    assert deferred["unbuilt_at_import"] > 0.9 * deferred["models"]


def test_every_type_builds_on_demand(deferred: dict) -> None:
    assert deferred["models"] > 200
    assert deferred["still_unbuilt"] == []


def test_updates_read_the_same_as_with_aiogram_s_own_import(eager: dict, deferred: dict) -> None:
    assert deferred["dumps"] == eager["dumps"]
    assert deferred["dumps"][1]["callback_query"]["message"]["reply_markup"]


def test_the_hook_is_removed_after_the_import() -> None:
    from pydantic import BaseModel

    from bot.channels.telegram.deferred_models import deferred_rebuilds

    before = BaseModel.__dict__["model_rebuild"]
    with deferred_rebuilds():
        assert BaseModel.__dict__["model_rebuild"] is not before
    assert BaseModel.__dict__["model_rebuild"] is before
