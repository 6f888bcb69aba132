"""Choosing the language (an overlay on any stage) and the Dutch copy underneath."""

from __future__ import annotations

from flows import texts as T
from flows.callbacks import Bilingual, ChooseLanguage
from flows.effects import SetLanguage
from flows.languages import DUTCH, LANGUAGES
from flows.replies import Button, Msg
from flows.screens.turn import Turn
from flows.state import Overlay, Stage


def ask_language(turn: Turn, hint: str | None = None) -> None:
    """The language menu, each language in its own words; the hinted one first."""
    pos = turn.pos
    pos.overlay = Overlay.LANGUAGE
    order = list(LANGUAGES)
    if hint in LANGUAGES:
        order.remove(hint)
        order.insert(0, hint)
    parts = tuple(Msg(T.CHOOSE_LANGUAGE, in_lang=code) for code in order)
    buttons = [[Button(Msg.lit(LANGUAGES[code].own_name), language_button(code))] for code in order]
    if pos.lang is not None and pos.lang != DUTCH:
        if pos.bilingual:
            buttons.append([Button(Msg.of(T.BILINGUAL_OFF_BUTTON), Bilingual(False).pack())])
        else:
            buttons.append([Button(Msg.of(T.BILINGUAL_ON_BUTTON), Bilingual(True).pack())])
    turn.reply(*parts, buttons=buttons, bilingual=False)


def language_button(code: str) -> str:
    """The data of the menu's button for `code` (the console's `--lang` presses it)."""
    return ChooseLanguage(code).pack()


def on_language(turn: Turn, press: ChooseLanguage) -> None:
    pos = turn.pos
    code = press.code
    if code not in LANGUAGES:
        turn.note(T.STALE_BUTTON)
        ask_language(turn) if pos.lang is None else turn.present()
        return
    first_time = pos.lang is None
    pos.lang = code
    pos.overlay = None
    turn.effects.append(SetLanguage(code))
    if code != DUTCH and pos.bilingual:
        turn.note(T.BILINGUAL_EXPLAINED)
    turn.resume(greet=False) if first_time or pos.stage is Stage.NEW else turn.present()


def on_bilingual(turn: Turn, press: Bilingual) -> None:
    pos = turn.pos
    pos.bilingual = press.on
    pos.overlay = None
    if pos.lang is None:
        ask_language(turn)
        return
    turn.note(T.BILINGUAL_ON if press.on else T.BILINGUAL_OFF)
    turn.present()


def typed_instead(turn: Turn) -> None:
    """Text while the language menu is open: the menu again, with a word on why."""
    turn.note(T.CHOOSE_LANGUAGE_BUTTON)
    ask_language(turn)
