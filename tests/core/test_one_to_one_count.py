"""附件1's 特殊老人“一对一”结对帮扶（对）counts the 一对一 pairs whose elder is a 特殊老人 on the
period's last day; a 一对一 pair of another elder is counted beside the form, not in it."""

from __future__ import annotations

from datetime import date

from huzhu_desktop.core import clock
from huzhu_desktop.core.periods import Period
from huzhu_desktop.core.reports.attachment1 import form_rows
from huzhu_desktop.core.services import people
from huzhu_desktop.core.services.pairings import PairingForm, create_pairing
from huzhu_desktop.core.services.people import ElderForm, HelperForm, PersonForm


def person(ws, name: str, elder: ElderForm | None = None, helper: str = "") -> str:  # type: ignore[no-untyped-def]
    with ws.transaction() as s:
        return people.save_person(
            PersonForm(name, "女", "1945"), elder, HelperForm(helper) if helper else None,
            session=s, actor=ws.actor,
        ).id  # fmt: skip


def test_only_special_elders_pairs_count_in_the_form(ws) -> None:
    with clock.frozen(date(2026, 11, 20)):
        helper = person(ws, "王小红", helper="志愿者")
        special = person(ws, "张德明", ElderForm(["分散特困"], living="独居", health="自理"))
        other = person(ws, "李秀英", ElderForm(["其他"], living="双居", health="自理"))
        for elder in (special, other):
            with ws.transaction() as s:
                create_pairing(PairingForm("一对一", [elder], [helper], "2026-10-01"),
                               session=s, actor=ws.actor)  # fmt: skip
        with ws.reading() as s:
            total = form_rows(s, Period.of("2026Q4", today=date(2026, 11, 20)))[-1]
    assert (total.one_to_one, total.other_one_to_one) == (1, 1)
