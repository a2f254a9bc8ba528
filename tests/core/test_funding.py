"""资金筹集: the clerk books the town's 配套 and a company's donation, fixes a typo, and deletes a
duplicate — amounts are exact to the 分."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from huzhu_desktop.core.errors import NotFoundError, ValidationError
from huzhu_desktop.core.models import Funding
from huzhu_desktop.core.services import funding
from huzhu_desktop.core.services.funding import FundingForm, parse_yuan, yuan
from tests.core.test_pairings_visits import TODAY


def book(ws, form: FundingForm) -> Funding:  # type: ignore[no-untyped-def]
    with ws.transaction() as s:
        return funding.record_funding(form, session=s, actor=ws.actor, today=TODAY)


@pytest.mark.parametrize(
    ("typed", "fen"),
    [
        ("5000", 500000),
        ("1234.5", 123450),
        ("1,234.56", 123456),
        ("５０００元", 500000),
        ("0.01", 1),
    ],
)
def test_amounts_in_yuan_become_exact_fen(typed: str, fen: int) -> None:
    errors: dict[str, str] = {}
    assert parse_yuan(typed, errors) == fen and not errors
    assert yuan(fen) == f"{fen // 100}.{fen % 100:02d}"


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "请填数字"),
        ("五千", "请填数字"),
        ("12.345", "两位小数"),
        ("0", "大于0"),
        ("-50", "大于0"),
        ("NaN", "请填数字"),
        ("Infinity", "请填数字"),
        ("1e12", "太大"),
        ("1e30", "太大"),
        ("0.001", "两位小数"),
    ],
)
def test_bad_amounts_are_refused_with_the_reason(typed: str, says: str) -> None:
    errors: dict[str, str] = {}
    parse_yuan(typed, errors)
    assert says in errors["amount"]


def test_booking_editing_and_deleting_keep_the_totals_right(ws) -> None:
    town = book(ws, FundingForm("2026-03-10", "镇财政", "20000", "茨竹镇人民政府", "配套"))
    gift = book(ws, FundingForm("2026-10-02", "爱心企业", "300", "某公司", "积分超市物品"))
    with ws.transaction() as s:  # the clerk typed 300 for 3000
        funding.update_funding(
            gift.id,
            FundingForm("2026-10-02", "爱心企业", "3000", "某公司", "积分超市物品"),
            session=s,
            actor=ws.actor,
            today=TODAY,
        )
    with ws.reading() as s:
        assert funding.total_between(s, date(2026, 1, 1), date(2026, 12, 31)) == 2_300_000
        assert funding.total_between(s, date(2026, 10, 1), date(2026, 12, 31)) == 300_000
        assert funding.by_source(s, date(2026, 1, 1), date(2026, 12, 31)) == {
            "镇财政": 2_000_000,
            "爱心企业": 300_000,
        }
    with ws.transaction() as s, pytest.raises(ValidationError, match="原因"):
        funding.delete_funding(town.id, session=s, actor=ws.actor, reason="")
    with ws.transaction() as s:
        funding.delete_funding(town.id, session=s, actor=ws.actor, reason="重复登记")
    with ws.reading() as s:
        assert [r.id for r in funding.list_funding(s)] == [gift.id]
        assert s.get(Funding, town.id).deleted_at is not None  # a tombstone, for the town
    with ws.transaction() as s, pytest.raises(NotFoundError):
        funding.delete_funding(town.id, session=s, actor=ws.actor, reason="再删")


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (FundingForm("2026-03-10", "", "100"), "source"),
        (FundingForm("2026-03-10", "外星人", "100"), "source"),
        (FundingForm("2027-03-10", "村集体", "100"), "date"),
        (FundingForm("2026-03-10", "村集体", "abc"), "amount"),
        (FundingForm("2026-03-10", "村集体", "100", donor="长" * 61), "donor"),
    ],
)
def test_bad_input_saves_nothing(ws, form: FundingForm, field: str) -> None:
    with pytest.raises(ValidationError) as bad:
        book(ws, form)
    assert field in bad.value.errors
    with ws.reading() as s:
        assert s.execute(select(Funding)).first() is None


@given(st.text(max_size=40) | st.decimals(allow_nan=True).map(str))
def test_any_typed_amount_gives_fen_or_a_message_never_a_crash(typed: str) -> None:
    errors: dict[str, str] = {}
    fen = parse_yuan(typed, errors)
    assert ("amount" in errors) or (0 < fen <= funding.MAX_FEN)
