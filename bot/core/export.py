"""The case for the dossier: the case record (target group, BRP registration, PIP
deadline, term), every current answer with question ids, codes and Dutch labels, the
flags, and the history of changed answers. JSON or CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from bot.core.answers import current_values
from bot.municipality import Deadlines
from flows.appointments import KIND_LABELS, REASONS
from flows.i18n import Renderer
from flows.languages import DUTCH
from flows.model import Flow
from flows.record import GROUP_LABELS, RECORD_LABELS, RECORD_SECTION, case_dates
from flows.replies import Msg
from flows.summary import answer_msg, progress, raised_flags
from storage import (
    Answer,
    Appointment,
    Case,
    PersonRequest,
)

CSV_COLUMNS = (
    "question_id",
    "section",
    "question",
    "codes",
    "answer",
    "text",
    "text_lang",
    "skipped",
    "sensitive",
    "answered_at",
)


class CaseNotFound(LookupError):
    pass


def _iso(moment: datetime | date | None) -> str | None:
    return moment.isoformat() if moment else None


def _record(case: Case, deadlines: Deadlines) -> dict[str, str | None]:
    """The case record: the target group's code and the dates the law's clock runs on
    (ISO dates; None where not known yet), computed as the dashboard computes them."""
    dates = case_dates(
        case.registered_on,
        case.pip_decided_on,
        pip_weeks=deadlines.pip_weeks,
        term_years=deadlines.term_years,
        target_group=case.target_group,
    )
    return {
        "target_group": case.target_group,
        "registered_on": _iso(case.registered_on),
        "pip_deadline": _iso(dates.pip_deadline),
        "term_start": _iso(dates.term_start),
        "term_end": _iso(dates.term_end),
    }


def build_export(
    case: Case,
    rows: list[Answer],
    flow: Flow,
    renderer: Renderer,
    lang: str = DUTCH,
    requests: list[PersonRequest] | None = None,
    *,
    appointments: list[Appointment] | None = None,
    deadlines: Deadlines | None = None,
) -> dict[str, Any]:
    """Labels in Dutch for the consulent's dossier, or in the person's language for /mydata.
    `deadlines`: the municipality's figures for the PIP deadline and the term (default:
    the law's)."""

    def label(msg: Msg) -> str:
        return renderer.text(msg, lang)

    current = {r.question_id: r for r in rows if r.superseded_at is None and not r.retracted}
    values = current_values(rows)
    answers = []
    for question in flow.questions:
        row = current.get(question.id)
        if row is None or not question.applies(values):
            continue
        section = flow.section_of(question.id)
        answers.append(
            {
                "question_id": question.id,
                "section": label(Msg.of(section.title)),
                "question": label(Msg.of(question.label)),
                "codes": list(row.codes or []),
                "answer": label(answer_msg(question, values[question.id])),
                "number": row.number,
                "text": row.free_text,
                "text_lang": row.text_lang,
                "skipped": row.skipped,
                "sensitive": question.sensitive,
                "answered_at": _iso(row.answered_at),
            }
        )
    history = [
        {
            "question_id": r.question_id,
            "codes": list(r.codes or []),
            "number": r.number,
            "text": r.free_text,
            "skipped": r.skipped,
            "retracted": r.retracted,
            "answered_at": _iso(r.answered_at),
            "superseded_at": _iso(r.superseded_at),
        }
        for r in rows
        if r.superseded_at is not None or r.retracted
    ]
    answered, applicable = progress(flow, values)
    record = _record(case, deadlines or Deadlines())
    group = GROUP_LABELS.get(case.target_group or "")
    return {
        "case": {
            "id": case.id,
            "invite_code": case.invite_code,
            "label": case.label,
            "language": case.language,
            "status": case.status,
            "consent_version": case.consent_version,
            "consent_at": _iso(case.consent_at),
            "submitted_at": _iso(case.intake_submitted_at),
            **record,
            "target_group_label": label(Msg.of(group)) if group else None,
        },
        # The record's fields with their labels, in order (the CSV's first rows).
        "record": [
            {
                "field": field,
                "section": label(Msg.of(RECORD_SECTION)),
                "label": label(Msg.of(RECORD_LABELS[field])),
                "value": value,
                "text": (label(Msg.of(group)) if group else value)
                if field == "target_group"
                else value,
            }
            for field, value in record.items()
        ],
        "progress": {"answered": answered, "applicable": applicable},
        "flags": [
            {"id": flag.id, "label": label(Msg.of(flag.label))}
            for flag in raised_flags(flow, values)
        ],
        "answers": answers,
        "history": history,
        "open_requests": [
            {"topic": r.topic, "channel": r.channel, "requested_at": _iso(r.requested_at)}
            for r in requests or []
        ],
        "appointments": [_appointment(a, label) for a in appointments or []],
    }


def _appointment(appointment: Appointment, label: Callable[[Msg], str]) -> dict[str, Any]:
    """An appointment and the person's response, codes with labels; the notes too: they
    are data about the person, so /mydata shows them (GDPR art. 15)."""
    kind = KIND_LABELS.get(appointment.kind, KIND_LABELS["other"])
    reason = dict(REASONS).get(appointment.response_reason or "")
    return {
        "id": appointment.id,
        "kind": appointment.kind,
        "kind_label": label(Msg.of(kind)),
        "starts_at": _iso(appointment.starts_at),
        "ends_at": _iso(appointment.ends_at),
        "mode": appointment.mode,
        "place": appointment.place,
        "with_role": appointment.with_role,
        "with_name": appointment.with_name,
        "interpreter_lang": appointment.interpreter_lang,
        "status": appointment.status,
        "response": appointment.response,
        "response_reason": appointment.response_reason,
        "response_reason_label": label(Msg.of(reason)) if reason else None,
        "interpreter_requested": appointment.interpreter_requested,
        "responded_at": _iso(appointment.responded_at),
        "notes": appointment.notes,
    }


def to_csv(export: dict[str, Any]) -> str:
    """One row per answer, after one row per field of the case record (question_id
    "case.<field>", the code or ISO date in `codes`, the Dutch words in `answer`)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for item in export.get("record", ()):
        _write(
            writer,
            {
                "question_id": f"case.{item['field']}",
                "section": item["section"],
                "question": item["label"],
                "codes": item["value"] or "",
                "answer": item["text"] or "",
            },
        )
    for answer in export["answers"]:
        _write(writer, {**answer, "codes": "|".join(answer["codes"])})
    return out.getvalue()


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV
# injection"): a person's typed answer must open as the text they typed.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _write(writer: csv.DictWriter[str], row: dict[str, Any]) -> None:
    writer.writerow({name: _cell(value) for name, value in row.items()})
