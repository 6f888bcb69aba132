"""The municipality file: the four bundled examples load, and every kind of mistake stops
start-up with a line naming the file, the dotted field and what is wrong."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.municipality import (
    APPOINTMENT_KINDS,
    REQUIRED_ROLES,
    TOPICS,
    Municipality,
    MunicipalityError,
    load_municipality,
)
from bot.settings import DEFAULT_MUNICIPALITY
from flows import appointments as A

MUNICIPALITIES = Path(__file__).resolve().parents[2] / "municipalities"
EXAMPLE_FILES = sorted(MUNICIPALITIES.glob("*.toml"))

# A small valid file; each broken case below changes one thing in it.
VALID = "\n".join(
    [
        "[municipality]",
        'name = "Teststad"',
        "",
        "[roles.consulent]",
        'title = "consulent inburgering"',
        'organisation = "Gemeente Teststad"',
        'phone = "070 000 0000"',
        "",
        "[roles.begeleider]",
        'title = "maatschappelijk begeleider"',
        'organisation = "VluchtelingenWerk"',
        'email = "begeleiding@example.nl"',
        "",
        "[topics]",
        *(f'{topic} = "{"begeleider" if topic == "letter" else "consulent"}"' for topic in TOPICS),
        "",
        "[privacy]",
        "retention_months = 12",
        "",
    ]
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "gemeente.toml"
    path.write_text(text, encoding="utf-8")
    return path


def error_for(tmp_path: Path, text: str) -> tuple[Path, str]:
    path = write(tmp_path, text)
    with pytest.raises(MunicipalityError) as caught:
        load_municipality(path)
    return path, str(caught.value)


def changed(old: str, new: str) -> str:
    assert old in VALID, old
    return VALID.replace(old, new, 1)


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


# --- what the bot reads from it --------------------------------------------------------


def test_a_topic_is_answered_by_the_role_it_points_to(tmp_path: Path) -> None:
    municipality = load_municipality(write(tmp_path, VALID))
    assert municipality.role_for("letter").organisation == "VluchtelingenWerk"
    assert municipality.role_for("exam") is municipality.role("consulent")
    with pytest.raises(KeyError):
        municipality.role("buurtteam")
    with pytest.raises(KeyError):
        municipality.role_for("weather")


def test_unlisted_appointment_kinds_follow_the_law_with_nothing_to_bring(tmp_path: Path) -> None:
    municipality = load_municipality(write(tmp_path, VALID))
    other = municipality.appointment("other")
    assert (other.obligatory, other.bring, other.duration_minutes) == (False, (), None)
    assert municipality.appointment("brede_intake").obligatory is True
    assert municipality.appointment("huisbezoek").obligatory is False
    with pytest.raises(KeyError):
        municipality.appointment("party")


def test_a_listed_kind_keeps_its_items_in_dutch_and_the_laws_obligation_if_unsaid(
    tmp_path: Path,
) -> None:
    text = VALID + '[appointments.pvt]\nbring = ["je verblijfsdocument", "je agenda"]\n'
    pvt = load_municipality(write(tmp_path, text)).appointment("pvt")
    assert pvt.bring == ("je verblijfsdocument", "je agenda")
    assert pvt.obligatory is True


def test_reminders_default_to_7d_1d_2h_outside_21_to_8_at_25_per_second(tmp_path: Path) -> None:
    reminders = load_municipality(write(tmp_path, VALID)).reminders
    assert reminders.offsets == (timedelta(days=7), timedelta(days=1), timedelta(hours=2))
    assert (reminders.quiet_hours.start, reminders.quiet_hours.end) == (time(21), time(8))
    assert reminders.rate_per_second == 25


def test_deadlines_default_to_the_law_pip_in_10_weeks_term_of_3_years(tmp_path: Path) -> None:
    deadlines = load_municipality(write(tmp_path, VALID)).deadlines
    assert (deadlines.pip_weeks, deadlines.term_years, deadlines.pip_near_days) == (10, 3, 14)


def test_deadlines_can_be_set_and_are_checked(tmp_path: Path) -> None:
    text = VALID + "[deadlines]\npip_near_days = 21\n"
    assert load_municipality(write(tmp_path, text)).deadlines.pip_near_days == 21
    bad = VALID + '[deadlines]\npip_weeks = 0\nterm_years = "3"\npip_near_dayz = 1\n'
    with pytest.raises(MunicipalityError) as error:
        load_municipality(write(tmp_path, bad))
    message = str(error.value)
    assert "deadlines.pip_weeks: should be at least 1, got 0" in message
    assert "deadlines.term_years: should be a whole number, got '3'" in message
    assert "deadlines.pip_near_dayz: unknown field 'pip_near_dayz' (did you mean" in message


def test_offsets_are_parsed_and_ordered_earliest_first(tmp_path: Path) -> None:
    text = VALID + '[reminders]\noffsets = ["2h", "30m", "3d"]\n'
    municipality = load_municipality(write(tmp_path, text))
    assert municipality.reminder_offsets == (
        timedelta(days=3),
        timedelta(hours=2),
        timedelta(minutes=30),
    )


def test_quiet_hours_wrap_past_midnight(tmp_path: Path) -> None:
    quiet = load_municipality(write(tmp_path, VALID)).reminders.quiet_hours
    assert quiet.contains(time(23, 30)) and quiet.contains(time(7, 59))
    assert quiet.contains(time(21, 0)) and not quiet.contains(time(8, 0))
    assert not quiet.contains(time(12, 0))


@pytest.mark.parametrize(
    "phone", ["070 000 0000", "+31 70 123 4567", "0031 70 123 4567", "06-12345678", "14 070"]
)
def test_dutch_phone_numbers_are_accepted(tmp_path: Path, phone: str) -> None:
    text = changed('phone = "070 000 0000"', f'phone = "{phone}"')
    assert load_municipality(write(tmp_path, text)).role("consulent").phone == phone


def test_the_model_itself_refuses_a_topic_without_its_role() -> None:
    raw = {
        "municipality": {"name": "Teststad"},
        "roles": {"consulent": {"title": "c", "organisation": "o", "phone": "070 000 0000"}},
        "topics": dict.fromkeys(TOPICS, "consulent"),
        "privacy": {"retention_months": 12},
    }
    with pytest.raises(ValidationError, match=r"roles\.begeleider: required"):
        Municipality.model_validate(raw)


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


def test_a_bad_phone_number_reads_exactly_as_documented(tmp_path: Path) -> None:
    path, message = error_for(tmp_path, changed('phone = "070 000 0000"', 'phone = "12"'))
    assert message.startswith(f"{path}: roles.consulent.phone: not a Dutch phone number: '12'")


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


# --- who sees the answers (the consent text) ---------------------------------------------


def test_who_sees_is_optional_and_left_out_means_the_general_sentence(tmp_path: Path) -> None:
    assert load_municipality(write(tmp_path, VALID)).privacy.who_sees is None


def test_who_sees_is_kept_as_written_in_order_with_spaces_tidied(tmp_path: Path) -> None:
    text = changed(
        "retention_months = 12",
        'retention_months = 12\nwho_sees = ["je consulent inburgering",'
        ' "  VluchtelingenWerk,   bij de brede intake "]',
    )
    who = load_municipality(write(tmp_path, text)).privacy.who_sees
    assert who == ("je consulent inburgering", "VluchtelingenWerk, bij de brede intake")


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        pytest.param("[]", "an empty list would say that nobody sees the answers", id="empty"),
        pytest.param('"je consulent"', "should be a list like", id="not-a-list"),
        pytest.param('["je consulent", 3]', "item 2 should be text in quotes", id="not-text"),
        pytest.param('["je consulent", "  "]', "item 2 is empty", id="blank-item"),
        pytest.param('["je consulent", "je consulent"]', "item 2 appears twice", id="duplicate"),
        pytest.param(f'["{"x" * 121}"]', "item 1 is too long (at most 120", id="too-long"),
        pytest.param(
            "[" + ", ".join(f'"partner {n}"' for n in range(9)) + "]",
            "has too many items (at most 8)",
            id="too-many",
        ),
        pytest.param('["je consulent\\nen het team"]', "item 1 spans more lines", id="two-lines"),
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
    assert any("VluchtelingenWerk" in line and "brede intake" in line for line in noordwijk)
    assert any("Werkgeversservicepunt" in line for line in rijswijk)
    assert any("Inkomen" in line for line in rijswijk)
    assert who["gooise-meren.example.toml"] is None
    for name, lines in who.items():
        if lines is not None:
            assert "consulent" in lines[0] or "klantmanager" in lines[0], name
            assert any("beheerders" in line for line in lines), name


def test_the_consent_promise_changes_with_the_retention_and_the_who_sees_list(
    tmp_path: Path,
) -> None:
    def promise(text: str) -> str:
        return load_municipality(write(tmp_path, text)).privacy.promise

    plain = promise(VALID)
    assert plain == "r12"  # as before: a file without who_sees keeps its consent version
    listed = promise(changed("retention_months = 12", 'retention_months = 12\nwho_sees = ["a"]'))
    other = promise(changed("retention_months = 12", 'retention_months = 12\nwho_sees = ["b"]'))
    assert listed.startswith("r12-w") and len({plain, listed, other}) == 3
    assert promise(changed("retention_months = 12", "retention_months = 24")) == "r24"


def test_a_file_without_appointments_follows_the_law_for_every_kind_of_the_flows(
    tmp_path: Path,
) -> None:
    municipality = load_municipality(write(tmp_path, VALID))
    assert APPOINTMENT_KINDS == A.KIND_CODES == tuple(A.KIND_LABELS)
    obligatory = {k for k in APPOINTMENT_KINDS if municipality.appointment(k).obligatory}
    assert obligatory == A.OBLIGATORY_BY_LAW
    assert "kennismaking" not in obligatory and "brede_intake" in obligatory
