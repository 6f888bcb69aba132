"""`fields`: contact details as Dutch offices write them are accepted, and a wrong one is
refused in the words the documentation shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.municipality import (
    load_municipality,
)
from tests.municipality.helpers import (
    changed,
    error_for,
    write,
)


@pytest.mark.parametrize(
    "phone", ["070 000 0000", "+31 70 123 4567", "0031 70 123 4567", "06-12345678", "14 070"]
)
def test_dutch_phone_numbers_are_accepted(tmp_path: Path, phone: str) -> None:
    text = changed('phone = "070 000 0000"', f'phone = "{phone}"')
    assert load_municipality(write(tmp_path, text)).role("consulent").phone == phone


def test_a_bad_phone_number_reads_exactly_as_documented(tmp_path: Path) -> None:
    path, message = error_for(tmp_path, changed('phone = "070 000 0000"', 'phone = "12"'))
    assert message.startswith(f"{path}: roles.consulent.phone: not a Dutch phone number: '12'")
