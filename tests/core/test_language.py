"""Language detection is a hint: it must suggest correctly, ask when unsure, never raise."""

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.language import (
    SUPPORTED_LANGUAGES,
    LanguageGuess,
    detect_language,
    hint_from_telegram,
    letter_script,
)

SCRIPTS = {"ethiopic", "arabic", "latin", "other", "none"}


def assert_valid(guess: LanguageGuess) -> None:
    assert isinstance(guess, LanguageGuess)
    assert guess.lang is None or guess.lang in SUPPORTED_LANGUAGES
    assert guess.script in SCRIPTS
    assert isinstance(guess.ask, bool)
    # A suggestion is either made (and not asked) or not made (and asked).
    assert guess.ask == (guess.lang is None)


@pytest.mark.parametrize(
    "text",
    [
        "ሰላም ከመይ ኣለኹም? ኣነ ካብ ኤርትራ እየ።",
        "ምስ ኣማኻሪይ ቆጸራ ክገብር እደሊ",
        "ሰላም",  # even one word: Ge'ez script is decisive
    ],
)
def test_tigrinya_text_is_ti_without_asking(text: str) -> None:
    assert detect_language(text) == LanguageGuess("ti", "ethiopic", False)


@pytest.mark.parametrize(
    "text",
    [
        "مرحبا، أنا من سوريا وأسكن في أوترخت مع عائلتي",
        "أريد موعدا مع الموظف من فضلك",
        "وين صار الموعد؟ ما فهمت شو لازم اعمل",  # Levantine
        "شلونك؟ آني من العراق",  # Iraqi
    ],
)
def test_arabic_text_is_ar_without_asking(text: str) -> None:
    assert detect_language(text) == LanguageGuess("ar", "arabic", False)


@pytest.mark.parametrize(
    "text",
    [
        "من می‌خواهم با مشاور صحبت کنم",  # Persian, with ZWNJ, ک and ی
        "پدرم در ایران زندگی می کند",  # پ
        "گفتگو با شهرداری",  # گ
    ],
)
def test_persian_text_asks_instead_of_assuming_arabic(text: str) -> None:
    assert detect_language(text) == LanguageGuess(None, "arabic", True)


def test_dari_text_with_farsi_yeh_and_keheh_asks() -> None:
    # Only ی (U+06CC) and ک (U+06A9) distinguish this from Arabic spelling.
    text = "سلام، نام من احمد است و در کابل زندگی کردم"
    assert "\u06cc" in text and "\u06a9" in text
    assert detect_language(text) == LanguageGuess(None, "arabic", True)


def test_persian_without_marker_letters_asks_because_of_persian_words() -> None:
    assert detect_language("سلام، من از افغانستان هستم") == LanguageGuess(None, "arabic", True)


@pytest.mark.parametrize(
    "text",
    [
        "زه په کابل کې اوسېږم",  # Pashto: ږ ې ک
        "من کوردم و لە هەولێر دەژیم",  # Sorani Kurdish: ە ێ ژ
        "میں ہالینڈ میں رہتا ہوں",  # Urdu: ں ہ
    ],
)
def test_other_arabic_script_languages_ask(text: str) -> None:
    assert detect_language(text) == LanguageGuess(None, "arabic", True)


def test_presentation_form_persian_letters_are_recognised() -> None:
    # U+FB56 is the isolated presentation form of پ, as some keyboards produce.
    assert detect_language("سلام \ufb56در") == LanguageGuess(None, "arabic", True)


@pytest.mark.parametrize(
    "text",
    [
        "Ik woon sinds twee maanden in Utrecht met mijn gezin.",
        "wanneer is mijn afspraak met de consulent",
        "Ik wil graag een afspraak maken",
        "HALLO IK BEN AHMED EN IK WOON IN TILBURG",  # capitals are lowered first
    ],
)
def test_dutch_sentence_is_nl(text: str) -> None:
    assert detect_language(text) == LanguageGuess("nl", "latin", False)


@pytest.mark.parametrize(
    "text",
    [
        "I have lived in Utrecht with my family for two months.",
        "I need help with my appointment",
        "What is the date of my meeting",
    ],
)
def test_english_sentence_is_en(text: str) -> None:
    assert detect_language(text) == LanguageGuess("en", "latin", False)


@pytest.mark.parametrize(
    "text",
    [
        "Ich möchte einen Termin machen bitte",  # German: restricted detection says nl
        "Je voudrais un rendez-vous avec le consulent demain",  # French
        "Salam alaikum, ana min Suriya",  # Arabic in Latin letters
        "selam kemey aleka, ane ab asmara eye",  # Tigrinya in Latin letters
        "Salaan, magacaygu waa Axmed",  # Somali
    ],
)
def test_latin_text_in_another_language_asks_instead_of_guessing_nl_or_en(text: str) -> None:
    assert detect_language(text) == LanguageGuess(None, "latin", True)


@pytest.mark.parametrize("text", ["Hallo", "Hello!", "ok", "ja graag", "thank you"])
def test_short_latin_text_asks(text: str) -> None:
    assert detect_language(text) == LanguageGuess(None, "latin", True)


def test_latin_text_without_features_asks() -> None:
    # Twelve letters, but nothing langdetect knows: LangDetectException is handled.
    assert detect_language("xxxxxxxxxxxx qqqqqqqqqqqq") == LanguageGuess(None, "latin", True)


@pytest.mark.parametrize("text", ["👍", "🙏🙏😀 ❤️", "👨‍👩‍👧"])
def test_emoji_only_asks(text: str) -> None:
    assert detect_language(text) == LanguageGuess(None, "none", True)


@pytest.mark.parametrize("text", ["", "   \n\t", "12:30 06-12345678 !!!", "\u200b\u200d\x00\x1f"])
def test_text_without_letters_asks(text: str) -> None:
    assert detect_language(text) == LanguageGuess(None, "none", True)


def test_other_script_asks() -> None:
    assert detect_language("Привет, как дела у тебя сегодня") == LanguageGuess(None, "other", True)


def test_evenly_mixed_scripts_ask() -> None:
    assert detect_language("abc ابت").ask is True


def test_dominant_script_decides_in_mixed_text() -> None:
    text = "مرحبا، موعدي في Utrecht يوم الاثنين مع الموظفة"
    assert detect_language(text) == LanguageGuess("ar", "arabic", False)


def test_latin_detection_is_deterministic() -> None:
    text = "ik snap het niet goed, kunt u het nog een keer uitleggen"
    assert len({detect_language(text) for _ in range(5)}) == 1


def test_non_string_input_asks() -> None:
    assert detect_language(None) == LanguageGuess(None, "none", True)  # type: ignore[arg-type]


def test_5000_random_characters_never_raise() -> None:
    rng = random.Random(20241122)
    pools = [
        (0x0000, 0x007F),  # ASCII including control characters
        (0x0080, 0x024F),  # Latin supplements
        (0x0600, 0x06FF),  # Arabic
        (0x1200, 0x139F),  # Ethiopic
        (0x200B, 0x200F),  # zero-width and direction marks
        (0xD800, 0xDFFF),  # lone surrogates
        (0xFB50, 0xFDFF),  # Arabic presentation forms
        (0x1F300, 0x1FAFF),  # emoji
        (0x0000, 0x10FFFF),  # anything
    ]
    for _ in range(20):
        text = "".join(chr(rng.randint(*rng.choice(pools))) for _ in range(5000))
        assert_valid(detect_language(text))


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_any_text_gives_a_valid_guess(text: str) -> None:
    assert_valid(detect_language(text))


@settings(deadline=None, max_examples=50, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(st.characters(exclude_categories=()), min_size=1000, max_size=5000))
def test_long_text_with_surrogates_gives_a_valid_guess(text: str) -> None:
    assert_valid(detect_language(text))


@settings(deadline=None, max_examples=50)
@given(st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEF éëï'-,.!? "), max_size=400))
def test_latin_text_gives_a_valid_guess(text: str) -> None:
    # Exercises the langdetect path, including feature-less and all-capital text.
    assert_valid(detect_language(text))


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("ar", "ar"),
        ("ar-SY", "ar"),
        ("ti", "ti"),
        ("ti-ER", "ti"),
        ("nl", "nl"),
        ("nl-BE", "nl"),
        ("en", "en"),
        ("en-GB", "en"),
        ("EN_us", "en"),
        ("fa", None),  # Persian / Dari: not assumed to be Arabic
        ("ps", None),
        ("ku", None),
        ("am", None),  # Amharic: not assumed to be Tigrinya
        ("de", None),
        ("", None),
        (None, None),
    ],
)
def test_telegram_language_code_maps_to_supported_language_or_none(
    code: str | None, expected: str | None
) -> None:
    assert hint_from_telegram(code) == expected


@pytest.mark.parametrize(
    ("ch", "script"),
    [
        ("ሀ", "ethiopic"),
        ("ب", "arabic"),
        ("é", "latin"),
        ("Ж", "other"),
        ("5", None),
        ("\u064e", None),
    ],
)
def test_letter_script_counts_only_letters(ch: str, script: str | None) -> None:
    assert letter_script(ch) == script
