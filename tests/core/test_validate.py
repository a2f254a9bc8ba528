"""Validation tables: what a clerk types and what the app makes of it."""

from __future__ import annotations

from datetime import date

import pytest

from huzhu_desktop.core.validate import (
    FieldError,
    clean,
    id_check_char,
    mask_id,
    normalize_gender,
    normalize_name,
    normalize_org_code,
    normalize_phone,
    parse_date,
    parse_id_number,
)

TODAY = date(2026, 11, 23)


def make_id(region: str, birth: str, seq: str) -> str:
    first17 = region + birth + seq
    return first17 + id_check_char(first17)


GOOD_IDS = [
    # (typed, stored, birth, gender)
    ("11010519491231002X", "11010519491231002X", date(1949, 12, 31), "女"),
    ("11010519491231002x", "11010519491231002X", date(1949, 12, 31), "女"),
    (make_id("500112", "19480305", "123"), None, date(1948, 3, 5), "男"),
    (
        "５００１１２１９４８０３０５１２３" + id_check_char("50011219480305123"),
        None,
        date(1948, 3, 5),
        "男",
    ),
    (
        " 500112 19480305 123" + id_check_char("50011219480305123") + " ",
        None,
        date(1948, 3, 5),
        "男",
    ),
    ("500112480305124", "500112480305124", date(1948, 3, 5), "女"),  # old 15-digit
]


@pytest.mark.parametrize(("typed", "stored", "birth", "gender"), GOOD_IDS)
def test_good_id_numbers_give_birth_and_gender(typed, stored, birth, gender) -> None:
    info = parse_id_number(typed, today=TODAY)
    assert info.birth_date == birth
    assert info.gender == gender
    assert len(info.number) in (15, 18)
    if stored:
        assert info.number == stored


BAD_IDS = [
    ("110105194912310021", "校验位"),
    ("11010519491231002", "18位"),
    ("1101051949123100211", "18位"),
    ("11010519490231002" + id_check_char("11010519490231002"), "不存在"),
    ("11010520990101002" + id_check_char("11010520990101002"), "不合理"),
    ("1.10105E+17", "科学计数法"),
    ("11010519491231A02X", "只能是数字"),
    ("", "为空"),
]


@pytest.mark.parametrize(("typed", "fragment"), BAD_IDS)
def test_bad_id_numbers_say_what_is_wrong(typed: str, fragment: str) -> None:
    with pytest.raises(FieldError, match=fragment):
        parse_id_number(typed, today=TODAY)


def test_masked_id_never_shows_the_middle() -> None:
    assert mask_id("11010519491231002X") == "110105********002X"


GOOD_PHONES = [
    ("13812345678", "13812345678"),
    ("138 1234 5678", "13812345678"),
    ("138-1234-5678", "13812345678"),
    ("＋８６ １３８１２３４５６７８", "13812345678"),
    ("+8613812345678", "13812345678"),
    ("023-67891234", "023-67891234"),
    ("02367891234", "023-67891234"),
    ("(023)67891234", "023-67891234"),
    ("（023）6789123", "023-6789123"),
    ("0831-2345678", "0831-2345678"),
    ("010-12345678".replace("1234", "2234"), "010-22345678"),
    ("", ""),
]


@pytest.mark.parametrize(("typed", "stored"), GOOD_PHONES)
def test_good_phones_are_normalised(typed: str, stored: str) -> None:
    assert normalize_phone(typed) == stored


BAD_PHONES = [
    ("12812345678", "13～19"),
    ("1381234567", "11位"),
    ("67891234", "区号"),
    ("023-123", "位数"),
    ("138abc45678", "只能包含数字"),
]


@pytest.mark.parametrize(("typed", "fragment"), BAD_PHONES)
def test_bad_phones_say_what_is_wrong(typed: str, fragment: str) -> None:
    with pytest.raises(FieldError, match=fragment):
        normalize_phone(typed)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-09-30", date(2026, 9, 30)),
        ("2026/9/3", date(2026, 9, 3)),
        ("2026.9.30", date(2026, 9, 30)),
        ("2026年9月30日", date(2026, 9, 30)),
        ("20260930", date(2026, 9, 30)),
        ("２０２６－０９－３０", date(2026, 9, 30)),
    ],
)
def test_dates_in_common_forms(typed: str, expected: date) -> None:
    assert parse_date(typed, today=TODAY) == expected


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [("2026-02-30", "不存在"), ("2027-01-01", "晚于今天"), ("明天", "看不懂")],
)
def test_bad_dates(typed: str, fragment: str) -> None:
    with pytest.raises(FieldError, match=fragment):
        parse_date(typed, today=TODAY)


@pytest.mark.parametrize(
    ("typed", "level", "expected"),
    [
        ("500112", "district", "500112000000"),
        ("500112108", "town", "500112108000"),
        ("500112108201", "village", "500112108201"),
        ("５００１１２１０８", "town", "500112108000"),
    ],
)
def test_org_codes_are_padded_to_twelve_digits(typed: str, level: str, expected: str) -> None:
    assert normalize_org_code(typed, level) == expected


@pytest.mark.parametrize(
    ("typed", "level"),
    [
        ("500112108", "village"),
        ("50011210820", "village"),
        ("500112abc", "town"),
        ("500112000", "town"),
    ],
)
def test_org_codes_that_do_not_fit_are_refused(typed: str, level: str) -> None:
    with pytest.raises(FieldError):
        normalize_org_code(typed, level)


def test_names_and_genders() -> None:
    assert normalize_name("  张　德明 ") == "张德明"
    assert normalize_name("阿依古丽．买买提") == "阿依古丽·买买提"
    assert clean("１２３") == "123"
    for bad in ("", "张3", "x" * 31):
        with pytest.raises(FieldError):
            normalize_name(bad)
    assert normalize_gender("男") == "男"
    assert normalize_gender("F") == "女"
    with pytest.raises(FieldError, match="男”或“女"):
        normalize_gender("未知")


def test_phones_are_masked_for_lists() -> None:
    from huzhu_desktop.core.validate import mask_phone

    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("023-67800001") == "023-****0001"
    assert mask_phone("1234") == "****" and mask_phone("") == ""
