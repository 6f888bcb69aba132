"""Part 10, the review: every answer on one screen, what the consulent will see besides
them, changing any answer (part → answer → the question), and sending."""

from __future__ import annotations

from flows import texts as T
from flows.callbacks import ReviewAction, ReviewVerb
from flows.effects import Submitted
from flows.replies import Button, Join, Msg
from flows.screens.turn import Turn
from flows.state import Stage
from flows.summary import raised_flags, section_lines

REVIEWING = (Stage.REVIEW, Stage.CHANGE_SECTION, Stage.CHANGE_QUESTION)


def show_answers(turn: Turn) -> None:
    """`/answers` and the menu's "My answers": the review, if there is anything stored."""
    if not turn.state.case.has_case or not turn.consent_current():
        turn.note(T.NO_ANSWERS_STORED)
        turn.present()
        return
    show_review(turn)


def show_review(turn: Turn) -> None:
    turn.pos.stage = Stage.REVIEW
    turn.reply(Msg.of(T.REVIEW_HEADING), Msg.of(T.REVIEW_INTRO), bilingual=False)
    review_sections(turn)
    if turn.first_open() is not None:
        turn.reply(
            *consulent_notes(turn),
            Msg.of(T.REVIEW_OPEN),
            buttons=[
                [Button(Msg.of(T.REVIEW_CONTINUE), ReviewAction(ReviewVerb.MORE).pack())],
                [Button(Msg.of(T.CHANGE_AN_ANSWER), ReviewAction(ReviewVerb.CHANGE).pack())],
            ],
        )
        return
    turn.reply(
        *consulent_notes(turn),
        Msg.of(T.REVIEW_CONFIRM, municipality=turn.context.municipality),
        buttons=[
            [Button(Msg.of(T.SEND), ReviewAction(ReviewVerb.SEND).pack())],
            [Button(Msg.of(T.CHANGE_AN_ANSWER), ReviewAction(ReviewVerb.CHANGE).pack())],
        ],
    )


def consulent_notes(turn: Turn) -> list[Msg]:
    """Besides the answers, the consulent sees the notes made from them (flags such
    as "Interpreter needed"): shown here too, so the review is exactly what goes to
    the consulent, with the reminder that health and money are only flags and wishes."""
    flags = raised_flags(turn.flow, turn.state.answers)
    parts = [Msg.of(T.REVIEW_SENSITIVE), Msg.of(T.REVIEW_HISTORY)]
    if flags:
        lines = tuple(Msg.lit("• {flag}", flag=Msg.of(flag.label)) for flag in flags)
        parts = [Msg.of(T.REVIEW_FLAGS), Msg.lit("{flags}", flags=Join(lines, "\n")), *parts]
    return parts


def review_sections(turn: Turn) -> None:
    """All answers in one message, a paragraph per part: one screen to read, and one
    message instead of nine (Telegram paces messages to a chat at about one a second)."""
    parts: list[Msg] = []
    for part, section in enumerate(turn.flow.sections, start=2):
        lines = section_lines(section, turn.state.answers)
        if lines:
            header = Msg.of(T.PART_TITLE, part=part, title=Msg.of(section.title))
            parts += [header, Msg.lit("{lines}", lines=Join(tuple(lines), "\n"))]
    if parts:
        turn.reply(*parts, bilingual=False)


def show_change_section(turn: Turn) -> None:
    turn.pos.stage = Stage.CHANGE_SECTION
    answers = turn.state.answers
    buttons = [
        [
            Button(
                Msg.of(T.PART_TITLE, part=part, title=Msg.of(s.title)),
                ReviewAction(ReviewVerb.SECTION, s.id).pack(),
            )
        ]
        for part, s in enumerate(turn.flow.sections, start=2)
        if any(q.applies(answers) for q in s.questions)
    ]
    buttons.append([Button(Msg.of(T.BACK_TO_OVERVIEW), ReviewAction(ReviewVerb.BACK).pack())])
    turn.reply(Msg.of(T.WHICH_PART), buttons=buttons)


def show_change_question(turn: Turn) -> None:
    section = turn.flow.section(turn.pos.change_section or "")
    if section is None:
        show_change_section(turn)
        return
    turn.pos.stage = Stage.CHANGE_QUESTION
    buttons = [
        [Button(Msg.of(q.label), ReviewAction(ReviewVerb.QUESTION, q.id).pack())]
        for q in section.questions
        if q.applies(turn.state.answers)
    ]
    buttons.append([Button(Msg.of(T.BACK), ReviewAction(ReviewVerb.CHANGE).pack())])
    turn.reply(Msg.of(T.WHICH_ANSWER), buttons=buttons)


def on_review(turn: Turn, press: ReviewAction) -> bool:
    pos, flow = turn.pos, turn.flow
    stage = pos.stage
    if stage not in REVIEWING:
        return False
    action, target = press.action, press.target
    if action == ReviewVerb.CHANGE:
        show_change_section(turn)
    elif action == ReviewVerb.BACK:
        show_review(turn)
    elif action == ReviewVerb.MORE and stage is Stage.REVIEW:
        pos.return_to_review = False
        turn.go_next()
    elif action == ReviewVerb.SEND and stage is Stage.REVIEW and turn.first_open() is None:
        turn.effects.append(Submitted(turn.now))
        turn.state.case.submitted = True
        pos.return_to_review = False
        pos.stage = Stage.DONE
        turn.reply(
            Msg.of(T.SENT, municipality=turn.context.municipality),
            Msg.of(T.SENT_NOTHING_DECIDED),
        )
        turn.switch_to(Stage.DONE)
    elif action == ReviewVerb.SECTION and stage is Stage.CHANGE_SECTION:
        if flow.section(target) is None:
            return False
        pos.change_section = target
        show_change_question(turn)
    elif action == ReviewVerb.QUESTION and stage is Stage.CHANGE_QUESTION:
        question = flow.question(target)
        section = flow.section(pos.change_section or "")
        if question is None or section is None or question not in section.questions:
            return False
        if not question.applies(turn.state.answers):
            return False
        pos.return_to_review = True
        pos.history.clear()
        turn.move_to(question, remember=False)
    else:
        return False
    return True
