"""The binding of a browser to its web chat account: a signed, HttpOnly, SameSite=Strict
cookie that holds the account's chat id and its case's binding version, nothing else. A
forged, altered or expired cookie reads as no binding; an erased account (`/delete`)
leaves a cookie that points nowhere, and a cookie of an older binding version (the
browser left, a new code, "unbind all browsers") one that is refused: the page then
removes it.

Also the idempotency of forms: each page gives its forms one key; the key and the chat
id make the update id, so a double submit or a reload is processed once (the service's
`UpdateRepository.claim`), and one browser's keys can never collide with another's."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeGuard, TypeVar

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

R = TypeVar("R", bound=Response)

COOKIE = "wegwijs_chat"
LIFETIME = timedelta(days=400)  # browsers keep a cookie at most this long anyway
_UPDATE_BITS = 62  # fits a BIGINT, and Telegram-sized ids never meet these (other channel)


@dataclass(frozen=True)
class Binding:
    chat_id: int
    version: int = 0  # the case's binding version when the cookie was made


class BindingCodec:
    def __init__(self, secret: bytes) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="wegwijs.webchat.binding")
        self._keys = hmac.new(secret, b"wegwijs web chat update ids", hashlib.sha256).digest()

    def dumps(self, binding: Binding) -> str:
        return self._serializer.dumps([binding.chat_id, binding.version])

    def loads(self, raw: str | None) -> Binding | None:
        """The binding in the cookie; None when missing, forged, altered or too old.
        A cookie of before binding versions (the chat id alone) is version 0."""
        if not raw:
            return None
        try:
            value = self._serializer.loads(raw, max_age=int(LIFETIME.total_seconds()))
        except (BadSignature, ValueError, TypeError):
            return None
        chat_id, version = value if isinstance(value, list) and len(value) == 2 else (value, 0)
        if not (_natural(chat_id) and chat_id > 0 and _natural(version)):
            return None
        return Binding(chat_id, version)

    def update_id(self, chat_id: int, key: str) -> int:
        """The update id of a form with idempotency `key`, for this chat only."""
        digest = hmac.new(self._keys, f"{chat_id}:{key}".encode(), hashlib.sha256).digest()
        return int.from_bytes(digest[:8], "big") >> (64 - _UPDATE_BITS)


def _natural(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def new_chat_id() -> int:
    """A fresh web chat id: random, so one binding's id says nothing of another's."""
    return secrets.randbits(_UPDATE_BITS) or 1


def new_form_key() -> str:
    """The idempotency key of one rendered page's forms."""
    return secrets.token_urlsafe(12)


# -- the cookie on requests and responses --------------------------------------------------


def read_cookie(codec: BindingCodec, request: Request) -> tuple[Binding | None, bool]:
    """The binding in the request's cookie, and whether there was a cookie at all."""
    raw = request.cookies.get(COOKIE)
    return codec.loads(raw), raw is not None


def set_cookie(codec: BindingCodec, response: Response, binding: Binding, *, secure: bool) -> None:
    response.set_cookie(
        COOKIE,
        codec.dumps(binding),
        max_age=int(LIFETIME.total_seconds()),
        path="/",
        httponly=True,
        samesite="strict",
        secure=secure,
    )


def forget(response: R) -> R:
    """The binding ends: the browser drops the cookie."""
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response
