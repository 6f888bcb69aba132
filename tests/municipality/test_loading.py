"""`loading`: the four bundled municipality files load, and every kind of mistake stops
start-up with a line naming the file, the dotted field and what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.municipality import (
    APPOINTMENT_KINDS,
    REQUIRED_ROLES,
    TOPICS,
    MunicipalityError,
    load_municipality,
)
from bot.settings import DEFAULT_MUNICIPALITY
from tests.municipality.helpers import (
    EXAMPLE_FILES,
    MUNICIPALITIES,
    VALID,
    changed,
    error_for,
)

# --- the bundled files ----------------------------------------------------------------


def test_there_are_the_default_and_three_set_up_examples() -> None:
    names = {path.name for path in EXAMPLE_FILES}
    assert names == {
        "example.toml",
        "rijswijk.example.toml",
        "noordwijk.example.toml",
        "gooise-meren.example.toml",
    }
    assert DEFAULT_MUNICIPALITY == MUNICIPALITIES / "example.toml"


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda path: path.name)
def test_each_example_loads_with_both_required_roles_and_every_topic_answered(
    path: Path,
) -> None:
    municipality = load_municipality(path)
    for code in REQUIRED_ROLES:
        assert municipality.role(code).title
    for topic in TOPICS:
        assert municipality.role_for(topic) in municipality.roles.values()
    for kind in APPOINTMENT_KINDS:
        assert isinstance(municipality.appointment(kind).obligatory, bool)
    assert municipality.reminder_offsets
    assert 1 <= municipality.privacy.retention_months <= 120


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda path: path.name)
def test_each_example_marks_its_contact_data_as_made_up(path: Path) -> None:
    municipality = load_municipality(path)
    assert municipality.uses_example_contacts
    assert all(role.example for role in municipality.roles.values())
    for role in municipality.roles.values():
        assert role.email is None or role.email.split("@")[1].endswith(
            ("example.nl", "example.org")
        )
        assert role.website is None or role.website.startswith("https://www.example.nl/")
        assert role.phone is None or " 000 00" in role.phone
    text = path.read_text(encoding="utf-8")
    assert text.count("# VOORBEELD — geen echt nummer") == text.count("phone = ")


def test_the_set_up_examples_differ_in_who_leads_as_in_the_seeds() -> None:
    rijswijk = load_municipality(MUNICIPALITIES / "rijswijk.example.toml")
    noordwijk = load_municipality(MUNICIPALITIES / "noordwijk.example.toml")
    gooise_meren = load_municipality(MUNICIPALITIES / "gooise-meren.example.toml")
    assert rijswijk.role("consulent").title == "consulent inburgering"
    assert rijswijk.role("begeleider").organisation == "Stichting Welzijn Rijswijk"
    assert noordwijk.role("consulent").title == "klantmanager inburgering (ISD)"
    assert noordwijk.role("begeleider").organisation == "VluchtelingenWerk"
    assert gooise_meren.role("consulent").title == "regisseur inburgering"


def test_the_default_file_is_the_neutral_voorbeeldstad() -> None:
    municipality = load_municipality(DEFAULT_MUNICIPALITY)
    assert municipality.name == "Voorbeeldstad"
    assert municipality.privacy.retention_months == 12


# --- broken files: the path, the dotted field and the reason ----------------------------


@pytest.mark.parametrize(
    ("old", "new", "field", "reason"),
    [
        pytest.param(
            'organisation = "Gemeente Teststad"\n',
            "",
            "roles.consulent.organisation",
            "required, but missing",
            id="missing-field",
        ),
        pytest.param(
            "retention_months = 12",
            'retention_months = "long"',
            "privacy.retention_months",
            "should be a whole number, got 'long'",
            id="wrong-type",
        ),
        pytest.param(
            "retention_months = 12",
            "retention_months = 0",
            "privacy.retention_months",
            "should be at least 1",
            id="out-of-range",
        ),
        pytest.param(
            'title = "consulent inburgering"',
            'titel = "consulent inburgering"',
            "roles.consulent.titel",
            "unknown field 'titel' (did you mean 'title'?)",
            id="typo-in-field-name",
        ),
        pytest.param(
            'letter = "begeleider"',
            'letter = "buurtteam"',
            "topics.letter",
            "points to role 'buurtteam', which is not defined under [roles]",
            id="topic-to-unknown-role",
        ),
        pytest.param(
            'letter = "begeleider"',
            'letter = "begeleider"\nbrief = "consulent"',
            "topics.brief",
            "unknown topic 'brief'",
            id="unknown-topic",
        ),
        pytest.param(
            'digid = "consulent"\n',
            "",
            "topics.digid",
            "not mapped",
            id="unmapped-topic",
        ),
        pytest.param(
            "[privacy]",
            "[appointments.intake]\nobligatory = true\n\n[privacy]",
            "appointments.intake",
            "unknown appointment kind 'intake' (did you mean 'brede_intake'?)",
            id="unknown-appointment-kind",
        ),
        pytest.param(
            "[privacy]",
            '[appointments.pip]\nobligatory = "ja"\n\n[privacy]',
            "appointments.pip.obligatory",
            "should be true or false",
            id="obligatory-not-bool",
        ),
        pytest.param(
            'phone = "070 000 0000"',
            'phone = "12"',
            "roles.consulent.phone",
            "not a Dutch phone number: '12'",
            id="bad-phone",
        ),
        pytest.param(
            'phone = "070 000 0000"',
            'phone = "+44 20 7946 0000"',
            "roles.consulent.phone",
            "not a Dutch phone number",
            id="foreign-phone",
        ),
        pytest.param(
            'email = "begeleiding@example.nl"',
            'email = "begeleiding.example.nl"',
            "roles.begeleider.email",
            "not an e-mail address",
            id="email-without-at",
        ),
        pytest.param(
            'email = "begeleiding@example.nl"',
            'email = "a@b@example.nl"',
            "roles.begeleider.email",
            "not an e-mail address",
            id="email-two-ats",
        ),
        pytest.param(
            'phone = "070 000 0000"',
            'website = "http://www.example.nl"',
            "roles.consulent.website",
            "must start with https://",
            id="website-not-https",
        ),
        pytest.param(
            'phone = "070 000 0000"\n',
            "",
            "roles.consulent",
            "at least one way to reach this role",
            id="role-without-contact",
        ),
        pytest.param(
            "[roles.begeleider]",
            '[roles.Werk]\ntitle = "w"\norganisation = "o"\n'
            'email = "w@example.nl"\n\n[roles.begeleider]',
            "roles.Werk",
            "lowercase letters, digits and _",
            id="role-code-not-lowercase",
        ),
        pytest.param(
            "[roles.begeleider]",
            "[roles.anders]",
            "roles.begeleider",
            "required, but missing: add a [roles.begeleider] table",
            id="required-role-missing",
        ),
        pytest.param(
            "[privacy]",
            '[reminders]\noffsets = ["7x"]\n\n[privacy]',
            "reminders.offsets.0",
            "not a time before the appointment: '7x'",
            id="bad-offset",
        ),
        pytest.param(
            "[privacy]",
            '[reminders]\noffsets = ["0h"]\n\n[privacy]',
            "reminders.offsets.0",
            "more than zero",
            id="zero-offset",
        ),
        pytest.param(
            "[privacy]",
            '[reminders]\noffsets = ["1d", "24h"]\n\n[privacy]',
            "reminders.offsets",
            "appears twice",
            id="duplicate-offsets",
        ),
        pytest.param(
            "[privacy]",
            '[reminders]\noffsets = ["6d", "5d", "4d", "3d", "2d", "1d"]\n\n[privacy]',
            "reminders.offsets",
            "too many items (at most 5)",
            id="too-many-offsets",
        ),
        pytest.param(
            "[privacy]",
            '[reminders]\nquiet_hours = { start = "25:00", end = "08:00" }\n\n[privacy]',
            "reminders.quiet_hours.start",
            "not a time of day (HH:MM, like \"21:00\"): '25:00'",
            id="bad-quiet-hours",
        ),
        pytest.param(
            "[privacy]",
            '[reminders]\nquiet_hours = { start = "21:00", eind = "08:00" }\n\n[privacy]',
            "reminders.quiet_hours.eind",
            "unknown field 'eind' (did you mean 'end'?)",
            id="misspelt-quiet-hours",
        ),
        pytest.param(
            "[privacy]",
            '[reminders]\nquiet_hours = { start = "8:00", end = "08:00" }\n\n[privacy]',
            "reminders.quiet_hours",
            "start and end are the same time",
            id="empty-quiet-hours",
        ),
        pytest.param(
            "[privacy]",
            "[reminders]\nrate_per_second = 100\n\n[privacy]",
            "reminders.rate_per_second",
            "should be at most 30",
            id="rate-too-high",
        ),
        pytest.param(
            '[municipality]\nname = "Teststad"\n',
            "",
            "municipality",
            "required, but missing: add a [municipality] table",
            id="missing-section",
        ),
    ],
)
def test_a_broken_file_names_the_path_the_field_and_the_reason(
    tmp_path: Path, old: str, new: str, field: str, reason: str
) -> None:
    path, message = error_for(tmp_path, changed(old, new))
    line = next((line for line in message.splitlines() if f": {field}: " in line), None)
    assert line is not None, message
    assert line.startswith(f"{path}: {field}: ")
    assert reason in line


def test_several_problems_are_all_reported_one_line_each(tmp_path: Path) -> None:
    text = (
        changed('phone = "070 000 0000"', 'phone = "12"')
        .replace('letter = "begeleider"', 'letter = "buurtteam"')
        .replace("retention_months = 12", 'retention_months = "long"')
        .replace("[privacy]", '[reminders]\noffsets = ["7x"]\n\n[privacy]')
    )
    path, message = error_for(tmp_path, text)
    lines = message.splitlines()
    assert all(line.startswith(f"{path}: ") for line in lines)
    fields = [line.removeprefix(f"{path}: ").split(":")[0] for line in lines]
    assert fields == [
        "roles.consulent.phone",
        "topics.letter",
        "reminders.offsets.0",
        "privacy.retention_months",
    ]


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "nergens.toml"
    with pytest.raises(MunicipalityError) as caught:
        load_municipality(path)
    assert str(caught.value) == f"{path}: file not found (set WEGWIJS_MUNICIPALITY)"


def test_an_unreadable_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(MunicipalityError) as caught:
        load_municipality(tmp_path)  # a directory
    assert str(caught.value).startswith(f"{tmp_path}: cannot be read")


def test_invalid_toml_names_the_file_line_and_column(tmp_path: Path) -> None:
    path, message = error_for(tmp_path, changed('name = "Teststad"', "name = Teststad"))
    assert message.startswith(f"{path}: line 2, column 8: not valid TOML: ")
    assert "(at line" not in message


def test_a_byte_order_mark_from_a_windows_editor_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "gemeente.toml"
    path.write_text("\ufeff" + VALID, encoding="utf-8")
    assert load_municipality(path).name == "Teststad"


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("retention_months = 12", 'retention_months = "12"', "privacy.retention_months"),
        ("[privacy]", '[appointments.pip]\nobligatory = "yes"\n\n[privacy]', "appointments.pip"),
        ('phone = "070 000 0000"', 'phone = "070 000 0000"\nexample = 1', "roles.consulent"),
    ],
    ids=["number-in-quotes", "yes-in-quotes", "one-for-true"],
)
def test_values_are_taken_literally_not_guessed(
    tmp_path: Path, old: str, new: str, field: str
) -> None:
    path, message = error_for(tmp_path, changed(old, new))
    assert f"{path}: {field}" in message and "should be" in message
