"""`wegwijs locales check` reports every catalog defect a reader would suffer from.

Catalogs are built in tmp_path; the real catalogs in locales/ are tested elsewhere.
"""

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import escape, write_po

from bot.catalogs.check import (
    PLURAL_FORMS,
    Problem,
    catalog_path,
    check_catalogs,
    format_problems,
)

HEADER_PLURAL_FORMS = {
    "ar": PLURAL_FORMS["ar"],
    "ti": PLURAL_FORMS["ti"],
    "nl": "nplurals=2; plural=(n != 1);",
    "en": "nplurals=2; plural=(n != 1);",
}

HELLO = "Hello {name}, welcome to Wegwijs."
APPOINTMENT = "Your appointment is on {date} at {time}."
ONE = "You have one appointment."
MANY = "You have {count} appointments."
THUMB = "👍"
OLD = "This message is no longer used."


def entry(msgid: str, msgstr: str, *, flags: str = "") -> str:
    lines = [f"#, {flags}"] if flags else []
    lines += [f"msgid {escape(msgid)}", f"msgstr {escape(msgstr)}"]
    return "\n".join(lines)


def plural_entry(forms: list[str], *, msgid: str = ONE, msgid_plural: str = MANY) -> str:
    lines = [f"msgid {escape(msgid)}", f"msgid_plural {escape(msgid_plural)}"]
    lines += [f"msgstr[{i}] {escape(form)}" for i, form in enumerate(forms)]
    return "\n".join(lines)


OBSOLETE = f'#~ msgid "{OLD}"\n#~ msgstr ""'

GOOD_PLURALS = {
    "ar": [
        "ليس لديك أي موعد.",  # 0
        "لديك موعد واحد.",  # 1: the word "one", no {count}
        "لديك موعدان.",  # 2: the dual, no {count}
        "لديك {count} مواعيد.",  # 3-10
        "لديك {count} موعدًا.",  # 11-99
        "لديك {count} موعد.",  # 100, 101, 102…
    ],
    "ti": ["ሓደ ቆጸራ ኣሎካ።", "{count} ቆጸራታት ኣለዉኻ።"],
    "nl": ["Je hebt één afspraak.", "Je hebt {count} afspraken."],
    "en": [ONE, MANY],
}

GOOD = {
    "ar": {
        HELLO: "مرحبا {name}، أهلا بك في Wegwijs.",
        APPOINTMENT: "موعدك يوم {date} الساعة \u2068{time}\u2069.",
        THUMB: THUMB,
    },
    "ti": {
        HELLO: "ሰላም {name}፣ ናብ Wegwijs እንቋዕ ብደሓን መጻእኩም።",
        APPOINTMENT: "ቆጸራኹም ብ{date} ሰዓት {time} እዩ።",
        THUMB: THUMB,
    },
    "nl": {
        HELLO: "Hallo {name}, welkom bij Wegwijs.",
        APPOINTMENT: "Je afspraak is op {date} om {time}.",
        THUMB: THUMB,
    },
    "en": {HELLO: HELLO, APPOINTMENT: APPOINTMENT, THUMB: THUMB},
}


def write_catalog(
    root: Path,
    lang: str,
    entries: list[str] | None = None,
    *,
    plural_forms: str | None = None,
    header_flags: str = "",
) -> Path:
    """Write a .po file as a translator's tool would; defaults give a good catalog."""
    if entries is None:
        entries = [entry(msgid, msgstr) for msgid, msgstr in GOOD[lang].items()]
        entries += [plural_entry(GOOD_PLURALS[lang]), OBSOLETE]
    if plural_forms is None:
        plural_forms = HEADER_PLURAL_FORMS[lang]
    header = "\n".join(
        [
            *([f"#, {header_flags}"] if header_flags else []),
            'msgid ""',
            'msgstr ""',
            f'"Language: {lang}\\n"',
            '"Content-Type: text/plain; charset=UTF-8\\n"',
            f'"Plural-Forms: {plural_forms}\\n"',
        ]
    )
    path = catalog_path(root, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n\n".join([header, *entries]) + "\n", encoding="utf-8")
    return path


def write_template(root: Path, msgids: list[str | tuple[str, str]]) -> None:
    """Write locales/messages.pot the way Babel's extractor does."""
    template = Catalog(fuzzy=True)
    for msgid in msgids:
        template.add(msgid)
    with (root / "messages.pot").open("wb") as fileobj:
        write_po(fileobj, template)


def good_entries(lang: str, **replacements: str) -> list[str]:
    """The good entries of ``lang``, with some msgid → msgstr replaced."""
    translations = {**GOOD[lang], **replacements}
    return [entry(msgid, msgstr) for msgid, msgstr in translations.items()] + [
        plural_entry(GOOD_PLURALS[lang])
    ]


@pytest.fixture
def locales(tmp_path: Path) -> Path:
    for lang in ("ar", "ti", "nl", "en"):
        write_catalog(tmp_path, lang)
    write_template(tmp_path, [HELLO, APPOINTMENT, THUMB, (ONE, MANY)])
    return tmp_path


def test_complete_good_catalogs_pass(locales: Path) -> None:
    assert check_catalogs(locales) == []


def test_empty_translation_is_reported(locales: Path) -> None:
    write_catalog(locales, "nl", good_entries("nl", **{APPOINTMENT: ""}))
    assert check_catalogs(locales) == [Problem("nl", APPOINTMENT, "empty translation")]


def test_fuzzy_entry_is_reported(locales: Path) -> None:
    entries = good_entries("ti")
    entries[0] = entry(HELLO, GOOD["ti"][HELLO], flags="fuzzy, python-brace-format")
    write_catalog(locales, "ti", entries)
    assert check_catalogs(locales) == [Problem("ti", HELLO, "fuzzy (needs review)")]


def test_placeholder_mismatch_is_reported(locales: Path) -> None:
    write_catalog(locales, "nl", good_entries("nl", **{HELLO: "Hallo {naam}, welkom."}))
    assert check_catalogs(locales) == [
        Problem("nl", HELLO, "placeholders differ: msgid has {name}, translation has {naam}")
    ]


def test_missing_placeholder_is_reported(locales: Path) -> None:
    write_catalog(locales, "en", good_entries("en", **{APPOINTMENT: "See you on {date}."}))
    assert check_catalogs(locales) == [
        Problem(
            "en",
            APPOINTMENT,
            "placeholders differ: msgid has {date}, {time}, translation has {date}",
        )
    ]


def test_unbalanced_braces_are_reported(locales: Path) -> None:
    write_catalog(locales, "nl", good_entries("nl", **{HELLO: "Hallo {name, welkom."}))
    assert check_catalogs(locales) == [Problem("nl", HELLO, "translation has unbalanced braces")]


def test_latin_script_tigrinya_string_is_reported(locales: Path) -> None:
    write_catalog(locales, "ti", good_entries("ti", **{HELLO: "Selam {name}, merhaba."}))
    assert check_catalogs(locales) == [
        Problem("ti", HELLO, "not mostly in Ge'ez script (0% Ethiopic letters)")
    ]


def test_latin_script_arabic_string_is_reported(locales: Path) -> None:
    write_catalog(locales, "ar", good_entries("ar", **{HELLO: "Marhaba {name}, ahlan."}))
    assert check_catalogs(locales) == [
        Problem("ar", HELLO, "not mostly in Arabic script (0% Arabic letters)")
    ]


def test_partly_latin_tigrinya_below_60_percent_is_reported(locales: Path) -> None:
    # 6 Ethiopic letters out of 11 (54.5%); placeholder names do not count.
    write_catalog(locales, "ti", good_entries("ti", **{HELLO: "ሰላም {name} ሰላም, Hallo"}))
    assert check_catalogs(locales) == [
        Problem("ti", HELLO, "not mostly in Ge'ez script (54% Ethiopic letters)")
    ]


def test_tigrinya_with_60_percent_ethiopic_letters_passes(locales: Path) -> None:
    # 6 Ethiopic letters out of 10: names such as "Wijs" or "IND" may stay in Latin.
    write_catalog(locales, "ti", good_entries("ti", **{HELLO: "ሰላም {name} ሰላም, Wijs"}))
    assert check_catalogs(locales) == []


def test_script_check_ignores_placeholder_names_and_short_strings(locales: Path) -> None:
    # "مرحبا" alone is 5 Arabic letters against the 8 Latin ones of {firstname}.
    write_catalog(
        locales,
        "ar",
        [
            entry("Hi {firstname}", "مرحبا {firstname}"),
            entry("OK", "OK"),  # 2 letters: too short to judge
            entry(THUMB, THUMB),
        ],
    )
    write_template(locales, [])
    assert check_catalogs(locales, ["ar"]) == []


def test_babel_default_arabic_plural_header_is_reported(locales: Path) -> None:
    babel_default = Catalog(locale="ar").plural_forms
    assert babel_default != PLURAL_FORMS["ar"]
    write_catalog(locales, "ar", plural_forms=babel_default)
    assert check_catalogs(locales) == [
        Problem(
            "ar",
            "",
            f"wrong Plural-Forms header: expected {PLURAL_FORMS['ar']!r}, found {babel_default!r}",
        )
    ]


def test_babel_default_tigrinya_plural_header_is_reported(locales: Path) -> None:
    write_catalog(locales, "ti", plural_forms="nplurals=2; plural=(n != 1);")
    problems = check_catalogs(locales)
    assert [(p.lang, p.msgid) for p in problems] == [("ti", "")]
    assert problems[0].message.startswith("wrong Plural-Forms header")


def test_plural_header_compares_without_whitespace_and_final_semicolon(locales: Path) -> None:
    compact = "nplurals=6;plural=(n==0?0:n==1?1:n==2?2:n%100>=3&&n%100<=10?3:n%100>=11?4:5)"
    write_catalog(locales, "ar", plural_forms=compact)
    assert check_catalogs(locales) == []


def test_missing_plural_forms_header_is_reported(locales: Path) -> None:
    path = write_catalog(locales, "nl")
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace('"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n', ""), encoding="utf-8"
    )
    assert check_catalogs(locales) == [Problem("nl", "", "no Plural-Forms header")]


def test_plural_expression_beyond_nplurals_is_reported(locales: Path) -> None:
    write_catalog(locales, "en", plural_forms="nplurals=2; plural=(n==1 ? 0 : n==2 ? 1 : 2);")
    assert check_catalogs(locales) == [
        Problem("en", "", "Plural-Forms selects form 2 but declares nplurals=2")
    ]


def test_missing_plural_form_is_reported(locales: Path) -> None:
    entries = good_entries("ar")
    entries[-1] = plural_entry(GOOD_PLURALS["ar"][:2])  # only msgstr[0] and msgstr[1]
    write_catalog(locales, "ar", entries)
    assert check_catalogs(locales) == [
        Problem("ar", ONE, "plural form 2, 3, 4, 5 missing or empty (6 forms needed)")
    ]


def test_count_may_only_be_left_out_of_singular_like_plural_forms(locales: Path) -> None:
    forms = list(GOOD_PLURALS["ar"])
    forms[3] = "لديك بضعة مواعيد."  # 3-10 needs the number
    entries = good_entries("ar")
    entries[-1] = plural_entry(forms)
    write_catalog(locales, "ar", entries)
    assert check_catalogs(locales) == [
        Problem(
            "ar",
            ONE,
            "plural form 3: placeholders differ: msgid_plural has {count}, "
            "translation has no placeholders",
        )
    ]


def test_wrong_placeholder_in_plural_form_is_reported(locales: Path) -> None:
    entries = good_entries("ti")
    entries[-1] = plural_entry(["ሓደ ቆጸራ ኣሎካ።", "{n} ቆጸራታት ኣለዉኻ።"])
    write_catalog(locales, "ti", entries)
    assert check_catalogs(locales) == [
        Problem(
            "ti",
            ONE,
            "plural form 1: placeholders differ: msgid_plural has {count}, translation has {n}",
        )
    ]


def test_msgid_in_template_missing_from_catalog_is_reported(locales: Path) -> None:
    new = "Do you need an interpreter (tolk)?"
    write_template(locales, [HELLO, APPOINTMENT, THUMB, (ONE, MANY), new])
    assert check_catalogs(locales) == [
        Problem(lang, new, "missing from catalog") for lang in ("ar", "ti", "nl", "en")
    ]


def test_obsolete_entry_does_not_count_as_present_or_as_a_problem(locales: Path) -> None:
    # OLD is only an obsolete (#~) entry with an empty translation in every catalog.
    write_template(locales, [HELLO, APPOINTMENT, THUMB, (ONE, MANY), OLD])
    assert check_catalogs(locales, ["nl"]) == [Problem("nl", OLD, "missing from catalog")]


def test_missing_catalog_file_is_reported(locales: Path) -> None:
    path = catalog_path(locales, "ti")
    path.unlink()
    assert check_catalogs(locales) == [Problem("ti", "", f"catalog file missing: {path}")]


def test_unparsable_catalog_is_reported_once(locales: Path) -> None:
    path = catalog_path(locales, "ar")
    path.write_text('msgid "Hello"\nmsgstr "مرحبا"\nthis is not a po line\n', encoding="utf-8")
    problems = check_catalogs(locales)
    assert len(problems) == 1
    assert (problems[0].lang, problems[0].msgid) == ("ar", "")
    assert problems[0].message.startswith("catalog cannot be parsed (line 3")


def test_fuzzy_catalog_header_is_reported(locales: Path) -> None:
    write_catalog(locales, "en", header_flags="fuzzy")
    assert check_catalogs(locales) == [
        Problem("en", "", "catalog header is fuzzy (pybabel compile skips the whole catalog)")
    ]


def test_only_the_requested_languages_are_checked(locales: Path) -> None:
    catalog_path(locales, "ti").unlink()
    assert check_catalogs(locales, ["nl", "en"]) == []


def test_without_template_only_the_catalogs_are_checked(locales: Path) -> None:
    (locales / "messages.pot").unlink()
    assert check_catalogs(locales) == []


def test_format_problems_gives_one_line_per_problem() -> None:
    problems = [
        Problem("ar", "Your appointment with the consulent is on {date}.", "empty translation"),
        Problem("nl", "Two\nlines", "fuzzy (needs review)"),
        Problem("ti", "", "catalog file missing: locales/ti/LC_MESSAGES/messages.po"),
    ]
    assert format_problems(problems).splitlines() == [
        'ar: "Your appointment with the consulent is…": empty translation',
        'nl: "Two lines": fuzzy (needs review)',
        "ti: catalog file missing: locales/ti/LC_MESSAGES/messages.po",
    ]
    assert format_problems([]) == ""
