"""Who helps me with what: information only, at any moment. No stage changes, so "Back
to where I was" simply shows the current question (or screen) again. What is shown
depends on the case's target group (`CaseFacts.target_group`): a gezinsmigrant sees no
maatschappelijk begeleider. The content (roles, lines, topics, routing) is
`flows.roles`; this screen draws it with its buttons and handles their presses, and
draws the "Back to where I was" button that other information screens show too."""

from __future__ import annotations

from collections.abc import Mapping

from flows import roles as R
from flows import texts as T
from flows.callbacks import RolesAction, RolesVerb
from flows.replies import Button, Join, Localized, Msg, Reply
from flows.screens.privacy import request_person
from flows.screens.turn import Turn

__all__ = [
    "back_row",
    "card_title",
    "explainer",
    "line_msg",
    "on_roles",
    "roles_button",
    "show_roles",
    "topic_answer",
]


def show_roles(turn: Turn) -> None:
    ctx = turn.context
    group = turn.state.case.target_group
    if not ctx.topics or not R.shown_roles(ctx.roles, ctx.topics, group):
        turn.note(T.UNKNOWN_COMMAND)  # a deployment without roles: not offered
        turn.present()
        return
    turn.replies.append(explainer(ctx.roles, ctx.topics, group))


def on_roles(turn: Turn, press: RolesAction) -> None:
    ctx = turn.context
    action, topic = press.action, press.topic
    group = turn.state.case.target_group
    if action == RolesVerb.ROLES:
        show_roles(turn)
    elif action == RolesVerb.TOPICS and ctx.topics:
        turn.replies.append(topics_menu())
    elif action == RolesVerb.TOPIC and topic in ctx.topics and topic in R.TOPIC_LABELS:
        figures = ctx.journey.figures()
        turn.replies.append(topic_answer(topic, ctx.roles, ctx.topics, group, figures))
    elif action == RolesVerb.ASK and topic in R.TOPIC_LABELS:
        request_person(turn, topic)
    elif action == RolesVerb.BACK:
        turn.present()
    else:
        turn.note(T.STALE_BUTTON)
        turn.present()


def roles_button() -> list[Button]:
    """The menu's way in: "Who helps me with what?"."""
    return [Button(Msg.of(T.MENU_ROLES), RolesAction(RolesVerb.ROLES).pack())]


def back_row() -> tuple[Button, ...]:
    """ "Back to where I was": shows the current place again (`on_roles`)."""
    return (Button(Msg.of(R.BACK_TO_WHERE), RolesAction(RolesVerb.BACK).pack()),)


def line_msg(line: R.Line) -> Msg:
    """One thing a role helps with, as a bullet."""
    part: Msg | Localized = Msg.of(line.text) if isinstance(line.text, str) else line.text
    return Msg.lit("• {line}", line=part)


def card_title(card: R.RoleCard) -> Msg:
    """A role as the municipality names it: its local title and organisation."""
    return Msg.lit("{title} – {organisation}", title=card.title, organisation=card.organisation)


def card_lines(card: R.RoleCard) -> list[Msg]:
    lines = [card_title(card)]
    fields = (
        (R.CONTACT_PERSON, "name"), (R.PHONE, "phone"), (R.EMAIL, "email"),
        (R.ADDRESS, "address"), (R.HOURS, "hours"), (R.WEBSITE, "website"),
    )  # fmt: skip
    for msgid, attribute in fields:
        value = getattr(card, attribute)
        if value:
            lines.append(Msg.of(msgid, **{attribute: value}))
    if card.example:
        lines.append(Msg.of(R.EXAMPLE))
    return lines


def role_part(card: R.RoleCard, topics: Mapping[str, str], group: str | None) -> Msg:
    """One role: its local title, what it helps with, what it is not for."""
    helps, not_for = card.lines(topics, group)
    lines = [card_title(card), Msg.of(R.HELPS_WITH), *(line_msg(line) for line in helps)]
    if not_for:
        lines += [Msg.of(R.NOT_FOR), *(line_msg(line) for line in not_for)]
    return Msg.lit("{lines}", lines=Join(tuple(lines), "\n"))


def explainer(
    roles: Mapping[str, R.RoleCard], topics: Mapping[str, str], group: str | None = None
) -> Reply:
    shown = R.shown_roles(roles, topics, group)
    parts = [Msg.count(R.INTRO, len(shown))]
    parts += [role_part(card, topics, group) for card in shown]
    return Reply(
        tuple(parts),
        ((Button(Msg.of(R.ASK_ABOUT), RolesAction(RolesVerb.TOPICS).pack()),), back_row()),
    )


def topics_menu() -> Reply:
    rows = [
        (Button(Msg.of(label), RolesAction(RolesVerb.TOPIC, code).pack()),)
        for code, label in R.TOPICS
    ]
    rows += [(Button(Msg.of(R.BACK), RolesAction(RolesVerb.ROLES).pack()),), back_row()]
    return Reply((Msg.of(R.WHICH_TOPIC),), tuple(rows))


def topic_answer(
    code: str,
    roles: Mapping[str, R.RoleCard],
    topics: Mapping[str, str],
    group: str | None = None,
    figures: Mapping[str, Msg] | None = None,
) -> Reply:
    card = R.role_for(code, roles, topics, group)
    contact = Msg.lit("{lines}", lines=Join(tuple(card_lines(card)), "\n"))
    parts = [Msg.of(R.ANSWER, topic=Msg.of(R.TOPIC_LABELS[code])), contact]
    parts += list(R.topic_notes(code, group, figures))
    return Reply(
        tuple(parts),
        (
            (Button(Msg.of(R.TELL_CONSULENT), RolesAction(RolesVerb.ASK, code).pack()),),
            (Button(Msg.of(R.OTHER_TOPIC), RolesAction(RolesVerb.TOPICS).pack()),),
            back_row(),
        ),
    )
