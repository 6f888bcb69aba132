""" "What will my consulent see?": before sending, the review shows exactly what goes to
the consulent — every answer, the notes (flags) made from them, and that health and money
are only flags and wishes."""

from __future__ import annotations

from flows import texts as T
from flows.callbacks import PickOption, ReviewAction, ToggleOption
from flows.events import Event
from flows.intake import INTAKE
from flows.replies import Msg
from flows.summary import raised_flags
from tests.flows.helpers import (
    AGREED,
    ALL_BRANCHES,
    msgids,
    new_state,
    payloads,
    press,
    steps,
    walk,
)


def review_of(engine, chosen):
    agreed = steps(engine, new_state(), AGREED)[-1]
    return walk(engine, agreed.state, chosen)[-1]


def flag_labels(step) -> list[str]:
    """The flags listed in the last reply (the one with the Send button)."""
    for part in step.replies[-1].parts:
        if part.literal and part.msgid == "{flags}":
            return [line.params["flag"].msgid for line in part.params["flags"].items]
    return []


def test_the_review_is_headed_as_what_the_consulent_will_see(engine) -> None:
    step = review_of(engine, ALL_BRANCHES)
    assert msgids(step)[:2] == [T.REVIEW_HEADING, T.REVIEW_INTRO]
    assert payloads(step) == [ReviewAction("send"), ReviewAction("change")]


def test_before_sending_the_person_sees_the_flags_the_consulent_sees(engine) -> None:
    step = review_of(engine, ALL_BRANCHES)
    expected = [flag.label for flag in raised_flags(INTAKE, step.state.answers)]
    assert expected, "ALL_BRANCHES raises flags, such as the interpreter"
    assert flag_labels(step) == expected
    last = [part.msgid for part in step.replies[-1].parts]
    notes = [T.REVIEW_FLAGS, T.REVIEW_SENSITIVE, T.REVIEW_HISTORY, T.REVIEW_CONFIRM]
    assert [m for m in last if m in notes] == notes


def test_without_flags_only_the_note_on_health_and_money_is_added(engine) -> None:
    quiet = {
        "language.interpreter": press(PickOption("language.interpreter", "no")),
        "reading.own_language": press(PickOption("reading.own_language", "well")),
        "reading.latin": press(PickOption("reading.latin", "yes")),
        "education.study_wish": press(PickOption("education.study_wish", "no")),
        "family.unavailable": press(ToggleOption("family.unavailable", "always")),
        "family.abroad": press(PickOption("family.abroad", "no")),
        "work.current_job": press(PickOption("work.current_job", "no")),
        "daily.has": Event.say("2, 3, 4"),  # DigiD, bank account, insurance
        "daily.letters": press(PickOption("daily.letters", "no")),
        "health.consent": press(PickOption("health.consent", "no")),
    }
    step = review_of(engine, quiet)
    assert [f.id for f in raised_flags(INTAKE, step.state.answers)] == []
    last = [part.msgid for part in step.replies[-1].parts]
    assert T.REVIEW_FLAGS not in last and T.REVIEW_SENSITIVE in last
    assert flag_labels(step) == []


def test_health_and_money_are_shown_as_flags_and_wishes_only(engine) -> None:
    """The health and money answers are codes (yes / no / maybe later), never free text."""
    step = review_of(engine, ALL_BRANCHES)
    sensitive = [q for q in INTAKE.questions if q.sensitive]
    assert sensitive and all(q.has_options for q in sensitive)
    for question in sensitive:
        value = step.state.answers.get(question.id)
        assert value is None or (value.text is None and value.number is None)
    assert Msg.of(T.REVIEW_SENSITIVE) in step.replies[-1].parts
