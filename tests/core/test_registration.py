"""法人番号 and 登録番号: one check for customers, partners and our company (DOMAIN.md §3)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.core.registration import (
    check_registration_fields,
    corporate_check_digit,
    is_valid_corporate_number,
    normalise_registration_number,
    registration_number_problem,
    with_check_digit,
)


@pytest.mark.parametrize("number", ["7123456789012", "4011001098993"])
def test_valid_corporate_numbers(number):
    assert corporate_check_digit(number[1:]) == int(number[0])
    assert is_valid_corporate_number(number)
    assert registration_number_problem("T" + number) is None


@pytest.mark.parametrize("value, problem", [
    ("T1123456789012", "check_digit"), ("T5011001098993", "check_digit"), ("7123456789012", "format"),
    ("T712345678901", "format"), ("T71234567890123", "format"), ("", "format"), (None, "format"),
    ("TABCDEFGHIJKLM", "format")])
def test_invalid_registration_numbers(value, problem):
    assert registration_number_problem(value) == problem


def test_sole_proprietors_numbers_have_no_check_digit():
    assert registration_number_problem("T1123456789012", corporation=False) is None


def test_registration_numbers_are_normalised_as_typed():
    assert normalise_registration_number("ｔ７１２３-４５６７-８９０１２") == "T7123456789012"
    assert normalise_registration_number(" 4011001098993 ") == "T4011001098993"
    assert normalise_registration_number("") == ""


@pytest.mark.parametrize("number", ["7123456789012", "4011001098993"])
def test_the_check_digit_is_put_in_front(number):
    assert with_check_digit(number[1:]) == number


class Refused(Exception):
    def __init__(self, field, message):
        super().__init__(str(message))
        self.field = field


def _check(corporate=None, registration=None, sole_proprietor=False):
    company = SimpleNamespace(corporate_number=corporate, registration_number=registration)
    check_registration_fields(company, Refused, sole_proprietor=sole_proprietor)


@pytest.mark.parametrize("corporate, registration, sole, field, message", [
    ("1123456789012", None, False, "corporate_number", "法人番号が正しくありません"),
    (None, "7123456789012", False, "registration_number", "「T」と13桁"),
    (None, "T1123456789012", False, "registration_number", "チェックデジット"),
    ("7123456789012", "T4011001098993", False, "registration_number", "T + 法人番号"),
    (None, "T71234567890", True, "registration_number", "「T」と13桁")])
def test_a_company_is_refused_at_the_field_with_the_problem(corporate, registration, sole, field, message):
    with pytest.raises(Refused) as error:
        _check(corporate, registration, sole)
    assert error.value.field == field and message in str(error.value)


@pytest.mark.parametrize("corporate, registration, sole", [
    (None, None, False), ("4011001098993", None, False), ("4011001098993", "T4011001098993", False),
    (None, "T7123456789012", False), (None, "T1123456789012", True), ("7123456789012", "T1123456789012", True)])
def test_valid_companies_pass(corporate, registration, sole):
    _check(corporate, registration, sole)
