"""Export the register as a 台账, import it into an empty workspace: the same people come back."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from huzhu_desktop.core import vocab
from huzhu_desktop.core.importers.ledger import import_ledger
from huzhu_desktop.core.reports.ledger_export import export_ledger
from huzhu_desktop.core.services import people, register
from huzhu_desktop.core.services.people import ElderForm, HelperForm, PersonForm
from huzhu_desktop.core.services.setup import initialize
from huzhu_desktop.core.workspace import Workspace
from tests.conftest import TODAY, VILLAGE

GIVEN = "德明国华建文志福贵秀英兰芳珍玉凤桂"

elder = st.fixed_dictionaries(
    {
        "gender": st.sampled_from(vocab.GENDERS),
        "birth": st.dates(
            min_value=TODAY.replace(year=TODAY.year - 100),
            max_value=TODAY.replace(year=TODAY.year - 60),
        ),
        "types": st.lists(
            st.sampled_from(("低保", "分散特困", "失独", "优抚")), unique=True, max_size=2
        ),
        "living": st.sampled_from(vocab.LIVING[:4]),
        "health": st.sampled_from(vocab.HEALTH),
        "children": st.sampled_from(("有", "无")),
        "phone": st.one_of(
            st.just(""),
            st.from_regex(r"1[3-9]\d{9}", fullmatch=True),
            st.from_regex(r"023-6\d{7}", fullmatch=True),
        ),
        "group": st.sampled_from(("1组", "2组", "10组")),
        "address": st.sampled_from(("", "黄桷湾12号", "=SUM(A1)号", "-3号")),
        "helper": st.booleans(),
    }
)


def _workspace(folder: Path) -> Workspace:
    ws = Workspace.open(folder)
    with ws.transaction() as s:
        initialize(VILLAGE, session=s)
    ws.reload_info()
    return ws


def _snapshot(ws: Workspace) -> list[tuple[object, ...]]:
    with ws.reading() as s:
        return sorted(
            (
                e.name,
                e.gender,
                e.birth_year,
                tuple(e.elder_types),
                e.living,
                e.health,
                e.has_children,
                e.phone,
                e.group,
                e.address,
                e.paired,
            )
            for e in register.list_elders(s, today=TODAY)
        )


@settings(max_examples=12, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(st.lists(elder, min_size=1, max_size=6))
def test_import_of_an_export_gives_back_the_register(records: list[dict[str, object]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = _workspace(Path(tmp) / "a")
        for i, r in enumerate(records):
            name = "张" + GIVEN[i % len(GIVEN)] + GIVEN[(i * 7 + 3) % len(GIVEN)]
            with source.transaction() as s:
                people.save_person(
                    PersonForm(
                        name,
                        str(r["gender"]),
                        r["birth"].isoformat(),
                        phone=str(r["phone"]),  # type: ignore[attr-defined]
                        group_name=str(r["group"]),
                        address=str(r["address"]),
                    ),
                    ElderForm(
                        list(r["types"]) or ["其他"],
                        living=str(r["living"]),  # type: ignore[call-overload]
                        health=str(r["health"]),
                        has_children=str(r["children"]),
                    ),
                    None,
                    session=s,
                    actor=source.actor,
                    today=TODAY,
                )
                if r["helper"]:
                    helper = people.save_person(
                        PersonForm(
                            "王" + GIVEN[i % len(GIVEN)] + "红", "女", "1970", group_name="1组"
                        ),
                        None,
                        HelperForm("志愿者"),
                        session=s,
                        actor=source.actor,
                        today=TODAY,
                    )
                    from sqlalchemy import select

                    from huzhu_desktop.core.models import Pairing, PairingMember, Person

                    elder_id = s.execute(select(Person.id).where(Person.name == name)).scalar_one()
                    pairing = Pairing(
                        owner_code=source.actor.owner_code,
                        origin=source.actor.origin,
                        kind="一对一",
                        start_date=TODAY,
                    )
                    s.add(pairing)
                    s.flush()
                    for pid, role in ((elder_id, "elder"), (helper.id, "helper")):
                        s.add(
                            PairingMember(
                                owner_code=source.actor.owner_code,
                                origin=source.actor.origin,
                                pairing_id=pairing.id,
                                person_id=pid,
                                role=role,
                            )
                        )
        book = Path(tmp) / "台账.xlsx"
        with source.reading() as s:
            export_ledger(s, book, district_name="渝北区", unit_name="石坪村")
        target = _workspace(Path(tmp) / "b")
        with target.transaction() as s:
            result = import_ledger(book, session=s, actor=target.actor, dry_run=False, today=TODAY)
        assert result.rejected == 0, result.rejections
        assert _snapshot(target) == _snapshot(source), (_snapshot(target), _snapshot(source))
        source.close()
        target.close()
