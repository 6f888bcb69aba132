"""Part 1: what this is and who sees the answers, and the consent to ask at all. Without
a case (no invite code) there is nothing to consent to: information only."""

from __future__ import annotations

from flows import texts as T
from flows.callbacks import ConsentChoice, ConsentWord
from flows.effects import Consent
from flows.replies import Button, Msg
from flows.screens.menu import menu_buttons
from flows.screens.turn import Turn
from flows.state import Stage


def show_consent(turn: Turn) -> None:
    ctx = turn.context
    parts = [
        Msg.of(T.PART_OF_TOTAL, part=1, total=turn.flow.total_parts, title=Msg.of(T.WELCOME_TITLE))
    ]
    if turn.state.case.consent_version is not None:
        parts.append(Msg.of(T.CONSENT_CHANGED))
    parts += [
        Msg.of(T.CONSENT_WHAT, municipality=ctx.municipality),
        Msg.of(T.CONSENT_NOT_A_TEST),
        T.consent_who(ctx.municipality, ctx.retention_months, ctx.who_sees),
        Msg.of(T.CONSENT_RIGHTS),
        Msg.of(T.CONSENT_QUESTION),
    ]
    turn.reply(
        *parts,
        buttons=[
            [Button(Msg.of(T.CONSENT_YES), ConsentChoice(ConsentWord.YES).pack())],
            [Button(Msg.of(T.CONSENT_NO), ConsentChoice(ConsentWord.NO).pack())],
            [Button(Msg.of(T.CONSENT_MORE), ConsentChoice(ConsentWord.MORE).pack())],
        ],
    )


def on_consent(turn: Turn, press: ConsentChoice) -> bool:
    pos = turn.pos
    if press.answer == ConsentWord.AGAIN and pos.stage is Stage.DECLINED:
        pos.stage = Stage.CONSENT
        show_consent(turn)
        return True
    if pos.stage is not Stage.CONSENT or press.answer == ConsentWord.AGAIN:
        return False
    version = turn.context.consent_version
    if press.answer == ConsentWord.MORE:
        turn.reply(
            Msg.of(T.MORE_MINIMUM),
            Msg.of(T.MORE_SENSITIVE),
            Msg.of(T.MORE_NOT_SHARED),
        )
        show_consent(turn)
    elif press.answer == ConsentWord.YES:
        turn.effects.append(Consent(version, True, turn.now))
        turn.state.case.consent_version = version
        turn.note(T.CONSENT_THANKS)
        turn.resume(greet=False)
    else:
        turn.effects.append(Consent(version, False, turn.now))
        turn.state.case.consent_version = None
        pos.stage = Stage.DECLINED
        show_declined(turn)
    return True


def show_declined(turn: Turn) -> None:
    turn.reply(
        Msg.of(T.DECLINED),
        Msg.of(T.DECLINED_STILL),
        buttons=[[Button(Msg.of(T.CONSENT_AGAIN), ConsentChoice(ConsentWord.AGAIN).pack())]],
    )


def show_no_case(turn: Turn) -> None:
    turn.reply(
        Msg.of(T.NO_CASE_WELCOME),
        Msg.of(T.NO_CASE_HOW),
        buttons=menu_buttons(turn, answers=False),
    )
