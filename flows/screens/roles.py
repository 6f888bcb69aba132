"""Who helps me with what: information only, at any moment. No stage changes, so "Back
to where I was" simply shows the current question (or screen) again. What is shown
depends on the case's target group (`CaseFacts.target_group`): a gezinsmigrant sees no
maatschappelijk begeleider."""

from __future__ import annotations

from flows import roles
from flows import texts as T
from flows.callbacks import RolesAction
from flows.screens.privacy import request_person
from flows.screens.turn import Turn


def show_roles(turn: Turn) -> None:
    ctx = turn.context
    group = turn.state.case.target_group
    if not ctx.topics or not roles.shown_roles(ctx.roles, ctx.topics, group):
        turn.note(T.UNKNOWN_COMMAND)  # a deployment without roles: not offered
        turn.present()
        return
    turn.replies.append(roles.explainer(ctx.roles, ctx.topics, group))


def on_roles(turn: Turn, press: RolesAction) -> None:
    ctx = turn.context
    action, topic = press.action, press.topic
    group = turn.state.case.target_group
    if action == "roles":
        show_roles(turn)
    elif action == "topics" and ctx.topics:
        turn.replies.append(roles.topics_menu())
    elif action == "t" and topic in ctx.topics and topic in roles.TOPIC_LABELS:
        figures = ctx.journey.figures()
        turn.replies.append(roles.topic_answer(topic, ctx.roles, ctx.topics, group, figures))
    elif action == "ask" and topic in roles.TOPIC_LABELS:
        request_person(turn, topic)
    elif action == "back":
        turn.present()
    else:
        turn.note(T.STALE_BUTTON)
        turn.present()
