"""The person's data and rights: what is stored (/mydata), erasing it all (/delete),
and asking for a person (/person, or from a topic of "Who do I ask about …?")."""

from __future__ import annotations

from flows import roles
from flows import texts as T
from flows.callbacks import ConfirmErase
from flows.effects import Erase, RequestPerson, SendMyData
from flows.languages import LANGUAGES
from flows.replies import Button, Msg
from flows.screens.review import review_sections
from flows.screens.turn import Turn
from flows.state import Overlay, State


def show_my_data(turn: Turn) -> None:
    case = turn.state.case
    lang = LANGUAGES[turn.pos.lang or "en"].own_name
    parts = [Msg.of(T.MYDATA_INTRO), Msg.of(T.MYDATA_LANGUAGE, language=lang)]
    if case.has_case:
        parts.append(Msg.of(T.MYDATA_FILE_MORE))  # not shown in the chat, but stored
    turn.reply(*parts)
    if not case.has_case:
        turn.reply(Msg.of(T.MYDATA_NO_CASE))
    elif turn.consent_current():
        turn.reply(Msg.of(T.MYDATA_CONSENT))
        review_sections(turn)
    turn.effects.append(SendMyData())
    turn.present()


def confirm_erase(turn: Turn) -> None:
    """`/delete`: "are you sure?" first, as an overlay the next press answers."""
    turn.pos.overlay = Overlay.CONFIRM_DELETE
    turn.reply(
        Msg.of(T.DELETE_CONFIRM),
        buttons=[
            [Button(Msg.of(T.DELETE_YES), ConfirmErase(True).pack())],
            [Button(Msg.of(T.DELETE_NO), ConfirmErase(False).pack())],
        ],
    )


def on_erase(turn: Turn, press: ConfirmErase) -> None:
    if not press.sure:
        turn.note(T.NOT_DELETED)
        turn.present()
        return
    turn.effects.append(Erase(turn.now))
    # Nothing of the person survives this step; the reply needs only the language.
    lang, bilingual = turn.pos.lang, turn.pos.bilingual
    turn.state = State()
    turn.state.position.lang, turn.state.position.bilingual = lang, bilingual
    turn.reply(Msg.of(T.DELETED))


def request_person(turn: Turn, topic: str | None = None) -> None:
    if not turn.state.case.has_case:
        turn.note(T.PERSON_NO_CASE)
    elif topic is None:
        turn.effects.append(RequestPerson(turn.now))
        turn.note(T.PERSON_REQUESTED)
    else:
        turn.effects.append(RequestPerson(turn.now, topic))
        turn.note(roles.TOLD, topic=Msg.of(roles.TOPIC_LABELS[topic]))
    turn.present()
