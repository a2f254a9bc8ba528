"""The village office PC and the 养老专干's laptop edit the same register and swap USB sticks in
any order; after one exchange each way they hold the same rows, and nothing overwritten is lost
(it is in the conflict log)."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy import select

from huzhu_desktop.core.models import Person, SyncConflict, sync_columns, utcnow
from huzhu_desktop.core.services.audit import touch
from huzhu_desktop.core.services.check import run_checks
from huzhu_desktop.core.sync.container import BundleRefused
from huzhu_desktop.core.sync.snapshot import read_own
from tests.sync.helpers import bring, export, hand_card, make

CODE = "500112108201"


def rows_of(w) -> dict[str, list[tuple[object, ...]]]:  # type: ignore[no-untyped-def]
    with w.reading() as s:
        return read_own(s, CODE).rows


class TwoPCs(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="two-pcs-"))
        self.pcs = [
            make(self.root, "village", CODE, name, "茨竹镇") for name in ("office", "laptop")
        ]
        hand_card(self.pcs[0], self.pcs[1], self.root)
        hand_card(self.pcs[1], self.pcs[0], self.root)
        self.sticks: list[list[Path]] = [[], []]  # bundles written by PC i, not yet read
        self.people = 0

    def teardown(self) -> None:
        for w in self.pcs:
            w.close()
        shutil.rmtree(self.root, ignore_errors=True)

    @rule(pc=st.integers(0, 1), name=st.sampled_from(["张德明", "李秀英", "王小红", "刘大勇"]))
    def register(self, pc: int, name: str) -> None:
        w = self.pcs[pc]
        a = w.actor
        with w.transaction() as s:
            s.add(
                Person(
                    **sync_columns(a.owner_code, a.origin, a.operator, utcnow()),
                    name=name,
                    gender="女",
                    birth_year=1950,
                )
            )
        self.people += 1

    @precondition(lambda self: self.people > 0)
    @rule(pc=st.integers(0, 1), pick=st.integers(0, 50), phone=st.sampled_from(["138", "139"]))
    def edit(self, pc: int, pick: int, phone: str) -> None:
        w = self.pcs[pc]
        with w.transaction() as s:
            people = list(s.execute(select(Person).order_by(Person.created_at)).scalars())
            if not people:
                return
            p = people[pick % len(people)]
            p.phone = f"{phone}{pick:08d}"
            touch(p, w.actor)

    @precondition(lambda self: self.people > 0)
    @rule(pc=st.integers(0, 1), pick=st.integers(0, 50))
    def retire(self, pc: int, pick: int) -> None:
        w = self.pcs[pc]
        with w.transaction() as s:
            people = list(s.execute(select(Person).order_by(Person.created_at)).scalars())
            if people:
                p = people[pick % len(people)]
                p.deleted_at = utcnow()
                touch(p, w.actor)

    @rule(pc=st.integers(0, 1))
    def write_stick(self, pc: int) -> None:
        to = self.pcs[1 - pc].info.workspace_id
        self.sticks[pc].append(export(self.pcs[pc], self.root / f"usb{pc}", to=to))

    @precondition(lambda self: any(self.sticks))
    @rule(pc=st.integers(0, 1), pick=st.integers(0, 10))
    def read_stick(self, pc: int, pick: int) -> None:
        """PC `pc` reads one of the other PC's bundles — maybe not the newest."""
        waiting = self.sticks[1 - pc]
        if not waiting:
            return
        bundle = waiting.pop(pick % len(waiting))
        try:
            bring(self.pcs[pc], bundle)
        except BundleRefused as e:  # an older one after a newer one: refused, nothing changes
            assert "旧" in e.user_message

    @invariant()
    def each_pc_is_consistent(self) -> None:
        for w in self.pcs:
            with w.reading() as s:
                assert run_checks(s).ok

    def converge(self) -> None:
        for pc in (0, 1, 0):
            to = self.pcs[1 - pc].info.workspace_id
            bring(self.pcs[1 - pc], export(self.pcs[pc], self.root / f"usb{pc}", to=to))
        assert rows_of(self.pcs[0]) == rows_of(self.pcs[1])


def test_two_pcs_of_one_village_converge_whatever_the_order() -> None:
    class Run(TwoPCs):
        def teardown(self) -> None:
            self.converge()
            super().teardown()

    Run.TestCase.settings = settings(
        max_examples=int(os.environ.get("HUZHU_PROPERTY_EXAMPLES", "12")),
        stateful_step_count=12,
        deadline=None,
    )
    Run.TestCase().runTest()


def test_an_edit_made_on_both_pcs_keeps_the_loser_in_the_conflict_log(tmp_path: Path) -> None:
    office = make(tmp_path, "village", CODE, "office", "茨竹镇")
    laptop = make(tmp_path, "village", CODE, "laptop", "茨竹镇")
    hand_card(office, laptop, tmp_path)
    hand_card(laptop, office, tmp_path)
    a = office.actor
    with office.transaction() as s:
        s.add(
            Person(
                **sync_columns(a.owner_code, a.origin, a.operator, utcnow()),
                name="张德明",
                gender="男",
                phone="13800000000",
            )
        )
    bring(laptop, export(office, tmp_path / "usb", to=laptop.info.workspace_id))
    for w, phone in ((office, "13811111111"), (laptop, "13922222222")):
        with w.transaction() as s:
            p = s.execute(select(Person).where(Person.name == "张德明")).scalar_one()
            p.phone = phone
            touch(p, w.actor)
    result = bring(office, export(laptop, tmp_path / "usb", to=office.info.workspace_id))
    assert result.totals()["conflicts"] == 1
    with office.reading() as s:
        kept = s.execute(select(Person.phone)).scalar_one()
        logged = s.execute(select(SyncConflict)).scalar_one()
    assert {kept, json.loads(logged.lost)["phone"]} == {"13811111111", "13922222222"}
    assert logged.table_name == "person"
    # the laptop learns the same winner, and a second exchange changes nothing
    bring(laptop, export(office, tmp_path / "usb", to=laptop.info.workspace_id))
    assert rows_of(office) == rows_of(laptop)
    again = bring(office, export(laptop, tmp_path / "usb", to=office.info.workspace_id))
    assert again.totals()["new"] == again.totals()["changed"] == again.totals()["conflicts"] == 0
    office.close()
    laptop.close()


def test_a_village_set_up_on_two_pcs_lists_itself_once(tmp_path: Path) -> None:
    """Both PCs make the village's unit row (and its town's) at setup; the rows share their ids,
    so after the sticks go both ways there is one row each, and no conflict to review."""
    from huzhu_desktop.core.models import OrgUnit

    office = make(tmp_path / "office", "village", CODE, "双河村", "茨竹镇")
    laptop = make(tmp_path / "laptop", "village", CODE, "双河村", "茨竹镇")
    hand_card(office, laptop, tmp_path)
    hand_card(laptop, office, tmp_path)
    first = bring(laptop, export(office, tmp_path / "usb", to=laptop.info.workspace_id))
    back = bring(office, export(laptop, tmp_path / "usb", to=office.info.workspace_id))
    for w in (office, laptop):
        with w.reading() as s:
            units = s.execute(select(OrgUnit.code, OrgUnit.level)).all()
        assert sorted(units) == [(CODE[:9] + "000", "town"), (CODE, "village")]
    assert first.totals()["conflicts"] == back.totals()["conflicts"] == 0
    assert rows_of(office) == rows_of(laptop)
    office.close()
    laptop.close()
