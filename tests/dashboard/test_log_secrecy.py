"""Nothing secret in the dashboard's logs: passwords (right or wrong), session cookies,
CSRF tokens, invite codes, labels and answer contents never appear in any log record at
INFO, the level Wegwijs logs at (`bot/cli/common.py`), on SQLite and PostgreSQL. (At DEBUG the
database drivers print SQL parameters: never run production at DEBUG.)"""

from __future__ import annotations

import logging

import pytest

from storage import AnswerRepository
from tests.clock import NOW
from tests.dashboard.conftest import Dashboard, post, token_of, try_login

PASSWORD = "paard-batterij-nietje-7"
WRONG = "fout-wachtwoord-nummer-9"
LABEL = "gezin Haddad-Yohannes"
ANSWER = "Ik wil graag verpleegkundige worden in Delft"


def everything_logged(caplog: pytest.LogCaptureFixture) -> str:
    handler = logging.Formatter()
    lines = []
    for record in caplog.records:
        lines.append(record.getMessage())
        if record.exc_info:
            lines.append(handler.formatException(record.exc_info))
    return "\n".join([*lines, caplog.text])


async def test_a_consulents_day_leaves_no_secret_in_the_logs(
    dashboard: Dashboard, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await dashboard.add_user("anna", PASSWORD, admin=True)
    case = await dashboard.case("anna", LABEL)
    async with dashboard.app.db.session() as session, session.begin():
        await AnswerRepository(session).record(case.id, "goals.year", free_text=ANSWER, at=NOW)

    stranger = dashboard.client()
    assert (await try_login(stranger, "anna", WRONG)).status_code != 303
    client = await dashboard.login("anna", PASSWORD)
    cookies = [value for value in client.cookies.values() if value]
    assert cookies, "logged in, so a session cookie is set"
    csrf = await token_of(client)
    for path in ("/", f"/cases/{case.id}"):
        assert (await client.get(path)).status_code == 200, path
    # The export is a form post (a GET of it was answered 200 by the error page: #16).
    exported = await post(client, f"/cases/{case.id}/export", {"format": "json"})
    assert exported.status_code == 200 and ANSWER in exported.text
    wrong_code = await post(
        client, f"/cases/{case.id}/erase", {"confirm": "ABCD-EFGH"}, page=f"/cases/{case.id}"
    )
    assert wrong_code.status_code == 400
    erased = await post(
        client,
        f"/cases/{case.id}/erase",
        {"confirm": case.invite_code},
        page=f"/cases/{case.id}",
    )
    assert erased.status_code == 303

    logged = everything_logged(caplog)
    assert caplog.records, "the check needs something logged to mean anything"
    for secret in (PASSWORD, WRONG, *cookies, csrf, case.invite_code, LABEL, ANSWER):
        assert secret not in logged
