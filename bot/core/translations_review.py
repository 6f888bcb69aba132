"""Reviewing and correcting texts, once for the dashboard and the CLI: who may, the checks,
the layer and the audit log in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.core.translations import (
    TRANSLATED,
    Entry,
    Share,
    ShippedCatalogs,
    TextRow,
    shares,
    text_rows,
)
from bot.core.translations_check import Verdict, check_correction, glossary_terms
from storage import AuditRepository, CorrectionRepository, Database, User

__all__ = [
    "NotAllowed",
    "Texts",
    "UnknownText",
    "languages_of",
    "may_translate",
    "parse_languages",
]


class NotAllowed(PermissionError):
    """The user is no translator for that language."""


class UnknownText(LookupError):
    """No such text in the shipped catalogs (any more)."""


def languages_of(user: User) -> tuple[str, ...]:
    return tuple(code for code in (user.translates or "").split(",") if code in TRANSLATED)


def may_translate(user: User, lang: str) -> bool:
    return lang in languages_of(user)


def parse_languages(raw: str) -> str:
    """ "ar, ti" → "ar,ti"; `ValueError` (in English and Dutch) for an unknown code."""
    codes = [code.strip().lower() for code in raw.split(",") if code.strip()]
    unknown = [code for code in codes if code not in TRANSLATED]
    if unknown:
        raise ValueError(
            f"unknown language {', '.join(unknown)}: choose from {', '.join(TRANSLATED)}"
        )
    return ",".join(dict.fromkeys(codes))


@dataclass
class Texts:
    """The shipped catalogs and the municipality's layer over them."""

    db: Database
    catalogs: ShippedCatalogs
    glossary_path: Path

    @classmethod
    def of(cls, db: Database, locales_dir: Path) -> Texts:
        return cls(db, ShippedCatalogs(locales_dir), Path(locales_dir) / "GLOSSARY.md")

    def entry(self, key: str) -> Entry:
        found = self.catalogs.by_key().get(key)
        if found is None:
            raise UnknownText(key)
        return found

    async def rows(self, lang: str) -> list[TextRow]:
        async with self.db.session(readonly=True) as session:
            reviews = await CorrectionRepository(session).of_language(lang)
        return text_rows(self.catalogs.entries(), lang, reviews)

    async def status(self, languages: Sequence[str] = TRANSLATED) -> dict[str, list[Share]]:
        async with self.db.session(readonly=True) as session:
            reviews = await CorrectionRepository(session).of_language()
        entries = self.catalogs.entries()
        return {lang: shares(text_rows(entries, lang, reviews), lang) for lang in languages}

    def check(self, entry: Entry, lang: str, forms: Sequence[str]) -> Verdict:
        return check_correction(
            entry, lang, forms, button=entry.button, glossary=glossary_terms(self.glossary_path)
        )

    async def approve(self, user: User, lang: str, key: str, now: datetime) -> None:
        """The shipped translation as it is, marked reviewed (a correction stays: the
        interpreter approves what people now read)."""
        await self.approve_as(user.username, lang, self._allowed(user, lang, key), now)

    async def approve_as(self, actor: str, lang: str, entry: Entry, now: datetime) -> None:
        """`approve` for a caller that checked the right itself (the CLI: the server's
        own operator)."""
        async with self.db.session() as session, session.begin():
            layer = CorrectionRepository(session)
            current = await layer.get(lang, entry.key)
            forms = current.forms if current is not None else None
            await self._save(session, layer, entry, lang, forms, actor, now)

    async def correct(
        self, user: User, lang: str, key: str, forms: Sequence[str], now: datetime
    ) -> Verdict:
        """Save `forms` as the text of `key` in `lang` if every check passes; the verdict
        says why not (nothing is saved then)."""
        return await self.correct_as(
            user.username, lang, self._allowed(user, lang, key), forms, now
        )

    async def correct_as(
        self, actor: str, lang: str, entry: Entry, forms: Sequence[str], now: datetime
    ) -> Verdict:
        """`correct` for a caller that checked the right itself."""
        clean = [form.replace("\r\n", "\n").strip() for form in forms]
        verdict = self.check(entry, lang, clean)
        if not verdict.ok:
            return verdict
        same = tuple(clean) == entry.shipped.get(lang)
        async with self.db.session() as session, session.begin():
            layer = CorrectionRepository(session)
            await self._save(session, layer, entry, lang, None if same else clean, actor, now)
        return verdict

    async def revert(self, user: User, lang: str, key: str, now: datetime) -> bool:
        """Back to the shipped text, unreviewed (audited; the history keeps the rest)."""
        self._allowed(user, lang, key)
        async with self.db.session() as session, session.begin():
            undone = await CorrectionRepository(session).revert(
                lang=lang, key=key, actor=user.username, at=now
            )
            if undone:
                await AuditRepository(session).record(
                    actor=user.username, action="text.revert", target=f"{lang}/{key}", at=now
                )
        return undone

    async def history(self, lang: str, key: str) -> list:
        async with self.db.session(readonly=True) as session:
            return await CorrectionRepository(session).history(lang, key)

    def _allowed(self, user: User, lang: str, key: str) -> Entry:
        if not may_translate(user, lang):
            raise NotAllowed(lang)
        return self.entry(key)

    async def _save(
        self,
        session,
        layer: CorrectionRepository,
        entry: Entry,
        lang: str,
        forms: list[str] | None,
        actor: str,
        now: datetime,
    ) -> None:
        await layer.save(
            lang=lang,
            key=entry.key,
            context=entry.context,
            msgid=entry.msgid,
            forms=forms,
            source_hash=entry.source_hash,
            shipped_hash=entry.shipped_hash(lang),
            actor=actor,
            at=now,
        )
        await AuditRepository(session).record(
            actor=actor,
            action="text.review" if forms is None else "text.correct",
            target=f"{lang}/{entry.key}",
            at=now,
        )
