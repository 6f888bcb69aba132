"""`privacy`: who sees the answers, as the consent text says it (optional, kept as
written, a wrong list named with the reason, the examples as in the seeds), and the
consent promise that changes with the retention and that list."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.municipality import (
    load_municipality,
)
from bot.municipality.model import who_sees_lines
from bot.municipality.sentences import OwnSentence
from flows.i18n import Renderer, load_catalogs
from flows.languages import LANGUAGES
from flows.replies import Msg
from tests.municipality.helpers import (
    EXAMPLE_FILES,
    VALID,
    changed,
    error_for,
    write,
)


def test_who_sees_is_optional_and_left_out_means_the_general_sentence(tmp_path: Path) -> None:
    assert load_municipality(write(tmp_path, VALID)).privacy.who_sees is None


# A line of the file's own, in all four languages (spaces to tidy in nl).
OWN = '{ en = "your timetable", nl = "  je   lesrooster ", ar = "جدول دروسك", ti = "ሰሌዳ ትምህርትኹም" }'


def test_who_sees_is_kept_in_order_roles_standard_and_own_lines(tmp_path: Path) -> None:
    text = changed(
        "retention_months = 12",
        f'retention_months = 12\nwho_sees = ["consulent", {OWN}, "begeleider", "admins"]',
    )
    who = load_municipality(write(tmp_path, text)).privacy.who_sees
    assert who is not None and len(who) == 4
    assert (who[0], who[2], who[3]) == ("consulent", "begeleider", "admins")
    own = who[1]
    assert isinstance(own, OwnSentence) and own.nl == "je lesrooster" and own.ti


@pytest.fixture(scope="module")
def catalog_renderer() -> Renderer:
    return Renderer(load_catalogs())


def test_the_who_sees_lines_are_said_in_the_readers_language(
    tmp_path: Path, catalog_renderer: Renderer
) -> None:
    text = changed(
        "retention_months = 12",
        f'retention_months = 12\nwho_sees = ["consulent", {OWN}, "admins"]',
    )
    lines = who_sees_lines(load_municipality(write(tmp_path, text)))
    said = {
        lang: [catalog_renderer.text(Msg.lit("{line}", line=line), lang) for line in lines]
        for lang in LANGUAGES
    }
    assert said["en"] == [
        "your consulent inburgering at Gemeente Teststad",
        "your timetable",
        "the administrators of Wegwijs at Teststad",
    ]
    assert said["nl"][1:] == ["je lesrooster", "de beheerders van Wegwijs bij Teststad"]
    for lang in ("ar", "ti"):
        assert all(line != english for line, english in zip(said[lang], said["en"], strict=True))
        assert "Gemeente Teststad" in said[lang][0]  # a name, as written


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        pytest.param("[]", "an empty list would say that nobody sees the answers", id="empty"),
        pytest.param('"je consulent"', "should be a list like", id="not-a-list"),
        pytest.param('["consulent", 3]', "item 2: should be a standard line's code", id="not-text"),
        pytest.param('["consulent", "  "]', "item 2: '  ' is not a standard line", id="blank-item"),
        pytest.param('["consulent", "consulent"]', "the same line appears twice", id="duplicate"),
        pytest.param(
            '[{ en = "' + "x" * 121 + '", nl = "x", ar = "ع", ti = "ሰ" }]',
            "item 1: en is too long (at most 120",
            id="too-long",
        ),
        pytest.param(
            "[" + ", ".join(f'"partner_{n}"' for n in range(9)) + "]",
            "has too many items (at most 8)",
            id="too-many",
        ),
        pytest.param(
            '[{ en = "a\\nb", nl = "x", ar = "ع", ti = "ሰ" }]',
            "item 1: en spans more lines",
            id="two-lines",
        ),
        pytest.param(
            '["je consulent inburgering"]',
            "item 1: 'je consulent inburgering' is not a standard line (one of admins, or a "
            "role code of [roles]); a line of your own is a table with ar, ti, nl and en",
            id="dutch-only",
        ),
        pytest.param(
            '[{ en = "the team", nl = "het team", ar = "الفريق" }]',
            "item 1: missing ti",
            id="missing-ti",
        ),
        pytest.param(
            '["consulent", "wsp"]',
            "item 2: 'wsp' is neither a standard line (admins) nor a role of [roles] "
            "(consulent, begeleider)",
            id="unknown-role",
        ),
    ],
)
def test_a_wrong_who_sees_list_is_named_with_the_reason(
    tmp_path: Path, value: str, reason: str
) -> None:
    text = changed("retention_months = 12", f"retention_months = 12\nwho_sees = {value}")
    path, message = error_for(tmp_path, text)
    line = next((line for line in message.splitlines() if ": privacy.who_sees: " in line), None)
    assert line is not None, message
    assert line.startswith(f"{path}: privacy.who_sees: ") and reason in line


def test_the_examples_say_who_sees_the_answers_as_in_the_seeds() -> None:
    """Noordwijk: VluchtelingenWerk joins the ISD's intake (seed 003); Rijswijk: the
    Werkgeversservicepunt and Inkomen (seed 000); every list names the consulent first
    and the administrators, who see every case. Gooise Meren keeps the general sentence."""
    who = {path.name: load_municipality(path).privacy.who_sees for path in EXAMPLE_FILES}
    noordwijk, rijswijk = who["noordwijk.example.toml"], who["rijswijk.example.toml"]
    assert noordwijk is not None and rijswijk is not None

    def dutch(lines: tuple[object, ...]) -> list[str]:
        return [line.nl for line in lines if isinstance(line, OwnSentence)]

    assert any("VluchtelingenWerk" in line and "brede intake" in line for line in dutch(noordwijk))
    assert any("Werkgeversservicepunt" in line for line in dutch(rijswijk))
    assert any("Inkomen" in line for line in dutch(rijswijk))
    assert who["gooise-meren.example.toml"] is None
    for name, lines in who.items():
        if lines is not None:
            assert lines[0] == "consulent" and "admins" in lines, name


def test_the_consent_promise_changes_with_the_retention_and_the_who_sees_list(
    tmp_path: Path,
) -> None:
    def promise(text: str) -> str:
        return load_municipality(write(tmp_path, text)).privacy.promise

    plain = promise(VALID)
    assert plain == "r12"  # as before: a file without who_sees keeps its consent version
    listed = promise(
        changed("retention_months = 12", 'retention_months = 12\nwho_sees = ["consulent"]')
    )
    other = promise(
        changed("retention_months = 12", 'retention_months = 12\nwho_sees = ["admins"]')
    )
    assert listed.startswith("r12-w") and len({plain, listed, other}) == 3
    assert promise(changed("retention_months = 12", "retention_months = 24")) == "r24"
