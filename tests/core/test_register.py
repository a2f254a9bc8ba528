"""The clerk's register: adding, editing and finding elders and helpers."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from huzhu_desktop.core.errors import DuplicatePersonError, ValidationError
from huzhu_desktop.core.models import AuditLog, Household, Person, StatusChange
from huzhu_desktop.core.services import people, register
from huzhu_desktop.core.services.people import ElderForm, HelperForm, PersonForm
from huzhu_desktop.core.validate import id_check_char

TODAY = date(2026, 11, 23)


def an_id(birth: str = "19480305", seq: str = "123") -> str:
    first17 = "500112" + birth + seq
    return first17 + id_check_char(first17)


def elder_form(**kw: object) -> ElderForm:
    base = {"elder_types": ["其他"], "living": "双居", "health": "自理", "has_children": "有"}
    base.update(kw)
    return ElderForm(**base)  # type: ignore[arg-type]


def add(ws, form: PersonForm, elder=None, helper=None, **kw):  # type: ignore[no-untyped-def]
    with ws.transaction() as s:
        return people.save_person(
            form, elder, helper, session=s, actor=ws.actor, today=TODAY, **kw
        ).id


def count_people(ws) -> int:  # type: ignore[no-untyped-def]
    with ws.reading() as s:
        return s.execute(select(func.count()).select_from(Person)).scalar_one()


def test_clerk_registers_an_elder_from_the_id_card(ws) -> None:
    pid = add(
        ws,
        PersonForm(
            name="张德明",
            id_number=an_id(),
            phone="１３８ １２３４ ５６７８",
            group_name="3组",
            address="3组黄桷湾12号",
        ),
        elder_form(),
    )
    with ws.reading() as s:
        [row] = register.list_elders(s, today=TODAY)
        person = s.get(Person, pid)
    assert (row.name, row.gender, row.birth_year, row.age) == ("张德明", "男", 1948, 78)
    assert row.phone == "13812345678"
    assert row.household == "张德明户"
    assert row.initials == "zdm"
    assert person.updated_by == "王文书" and person.owner_code == "500112108201"
    assert person.origin == ws.info.workspace_id and person.rev == 1


def test_bad_id_names_the_field_and_saves_nothing(ws) -> None:
    bad = an_id()[:-1] + ("0" if an_id()[-1] != "0" else "1")
    with pytest.raises(ValidationError) as err:
        add(ws, PersonForm(name="张德明", gender="男", id_number=bad, phone="12345"), elder_form())
    assert "校验位" in err.value.errors["id_number"]
    assert "phone" in err.value.errors
    assert "身份证号码" in err.value.user_message
    assert count_people(ws) == 0


def test_entered_birth_and_gender_must_agree_with_the_id(ws) -> None:
    with pytest.raises(ValidationError) as err:
        add(
            ws,
            PersonForm(
                name="李秀英", gender="男", birth_date="1950-01-01", id_number=an_id(seq="124")
            ),
            elder_form(),
        )
    assert "1948-03-05" in err.value.errors["birth_date"]
    assert "女" in err.value.errors["gender"]


def test_elder_needs_types_living_and_health(ws) -> None:
    with pytest.raises(ValidationError) as err:
        add(
            ws,
            PersonForm(name="李秀英", gender="女", birth_date="1950"),
            ElderForm(elder_types=["残疾", "五保"]),
        )
    assert set(err.value.errors) >= {"elder_types", "living", "health"}
    with pytest.raises(ValidationError) as err:
        add(
            ws,
            PersonForm(name="李秀英", gender="女", birth_date="1950"),
            elder_form(elder_types=["残疾"]),
        )
    assert "残疾等级" in err.value.errors["disability_grade"]
    with pytest.raises(ValidationError) as err:
        add(ws, PersonForm(name="李秀英", gender="女"), elder_form())
    assert "出生" in err.value.errors["birth_date"]


@pytest.mark.parametrize(
    ("types", "grade", "living", "special"),
    [
        (["分散特困"], "", "独居", True),
        (["失独"], "", "独居", True),
        (["残疾"], "二级", "独居", True),
        (["残疾"], "三级", "独居", False),
        (["分散特困"], "", "双居", False),
        (["低保"], "", "独居", False),
    ],
)
def test_special_elder_is_derived(ws, types, grade, living, special) -> None:
    add(
        ws,
        PersonForm(name="陈玉兰", gender="女", birth_date="1940"),
        elder_form(elder_types=types, disability_grade=grade, living=living),
    )
    with ws.reading() as s:
        [row] = register.list_elders(s, today=TODAY)
    assert row.special is special
    assert row.paired is False


def test_probable_twin_warns_and_can_be_confirmed(ws) -> None:
    form = PersonForm(name="刘玉珍", gender="女", birth_date="1944", group_name="2组")
    add(ws, form, elder_form())
    with pytest.raises(DuplicatePersonError) as err:
        add(
            ws,
            PersonForm(name="刘玉珍", gender="女", birth_date="1944-06-01", group_name="2组"),
            elder_form(),
        )
    assert "姓名、出生年份和组都相同" in err.value.user_message
    assert count_people(ws) == 1
    add(
        ws,
        PersonForm(name="刘玉珍", gender="女", birth_date="1944-06-01", group_name="2组"),
        elder_form(),
        allow_duplicate=True,
    )
    assert count_people(ws) == 2


def test_same_id_is_never_a_second_person(ws) -> None:
    add(ws, PersonForm(name="张德明", id_number=an_id()), elder_form())
    with pytest.raises(DuplicatePersonError, match="身份证号码相同"):
        add(
            ws,
            PersonForm(name="张得明", id_number=an_id()),
            None,
            HelperForm(role="志愿者"),
            allow_duplicate=True,
        )
    assert count_people(ws) == 1


def test_young_elder_is_also_a_helper_and_edits_keep_a_revision(ws) -> None:
    pid = add(
        ws,
        PersonForm(name="周国华", gender="男", birth_date="1962-05-01"),
        elder_form(),
        HelperForm(role="志愿者"),
    )
    form, elder, helper = _forms(ws, pid)
    assert helper is not None and helper.role == "志愿者"
    form.phone = "023-67891234"
    with ws.transaction() as s:
        people.save_person(
            form,
            elder,
            HelperForm(role="互助养老小组长"),
            session=s,
            actor=ws.actor,
            person_id=pid,
            today=TODAY,
        )
    with ws.reading() as s:
        [h] = register.list_helpers(s, today=TODAY)
        assert s.get(Person, pid).rev == 2
    assert (h.role, h.is_elder, h.phone) == ("互助养老小组长", True, "023-67891234")


def _forms(ws, pid):  # type: ignore[no-untyped-def]
    with ws.reading() as s:
        return people.load_forms(s, pid)


def test_spouses_share_one_household(ws) -> None:
    husband = add(
        ws,
        PersonForm(name="黄德兴", gender="男", birth_date="1945", group_name="1组"),
        elder_form(),
    )
    with ws.reading() as s:
        household_id = s.get(Person, husband).household_id
    add(
        ws,
        PersonForm(
            name="罗秀英",
            gender="女",
            birth_date="1947",
            group_name="1组",
            household_id=household_id,
        ),
        elder_form(),
    )
    with ws.reading() as s:
        assert s.execute(select(func.count()).select_from(Household)).scalar_one() == 1
        [h] = register.list_households(s)
    assert h.members == 2


def test_death_keeps_history_and_retires_the_helper(ws) -> None:
    pid = add(
        ws,
        PersonForm(name="谭光荣", gender="男", birth_date="1950"),
        elder_form(),
        HelperForm(role="志愿者"),
    )
    with ws.transaction() as s:
        people.change_status(
            pid, "去世", "2026-10-02", "病故", session=s, actor=ws.actor, today=TODAY
        )
    with ws.reading() as s:
        [row] = register.list_elders(s, today=TODAY)
        [helper] = register.list_helpers(s, today=TODAY)
        [change] = s.execute(select(StatusChange)).scalars()
    assert row.status == "去世" and helper.active is False
    assert (change.from_status, change.to_status, change.effective_on) == (
        "在册",
        "去世",
        date(2026, 10, 2),
    )
    with pytest.raises(ValidationError, match="已是"), ws.transaction() as s:
        people.change_status(pid, "去世", "2026-10-02", session=s, actor=ws.actor, today=TODAY)
    with pytest.raises(ValidationError, match="晚于今天"), ws.transaction() as s:
        people.change_status(pid, "在册", "2027-01-01", session=s, actor=ws.actor, today=TODAY)


def test_audit_log_is_append_only(ws) -> None:
    add(ws, PersonForm(name="张德明", id_number=an_id()), elder_form())
    with ws.reading() as s:
        actions = [a.action for a in s.execute(select(AuditLog)).scalars()]
    assert "新增人员" in actions
    for sql in ("UPDATE audit_log SET operator='x'", "DELETE FROM audit_log"):
        with pytest.raises(DatabaseError, match="append-only"), ws.transaction() as s:
            s.execute(text(sql))


def test_care_points_need_a_name_and_an_opening_date(ws) -> None:
    from huzhu_desktop.core.services.care_points import CarePointForm, save_care_point

    with pytest.raises(ValidationError) as err, ws.transaction() as s:
        save_care_point(
            CarePointForm(kind="总点", closed_on="2026-01-01"),
            session=s,
            actor=ws.actor,
            today=TODAY,
        )
    assert set(err.value.errors) == {"name", "kind", "opened_on"}
    with ws.transaction() as s:
        point = save_care_point(
            CarePointForm("石坪村互助养老中心点", "中心点", "村委会", "1组", "2025-03-01"),
            session=s,
            actor=ws.actor,
            today=TODAY,
        )
    with ws.transaction() as s:
        save_care_point(
            CarePointForm(
                "石坪村互助养老中心点", "中心点", "村委会", "1组", "2025-03-01", "2026-10-01"
            ),
            session=s,
            actor=ws.actor,
            point_id=point.id,
            today=TODAY,
        )
    with ws.reading() as s:
        [row] = register.list_care_points(s)
    assert (row.kind, str(row.opened_on), str(row.closed_on)) == (
        "中心点",
        "2025-03-01",
        "2026-10-01",
    )


def test_the_first_screens_counts_are_the_lists_counts(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The 首页 counts with SQLite what it used to count from the whole lists (a district's
    first screen in a moment): the same figures on a demo village with people moved out and
    died, a deleted elder, a helper out of post, and at its town after the bundle."""
    from huzhu_desktop.core import clock
    from huzhu_desktop.core.models import ElderProfile, utcnow
    from huzhu_desktop.core.services import people, register, requests
    from huzhu_desktop.core.services.home import first_figures
    from huzhu_desktop.core.sync.export import export_bundle
    from tests.sync.helpers import bring, chain

    c = chain(tmp_path, elders=60)
    try:
        today = clock.today()
        with c.village.reading() as s:
            gone = register.list_elders(s, today=today)[3]
            helper = next(
                h for h in register.list_helpers(s, today=today) if h.active and h.is_elder
            )
            form, elder, _h = people.load_forms(s, helper.id)
        with c.village.transaction() as s:  # out of post
            people.save_person(form, elder, None, person_id=helper.id, session=s,
                               actor=c.village.actor)  # fmt: skip
            profile = s.exec(
                __import__("sqlmodel").select(ElderProfile).where(ElderProfile.person_id == gone.id)
            ).one()
            profile.deleted_at = utcnow()
        usb = tmp_path / "u"
        usb.mkdir()
        with c.village.transaction() as s:
            sent = export_bundle(s, c.village.actor, usb)
        bring(c.town, sent.path)
        for w in (c.village, c.town):
            with w.reading() as s:
                lists = register.summary(
                    register.list_elders(s, today=today),
                    register.list_helpers(s, today=today),
                    register.count_households(s),
                    len(register.list_care_points(s)),
                )
                assert lists.elders > 0 and lists.special_elders > 0
                assert register.count_summary(s, today=today) == lists
                first = first_figures(s, today=today)
                assert first.register == lists
                assert first.open_requests == len(requests.open_requests(s))
    finally:
        c.close()
