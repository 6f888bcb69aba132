"""A question of the pre-intake: asking it, its buttons, typed answers, and recording.

Every button of a question names the question it belongs to; a press counts only while
that question is on the screen, so a button of an earlier or later question is stale.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from flows import texts as T
from flows.callbacks import (
    DoneChoosing,
    GoBack,
    PickNumber,
    PickOption,
    SkipQuestion,
    ToggleOption,
)
from flows.cleaning import clean_text
from flows.effects import AnswerRecord
from flows.model import Kind, Question
from flows.replies import Button, Msg
from flows.screens.turn import Turn
from flows.state import AnswerValue, Stage
from flows.summary import SKIPPED, answer_msg

# -- asking -----------------------------------------------------------------------------


def show_question(turn: Turn) -> None:
    question = turn.current_question()
    if question is None:
        turn.go_next()  # its answer changed what applies: move on
    else:
        ask(turn, question)


@dataclass(frozen=True)
class Layout:
    """What never changes in how a question is asked: its texts and buttons. Built once
    per question and engine (`Engine.memo`): asking is on nearly every step."""

    question: Question
    before: tuple[Msg, ...]  # part, section intro, prompt, hint
    after: tuple[Msg, ...]  # how to answer (after the current answer, if any)
    rows: tuple[tuple[Button, ...], ...]  # options, or the number presets
    ticked: tuple[tuple[str, Button, Button], ...]  # MULTI: code, plain and ticked button
    done: tuple[Button, ...]
    skip: tuple[Button, ...]
    back: tuple[Button, ...]

    @classmethod
    def of(cls, turn: Turn, question: Question) -> Layout:
        key = ("question", question.id)
        found = turn.engine.memo.get(key)
        if found is None or found.question is not question:
            found = cls.build(turn, question)
            if turn.flow.question(question.id) is question:
                turn.engine.memo[key] = found  # bounded: one per question of the flow
        return found

    @classmethod
    def build(cls, turn: Turn, question: Question) -> Layout:
        flow, qid = turn.flow, question.id
        section = flow.section_of(qid)
        before = [
            Msg.of(
                T.PART_OF_TOTAL,
                part=flow.part_of(qid),
                total=flow.total_parts,
                title=Msg.of(section.title),
            )
        ]
        if section.intro and question is section.questions[0]:
            before.append(Msg.of(section.intro))
        before.append(Msg.of(question.prompt))
        if question.hint:
            before.append(Msg.of(question.hint))
        after: tuple[Msg, ...] = ()
        rows: tuple[tuple[Button, ...], ...] = ()
        ticked: tuple[tuple[str, Button, Button], ...] = ()
        if question.kind is Kind.MULTI:
            after = (Msg.of(T.MULTI_HOW),)
            ticked = tuple(
                (
                    o.code,
                    Button(Msg.of(o.text), ToggleOption(qid, o.code).pack()),
                    Button(Msg.of(o.text), ToggleOption(qid, o.code).pack(), "✅ "),
                )
                for o in question.options
            )
        elif question.has_options:
            rows = tuple(
                (Button(Msg.of(o.text), PickOption(qid, o.code).pack()),) for o in question.options
            )
        elif question.kind is Kind.NUMBER:
            after = (Msg.of(T.TYPE_NUMBER),)
            if question.presets:
                rows = (
                    tuple(
                        Button(Msg.lit("{n}", n=n), PickNumber(qid, n).pack())
                        for n in question.presets
                    ),
                )
        else:
            after = (Msg.of(T.TYPE_TEXT),)
        return cls(
            question,
            tuple(before),
            after,
            rows,
            ticked,
            done=(Button(Msg.of(T.DONE), DoneChoosing(qid).pack()),),
            skip=(Button(Msg.of(SKIPPED), SkipQuestion(qid).pack()),),
            back=(Button(Msg.of(T.BACK), GoBack(qid).pack()),),
        )


def ask(turn: Turn, question: Question) -> None:
    pos = turn.pos
    layout = Layout.of(turn, question)
    parts = layout.before
    current = turn.state.answers.get(question.id)
    if current is not None:
        parts += (Msg.of(T.CURRENT_ANSWER, answer=answer_msg(question, current)),)
    parts += layout.after
    buttons: list[tuple[Button, ...]]
    if layout.ticked:
        chosen = set(pos.selection)
        buttons = [(ticked if code in chosen else plain,) for code, plain, ticked in layout.ticked]
        buttons.append(layout.done)
    else:
        buttons = list(layout.rows)
    buttons.append(layout.skip)
    first = question is turn.engine.questions[0]
    if pos.history or pos.return_to_review or not first:
        buttons.append(layout.back)
    turn.reply(*parts, buttons=buttons)


# -- its buttons ------------------------------------------------------------------------


def _on_screen(turn: Turn, question_id: str, *kinds: Kind) -> Question | None:
    """The current question, if the pressed button belongs to it (and is of `kinds`)."""
    if turn.pos.stage is not Stage.QUESTION or question_id != turn.pos.question:
        return None
    question = turn.current_question()
    if question is None or (kinds and question.kind not in kinds):
        return None
    return question


def on_option(turn: Turn, press: PickOption) -> bool:
    question = _on_screen(turn, press.question, Kind.CHOICE, Kind.YESNO)
    if question is None or question.option(press.option) is None:
        return False
    answer(turn, question, AnswerValue(codes=(press.option,)))
    return True


def on_toggle(turn: Turn, press: ToggleOption) -> bool:
    question = _on_screen(turn, press.question, Kind.MULTI)
    option = question.option(press.option) if question is not None else None
    if question is None or option is None:
        return False
    code = option.code
    chosen = list(turn.pos.selection)
    if code in chosen:
        chosen.remove(code)
    elif option.exclusive:
        chosen = [code]
    else:
        exclusive = {o.code for o in question.options if o.exclusive}
        chosen = [c for c in chosen if c not in exclusive] + [code]
    turn.pos.selection = chosen
    ask(turn, question)
    return True


def on_done(turn: Turn, press: DoneChoosing) -> bool:
    question = _on_screen(turn, press.question, Kind.MULTI)
    if question is None:
        return False
    if not turn.pos.selection:
        turn.note(T.MULTI_EMPTY)
        ask(turn, question)
        return True
    order = [o.code for o in question.options]
    codes = tuple(sorted(set(turn.pos.selection), key=order.index))
    answer(turn, question, AnswerValue(codes=codes))
    return True


def on_number(turn: Turn, press: PickNumber) -> bool:
    question = _on_screen(turn, press.question, Kind.NUMBER)
    if question is None or press.number not in question.presets:
        return False
    answer(turn, question, AnswerValue(number=press.number))
    return True


def on_skip(turn: Turn, press: SkipQuestion) -> bool:
    question = _on_screen(turn, press.question)
    if question is None:
        return False
    answer(turn, question, AnswerValue(skipped=True))
    return True


def on_back(turn: Turn, press: GoBack) -> bool:
    question = _on_screen(turn, press.question)
    if question is None:
        return False
    flow, pos = turn.flow, turn.pos
    while pos.history:
        previous = flow.question(pos.history.pop())
        if previous is not None and previous.applies(turn.state.answers):
            turn.move_to(previous, remember=False)
            return True
    if pos.return_to_review:
        turn.switch_to(Stage.REVIEW)
        return True
    # No history (another chat of the same case): the question before, in flow order.
    questions = flow.questions
    earlier = questions[: questions.index(question)]
    previous = next((q for q in reversed(earlier) if q.applies(turn.state.answers)), None)
    if previous is None:
        turn.note(T.FIRST_QUESTION)
        ask(turn, question)
    else:
        turn.move_to(previous, remember=False)
    return True


# -- typed answers ----------------------------------------------------------------------


def on_text(turn: Turn, raw: str) -> None:
    cleaned = clean_text(raw)
    question = turn.current_question() if turn.pos.stage is Stage.QUESTION else None
    if question is None:
        if not cleaned:
            turn.note(T.NO_TEXT)
        elif turn.pos.stage not in (Stage.NO_CASE, Stage.DECLINED, Stage.DONE):
            turn.note(T.USE_BUTTONS)
        turn.present()
        return
    if not cleaned:
        turn.note(T.NO_TEXT_ANSWER)
        ask(turn, question)
        return
    value = parse(turn, question, cleaned)
    if value is None:
        ask(turn, question)
    else:
        answer(turn, question, value)


def parse(turn: Turn, question: Question, text: str) -> AnswerValue | None:
    """A typed answer, or None after noting a kind explanation."""
    if question.kind is Kind.TEXT:
        if len(text) > question.max_length:
            turn.note(T.TEXT_TOO_LONG, length=len(text), limit=question.max_length)
            return None
        return AnswerValue(text=text)
    if question.kind is Kind.NUMBER:
        number = parse_number(text)
        if number is None or not question.minimum <= number <= question.maximum:
            turn.note(T.NUMBER_RANGE, low=question.minimum, high=question.maximum)
            return None
        return AnswerValue(number=number)
    codes = match_options(turn, question, text)
    if not codes or (question.kind is not Kind.MULTI and len(codes) != 1):
        turn.note(T.CHOOSE_BUTTON)
        return None
    exclusive = [c for c in codes if question.option(c).exclusive]  # type: ignore[union-attr]
    if exclusive and len(codes) > 1:
        turn.note(T.EXCLUSIVE_OPTION, option=Msg.of(question.option(exclusive[0]).text))  # type: ignore[union-attr]
        return None
    return AnswerValue(codes=codes)


def match_options(turn: Turn, question: Question, text: str) -> tuple[str, ...]:
    """Numbers ("2", "1, 3", "1 3") or option texts in the person's language, Dutch or
    English, separated by commas. An option text may itself hold numbers ("4 to 12")."""
    by_label = turn.engine.labels(question, turn.pos.lang or "en")
    codes: list[str] = []
    for piece in (p.strip() for p in re.split(r"[,،;\n]+", text)):
        if not piece:
            continue
        label = by_label.get(piece.casefold())
        numbers = [parse_number(token) for token in piece.split()]
        if label is not None:
            found = [label]
        elif all(n is not None and 1 <= n <= len(question.options) for n in numbers):
            found = [question.options[n - 1].code for n in numbers if n is not None]
        else:
            return ()
        codes += [code for code in found if code not in codes]
    order = [o.code for o in question.options]
    return tuple(sorted(codes, key=order.index))


def parse_number(text: str) -> int | None:
    """Digits of any script ('١٢', '۱۲', '12') as a whole number."""
    text = text.strip()
    if not text or len(text) > 6:
        return None
    digits = []
    for char in text:
        value = unicodedata.digit(char, None)
        if value is None:
            return None
        digits.append(str(value))
    return int("".join(digits))


# -- recording --------------------------------------------------------------------------


def answer(turn: Turn, question: Question, value: AnswerValue) -> None:
    answers = turn.state.answers
    answers[question.id] = value
    turn.records.append(AnswerRecord(question.id, value, turn.now))
    turn.pos.selection = []
    # A changed answer can make follow-ups pointless (no children → no childcare):
    # retract those, repeating because conditions can chain. (Only a question with
    # conditions can stop applying.)
    changed = True
    while changed:
        changed = False
        for other in turn.engine.conditional:
            if other.id in answers and not other.applies(answers):
                del answers[other.id]
                turn.records.append(AnswerRecord(other.id, None, turn.now))
                changed = True
    turn.go_next()
