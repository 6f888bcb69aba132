"""The sheet's shape as data: every question of the pre-intake falls under one of the
law's three areas, and the mapping names only what exists."""

from __future__ import annotations

from bot.dashboard.areas import AREAS, QUESTION_AREA, SECTION_AREA, area_of
from flows.intake import INTAKE


def test_the_sheet_has_the_laws_three_areas_in_order() -> None:
    assert [area.id for area in AREAS] == ["language", "work", "self_reliance"]
    assert [area.title for area in AREAS] == ["Taal", "Werk en participatie", "Zelfredzaamheid"]
    assert all(area.pip for area in AREAS)


def test_every_section_and_override_names_a_known_area_and_question() -> None:
    known = {area.id for area in AREAS}
    assert set(SECTION_AREA) == {section.id for section in INTAKE.sections}
    assert set(SECTION_AREA.values()) <= known
    assert set(QUESTION_AREA.values()) <= known
    assert all(INTAKE.question(question_id) for question_id in QUESTION_AREA)


def test_new_topics_fall_under_the_area_they_prepare() -> None:
    def area(question_id: str) -> str:
        return area_of(INTAKE.section_of(question_id).id, question_id)

    assert area("language.english_level") == "language"
    assert area("reading.numeracy") == "language"
    assert area("work.current_job") == "work"
    assert area("family.unavailable") == "work"
    assert area("family.preschool") == "self_reliance"
    assert area("health.kind") == "self_reliance"
    assert area("goals.help_now") == "self_reliance"


def test_the_money_network_and_skills_topics_fall_under_the_area_they_prepare() -> None:
    def area(question_id: str) -> str:
        return area_of(INTAKE.section_of(question_id).id, question_id)

    assert area("daily.benefit") == area("daily.toeslagen") == "self_reliance"  # ontzorgen
    assert area("work.skills") == "work"  # the MAP
    assert area("family.childcare") == area("family.unavailable") == "work"  # before lessons
    assert area("family.network") == "self_reliance"  # maatschappelijke begeleiding
    assert area("goals.for_consulent") == "self_reliance"
