"""The console channel driven like a script would: `wegwijs chat` with piped input,
then `wegwijs export` — as separate processes, on a fresh SQLite database."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from flows.record import RECORD_LABELS

WEGWIJS = str(Path(sys.executable).with_name("wegwijs"))

# One complete pre-intake by button numbers and typed answers ("1, 3" selects several).
# Each line answers one question, in order, for the path it creates.
FULL_INTAKE = [
    "1",  # consent: yes
    "1, 9, 12",  # languages: Arabic, English and another language
    "Aramees",  # which other language
    "2",  # English: good
    "1",  # interpreter: yes
    "1",  # interpreter language: Arabic
    "1",  # reads own language: well
    "2",  # Latin alphabet: a little
    "2",  # Dutch: some words
    "2",  # lessons: some
    "2",  # numeracy: a little
    "3",  # learns best: both
    "12",  # years of school (more than there are buttons: typed as a number)
    "4",  # highest: vocational training
    "2",  # papers: some
    "1",  # diploma in: care
    "1",  # wants to study: yes
    "verpleegkunde",  # what
    "1",  # works now: yes
    "2",  # hours a week: 12 to 24
    "1",  # worked before: yes
    "8",  # years of work (typed)
    "1, 2",  # sectors before
    "verpleegkundige",  # job
    "1, 9",  # work wished for
    "2",  # volunteering: would like to
    "1, 3",  # work skills: worked with others, followed a boss's instructions
    "2",  # driving licence: foreign
    "2, 3",  # lives with partner and children
    "1",  # partner has own inburgering: yes
    "2",  # two children
    "1, 2",  # children under 4 and 4–12
    "1",  # childcare needed: yes
    "1, 2",  # young child: a playgroup (VVE) and the consultatiebureau (JGZ)
    "1",  # family abroad: request started
    "2",  # came later by family reunification: no
    "1, 2",  # can ask for help: family, friends
    "1, 4, 9",  # not available: mornings, Monday, Saturday
    "1, 2",  # because of work, children
    "2",  # digital: a little
    "1, 3",  # has e-mail and bank account
    "1",  # a benefit: yes
    "1",  # from the municipality (bijstand)
    "1, 2",  # toeslagen applied for: zorgtoeslag, huurtoeslag
    "2",  # cycling: wants to learn
    "3",  # swimming: no
    "1",  # help with letters: yes
    "1",  # health and money questions: yes
    "1",  # health makes learning harder: yes
    "2, 3",  # what kind: how I feel, hearing
    "1",  # support wanted: yes
    "2",  # money worries: no
    "1, 2",  # goals: Dutch, work
    "Een huisarts voor mijn zoon",  # what help is needed now
    "Ik wil verpleegkundige worden in Nederland.",  # goals in own words
    "1, 3",  # interests
    "1",  # language buddy: yes
    "Ik werk graag met mensen.",  # for the consulent, before the talk
    "1",  # review: send to my consulent
]
ANSWERED = 57  # every line above but the consent and the final send


def run(args: list[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [WEGWIJS, *args], input=stdin, capture_output=True, text=True, env=env, timeout=120
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'wegwijs.db'}",
        "PYTHONIOENCODING": "utf-8",
    }


def case_code(output: str) -> str:
    found = re.search(r"code ([A-Z2-9]{4}-[A-Z2-9]{4})", output)
    assert found, output
    return found.group(1)


@pytest.mark.parametrize("lang", ["ar", "ti", "nl", "en"])
def test_a_piped_session_completes_the_whole_pre_intake_and_export_shows_every_answer(
    lang: str, env: dict[str, str]
) -> None:
    chat = run(["chat", "--lang", lang], env, "\n".join(FULL_INTAKE) + "\n")
    assert chat.returncode == 0, chat.stderr
    assert "Traceback" not in chat.stdout + chat.stderr
    code = case_code(chat.stdout)

    exported = run(["export", code, "--format", "json"], env)
    assert exported.returncode == 0, exported.stderr
    data = json.loads(exported.stdout)
    assert data["case"]["language"] == lang
    assert data["case"]["submitted_at"] is not None
    assert len(data["answers"]) == ANSWERED
    assert data["progress"] == {"answered": ANSWERED, "applicable": ANSWERED}
    by_id = {a["question_id"]: a for a in data["answers"]}
    assert by_id["language.spoken"]["codes"] == ["ar", "en", "other"]
    assert by_id["education.years"]["number"] == 12
    assert by_id["goals.own_words"]["text"] == "Ik wil verpleegkundige worden in Nederland."
    assert by_id["goals.own_words"]["text_lang"] == "nl"
    assert "money.help" not in by_id  # no money worries: never asked
    flags = {flag["id"] for flag in data["flags"]}
    assert {"interpreter", "childcare", "health_support", "wants_study"} <= flags
    assert {"working_now", "onderwijsroute", "no_digid_or_bank"} <= flags
    assert by_id["work.current_hours"]["codes"] == ["12_24"]
    assert by_id["family.unavailable"]["codes"] == ["mornings", "mon", "sat"]
    assert by_id["health.kind"]["codes"] == ["mental", "hearing"]
    assert by_id["goals.help_now"]["text"] == "Een huisarts voor mijn zoon"

    table = list(csv.DictReader(io.StringIO(run(["export", code, "-f", "csv"], env).stdout)))
    record = [row["question_id"] for row in table if row["question_id"].startswith("case.")]
    assert record == [f"case.{field}" for field in RECORD_LABELS]  # the case record first
    answers = [row["question_id"] for row in table[len(record) :]]
    assert answers == [a["question_id"] for a in data["answers"]]


def test_a_second_run_with_the_same_case_resumes_where_it_stopped(env: dict[str, str]) -> None:
    first = run(["chat", "--lang", "en"], env, "\n".join(FULL_INTAKE[:7]) + "\n")
    assert first.returncode == 0, first.stderr
    code = case_code(first.stdout)
    assert "answers are saved" in first.stdout

    second = run(["chat", "--case", code.lower()], env, "\n".join(FULL_INTAKE[7:]) + "\n")
    assert second.returncode == 0, second.stderr
    assert "Welcome back" in second.stdout
    resumed_at = second.stdout.index("Welcome back")
    assert "Do you know the letters a b c" in second.stdout[resumed_at : resumed_at + 400]
    data = json.loads(run(["export", code], env).stdout)
    assert len(data["answers"]) == ANSWERED and data["case"]["submitted_at"]


def test_bad_arguments_get_one_clear_line_and_no_traceback(env: dict[str, str]) -> None:
    unknown_case = run(["chat", "--case", "ZZZZ-ZZZZ"], env)
    assert unknown_case.returncode == 2 and "no case has the code" in unknown_case.stderr
    bad_lang = run(["chat", "--lang", "xx"], env)
    assert bad_lang.returncode == 2 and "unknown language" in bad_lang.stderr
    no_export = run(["export", "nothing"], env)
    assert no_export.returncode == 2 and "no case" in no_export.stderr
    bad_db = run(["case", "create"], {**env, "DATABASE_URL": "mysql://x"})
    assert bad_db.returncode == 2 and "DATABASE_URL" in bad_db.stderr
    for result in (unknown_case, bad_lang, no_export, bad_db):
        assert "Traceback" not in result.stderr


def test_a_broken_municipality_file_stops_start_up_naming_the_field(
    env: dict[str, str], tmp_path: Path
) -> None:
    broken = tmp_path / "gemeente.toml"
    broken.write_text('[municipality]\nname = "Rijswijk"\n[privacy]\nretention_months = "long"\n')
    result = run(["case", "create"], {**env, "WEGWIJS_MUNICIPALITY": str(broken)})
    assert result.returncode == 2
    assert str(broken) in result.stderr and "privacy.retention_months" in result.stderr


def test_choosing_the_language_up_front_shows_the_welcome_once(env: dict[str, str]) -> None:
    chat = run(["chat", "--lang", "en"], env, "")
    assert chat.returncode == 0, chat.stderr
    assert chat.stdout.count("Do you agree that we keep your answers") == 1


@pytest.mark.parametrize("lang", ["ar", "ti", "nl", "en"])
def test_who_helps_with_what_answers_every_topic_and_returns_to_the_question(
    lang: str, env: dict[str, str]
) -> None:
    from bot.municipality import TOPICS, load_municipality
    from bot.settings import DEFAULT_MUNICIPALITY

    municipality = load_municipality(DEFAULT_MUNICIPALITY)
    script = ["1", "/roles", "1"]  # agree; the explainer; "Who do I ask about …?"
    for number in range(1, len(TOPICS) + 1):
        script += [str(number), "2"]  # a topic; "Another question"
    script += [str(len(TOPICS) + 2)]  # "Back to where I was"
    script += ["1, 2"]  # the interrupted question: which languages
    chat = run(["chat", "--lang", lang], env, "\n".join(script) + "\n")
    assert chat.returncode == 0, chat.stderr
    assert "Traceback" not in chat.stdout + chat.stderr
    consulent, begeleider = municipality.role("consulent"), municipality.role("begeleider")
    assert f"{consulent.title} – {consulent.organisation}" in chat.stdout
    assert f"{begeleider.title} – {begeleider.organisation}" in chat.stdout
    after = chat.stdout.split("\n> ")[1:]  # what followed each input line, in order
    assert len(after) == len(script)
    for number, topic in enumerate(TOPICS, start=1):
        shown = after[3 + 2 * (number - 1)]  # the answer to the topic's button
        role = municipality.role_for(topic)
        assert f"{role.title} – {role.organisation}" in shown, topic
    data = json.loads(run(["export", case_code(chat.stdout)], env).stdout)
    assert [a["question_id"] for a in data["answers"]] == ["language.spoken"]
    assert data["answers"][0]["codes"] == ["ar", "ti"]


@pytest.mark.parametrize("lang", ["ar", "ti", "nl", "en"])
def test_the_journey_step_by_step_walks_every_step_and_returns_to_the_question(
    lang: str, env: dict[str, str]
) -> None:
    from bot.core.journey import journey_context
    from bot.municipality import load_municipality
    from bot.settings import DEFAULT_MUNICIPALITY
    from flows import journey as J
    from flows.i18n import Renderer, load_catalogs
    from flows.replies import Money, Msg

    context = journey_context(load_municipality(DEFAULT_MUNICIPALITY))
    total = len(J.STEPS)
    script = ["1", "/route", "1"]  # agree; the timeline; "Where am I now?" (the first step)
    script += ["1"] + ["2"] * (total - 2)  # "Next step" (from the second on, after "Previous")
    script += ["1", "2", "2"]  # back one step, forward again, "All steps"
    script += ["3", "1, 2"]  # "Back to where I was"; the interrupted question
    chat = run(["chat", "--lang", lang], env, "\n".join(script) + "\n")
    assert chat.returncode == 0, chat.stderr
    assert "Traceback" not in chat.stdout + chat.stderr
    render = Renderer(load_catalogs()).text
    after = chat.stdout.split("\n> ")[1:]  # what followed each input line, in order
    assert len(after) == len(script)
    title = render(Msg.of(J.TITLE), lang)
    assert title in after[1] and title in after[-3]  # /route, and "All steps"
    for number, step in enumerate(J.STEPS, start=1):
        head = Msg.of(J.STEP_HEAD, number=number, total=total, title=Msg.of(step.title))
        assert render(head, lang) in after[1 + number], number
    assert "📍" in after[2]  # a new case is at the first step
    assert render(Msg.of(J.GIVEN_BY, organisation=context.pvt_by or ""), lang) in chat.stdout
    fines = Msg.of(J.FINES_MUNICIPALITY_NAMED, brede_intake=Money(250), pip=Money(context.fine_pip))
    assert render(fines, lang) in after[1 + total]
    previous = Msg.of(J.STEP_HEAD, number=total - 1, total=total, title=Msg.of(J.STEPS[-2].title))
    assert render(previous, lang) in after[2 + total]
    # Back to where the person was: the languages question, which takes its answer.
    from flows.intake import INTAKE

    spoken, interpreter = (
        INTAKE.question("language.spoken"),
        INTAKE.question("language.interpreter"),
    )
    assert spoken is not None and interpreter is not None
    assert render(Msg.of(spoken.prompt), lang) in after[-2]
    assert render(Msg.of(interpreter.prompt), lang) in after[-1]
