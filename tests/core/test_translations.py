"""Translators review and correct texts: who may, the checks (in Dutch), the layer with
its history and audit, the statuses after a catalog upgrade, and the overlay that every
process loads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.core.translations import CONCEPT, REVIEWED, SOURCE_CHANGED, key_of
from bot.core.translations_live import refresh
from bot.core.translations_review import NotAllowed, Texts
from flows import texts as T
from flows.i18n import DEFAULT_LOCALES_DIR, Renderer, load_catalogs
from flows.replies import Msg
from storage import AuditRepository, CorrectionRepository, Database, User, UserRepository
from tests.clock import NOW

CONSENT_YES = key_of("", T.CONSENT_YES)
CURRENT = key_of("", T.CURRENT_ANSWER)  # "Your answer now: {answer}"


@pytest.fixture
def locales(tmp_path: Path) -> Path:
    """A copy of the shipped catalogs that a test may "upgrade"."""
    target = tmp_path / "locales"
    shutil.copytree(DEFAULT_LOCALES_DIR, target)
    return target


async def translator(db: Database, name: str, languages: str) -> User:
    async with db.session() as session, session.begin():
        user = await UserRepository(session).create(name, "x", now=NOW)
        user.translates, user.is_consulent = languages, False
        session.add(user)
    return user


async def test_a_tigrinya_translator_corrects_a_text(db: Database, locales: Path) -> None:
    texts = Texts.of(db, locales)
    ti = await translator(db, "hagos", "ti")
    verdict = await texts.correct(ti, "ti", CURRENT, ["መልሲ ሕጂ፦ {answer}"], NOW)
    assert verdict.ok, verdict.refusals
    row = next(r for r in await texts.rows("ti") if r.entry.key == CURRENT)
    assert (row.status, row.corrected, row.current, row.by) == (
        REVIEWED, True, ("መልሲ ሕጂ፦ {answer}",), "hagos",
    )  # fmt: skip
    async with db.session() as session:
        history = await CorrectionRepository(session).history("ti", CURRENT)
        audit = await AuditRepository(session).list(action="text.correct")
    assert [e.action for e in history] == ["correct"]
    assert [(a.actor, a.target) for a in audit] == [("hagos", f"ti/{CURRENT}")]


async def test_a_lost_placeholder_is_refused_in_dutch(db: Database, locales: Path) -> None:
    texts = Texts.of(db, locales)
    ti = await translator(db, "hagos", "ti")
    verdict = await texts.correct(ti, "ti", CURRENT, ["መልሲ ሕጂ ኣሎ"], NOW)
    assert not verdict.ok
    assert "tijdelijke aanduidingen" in verdict.refusals[0]
    assert "{answer}" in verdict.refusals[0]
    assert (await texts.status(["ti"]))["ti"][0].corrected == 0  # nothing saved


async def test_a_text_in_the_wrong_script_is_refused_in_dutch(db: Database, locales: Path) -> None:
    texts = Texts.of(db, locales)
    ti = await translator(db, "hagos", "ti")
    verdict = await texts.correct(ti, "ti", CONSENT_YES, ["Ewe, yisemamae eye"], NOW)
    assert not verdict.ok
    assert "niet grotendeels in het Ethiopische (Ge'ez) schrift" in verdict.refusals[0]


async def test_an_arabic_translator_cannot_change_tigrinya(db: Database, locales: Path) -> None:
    texts = Texts.of(db, locales)
    ar = await translator(db, "samira", "ar")
    with pytest.raises(NotAllowed):
        await texts.correct(ar, "ti", CONSENT_YES, ["እወ፣ ይሰማማዕ እየ"], NOW)
    with pytest.raises(NotAllowed):
        await texts.approve(ar, "ti", CONSENT_YES, NOW)
    async with db.session() as session:
        assert await CorrectionRepository(session).of_language() == []


async def test_approval_is_audited_and_counted(db: Database, locales: Path) -> None:
    texts = Texts.of(db, locales)
    ar = await translator(db, "samira", "ar")
    await texts.approve(ar, "ar", CONSENT_YES, NOW)
    whole = (await texts.status(["ar"]))["ar"][0]
    assert (whole.reviewed, whole.corrected, whole.changed) == (1, 0, 0)
    async with db.session() as session:
        audit = await AuditRepository(session).list(action="text.review")
    assert [(a.actor, a.target) for a in audit] == [("samira", f"ar/{CONSENT_YES}")]


async def test_an_upgraded_catalog_marks_a_reviewed_text_whose_source_changed(
    db: Database, locales: Path
) -> None:
    texts = Texts.of(db, locales)
    ar = await translator(db, "samira", "ar")
    await texts.approve(ar, "ar", CONSENT_YES, NOW)
    await texts.correct(ar, "ar", CURRENT, ["جوابك الآن: {answer}"], NOW)
    po = locales / "ar" / "LC_MESSAGES" / "messages.po"
    shipped = texts.entry(CONSENT_YES).shipped["ar"][0]
    po.write_text(po.read_text().replace(f'msgstr "{shipped}"', 'msgstr "نعم، أوافق على ذلك"'))
    rows = {r.entry.key: r for r in await texts.rows("ar")}
    assert rows[CONSENT_YES].status == SOURCE_CHANGED
    assert rows[CURRENT].status == REVIEWED  # its source did not change: kept as it is
    assert rows[CURRENT].current == ("جوابك الآن: {answer}",)
    assert rows[key_of("", T.CONSENT_NO)].status == CONCEPT


async def test_every_process_loads_the_layer_into_its_renderer(db: Database, locales: Path) -> None:
    texts = Texts.of(db, locales)
    ti = await translator(db, "hagos", "ti")
    renderer = Renderer(load_catalogs())
    version = await refresh(db, renderer)
    before = renderer.text(Msg.of(T.CURRENT_ANSWER, answer="x"), "ti")
    await texts.correct(ti, "ti", CURRENT, ["መልሲ ሕጂ፦ {answer}"], NOW)
    assert await refresh(db, renderer, version) > version
    after = renderer.text(Msg.of(T.CURRENT_ANSWER, answer="x"), "ti")
    assert before != after and after.startswith("መልሲ ሕጂ፦")
    assert renderer.text(Msg.of(T.CURRENT_ANSWER, answer="x"), "ar") != after  # ti only
    await texts.revert(ti, "ti", CURRENT, NOW)
    await refresh(db, renderer)
    assert renderer.text(Msg.of(T.CURRENT_ANSWER, answer="x"), "ti") == before


async def test_a_correction_of_an_english_text_that_changed_is_offered_not_used(
    db: Database, locales: Path
) -> None:
    """An upgrade rewrote the English: the new text is "bron gewijzigd" and shows the
    earlier correction to redo; people read the shipped translation meanwhile."""
    texts = Texts.of(db, locales)
    ar = await translator(db, "samira", "ar")
    await texts.correct(ar, "ar", CURRENT, ["جوابك الآن: {answer}"], NOW)
    new = "Your answer right now: {answer}"
    for lang in ("ar", "ti", "nl", "en"):
        po = locales / lang / "LC_MESSAGES" / "messages.po"
        po.write_text(po.read_text().replace(f'msgid "{T.CURRENT_ANSWER}"', f'msgid "{new}"'))
    row = next(r for r in await texts.rows("ar") if r.entry.msgid == new)
    assert row.status == SOURCE_CHANGED and not row.corrected
    assert row.previous == ("جوابك الآن: {answer}",)
    assert row.current == row.entry.shipped["ar"]
    whole = (await texts.status(["ar"]))["ar"][0]
    assert (whole.reviewed, whole.changed) == (0, 1)
