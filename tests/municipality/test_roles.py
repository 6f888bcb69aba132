"""The roles in the municipality file: the standard roles' lines, a role's own lines in
four languages, target groups, and the check that refuses a file whose roles' texts
contradict its own routing of topics — with a line naming the file, the role and the
topic. Each bundled example passes and shows its own set-up."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bot.municipality import Municipality, MunicipalityError, load_municipality
from flows import roles
from flows.i18n import DEFAULT_LOCALES_DIR, Renderer, load_catalogs
from flows.languages import LANGUAGES
from flows.roles import shown_roles
from flows.screens.roles import explainer, line_msg
from tests.municipality.helpers import EXAMPLE_FILES, MUNICIPALITIES, VALID, changed, error_for

CONTRADICTORY = Path(__file__).parent / "files" / "contradictory-roles.toml"


def example(name: str) -> Municipality:
    return load_municipality(MUNICIPALITIES / name)


def english(municipality: Municipality, group: str | None = None) -> str:
    reply = explainer(municipality.role_cards(), municipality.routing(), group)
    return Renderer({}).reply(reply, "en", False).text


def helps(municipality: Municipality, code: str, group: str | None = None) -> list[str]:
    lines, _ = municipality.role_cards()[code].lines(municipality.routing(), group)
    return [line.text if isinstance(line.text, str) else line.text.text("en") for line in lines]


# --- the bundled examples -------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda path: path.name)
def test_each_example_passes_the_check(path: Path) -> None:
    assert load_municipality(path).role_problems() == []


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda path: path.name)
@pytest.mark.parametrize("group", [None, "statushouder", "nareiziger", "gezinsmigrant"])
def test_no_line_an_example_shows_contradicts_its_routing(path: Path, group: str | None) -> None:
    municipality = load_municipality(path)
    routing = municipality.routing()
    for card in shown_roles(municipality.role_cards(), routing, group):
        helps_with, not_for = card.lines(routing, group)
        for line in helps_with:
            assert all(routing[topic] == card.code for topic in line.topics), (card.code, line)
        for line in not_for:
            assert all(routing[topic] != card.code for topic in line.topics), (card.code, line)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda path: path.name)
def test_each_example_shows_its_three_kinds_of_helper(path: Path) -> None:
    """The consulent, the begeleider and the klantmanager werk en inkomen, whatever each
    municipality calls them; the intro counts what is shown."""
    municipality = load_municipality(path)
    shown = shown_roles(municipality.role_cards(), municipality.routing(), None)
    assert {card.kind for card in shown} >= {"consulent", "begeleider", "werk_inkomen"}
    text = english(municipality)
    assert text.startswith(f"{len(shown)} people help you.")
    for card in shown:
        assert f"{card.title} – {card.organisation}" in text


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda path: path.name)
def test_a_gezinsmigrant_sees_no_begeleider_in_any_example(path: Path) -> None:
    municipality = load_municipality(path)
    begeleider = municipality.role("begeleider")
    shown = shown_roles(municipality.role_cards(), municipality.routing(), "gezinsmigrant")
    assert "begeleider" not in [card.code for card in shown]
    text = english(municipality, "gezinsmigrant")
    assert f"{begeleider.title} – {begeleider.organisation}" not in text
    assert text.startswith(f"{len(shown)} people help you.")


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda path: path.name)
def test_in_each_example_bills_belong_to_the_card_that_answers_them(path: Path) -> None:
    municipality = load_municipality(path)
    assert roles.LINES["bills"].text in helps(municipality, municipality.routing()["rent_energy"])


def test_noordwijk_says_vluchtelingenwerk_does_the_pvt_and_the_money_course() -> None:
    noordwijk = example("noordwijk.example.toml")
    begeleider = helps(noordwijk, "begeleider")
    assert any("PVT" in line for line in begeleider)
    assert any("Omgaan met geld" in line for line in begeleider)
    consulent = helps(noordwijk, "consulent")
    assert any("MareGroep" in line and "VluchtelingenWerk" in line for line in consulent)
    # The ISD's klantmanager inkomen is the standard werk en inkomen role, without work
    # (which MareGroep does).
    inkomen = helps(noordwijk, "inkomen")
    assert roles.LINES["ontzorgen"].text in inkomen and roles.LINES["work"].text not in inkomen


def test_gooise_meren_sends_children_and_school_to_the_regisseur_only() -> None:
    gooise = example("gooise-meren.example.toml")
    assert gooise.routing()["children_school"] == "consulent"
    assert any("VVE" in line for line in helps(gooise, "consulent"))
    assert roles.LINES["children_school"].text not in helps(gooise, "begeleider")
    assert "School for your children" not in english(gooise).split("maatschappelijk")[1]


def test_the_example_taalschool_is_not_shown_to_a_gezinsmigrant() -> None:
    voorbeeld = example("example.toml")
    text = english(voorbeeld)
    assert "taalschool – Taalschool Voorbeeldstad" in text
    assert "taalschool – Taalschool Voorbeeldstad" not in english(voorbeeld, "gezinsmigrant")


@pytest.fixture(scope="module")
def catalogs() -> Renderer:
    if not any(DEFAULT_LOCALES_DIR.glob("*/LC_MESSAGES/messages.mo")):
        pytest.skip("no compiled catalogs: run `make catalogs`")
    return Renderer(load_catalogs())


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_explainer_reads_in_each_language(catalogs: Renderer, lang: str) -> None:
    noordwijk = example("noordwijk.example.toml")
    reply = explainer(noordwijk.role_cards(), noordwijk.routing(), None)
    text = catalogs.reply(reply, lang, False).text
    own = noordwijk.role("begeleider").helps_with
    assert own is not None
    for line in own:
        if not isinstance(line, str):
            assert getattr(line, lang) in text
    standard = catalogs.text(line_msg(roles.LINES["house"]), lang)
    assert standard in text
    if lang != "en":
        assert roles.LINES["house"].text not in text  # translated, not the English msgid


# --- the check refuses ----------------------------------------------------------------


def test_the_check_refuses_the_contradictory_file_naming_file_role_and_topic() -> None:
    with pytest.raises(MunicipalityError) as caught:
        load_municipality(CONTRADICTORY)
    lines = str(caught.value).splitlines()
    assert lines == [
        f"{CONTRADICTORY}: roles.consulent.not_for.2: role 'consulent' says it is not for "
        "topic 'children_school', but [topics] sends children_school to 'consulent': "
        "change the line's topics or the routing",
        f"{CONTRADICTORY}: roles.begeleider.helps_with.3: role 'begeleider' says it helps "
        "with topic 'children_school', but [topics] sends children_school to 'consulent': "
        "change the line's topics or the routing",
    ]


OWN_LINE = (
    '{ topics = ["debts"], ar = "دورة إدارة المال", ti = "ኮርስ ኣመሓድራ ገንዘብ", '
    'nl = "Cursus omgaan met geld", en = "A course on managing money" }'
)
BEGELEIDER = 'email = "begeleiding@example.nl"'


def with_lines(lines: str, field: str = "helps_with") -> str:
    return changed(BEGELEIDER, f"{BEGELEIDER}\n{field} = [{lines}]")


def test_a_file_with_a_role_of_its_own_lines_loads() -> None:
    text = with_lines(f'"letter", {OWN_LINE}').replace(
        'debts = "consulent"', 'debts = "begeleider"'
    )
    municipality = Municipality.model_validate(tomllib.loads(text))
    assert helps(municipality, "begeleider") == [
        roles.LINES["letter"].text,
        "A course on managing money",
    ]


@pytest.mark.parametrize("missing", ["ar", "ti", "nl", "en"])
def test_the_loader_refuses_an_own_line_without_a_language(tmp_path: Path, missing: str) -> None:
    line = ", ".join(
        part for part in OWN_LINE.strip("{} ").split(", ") if not part.startswith(f"{missing} =")
    )
    path, message = error_for(tmp_path, with_lines("{ " + line + " }"))
    assert (
        f"{path}: roles.begeleider.helps_with: line 1: missing {missing}: a role's own line is "
        "given in all four languages (ar, ti, nl, en)"
    ) in message


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ('"hous"', "line 1: 'hous' is not a standard line (did you mean 'house'?)"),
        (
            OWN_LINE.replace('"debts"', '"debt"'),
            "line 1: unknown topic 'debt' (did you mean 'debts'?)",
        ),
        (
            OWN_LINE.replace("دورة إدارة المال", "Money course"),
            "line 1: ar is not written in Arabic script",
        ),
        (
            OWN_LINE.replace("ኮርስ ኣመሓድራ ገንዘብ", "دورة"),
            "line 1: ti is not written in Ge'ez (Tigrinya) script",
        ),
        (
            OWN_LINE.replace('en = "A course on managing money"', 'en = ""'),
            "line 1: en should be text in quotes, not empty",
        ),
        (OWN_LINE.replace("topics", "topic"), "line 1: unknown field 'topic'"),
        ("42", "line 1: should be a standard line's code in quotes or a table"),
    ],
)
def test_the_loader_refuses_a_wrong_line_naming_it(
    tmp_path: Path, lines: str, expected: str
) -> None:
    path, message = error_for(tmp_path, with_lines(lines))
    assert f"{path}: roles.begeleider.helps_with: {expected}" in message


def test_the_loader_refuses_an_unknown_target_group_or_standard(tmp_path: Path) -> None:
    path, message = error_for(
        tmp_path,
        changed(BEGELEIDER, f'{BEGELEIDER}\ntarget_groups = ["toerist"]\nstandard = "tolk"'),
    )
    assert f"{path}: roles.begeleider.target_groups: unknown target group 'toerist'" in message
    assert f"{path}: roles.begeleider.standard: not a standard role: 'tolk'" in message


def test_the_consulent_is_there_for_everyone(tmp_path: Path) -> None:
    text = changed(
        'phone = "070 000 0000"', 'phone = "070 000 0000"\ntarget_groups = ["statushouder"]'
    )
    path, message = error_for(tmp_path, text)
    assert (
        f"{path}: roles.consulent.target_groups: the consulent is the lead for everyone" in message
    )


def test_an_own_line_that_contradicts_the_routing_is_refused(tmp_path: Path) -> None:
    path, message = error_for(tmp_path, with_lines(OWN_LINE))  # debts go to the consulent
    assert message == (
        f"{path}: roles.begeleider.helps_with.1: role 'begeleider' says it helps with topic "
        "'debts', but [topics] sends debts to 'consulent': change the line's topics or the routing"
    )


def test_a_standard_line_listed_by_code_is_checked_like_an_own_line(tmp_path: Path) -> None:
    """Listed in the file, the standard line is the file's word: checked, not fitted."""
    path, message = error_for(tmp_path, with_lines('"letter", "house"'))  # house: consulent
    assert message == (
        f"{path}: roles.begeleider.helps_with.2: role 'begeleider' says it helps with topic "
        "'house', but [topics] sends house to 'consulent': change the line's topics or the routing"
    )


def test_the_standard_lines_are_never_a_contradiction() -> None:
    """Left to the defaults, a file with any routing passes: they fit themselves."""
    everything_to_one = Municipality.model_validate(
        tomllib.loads(VALID.replace('letter = "begeleider"', 'letter = "consulent"'))
    )
    assert everything_to_one.role_problems() == []
    assert roles.LINES["letter"].text not in helps(everything_to_one, "begeleider")
