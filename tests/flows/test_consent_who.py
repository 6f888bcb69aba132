"""Who sees the answers, as the consent text says it, and words that need a context.

The consent text must be true: in Noordwijk VluchtelingenWerk joins the intake, Rijswijk
brings in the werkgeversservicepunt and Inkomen, and administrators see every case. So it
never says "only your consulent"; a municipality may list who does (`who_sees`).
"""

from __future__ import annotations

import pickle

import pytest
from babel.messages.pofile import read_po

from flows import sentences as S
from flows import texts as T
from flows.i18n import DEFAULT_LOCALES_DIR, FSI, PDI, Renderer
from flows.intake import INTAKE
from flows.model import NC_, Contextual
from flows.replies import Localized, Msg
from tests.flows.helpers import TO_CONSENT

WHO = ("je klantmanager inburgering bij ISD Bollenstreek", "VluchtelingenWerk, bij de brede intake")


def test_without_a_list_the_consulent_and_the_people_who_work_with_them_see_the_answers(
    renderer: Renderer,
) -> None:
    text = renderer.text(T.consent_who("Noordwijk", 12, ()), "en")
    assert text.startswith("Your consulent at Noordwijk and the people who work with them")
    assert "erased 12 months after" in text
    assert "Only" not in text and "only" not in text


def test_with_a_list_each_one_is_named_on_its_own_line(renderer: Renderer) -> None:
    text = renderer.text(T.consent_who("Noordwijk", 1, WHO), "en")
    assert text.splitlines() == [
        "These people can see your answers:",
        "• je klantmanager inburgering bij ISD Bollenstreek",
        "• VluchtelingenWerk, bij de brede intake",
        "Your answers are erased 1 month after your inburgering ends.",
    ]


@pytest.mark.parametrize("lang", ["ar", "ti", "nl"])
@pytest.mark.parametrize("months", [1, 2, 12, 24])
def test_the_list_is_rendered_in_every_language_with_the_dutch_names_as_written(
    catalog_renderer: Renderer, lang: str, months: int
) -> None:
    text = catalog_renderer.text(T.consent_who("Noordwijk", months, WHO), lang)
    english = catalog_renderer.text(T.consent_who("Noordwijk", months, WHO), "en")
    assert text != english
    assert "{" not in text
    lines = text.splitlines()
    for who in WHO:
        line = next(line for line in lines if who in line)
        if lang == "ar":  # a Dutch name inside Arabic keeps its own direction
            assert line == f"• {FSI}{who}{PDI}"


OWN = Localized.of({"en": "the team", "nl": "het team", "ar": "الفريق", "ti": "እቲ ጉጅለ"})
ROLE = Msg.of(S.WHO_SEES_ROLE, title="klantmanager inburgering", organisation="ISD Bollenstreek")


@pytest.mark.parametrize("lang", ["ar", "ti", "nl", "en"])
def test_a_standard_line_and_an_own_line_are_said_in_the_readers_language(
    catalog_renderer: Renderer, lang: str
) -> None:
    """No Dutch sentence in an Arabic or Tigrinya text: the standard line is translated
    (the role's title and organisation are names, as written), an own line is the file's
    text in the reader's language."""
    text = catalog_renderer.text(T.consent_who("Noordwijk", 12, (ROLE, OWN)), lang)
    lines = text.splitlines()
    assert "klantmanager inburgering" in lines[1] and "ISD Bollenstreek" in lines[1]
    assert lines[2].endswith(OWN.text(lang))
    if lang != "nl":
        assert " bij " not in text and "het team" not in text


@pytest.mark.parametrize("lang", ["ar", "ti", "nl"])
def test_the_general_sentence_is_translated(catalog_renderer: Renderer, lang: str) -> None:
    text = catalog_renderer.text(T.consent_who("Rijswijk", 12, ()), lang)
    assert "Rijswijk" in text and "{" not in text
    assert text != catalog_renderer.text(T.consent_who("Rijswijk", 12, ()), "en")


def test_the_consent_screen_no_longer_says_only_the_consulent_sees_them(drive) -> None:  # type: ignore[no-untyped-def]
    step = drive(TO_CONSENT)
    shown = "\n".join(part.msgid for reply in step.replies for part in reply.parts)
    assert "the people who work with them on your inburgering" in shown
    assert "Only your consulent" not in shown


def test_the_consent_text_version_moved_on_because_the_promise_changed() -> None:
    assert T.CONSENT_TEXT_VERSION != "1"


# -- a msgctxt for words that need different translations ------------------------------------


def _none_options() -> dict[str, str]:
    found = {}
    for question in INTAKE.questions:
        for option in question.options:
            if option.code == "none" and option.text == "None":
                found[question.id] = option.text
    return found


def test_the_two_nones_are_the_same_english_word_with_their_own_context() -> None:
    nones = _none_options()
    assert set(nones) == {"reading.dutch", "education.level"}
    assert all(isinstance(text, Contextual) for text in nones.values())
    assert nones["reading.dutch"].context != nones["education.level"].context  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["ar", "ti"])
def test_no_dutch_and_no_school_are_worded_apart(catalog_renderer: Renderer, lang: str) -> None:
    nones = _none_options()
    dutch = catalog_renderer.text(Msg.of(nones["reading.dutch"]), lang)
    school = catalog_renderer.text(Msg.of(nones["education.level"]), lang)
    assert dutch != school
    assert "None" not in (dutch, school)


def test_a_context_word_is_still_the_plain_english_without_a_catalog(renderer: Renderer) -> None:
    word = NC_("no school finished", "None")
    assert word == "None" and renderer.text(Msg.of(word), "ar") == "None"
    copied = pickle.loads(pickle.dumps(word))
    assert copied == "None" and copied.context == "no school finished"


def test_the_template_has_both_contexts_and_no_bare_none() -> None:
    with (DEFAULT_LOCALES_DIR / "messages.pot").open("rb") as handle:
        template = read_po(handle)
    assert template.get("None", "no Dutch spoken") is not None
    assert template.get("None", "no school finished") is not None
    assert template.get("None") is None


def test_the_consent_screen_names_the_municipalitys_list(renderer: Renderer) -> None:
    from dataclasses import replace

    from flows.engine import Engine
    from tests.flows.helpers import CONTEXT, drive, new_state

    engine = Engine(INTAKE, replace(CONTEXT, who_sees=WHO), renderer.text)
    step = drive(engine, new_state(), TO_CONSENT)
    shown = "\n".join(renderer.text(part, "en") for reply in step.replies for part in reply.parts)
    assert "These people can see your answers:" in shown
    assert all(f"• {who}" in shown for who in WHO)
