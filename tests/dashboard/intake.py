"""Feeding a whole pre-intake through the service, as a person on Telegram would:
press the buttons of whatever question comes, type where a question wants words."""

from __future__ import annotations

from collections.abc import Mapping

from bot.core.service import Attach, Inbound, Service
from flows.events import Event
from flows.i18n import Rendered
from flows.intake import INTAKE
from flows.model import Kind

CHANNEL = "telegram"
SCRIPT_TEXT = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
ARABIC_GOAL = (
    "أريد أن أعمل ممرضة في مستشفى قريب من بيتي، وأن أتعلم اللغة الهولندية جيدا مع أولادي "
    + SCRIPT_TEXT
)

# One person's answers (the rest is skipped: "I'd rather discuss this in person").
HADDAD: dict[str, object] = {
    "language.spoken": ["ar", "en"],
    "language.english_level": "good",
    "language.interpreter": "yes",
    "language.interpreter_language": "ar",
    "reading.own_language": "a_little",
    "reading.latin": "yes",
    "reading.dutch": "none",
    "reading.azc_lessons": "some",
    "reading.numeracy": "a_little",
    "reading.learning_style": "both",
    "education.years": 9,
    "education.level": "secondary",
    "education.diploma_papers": "some",
    "education.study_wish": "yes",
    "education.study_field": "Verpleegkunde",
    "work.current_job": "no",
    "work.worked_before": "yes",
    "work.years": 5,
    "work.sectors_before": ["care"],
    "work.job_before": "ممرضة",
    "work.wish": ["care", "education"],
    "work.volunteering": "wants",
    "work.skills": ["team", "hours"],
    "work.driving_licence": "no",
    "family.household": ["partner", "children"],
    "family.partner_inburgering": "yes",
    "family.children_count": "2",
    "family.children_ages": ["under_4", "4_12"],
    "family.childcare": "yes",
    "family.preschool": ["jgz"],
    "family.abroad": "no",
    "family.came_later": "no",
    "family.network": ["family", "community"],
    "family.unavailable": ["mornings", "fri"],
    "family.unavailable_reason": ["children"],
    "daily.digital": "a_little",
    "daily.has": ["email", "bank", "insurance"],
    "daily.benefit": "yes",
    "daily.benefit_from": "municipality",
    "daily.toeslagen": ["zorg", "huur"],
    "daily.cycling": "learn",
    "daily.swimming": "no",
    "daily.letters": "yes",
    "health.consent": "yes",
    "health.difficulty": "yes",
    "health.kind": ["physical", "hearing"],
    "health.support": "yes",
    "money.worries": "no",
    "goals.year": ["dutch", "work"],
    "goals.own_words": ARABIC_GOAL,
    "goals.help_now": "Een huisarts voor mijn dochter",
    "goals.interests": ["cooking", "meeting"],
    "goals.language_buddy": "yes",
}


class Person:
    def __init__(self, service: Service, chat_id: int) -> None:
        self.service = service
        self.chat_id = chat_id
        self.update_id = chat_id % 1_000_000 * 1000
        self.last: list[Rendered] = []

    async def send(self, event: Event) -> list[Rendered]:
        self.update_id += 1
        self.last = await self.service.handle(Inbound(CHANNEL, self.chat_id, event, self.update_id))
        return self.last

    def buttons(self) -> list[str]:
        return [b.data for r in self.last for row in r.buttons for b in row]

    def current_question(self) -> str | None:
        for data in self.buttons():
            if data.startswith("s:"):
                return data[2:]
        return None

    async def answer(self, question_id: str, value: object | None) -> None:
        question = INTAKE.question(question_id)
        assert question is not None
        if value is None:
            await self.send(Event.press(f"s:{question_id}"))
        elif question.kind is Kind.MULTI:
            assert isinstance(value, list)
            for code in value:
                await self.send(Event.press(f"t:{question_id}:{code}"))
            await self.send(Event.press(f"d:{question_id}"))
        elif question.kind is Kind.NUMBER or question.kind is Kind.TEXT:
            await self.send(Event.say(str(value)))
        else:
            await self.send(Event.press(f"a:{question_id}:{value}"))


async def complete_intake(
    service: Service,
    code: str,
    chat_id: int,
    answers: Mapping[str, object] = HADDAD,
    *,
    lang: str = "ar",
    change: tuple[str, str, str] | None = ("reading", "reading.dutch", "words"),
) -> Person:
    """Bind the chat with the invite code, choose the language, agree, answer every
    question that comes, change one answer from the review screen, and send."""
    assert await service.attach(CHANNEL, chat_id, code) is Attach.OK
    person = Person(service, chat_id)
    await person.send(Event.start())
    await person.send(Event.press(f"lang:{lang}"))
    await person.send(Event.press("c:yes"))
    for _ in range(200):
        if "r:send" in person.buttons():
            break
        question_id = person.current_question()
        assert question_id is not None, [r.text for r in person.last]
        await person.answer(question_id, answers.get(question_id))
    else:
        raise AssertionError("the pre-intake did not reach the review")
    if change is not None:
        section, question_id, new = change
        await person.send(Event.press("r:change"))
        await person.send(Event.press(f"r:sec:{section}"))
        await person.send(Event.press(f"r:q:{question_id}"))
        await person.answer(question_id, new)
        assert "r:send" in person.buttons()
    await person.send(Event.press("r:send"))
    return person
