"""What the dashboard shows, built from storage rows and the flow: the case sheet
(in Dutch, grouped by the law's three areas and within them by brede-intake topic; see
`bot.dashboard.areas`) and one caseload row per case.

Flags, progress and answer labels come from `flows` and `bot.core.export` (the same ones the
export and the person's review screen use): nothing is derived again here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from babel import Locale
from babel.dates import format_datetime

from bot.core.answers import answer_value, current_values
from bot.core.export import build_export
from bot.dashboard.areas import AREAS, area_of
from flows.i18n import LOCAL_TZ, Renderer
from flows.languages import DUTCH
from flows.model import Flow
from flows.replies import Msg
from flows.roles import TOPIC_LABELS
from flows.state import AnswerValue
from flows.summary import NOT_ANSWERED, answer_msg, progress, raised_flags
from storage import Answer, Case, PersonRequest

# Scripts written right to left: free text in these languages gets dir="rtl".
RTL_LANGS = frozenset({"ar", "fa", "ps", "ur", "he", "ckb", "yi", "dv", "sd", "ug", "prs"})

# Flags whose meaning needs the answer behind them ("interpreter needed: Arabic").
FLAG_DETAILS: dict[str, tuple[str, ...]] = {
    "interpreter": ("language.interpreter_language", "language.interpreter_other"),
    "not_available": ("family.unavailable", "family.unavailable_reason"),
    "childcare": ("family.children_ages",),
    "wants_study": ("education.study_field",),
    "working_now": ("work.current_hours",),
    "onderwijsroute": ("education.level", "language.english_level"),
    "health_no_support": ("health.kind",),
    "toeslagen_help": ("daily.toeslagen",),
    "no_income": ("daily.benefit",),
}

# Details that need their question's name to be understood ("Niveau Engels: Goed").
LABELLED_DETAILS = frozenset({"language.english_level"})

# Flags about things the person does not have: the detail names exactly what is missing
# ("Ontbreekt: DigiD"), from the options of the question that was answered, in the
# sheet's Dutch.
FLAG_MISSING: dict[str, tuple[str, dict[str, str]]] = {
    "no_digid_or_bank": ("daily.has", {"digid": "DigiD", "bank": "een Nederlandse bankrekening"}),
}

_DUTCH = Locale.parse("nl")


def language_name(code: str | None) -> str:
    """'Arabisch' for 'ar'; the code itself when Babel does not know it."""
    if not code:
        return "onbekend"
    return _DUTCH.languages.get(code, code)


_RTL_RANGES = ((0x0590, 0x08FF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFF))


def _has_rtl_letters(text: str) -> bool:
    return any(lo <= ord(ch) <= hi for ch in text for lo, hi in _RTL_RANGES)


def text_dir(code: str | None, text: str | None = None) -> str:
    """Right to left for text in a right-to-left language (Arabic, Farsi, …) written
    in its own script; "auto" (the browser decides by the first letter) for anything
    else, such as a Dutch word typed by someone who chose Arabic."""
    rtl = code is not None and code.split("-")[0] in RTL_LANGS
    if rtl and (text is None or _has_rtl_letters(text)):
        return "rtl"
    return "auto" if rtl or code is None else "ltr"


def when(moment: datetime | None, pattern: str = "d MMM y, HH:mm") -> str:
    """A moment in Dutch, Amsterdam time, with an explicit pattern."""
    if moment is None:
        return "—"
    return format_datetime(moment.astimezone(LOCAL_TZ), pattern, locale="nl")


@dataclass(frozen=True)
class SheetFlag:
    id: str
    label: str
    detail: str | None = None


@dataclass(frozen=True)
class Earlier:
    answer: str
    text: str | None
    text_lang: str | None
    answered_at: datetime
    replaced_at: datetime | None
    retracted: bool


@dataclass(frozen=True)
class SheetAnswer:
    question_id: str
    question: str
    answer: str
    answered: bool
    skipped: bool = False
    sensitive: bool = False
    text: str | None = None  # free text, in the original
    text_lang: str | None = None
    answered_at: datetime | None = None
    history: tuple[Earlier, ...] = ()

    @property
    def text_lang_name(self) -> str:
        return language_name(self.text_lang)

    @property
    def dir(self) -> str:
        return text_dir(self.text_lang, self.text)


@dataclass(frozen=True)
class SheetSection:
    id: str
    title: str
    answers: tuple[SheetAnswer, ...]


@dataclass(frozen=True)
class SheetArea:
    """One of the law's three areas, with the PIP parts it prepares and its topics."""

    id: str
    title: str
    pip: str
    sections: tuple[SheetSection, ...]


@dataclass(frozen=True)
class Sheet:
    case: Case
    flags: tuple[SheetFlag, ...]
    areas: tuple[SheetArea, ...]
    answered: int
    applicable: int
    requests: tuple[PersonRequest, ...]
    export: dict[str, Any] = field(repr=False)
    values: Mapping[str, AnswerValue] = field(default_factory=dict, repr=False)

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.applicable) if self.applicable else 0


def _label(renderer: Renderer, msg: Msg) -> str:
    return renderer.text(msg, DUTCH)


def _missing(flag_id: str, values: Mapping[str, AnswerValue]) -> str | None:
    """ "Ontbreekt: DigiD en een Nederlandse bankrekening", or None without an answer."""
    question_id, things = FLAG_MISSING[flag_id]
    value = values.get(question_id)
    if value is None or value.skipped:
        return None
    missing = [name for code, name in things.items() if code not in value.codes]
    return f"Ontbreekt: {' en '.join(missing)}" if missing else None


def sheet_flags(
    flow: Flow, values: Mapping[str, AnswerValue], renderer: Renderer
) -> tuple[SheetFlag, ...]:
    flags = []
    for flag in raised_flags(flow, values):
        if flag.id in FLAG_MISSING:
            label = _label(renderer, Msg.of(flag.label))
            flags.append(SheetFlag(flag.id, label, _missing(flag.id, values)))
            continue
        details = []
        for question_id in FLAG_DETAILS.get(flag.id, ()):
            question = flow.question(question_id)
            value = values.get(question_id)
            if question is None or value is None or value.skipped or not question.applies(values):
                continue
            answer = _label(renderer, answer_msg(question, value))
            if question_id in LABELLED_DETAILS:
                answer = f"{_label(renderer, Msg.of(question.label))}: {answer}"
            details.append(answer)
        detail = None
        if details:  # "In de ochtend, Vrijdag (Zorg voor kinderen)"
            detail = details[0] + (f" ({', '.join(details[1:])})" if details[1:] else "")
        flags.append(SheetFlag(flag.id, _label(renderer, Msg.of(flag.label)), detail))
    return tuple(flags)


def build_sheet(
    case: Case,
    rows: list[Answer],
    requests: list[PersonRequest],
    flow: Flow,
    renderer: Renderer,
) -> Sheet:
    export = build_export(case, rows, flow, renderer, DUTCH, requests)
    values = current_values(rows)
    exported = {answer["question_id"]: answer for answer in export["answers"]}
    current = {r.question_id: r for r in rows if r.superseded_at is None and not r.retracted}
    earlier: dict[str, list[Earlier]] = {}
    for row in rows:
        if row.superseded_at is None and not row.retracted:
            continue
        question = flow.question(row.question_id)
        if question is None:
            continue
        label = (
            "ingetrokken"
            if row.retracted
            else _label(renderer, answer_msg(question, answer_value(row)))
        )
        earlier.setdefault(row.question_id, []).append(
            Earlier(
                label,
                row.free_text,
                row.text_lang,
                row.answered_at,
                row.superseded_at,
                row.retracted,
            )
        )
    not_answered = _label(renderer, Msg.of(NOT_ANSWERED))
    by_area: dict[str, list[SheetSection]] = {area.id: [] for area in AREAS}
    for section in flow.sections:
        answers: dict[str, list[SheetAnswer]] = {area.id: [] for area in AREAS}
        for question in section.questions:
            if not question.applies(values):
                continue
            done = exported.get(question.id)
            history = tuple(reversed(earlier.get(question.id, ())))  # newest first
            listed = answers[area_of(section.id, question.id)]
            if done is None:
                listed.append(
                    SheetAnswer(
                        question.id,
                        _label(renderer, Msg.of(question.label)),
                        not_answered,
                        answered=False,
                        sensitive=question.sensitive,
                        history=history,
                    )
                )
                continue
            listed.append(
                SheetAnswer(
                    question.id,
                    done["question"],
                    done["answer"],
                    answered=True,
                    skipped=done["skipped"],
                    sensitive=done["sensitive"],
                    text=done["text"],
                    text_lang=done["text_lang"],
                    answered_at=current[question.id].answered_at,
                    history=history,
                )
            )
        title = _label(renderer, Msg.of(section.title))
        for area_id, listed in answers.items():
            if listed:
                by_area[area_id].append(SheetSection(section.id, title, tuple(listed)))
    areas = tuple(
        SheetArea(area.id, area.title, area.pip, tuple(by_area[area.id])) for area in AREAS
    )
    answered, applicable = progress(flow, values)
    return Sheet(
        case,
        sheet_flags(flow, values, renderer),
        areas,
        answered,
        applicable,
        tuple(requests),
        export,
        values,
    )


# -- the caseload -------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseRow:
    case: Case
    answered: int
    applicable: int
    flags: tuple[SheetFlag, ...]
    open_requests: int
    last_activity: datetime | None
    next_appointment: Any | None = None  # storage.Appointment, when there is one
    record: Any | None = None  # bot.dashboard.record.RecordView: the PIP deadline

    @property
    def name(self) -> str:
        return self.case.label or f"Case {self.case.invite_code}"

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.applicable) if self.applicable else 0

    @property
    def stage(self) -> str:
        """Where the person is, in a word."""
        case = self.case
        if case.status == "closed":
            return "gesloten"
        if case.intake_submitted_at:
            return "verstuurd"
        if case.consent_version:
            return "bezig"
        if case.invite_used_at or self.last_activity:
            return "gestart, geen toestemming"
        return "uitgenodigd"


def caseload_rows(
    cases: Iterable[Case],
    answers: Mapping[str, list[Answer]],
    requests: Mapping[str, int],
    last_seen: Mapping[str, datetime],
    appointments: Mapping[str, Any],
    flow: Flow,
    renderer: Renderer,
) -> list[CaseRow]:
    rows = []
    for case in cases:
        values = current_values(answers.get(case.id, ()))
        answered, applicable = progress(flow, values)
        latest = [r.answered_at for r in answers.get(case.id, ())]
        if case.id in last_seen:
            latest.append(last_seen[case.id])
        rows.append(
            CaseRow(
                case,
                answered,
                applicable,
                sheet_flags(flow, values, renderer),
                requests.get(case.id, 0),
                max(latest) if latest else None,
                appointments.get(case.id),
            )
        )
    return rows


def topic_name(renderer: Renderer, code: str | None) -> str | None:
    """The Dutch name of a "who do I ask about …" topic (a person's request is about
    one), or None for a general request."""
    label = TOPIC_LABELS.get(code or "")
    return _label(renderer, Msg.of(label)) if label else None


def flag_choices(flow: Flow, renderer: Renderer) -> list[tuple[str, str]]:
    return [(flag.id, _label(renderer, Msg.of(flag.label))) for flag in flow.flags]
