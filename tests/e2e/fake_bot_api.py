"""A local fake of the Telegram Bot API, so end-to-end tests never talk to Telegram.

The bot under test runs as a separate process and long-polls this server; the test injects
updates with ``push_*`` and inspects ``calls``. aiogram and python-telegram-bot send form
fields (urlencoded, or multipart when uploading) whose complex values are JSON strings;
aiogram uploads a file under a random part referenced as ``attach://<part>``, PTB under the
parameter's own name. JSON bodies are accepted too. Point the bots here with
aiogram ``AiohttpSession(api=TelegramAPIServer.from_base(api.base_url))`` and PTB
``ApplicationBuilder().base_url(api.ptb_base_url).base_file_url(api.ptb_base_file_url)``.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import re
import socket
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Self, TypeVar

import aiohttp
from aiohttp import web

T = TypeVar("T")
Json = dict[str, Any]
Files = dict[str, tuple[str, bytes]]

BOT_ID = 7000000001
BOT_USER: Json = {
    "id": BOT_ID,
    "is_bot": True,
    "first_name": "Wegwijs",
    "username": "wegwijs_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
DEFAULT_TOKEN = f"{BOT_ID}:AAFakeTokenForWegwijsEndToEndTests"
SEND_METHODS = frozenset({"sendMessage", "sendDocument"})
MEDIA_KINDS = (
    "sticker",
    "photo",
    "voice",
    "video",
    "document",
    "location",
    "contact",
    "animation",
    "video_note",
    "audio",
    "poll",
    "dice",
)
# Free text is never JSON-decoded: a user may well type "42", "true" or "[1]".
_TEXT_PARAMS = frozenset(
    {
        "text",
        "caption",
        "callback_query_id",
        "inline_message_id",
        "url",
        "description",
        "short_description",
        "name",
        "query",
        "secret_token",
    }
)
_STATUS_TEXT = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
}
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")


@dataclass
class Call:
    """One request the bot made; ``status`` is not 200 if an injected failure answered it."""

    method: str
    params: Json
    files: Files
    at: float
    status: int = 200


@dataclass
class _Queued:
    update: Json
    delivered: bool = False


class ApiError(Exception):
    """Raised by a method handler to answer ``{"ok": false, ...}`` the way Telegram does."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.retry_after = status, description, retry_after

    def response(self) -> web.Response:
        body: Json = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return web.json_response(body, status=self.status)


def _decode(key: str, value: Any) -> Any:
    value = value.decode() if isinstance(value, bytes) else value
    if not isinstance(value, str) or key in _TEXT_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


async def _read_params(request: web.Request) -> tuple[Json, Files]:
    """Query, JSON, urlencoded or multipart parameters, with JSON values decoded."""
    raw: Json = dict(request.query)
    files: Files = {}
    if request.content_type == "application/json" and request.body_exists:
        raw.update(await request.json())
    elif request.body_exists:
        for key, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                files[key] = (value.filename, value.file.read())
            else:
                raw[key] = value
    params = {key: _decode(key, value) for key, value in raw.items()}
    for key, value in params.items():  # aiogram: document=attach://<part>
        if isinstance(value, str) and value.startswith("attach://") and value[9:] in files:
            files[key] = files.pop(value[9:])
    return params, files


def _media(kind: str, n: int) -> Json:
    """Minimal but complete message content of one kind, as Telegram sends it."""
    f = {"file_id": f"{kind}-{n}", "file_unique_id": f"u-{kind}-{n}", "file_size": 2048}
    av = {"width": 320, "height": 240, "duration": 3}
    options = [
        {"persistent_id": str(i), "text": t, "voter_count": 0} for i, t in enumerate(("Ja", "Nee"))
    ]
    return {
        "sticker": {
            "sticker": {
                **f,
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "emoji": "👍",
            }
        },
        "photo": {
            "photo": [
                {**f, "file_id": f"photo-{n}-s", "width": 90, "height": 90},
                {**f, "width": 1280, "height": 960},
            ]
        },
        "voice": {"voice": {**f, "duration": 2, "mime_type": "audio/ogg"}},
        "video": {"video": {**f, **av, "mime_type": "video/mp4"}},
        "document": {"document": {**f, "file_name": "brief.pdf", "mime_type": "application/pdf"}},
        "location": {"location": {"latitude": 52.37, "longitude": 4.89}},
        "contact": {"contact": {"phone_number": "+31600000000", "first_name": "Amal"}},
        "animation": {"animation": {**f, **av}, "document": {**f, "mime_type": "video/mp4"}},
        "video_note": {"video_note": {**f, "length": 240, "duration": 3}},
        "audio": {"audio": {**f, "duration": 60, "mime_type": "audio/mpeg"}},
        "poll": {
            "poll": {
                "id": f"poll-{n}",
                "question": "Ja?",
                "options": options,
                "total_voter_count": 0,
                "is_closed": False,
                "is_anonymous": True,
                "type": "regular",
                "allows_multiple_answers": False,
                "allows_revoting": False,
                "members_only": False,
            }
        },
        "dice": {"dice": {"emoji": "🎲", "value": 4}},
    }[kind]


class FakeBotApi:
    """Fake Bot API server on 127.0.0.1 (free port), running in the test's event loop."""

    def __init__(self, token: str = DEFAULT_TOKEN, *, max_poll: float = 2.0) -> None:
        self.token = token
        self.max_poll = max_poll  # long polls are capped so tests stay fast
        self.base_url = ""
        self.calls: list[Call] = []
        self.pushed: list[Json] = []  # every update pushed, in order
        self.webhook_url = ""
        self.commands: dict[tuple[str, str], list[Json]] = {}  # (scope JSON, language_code)
        self.downloads: dict[str, bytes] = {}  # file_id -> bytes, for getFile + download
        self._queue: list[_Queued] = []
        self._allowed: list[str] = []
        self._new_update = asyncio.Event()
        self._next_update_id = 100000
        self._ids = itertools.count(1)
        self._last_message_id: dict[int, int] = defaultdict(int)  # per chat, like Telegram
        self._messages: dict[tuple[int, int], Json] = {}  # (chat, message_id) -> current
        self._chats: dict[int, Json] = {}
        self._last_user_message: dict[int, int] = {}
        self._callback_chats: dict[str, int] = {}
        self._failures: dict[str, list[ApiError]] = defaultdict(list)
        self._runner: web.AppRunner | None = None
        # Hooks for the benchmarks (bench/), which time each update at this server: called
        # with each update as getUpdates hands it out, and with each call once answered.
        self.on_delivered: Callable[[Json], None] | None = None
        self.on_call: Callable[[Call], None] | None = None
        self._closing = False
        # Faults: while `away` is "reset" every request's connection is cut, while "502"
        # a proxy's Bad Gateway page answers it (`go_away`, `away_from`, `come_back`).
        self.away: str | None = None
        self._away_from: tuple[Callable[[Call], bool], str] | None = None
        # Webhook delivery (`deliver_to`): posted round-robin, and again after
        # `redelivery` seconds to the next target while not answered 200, as Telegram does.
        self.webhook_targets: list[str] = []
        self.webhook_secret = ""
        self.redelivery = 2.0
        self.deliveries: list[tuple[int, str, int]] = []  # (update_id, target, status or 0)
        self._deliveries: set[asyncio.Task[None]] = set()
        self._turn = itertools.count()

    @property
    def ptb_base_url(self) -> str:
        return f"{self.base_url}/bot"

    @property
    def ptb_base_file_url(self) -> str:
        return f"{self.base_url}/file/bot"

    async def start(self) -> Self:
        self._closing = False
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/files/{file_id}", self._download)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        await web.SockSite(self._runner, sock).start()
        self.base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        return self

    async def stop(self) -> None:
        self._closing = True
        self._new_update.set()  # pending long polls answer now
        for task in self._deliveries:
            task.cancel()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def fail_next(
        self,
        method: str,
        status: int = 429,
        retry_after: int = 1,
        times: int = 1,
        description: str | None = None,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` with an error (429: retry_after)."""
        if description is None:
            description = (
                f"Too Many Requests: retry after {retry_after}"
                if status == 429
                else _STATUS_TEXT.get(status, "Error")
            )
        error = ApiError(status, description, retry_after if status == 429 else None)
        self._failures[method.lower()].extend([error] * times)

    # ---- faults ------------------------------------------------------------------------

    def go_away(self, how: str = "reset") -> None:
        """The Bot API unreachable from now: "reset" (connections cut) or "502"."""
        assert how in ("reset", "502"), how
        self.away = how

    def away_from(self, first: Callable[[Call], bool], how: str = "reset") -> None:
        """Go away at the first call for which `first(call)` holds (it fails too)."""
        assert how in ("reset", "502"), how
        self._away_from = (first, how)

    def come_back(self) -> None:
        self.away, self._away_from = None, None

    def _unreachable(self, request: web.Request, call: Call) -> web.Response | None:
        if self._away_from is not None and self._away_from[0](call):
            self.away, self._away_from = self._away_from[1], None
        if self.away is None:
            return None
        call.status = 502 if self.away == "502" else 0
        if self.away == "502":
            page = "<html><body><h1>502 Bad Gateway</h1>nginx</body></html>"
            return web.Response(status=502, text=page, content_type="text/html")
        if request.transport is not None:
            request.transport.abort()  # a reset: no answer at all
        return web.Response(status=502)  # never reaches the client

    # ---- webhook delivery --------------------------------------------------------------

    def deliver_to(self, targets: list[str], secret: str, redelivery: float = 2.0) -> None:
        """Post each pushed update to one of `targets` (round-robin) instead of queueing
        it for getUpdates; an update not answered 200 (refused, cut, 5xx, no answer in
        60 s) is posted again after `redelivery` seconds to the next target."""
        self.webhook_targets, self.webhook_secret = list(targets), secret
        self.redelivery = redelivery

    def _deliver(self, update: Json) -> None:
        task = asyncio.get_running_loop().create_task(self._post_until_taken(update))
        self._deliveries.add(task)
        task.add_done_callback(self._deliveries.discard)

    async def _post_until_taken(self, update: Json) -> None:
        header = {"X-Telegram-Bot-Api-Secret-Token": self.webhook_secret}
        timeout = aiohttp.ClientTimeout(total=60)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            while not self._closing:
                target = self.webhook_targets[next(self._turn) % len(self.webhook_targets)]
                status = 0
                with contextlib.suppress(aiohttp.ClientError, OSError, TimeoutError):
                    async with session.post(target, json=update, headers=header) as answer:
                        status = answer.status
                self.deliveries.append((int(update["update_id"]), target, status))
                if status == 200:
                    return
                await asyncio.sleep(self.redelivery)

    # ---- serving -----------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return ApiError(401, "Unauthorized").response()
        method = request.match_info["method"]
        params, files = await _read_params(request)
        call = Call(method, params, files, time.monotonic())
        self.calls.append(call)
        if (unreachable := self._unreachable(request, call)) is not None:
            return unreachable
        try:
            if failures := self._failures[method.lower()]:
                raise failures.pop(0)
            if method.lower() == "getupdates":
                result = await self._get_updates(params)
            else:
                result = self._dispatch(method.lower(), params, files)
        except ApiError as error:
            call.status = error.status
            if self.on_call is not None:
                self.on_call(call)
            return error.response()
        if self.on_call is not None:
            self.on_call(call)
        return web.json_response({"ok": True, "result": result})

    async def _download(self, request: web.Request) -> web.Response:
        data = self.downloads.get(request.match_info["file_id"])
        if request.match_info["token"] != self.token or data is None:
            return web.Response(status=404)
        return web.Response(body=data)

    def _dispatch(self, name: str, p: Json, files: Files) -> Any:
        if name == "getme":
            return dict(BOT_USER)
        if name == "sendmessage":
            text = str(p.get("text") or "")
            if not text.strip():
                raise ApiError(400, "Bad Request: message text is empty")
            if len(text) > 4096:
                raise ApiError(400, "Bad Request: message is too long")
            return self._bot_message(p, text=text)
        if name == "senddocument":
            filename, data = files.get("document", ("", b""))
            n = next(self._ids)
            doc = {
                "file_id": f"doc-{n}",
                "file_unique_id": f"u-doc-{n}",
                "file_size": len(data),
                **({"file_name": filename} if filename else {}),
            }
            return self._bot_message(p, document=doc)
        if name in ("editmessagetext", "editmessagereplymarkup"):
            return self._edit(p, with_text=name == "editmessagetext")
        if name == "getwebhookinfo":
            return {
                "url": self.webhook_url,
                "has_custom_certificate": False,
                "pending_update_count": sum(not q.delivered for q in self._queue),
            }
        if name == "setwebhook":
            self.webhook_url = str(p.get("url") or "")
        elif name == "deletewebhook":
            self.webhook_url = ""
            if p.get("drop_pending_updates"):
                self._queue.clear()
        elif name == "setmycommands":
            commands = list(p.get("commands") or [])
            if not all(
                _COMMAND.fullmatch(str(c.get("command")))
                and 1 <= len(str(c.get("description") or "")) <= 256
                for c in commands
            ):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            self.commands[self._commands_key(p)] = commands
        elif name == "getmycommands":
            return self.commands.get(self._commands_key(p), [])
        elif name == "deletemycommands":
            self.commands.pop(self._commands_key(p), None)
        elif name == "getfile":
            file_id = str(p.get("file_id"))
            return {
                "file_id": file_id,
                "file_unique_id": f"u-{file_id}",
                "file_size": len(self.downloads.get(file_id, b"")),
                "file_path": f"files/{file_id}",
            }
        elif name.startswith("send") and name != "sendchataction":  # sendPhoto and the like
            return self._bot_message(p)
        return True  # answerCallbackQuery, sendChatAction, close, logOut, anything else

    async def _get_updates(self, p: Json) -> list[Json]:
        """Long poll: forget delivered updates below ``offset``, wait for new ones.

        As on Telegram, ``allowed_updates`` persists until a call gives it again, and updates
        of other types are dropped.
        """
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active;"
                " use deleteWebhook to delete the webhook first",
            )
        if p.get("allowed_updates") is not None:
            self._allowed = list(p["allowed_updates"])
        offset = int(p.get("offset") or 0)
        limit = min(max(int(p.get("limit") or 100), 1), 100)
        deadline = time.monotonic() + min(float(p.get("timeout") or 0), self.max_poll)
        while True:
            self._new_update.clear()
            self._queue = [
                q
                for q in self._queue
                if self._is_allowed(q.update)
                and not (q.delivered and q.update["update_id"] < offset)
            ]
            batch = self._queue[:limit]
            remaining = deadline - time.monotonic()
            if batch or remaining <= 0 or self._closing:
                for queued in batch:
                    queued.delivered = True
                    if self.on_delivered is not None:
                        self.on_delivered(queued.update)
                return [copy.deepcopy(q.update) for q in batch]
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), remaining)

    def _is_allowed(self, update: Json) -> bool:
        return not self._allowed or any(key in update for key in self._allowed)

    @staticmethod
    def _commands_key(p: Json) -> tuple[str, str]:
        scope = json.dumps(p.get("scope") or {"type": "default"}, sort_keys=True)
        return scope, str(p.get("language_code") or "")

    def my_commands(self, language_code: str = "", scope: Json | None = None) -> list[Json]:
        """The commands setMyCommands stored for this language and scope."""
        return self.commands.get(
            self._commands_key({"scope": scope, "language_code": language_code}), []
        )

    # ---- messages ----------------------------------------------------------------------

    def _chat(self, chat_id: int) -> Json:
        if chat_id in self._chats:
            return self._chats[chat_id]
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": f"Tester{chat_id}"}
        return {"id": chat_id, "type": "group", "title": "Testgroep"}

    def _new_message(self, chat_id: int, sender: Json, **content: Any) -> Json:
        self._last_message_id[chat_id] += 1
        message = {
            "message_id": self._last_message_id[chat_id],
            "from": sender,
            "chat": self._chat(chat_id),
            "date": int(time.time()),
            **content,
        }
        self._messages[(chat_id, message["message_id"])] = message
        return message

    def _bot_message(self, p: Json, **content: Any) -> Json:
        if p.get("caption"):
            content["caption"] = p["caption"]
        markup = p.get("reply_markup")
        if isinstance(markup, dict) and markup.get("inline_keyboard"):
            content["reply_markup"] = markup  # Telegram echoes inline keyboards only
        return copy.deepcopy(self._new_message(self._chat_id(p), dict(BOT_USER), **content))

    @staticmethod
    def _chat_id(p: Json) -> int:
        try:
            return int(p["chat_id"])
        except (KeyError, TypeError, ValueError):
            raise ApiError(400, "Bad Request: chat not found") from None

    def _edit(self, p: Json, *, with_text: bool) -> Any:
        if "inline_message_id" in p:
            return True
        old = self._messages.get((self._chat_id(p), int(p.get("message_id") or 0)))
        if old is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        new = {**old, "text": p.get("text") or ""} if with_text else dict(old)
        new.pop("reply_markup", None)  # like Telegram: an edit without one removes it
        markup = p.get("reply_markup")
        if isinstance(markup, dict) and markup.get("inline_keyboard"):
            new["reply_markup"] = markup
        if new == old:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message "
                "content and reply markup are exactly the same",
            )
        self._messages[(old["chat"]["id"], old["message_id"])] = new
        return copy.deepcopy({**new, "edit_date": int(time.time())})

    # ---- update injection: every push_* returns the update_id ---------------------------

    def push_raw(self, update: Json) -> int:
        """Queue an update; pushing one again (same update_id) is a redelivery."""
        update = copy.deepcopy(update)
        if update.get("update_id") is None:
            update["update_id"] = self._next_update_id
        self._next_update_id = max(self._next_update_id, update["update_id"] + 1)
        self.pushed.append(update)
        if self.webhook_targets:
            self._deliver(update)
        else:
            self._queue.append(_Queued(update))
            self._new_update.set()
        return int(update["update_id"])

    def _user(self, user_id: int, language_code: str | None) -> Json:
        user = {"id": user_id, "is_bot": False, "first_name": f"Tester{user_id}"}
        return {**user, "language_code": language_code} if language_code else user

    def _push(
        self,
        chat_id: int,
        content: Json,
        *,
        user_id: int | None = None,
        language_code: str | None = "ar",
        chat_type: str = "private",
        update_id: int | None = None,
    ) -> int:
        sender = self._user(user_id or abs(chat_id), language_code)
        self._chats[chat_id] = (
            {"id": chat_id, "type": "private", "first_name": sender["first_name"]}
            if chat_type == "private"
            else {"id": chat_id, "type": chat_type, "title": "Testgroep"}
        )
        message = self._new_message(chat_id, sender, **content)
        self._last_user_message[chat_id] = message["message_id"]
        return self.push_raw({"update_id": update_id, "message": message})

    def push_text(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        language_code: str | None = "ar",
        chat_type: str = "private",
        update_id: int | None = None,
    ) -> int:
        """A user's text message; user_id defaults to the chat id."""
        return self._push(
            chat_id,
            {"text": text},
            user_id=user_id,
            chat_type=chat_type,
            language_code=language_code,
            update_id=update_id,
        )

    def push_command(self, chat_id: int, command: str, **kw: Any) -> int:
        """``push_command(1, "/start ABC")``: text with a bot_command entity; push_text's kw."""
        entity = {"type": "bot_command", "offset": 0, "length": len(command.split()[0])}
        return self._push(chat_id, {"text": command, "entities": [entity]}, **kw)

    def push_media(self, chat_id: int, kind: str, *, caption: str | None = None, **kw: Any) -> int:
        """A message of one of MEDIA_KINDS; takes push_text's keywords."""
        if kind not in MEDIA_KINDS:
            raise ValueError(f"unknown media kind {kind!r}; one of {MEDIA_KINDS}")
        content = _media(kind, next(self._ids)) | ({"caption": caption} if caption else {})
        return self._push(chat_id, content, **kw)

    def push_group_text(self, chat_id: int, text: str, **kw: Any) -> int:
        """A message in a group: negative chat id, sender ``abs(chat_id)`` unless given."""
        kw.setdefault("user_id", abs(chat_id))
        return self._push(-abs(chat_id), {"text": text}, chat_type="group", **kw)

    def push_edited(
        self,
        chat_id: int,
        text: str,
        *,
        message_id: int | None = None,
        update_id: int | None = None,
    ) -> int:
        """The user edits a message (default: their last one) to ``text``."""
        key = (chat_id, message_id or self._last_user_message.get(chat_id, 0))
        if key not in self._messages:
            raise ValueError(f"no message {key[1]} in chat {chat_id} to edit")
        self._messages[key] = {k: v for k, v in self._messages[key].items() if k != "entities"}
        self._messages[key] |= {"text": text, "edit_date": int(time.time())}
        return self.push_raw({"update_id": update_id, "edited_message": self._messages[key]})

    def push_callback(
        self,
        chat_id: int,
        data: str,
        *,
        message_id: int | None = None,
        user_id: int | None = None,
        language_code: str | None = "ar",
        update_id: int | None = None,
    ) -> int:
        """A button press, by default on the newest message that shows an inline keyboard."""
        message_id = message_id or self._keyboard_message_id(chat_id) or 1
        message = self._messages.get((chat_id, message_id)) or {
            "message_id": message_id,
            "from": dict(BOT_USER),
            "chat": self._chat(chat_id),
            "date": int(time.time()),
            "text": "…",
        }
        query_id = str(4_000_000_000 + next(self._ids))
        self._callback_chats[query_id] = chat_id
        query = {
            "id": query_id,
            "from": self._user(user_id or abs(chat_id), language_code),
            "message": message,
            "chat_instance": f"ci{chat_id}",
            "data": data,
        }
        return self.push_raw({"update_id": update_id, "callback_query": query})

    # ---- inspection and waiting --------------------------------------------------------

    def chat_of(self, call: Call) -> int | None:
        """The chat a call concerns (answerCallbackQuery: the chat of the pressed button)."""
        if "callback_query_id" in call.params:
            return self._callback_chats.get(str(call.params["callback_query_id"]))
        try:
            return int(call.params["chat_id"])
        except (KeyError, TypeError, ValueError):
            return None

    def sent(self, chat_id: int) -> list[Call]:
        """Successful sendMessage/sendDocument calls to the chat, in order."""
        return [
            c
            for c in self.calls
            if c.method in SEND_METHODS and c.status == 200 and self.chat_of(c) == int(chat_id)
        ]

    def texts(self, chat_id: int) -> list[str]:
        """Texts (documents: captions) the chat received."""
        return [
            str(c.params.get("text") or c.params.get("caption") or "") for c in self.sent(chat_id)
        ]

    def _keyboard_message_id(self, chat_id: int) -> int | None:
        return max(
            (
                mid
                for (cid, mid), m in self._messages.items()
                if cid == chat_id and m.get("reply_markup")
            ),
            default=None,
        )

    def last_keyboard(self, chat_id: int) -> list[list[tuple[str, str | None]]]:
        """Rows of (text, callback_data) of the newest message still showing an inline
        keyboard (edits included); [] if none."""
        message_id = self._keyboard_message_id(chat_id)
        if message_id is None:
            return []
        rows = self._messages[(chat_id, message_id)]["reply_markup"]["inline_keyboard"]
        return [[(b["text"], b.get("callback_data")) for b in row] for row in rows]

    def describe(self, last: int = 15) -> str:
        """The last calls, one a line, for failure messages."""
        return "\n".join(
            f"  {c.method} [{c.status}] chat={self.chat_of(c)} "
            f"{str(c.params.get('text', ''))[:60]!r}"
            for c in self.calls[-last:]
        )

    async def wait_for(self, predicate: Callable[[list[Call]], T], timeout: float = 10) -> T:
        """Poll ``predicate(calls)`` every 20 ms until truthy and return its value."""
        deadline = time.monotonic() + timeout
        while not (result := predicate(self.calls)):
            if time.monotonic() >= deadline:
                raise TimeoutError(f"not met within {timeout}s; last calls:\n{self.describe()}")
            await asyncio.sleep(0.02)
        return result

    async def wait_sent(self, chat_id: int, count: int, timeout: float = 10) -> list[Call]:
        """Wait until at least ``count`` messages/documents reached the chat; return them."""
        await self.wait_for(lambda _: len(self.sent(chat_id)) >= count, timeout)
        return self.sent(chat_id)

    async def wait_idle(self, chat_id: int, quiet: float = 0.5, timeout: float = 10) -> list[Call]:
        """Wait until the bot made no call for the chat for ``quiet`` s; return sent()."""
        start = time.monotonic()

        def is_quiet(calls: list[Call]) -> bool:
            ats = [c.at for c in calls if self.chat_of(c) == int(chat_id)]
            return time.monotonic() - max([start, *ats]) >= quiet

        await self.wait_for(is_quiet, timeout)
        return self.sent(chat_id)
