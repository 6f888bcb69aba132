"""`flows/screens/apology.py`: what a person sees when the engine failed on their message
(the service sends it; tests/core/test_service.py breaks the engine from outside)."""

from __future__ import annotations

from flows import texts as T
from flows.i18n import Renderer
from flows.languages import LANGUAGES
from flows.screens.apology import apology


def test_the_apology_is_one_kind_sentence_without_buttons() -> None:
    reply = apology()
    assert [part.msgid for part in reply.parts] == [T.INTERNAL_ERROR]
    assert reply.buttons == ()


def test_the_apology_is_said_in_every_language(catalog_renderer: Renderer) -> None:
    english = Renderer({}).reply(apology(), "en", False).text
    for lang in LANGUAGES:
        text = catalog_renderer.reply(apology(), lang, False).text
        assert text.strip()
        if lang != "en":
            assert text != english, lang
