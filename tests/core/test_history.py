"""Figures that stay true for every past period: what was reported in October comes out the same
in December, whatever changed since; and counting that is fair to new elders and pairings."""

from __future__ import annotations

import os
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from huzhu_desktop.core import clock
from huzhu_desktop.core.periods import Period
from huzhu_desktop.core.reports.attachment1 import village_figures
from huzhu_desktop.core.services import coverage, people, submissions
from huzhu_desktop.core.services.people import ElderForm, HelperForm, PersonForm
from huzhu_desktop.core.sync.totals import org_totals
from tests.conftest import TODAY, VILLAGE
from tests.core.test_pairings_visits import ordinary, pair, person, special, visit

CODE = VILLAGE.org_code


def edit(ws, pid, *, elder=None, helper=None, on):  # type: ignore[no-untyped-def]
    """The clerk changes a person's situation from the day `on` (登记日期 kept as it was)."""
    with ws.reading() as s:
        form, old_elder, old_helper = people.load_forms(s, pid)
    with ws.transaction() as s:
        people.save_person(
            form,
            elder if elder is not None else old_elder,
            helper if helper is not None else old_helper,
            session=s,
            actor=ws.actor,
            person_id=pid,
            today=TODAY,  # the clerk records it today; it took effect on `on`
            effective_on=on,
        )


def test_q3_figures_made_in_december_equal_those_sent_in_october(ws) -> None:
    """A social worker becomes a volunteer and an elder moves to live alone in November: Q3's
    附件1 and bundle figures are as they were."""
    worker = person(ws, "王社工", helper="社工", birth="1985")
    with ws.transaction() as s:
        people.save_person(
            PersonForm("王社工", "男", "1985", group_name="3组", registered_on="2025-01-01"),
            None,
            HelperForm("社工", "渝北区晨曦社工站"),
            session=s,
            actor=ws.actor,
            person_id=worker,
            today=date(2026, 1, 5),
            effective_on=date(2026, 1, 5),
        )
    elder = person(ws, "张德明", elder=ElderForm(["分散特困"], living="双居", health="自理"))
    q3 = Period.of("2026Q3", today=date(2026, 10, 8))
    with clock.frozen("2026-10-08T09:00"), ws.reading() as s:
        sent_a1 = village_figures(s, q3)
        sent_totals = org_totals(s, CODE, "2026Q3")
    assert (sent_a1[0].social_workers, sent_a1[0].social_orgs) == (1, "渝北区晨曦社工站")
    assert sent_totals["special_elders"] == 0
    with ws.transaction() as s:
        submissions.record(s, ws.actor, q3.key, sent_a1)

    edit(ws, worker, helper=HelperForm("志愿者"), on=date(2026, 11, 10))
    edit(ws, elder, elder=special(), on=date(2026, 11, 10))

    with clock.frozen("2026-12-15T10:00"), ws.reading() as s:
        again = village_figures(s, Period.of("2026Q3"))
        assert org_totals(s, CODE, "2026Q3") == sent_totals
        assert org_totals(s, CODE, "2026Q4")["special_elders"] == 1  # the change shows in Q4
        kept = submissions.last_reported(s, q3.key)
        q4 = village_figures(s, Period.of("2026Q4"))
    assert again == sent_a1
    assert kept is not None and submissions.changes(kept, again) == {}
    assert (q4[0].social_workers, q4[0].volunteers) == (0, 1)


def test_a_late_visit_shows_as_a_change_to_what_was_sent(ws) -> None:
    elder = person(ws, "张德明", elder=ordinary())
    helper = person(ws, "王小红", helper="志愿者", gender="女", birth="1975")
    pair(ws, "一对一", [elder], [helper])
    q = Period.of("2026Q3", today=date(2026, 10, 8))
    with ws.reading() as s:
        sent = village_figures(s, q)
    with ws.transaction() as s:
        submissions.record(s, ws.actor, q.key, sent)
    visit(ws, "2026-09-20", [elder], [helper], minutes=60)  # typed in late
    with ws.reading() as s:
        now = village_figures(s, q)
        kept = submissions.last_reported(s, q.key)
    assert kept is not None
    assert submissions.changes(kept, now) == {(CODE, "points_c"): (0, 100)}


def test_an_elder_registered_today_is_not_counted_last_month_nor_overdue(ws) -> None:
    newcomer = person(ws, "李秀英", elder=special(), gender="女", registered="2026-11-20")
    today = date(2026, 11, 23)
    with ws.reading() as s:
        october = coverage.monthly_visit_rate(s, 2026, 10)
        november = coverage.monthly_visit_rate(s, 2026, 11)
        late = coverage.overdue(s, today)
        december = coverage.monthly_visit_rate(s, 2026, 12)
    assert october.special_elders == 0 and october.text == coverage.NO_SPECIAL_ELDERS
    assert november.special_elders == 0  # taken in after the 15th: counted from December
    assert december.special_elders == 1 and december.not_visited == ["李秀英"]
    assert newcomer not in {o.elder_id for o in late}  # a month has not passed since 登记
    with ws.reading() as s:
        assert newcomer in {o.elder_id for o in coverage.overdue(s, today + timedelta(days=31))}


def test_registered_before_the_16th_counts_in_that_month(ws) -> None:
    person(ws, "张德明", elder=special(), registered="2026-11-15")
    person(ws, "赵德福", elder=special(), registered="2026-11-16")
    with ws.reading() as s:
        november = coverage.monthly_visit_rate(s, 2026, 11)
    assert (november.special_elders, november.not_visited) == (1, ["张德明"])


def test_a_new_pairing_is_not_overdue_before_its_first_period(ws) -> None:
    elder = person(ws, "张德明", elder=ordinary())
    helper = person(ws, "王小红", helper="志愿者", gender="女", birth="1975")
    pair(ws, "一对一", [elder], [helper], start="2026-11-20")
    with ws.reading() as s:
        assert coverage.overdue(s, date(2026, 11, 23)) == []  # one week allowed from the 20th
        [late] = coverage.overdue(s, date(2026, 11, 28))
    assert late.elder_id == elder and late.last_visit is None


def test_an_empty_village_has_no_rate_not_a_hundred_per_cent(ws) -> None:
    with ws.reading() as s:
        rate = coverage.monthly_visit_rate(s, 2026, 11)
    assert rate.rate is None and rate.text == "—（暂无特殊老人）"


# --- any history: figures as of D ignore everything dated after D ------------------------------

D = date(2026, 9, 30)
events = st.lists(
    st.tuples(
        st.sampled_from(("elder", "move", "helper", "role", "visit")),
        st.integers(-200, 50),  # days from D (the helpers refuse days after 2026-11-23)
        st.booleans(),
    ),
    max_size=12,
)


@settings(
    max_examples=int(os.environ.get("HUZHU_PROPERTY_EXAMPLES", "20")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(before=events, after=events)
def test_figures_as_of_a_day_do_not_change_when_later_events_are_added(
    tmp_path_factory, before, after
) -> None:
    from huzhu_desktop.core.services.setup import initialize
    from huzhu_desktop.core.workspace import Workspace

    ws = Workspace.open(tmp_path_factory.mktemp("h") / "ws")
    try:
        with ws.transaction() as s:
            initialize(VILLAGE, session=s)
        ws.reload_info()
        base = person(ws, "王小红", helper="志愿者", gender="女", birth="1975")
        elders: list[str] = []
        helpers = [base]

        def apply(kind: str, offset: int, flag: bool, n: int) -> None:
            day = D + timedelta(days=offset)
            if kind == "elder":
                elders.append(
                    person(
                        ws,
                        f"张{'德明秀英福贵'[n % 6]}{'甲乙丙丁戊己庚辛'[n % 8]}",
                        elder=special() if flag else ordinary(),
                        registered=day.isoformat(),
                    )
                )
            elif kind == "move" and elders:
                edit(
                    ws,
                    elders[n % len(elders)],
                    elder=special() if flag else ordinary(),
                    on=day,
                )
            elif kind == "helper":
                helpers.append(
                    person(
                        ws,
                        f"李{'文武德明秀英福贵'[n % 8]}{'甲乙丙丁戊己庚辛壬癸'[n // 8]}",
                        helper="社工",
                        birth="1980",
                    )
                )
            elif kind == "role":
                edit(
                    ws,
                    helpers[n % len(helpers)],
                    helper=HelperForm("社工" if flag else "志愿者"),
                    on=day,
                )
            elif kind == "visit" and elders:
                visit(ws, day.isoformat(), [elders[n % len(elders)]], [base], minutes=30)

        with clock.frozen("2026-12-31T12:00"):
            for n, (kind, offset, flag) in enumerate(before):
                apply(kind, min(offset, 0), flag, n)  # everything up to D

            def figures() -> tuple[object, ...]:
                period = Period.of("2026Q3", today=date(2026, 12, 31))
                with ws.reading() as s:
                    return (
                        village_figures(s, period),
                        org_totals(s, CODE, "2026Q3"),
                        coverage.monthly_visit_rate(s, 2026, 9),
                    )

            first = figures()
            for n, (kind, offset, flag) in enumerate(after, start=len(before)):
                if kind in ("elder", "helper"):
                    continue  # people who came later are a different test (登记日期)
                apply(kind, max(offset, 1), flag, n)  # strictly after D
            assert figures() == first
    finally:
        ws.close()


def test_the_special_only_history_says_what_the_whole_history_says(ws) -> None:
    """The month's 探访率 reads only those ever 特殊老人: on every day, whoever the whole
    history calls 特殊老人 and in the register, the narrow one does too — an elder who became
    special, one who stopped being special, one who left, and ordinary elders."""
    from huzhu_desktop.core.services import history

    start = TODAY - timedelta(days=120)
    became = person(ws, "张德明", elder=ordinary())
    stopped = person(ws, "李秀英", elder=special(), gender="女")
    person(ws, "王小明", elder=ordinary())
    left = person(ws, "刘开仁", elder=special())
    edit(ws, became, elder=special(), on=start + timedelta(days=30))
    edit(ws, stopped, elder=ordinary(), on=start + timedelta(days=60))
    with ws.transaction() as s:
        people.change_status(
            left, "迁出", start + timedelta(days=90), session=s, actor=ws.actor, today=TODAY
        )
    with ws.reading() as s:
        whole = history.ElderHistory(s)
        members = history.memberships(s)
        seen = set()
        for offset in range(0, 121, 5):
            day = start + timedelta(days=offset)
            expected = {
                pid
                for pid, state in whole.on(day).items()
                if state.special and members[pid].in_register_on(day)
            }
            assert coverage.special_on(s, day) == expected, day
            seen.add(frozenset(expected))
    assert len(seen) >= 3  # the days saw the special list change
