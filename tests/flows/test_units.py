"""Numbers of weeks, months, years and hours take their noun in each language's plural
form: a municipality that sets 12 weeks or 1 month gets a grammatical sentence in
Arabic (six forms), Tigrinya, Dutch and English."""

from __future__ import annotations

import dataclasses

import pytest

from flows import journey as J
from flows.i18n import Renderer, load_catalogs
from flows.units import hours, months, weeks, years
from tests.flows.screens.test_journey import NOORDWIJK, engine_for, screen, text


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(load_catalogs())


@pytest.mark.parametrize(
    ("lang", "count", "said"),
    [
        ("ar", 1, "أسبوع واحد"),
        ("ar", 2, "أسبوعين"),
        ("ar", 10, "أسابيع"),
        ("ar", 12, "أسبوعًا"),
        ("ti", 1, "ሰሙን"),
        ("ti", 12, "ሰሙን"),
        ("nl", 1, "1 week"),
        ("nl", 12, "12 weken"),
        ("en", 1, "1 week"),
        ("en", 12, "12 weeks"),
    ],
)
def test_weeks_take_the_plural_form_of_the_count(
    renderer: Renderer, lang: str, count: int, said: str
) -> None:
    assert said in renderer.text(weeks(count), lang)


def test_every_unit_has_every_form_in_arabic_and_tigrinya(renderer: Renderer) -> None:
    """(Dutch says "1 week" as English does; its forms are checked above.)"""
    for unit in (weeks, months, years, hours):
        for lang in ("ar", "ti"):
            shown = {renderer.text(unit(n), lang) for n in (0, 1, 2, 3, 11, 100)}
            english = {renderer.text(unit(n), "en") for n in (0, 1, 2, 3, 11, 100)}
            assert not shown & english, (unit, lang)  # translated, none left in English


def test_a_municipality_with_12_weeks_gets_a_grammatical_arabic_pip_step(
    renderer: Renderer,
) -> None:
    engine = engine_for(dataclasses.replace(NOORDWIJK, pip_weeks=12, term_years=1))
    arabic = text(screen(engine, "pip"), "ar", renderer)
    assert "12\u2069 أسبوعًا" in arabic and "سنة واحدة" in arabic
    assert "أسابيع" not in arabic
    dutch = text(screen(engine, "pip"), "nl", renderer)
    assert "binnen 12 weken" in dutch and "heb je 1 jaar" in dutch
    assert "within 12 weeks" in text(screen(engine, "pip"))
    assert J.LAW.pip_weeks == 10
