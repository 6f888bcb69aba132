"""`wegwijs locales status|export|import` and `wegwijs user add --translator`."""

from __future__ import annotations

import io
import re
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from flows import texts as T
from storage import AuditRepository, Session, UserRepository
from tests.cli.helpers import read, wegwijs


def test_user_add_translator_makes_a_translator_without_caseload(db_path: Path) -> None:
    added = wegwijs("user", "add", "hagos", "--translator", "ti,ar")
    assert added.exit_code == 0, added.output
    assert "Added translator hagos for ti,ar." in added.output
    both = wegwijs("user", "add", "anna", "--translator", "nl", "--consulent")
    assert "Added consulent anna (translator for nl)." in both.output
    wrong = wegwijs("user", "add", "x1", "--translator", "fr")
    assert wrong.exit_code != 0 and "unknown language fr" in wrong.output

    async def check(session: Session):  # type: ignore[no-untyped-def]
        hagos = await UserRepository(session).by_username("hagos")
        anna = await UserRepository(session).by_username("anna")
        return (hagos.translates, hagos.is_consulent, anna.translates, anna.is_consulent)

    assert read(db_path, check) == ("ti,ar", False, "nl", True)
    assert re.search(r"hagos\s+translator \+ti,ar", wegwijs("user", "list").output)


def test_status_prints_the_share_per_language_and_part(db_path: Path) -> None:
    shown = wegwijs("locales", "status")
    assert shown.exit_code == 0, shown.output
    assert re.search(r"^ar\s+\(all\)\s+\d+\s+0%\s+0\s+0$", shown.output, re.M)
    assert re.search(r"^ti\s+Taal en toestemming\s+\d+\s+0%", shown.output, re.M)
    summary = wegwijs("locales", "status", "--summary").output
    assert len(summary.strip().splitlines()) == 4  # the header and three languages


def test_the_readme_states_the_shipped_share_as_the_command_prints_it(db_path: Path) -> None:
    """The README's "reviewed share, as shipped" is this command's table on a new
    database: a text added without updating it fails here, not in a reader's trust."""
    summary = wegwijs("locales", "status", "--summary").output.strip()
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert f"```text\n{summary}\n```" in readme, summary


def test_a_po_export_edited_and_imported_corrects_and_flows_back_upstream(
    db_path: Path,
) -> None:
    assert wegwijs("locales", "export", "--language", "ar", "--format", "po").exit_code == 0
    exported = Path("wegwijs-texts-ar.po")
    catalog = read_po(exported.open("rb"))
    catalog[T.DONE].string = "انتهيت"
    catalog[T.CONSENT_YES].string = "Yes"  # Latin letters: refused
    catalog[T.CURRENT_ANSWER].string = "جوابك"  # lost {answer}: refused
    out = io.BytesIO()
    write_po(out, catalog)
    exported.write_bytes(out.getvalue())
    imported = wegwijs("locales", "import", str(exported), "--as", "samira")
    assert imported.exit_code == 1, imported.output  # refusals
    assert re.search(r"wegwijs-texts-ar\.po:\d+: overgenomen: “Done”", imported.output)
    assert re.search(r"geweigerd: “Your answer now: \{answer\}”: De tijdelijke", imported.output)
    wegwijs("locales", "export", "--format", "po", "--corrections", "-o", "back")
    with Path("back/ar/LC_MESSAGES/messages.po").open("rb") as file:
        upstream = read_po(file)
    assert [(m.id, m.string) for m in upstream if m.id] == [(T.DONE, "انتهيت")]
    status = wegwijs("locales", "status", "--summary", "--language", "ar").output
    assert re.search(r"^ar\s+\(all\)\s+\d+\s+0%\s+1\s+0$", status, re.M)  # 1 of 611: 0 %

    async def audit(session: Session):  # type: ignore[no-untyped-def]
        return [(e.actor, e.action) for e in await AuditRepository(session).list(action="text.")]

    assert ("samira", "text.correct") in read(db_path, audit)


def test_an_xlsx_export_imported_unchanged_reports_nothing_changed(db_path: Path) -> None:
    assert wegwijs("locales", "export", "--language", "ti", "-o", "ti.xlsx").exit_code == 0
    imported = wegwijs("locales", "import", "ti.xlsx")
    assert imported.exit_code == 0, imported.output
    assert re.search(
        r"ti: 0 aangepast, 0 goedgekeurd, 0 geweigerd, \d+ ongewijzigd", imported.output
    )
    assert wegwijs("locales", "import", "missing.po").exit_code != 0
