import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from charitybook.dates import DateError, parse_date
from charitybook.idnumbers import IdNumberError, check_char, mask, normalize_id
from charitybook.money import MoneyError, daxie, from_fen, parse_money, plain, to_fen, wan, yuan


@pytest.mark.parametrize("text,expected", [
    ("1234", "1234.00"), ("1,234.50", "1234.50"), ("1234.5元", "1234.50"), ("￥1,234.50", "1234.50"),
    ("¥88", "88.00"), ("1.2万", "12000.00"), ("1.2万元", "12000.00"), ("１２３４．５", "1234.50"), (" 200元 ", "200.00"),
])
def test_money_text_forms(text, expected):
    assert parse_money(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["1.234", "-5", "NaN", "inf", "", "abc", "1.2.3", "一千"])
def test_money_refusals_quote_the_value(text):
    with pytest.raises(MoneyError) as caught:
        parse_money(text)
    assert repr(text) in caught.value.message


def test_float_cells_are_read_as_excel_shows_them():
    assert parse_money(16.62, scale=Decimal(10000)) == Decimal("166200.00")
    assert parse_money(0.1 + 0.2) == Decimal("0.30")                      # Excel shows 0.3
    assert parse_money(3482232.1100000003) == Decimal("3482232.11")       # a SUM as Excel stores it
    assert parse_money(0.000001, scale=Decimal(10000)) == Decimal("0.01")  # 1 fen, in 万元
    with pytest.raises(MoneyError, match="more than two decimals"):
        parse_money(2.525)                                                # a real third decimal


def test_wan_rounds_half_up_where_float_round_does_not():
    assert wan(82645000) == "82.65"
    assert round(826450 / 10000, 2) == 82.64  # the trap
    assert yuan(123450) == "1,234.50"


def test_daxie():
    assert daxie(1230000) == "壹万贰仟叁佰元整"
    assert daxie(100000005) == "壹佰万元零伍分"
    assert daxie(10050) == "壹佰元伍角"


@given(st.integers(min_value=0, max_value=10**13))
def test_fen_round_trips_through_display(fen):
    assert to_fen(parse_money(yuan(fen))) == fen
    assert to_fen(parse_money(plain(fen))) == fen
    assert to_fen(from_fen(fen)) == fen


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_any_two_decimal_amount_parses_exactly(amount):
    assert parse_money(f"{amount:,}元") == amount


@pytest.mark.parametrize("text", ["2021-09-07", "2021/9/7", "2021.9.7", "2021年9月7日", "20210907", "２０２１-09-07"])
def test_date_forms(text):
    assert parse_date(text) == dt.date(2021, 9, 7)


def test_date_serial_and_refusals():
    assert parse_date(44446) == dt.date(2021, 9, 7)
    for bad in ("2021-13-01", "2021年2月30日", "yesterday"):
        with pytest.raises(DateError) as caught:
            parse_date(bad)
        assert repr(bad) in caught.value.message


def _valid_ids():
    return st.builds(
        lambda area, born, seq: (lambda s: s + check_char(s))(f"{area}{born:%Y%m%d}{seq:03d}"),
        st.sampled_from(["110105", "611002", "410102", "440301"]),
        st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2020, 12, 31)),
        st.integers(min_value=0, max_value=999),
    )


@given(_valid_ids())
def test_valid_ids_round_trip(id_number):
    assert normalize_id(id_number) == id_number
    assert normalize_id(id_number.lower()) == id_number


@given(_valid_ids(), st.integers(min_value=0, max_value=17), st.integers(min_value=1, max_value=9))
def test_any_single_changed_digit_is_caught(id_number, position, delta):
    if position == 17:
        chars = "0123456789X"
        changed = chars[(chars.index(id_number[17]) + delta) % 11]
    else:
        changed = str((int(id_number[position]) + delta) % 10)
    tampered = id_number[:position] + changed + id_number[position + 1:]
    with pytest.raises(IdNumberError):
        normalize_id(tampered)


@given(_valid_ids())
def test_mask_hides_the_middle(id_number):
    masked = mask(id_number)
    assert masked == id_number[:4] + "*" * 10 + id_number[-4:]
    assert id_number not in masked


def test_legacy_15_digit_is_upgraded():
    assert normalize_id("110105491231002") == "11010519491231002X"


def test_id_errors_never_quote_the_full_number():
    bad = "110105194912310021"
    with pytest.raises(IdNumberError) as caught:
        normalize_id(bad)
    assert bad not in caught.value.message
    with pytest.raises(IdNumberError, match="digits lost"):
        normalize_id("6.11002E+17")
