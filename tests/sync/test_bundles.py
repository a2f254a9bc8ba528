"""The USB stick's journey: village → town → district, and everything that must be refused."""

from __future__ import annotations

import io
import json
import random
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from huzhu_desktop.core.errors import HuzhuError
from huzhu_desktop.core.models import BundleLog, Person
from huzhu_desktop.core.services import keys
from huzhu_desktop.core.services.check import run_checks
from huzhu_desktop.core.sync import container
from huzhu_desktop.core.sync.container import BundleRefused
from huzhu_desktop.core.sync.importer import inspect_bundle
from huzhu_desktop.core.sync.totals import org_totals
from tests.sync.helpers import bring, chain, db_hash, export, hand_card, make

VILLAGE_CODE = "500112108201"


@pytest.fixture
def c(tmp_path: Path):  # type: ignore[no-untyped-def]
    ch = chain(tmp_path)
    yield ch
    ch.close()


def test_village_to_town_to_district_keeps_every_count_and_total(c) -> None:
    bundle = export(c.village, c.usb)
    assert bundle.name == f"{VILLAGE_CODE}_演示村_2026Q4_001.huzhu"
    with c.town.reading() as s:
        seen = inspect_bundle(s, bundle).as_json()
    assert seen["key_status"] == "trusted" and seen["signature"] == "有效"
    assert seen["sender"]["org_name"] == "演示村" and seen["period"] == "2026Q4"

    dry = bring(c.town, bundle, dry_run=True)
    assert not dry.applied and dry.totals()["new"] == sum(seen["counts"].values())
    with c.town.reading() as s:
        assert s.execute(select(func.count()).select_from(Person)).scalar_one() == 0  # nothing yet
    done = bring(c.town, bundle)
    assert done.applied and done.totals() == dry.totals()

    town_bundle = export(c.town, c.usb)
    result = bring(c.district, town_bundle)
    assert [s.org_name for s in result.sources] == ["茨竹镇", "演示村"]
    figures = []
    for w in (c.village, c.town, c.district):
        with w.reading() as s:
            figures.append(
                (
                    org_totals(s, VILLAGE_CODE, "2026Q4"),
                    s.execute(select(func.count()).select_from(Person)).scalar_one(),
                )
            )
            assert run_checks(s).ok
    assert figures[0] == figures[1] == figures[2]
    assert 15 <= figures[0][0]["elders"] <= 20 and figures[0][0]["visits"] > 0


def test_the_same_bundle_twice_changes_nothing_and_says_so(c) -> None:
    bundle = export(c.village, c.usb)
    bring(c.town, bundle)
    before = db_hash(c.town)
    again = bring(c.town, bundle)
    assert again.already_imported and not again.applied
    assert "已经导入过" in again.warnings[0]
    assert db_hash(c.town) == before


def test_an_older_bundle_is_refused_naming_both_and_a_gap_is_warned(c) -> None:
    first = export(c.village, c.usb)
    second = export(c.village, c.usb)
    third = export(c.village, c.usb)
    bring(c.town, second)
    with pytest.raises(BundleRefused, match=r"第1号.*比已经导入的数据包（第2号"):
        bring(c.town, first)
    fourth = export(c.village, c.usb)
    result = bring(c.town, fourth)
    assert result.applied and "缺了 1 个数据包" in result.warnings[0]
    assert third.exists()


def test_a_bundle_for_another_town_is_refused(tmp_path: Path, c) -> None:
    other = make(tmp_path, "town", "500112109", "木耳镇", "渝北区")
    hand_card(c.village, other, tmp_path)
    bundle = export(c.village, c.usb)
    before = db_hash(other)
    with pytest.raises(BundleRefused, match="是发给茨竹镇"):
        bring(other, bundle)
    assert db_hash(other) == before
    other.close()


def test_an_unknown_sender_needs_the_fingerprint_confirmed(c) -> None:
    bundle = export(c.village, c.usb)
    with c.village.reading() as s:
        fp = keys.own_card(s).fingerprint
    with c.town.transaction() as s:  # the town never imported this village PC's key card
        s.delete(keys.find_peer(s, c.village.info.workspace_id))
    before = db_hash(c.town)
    with pytest.raises(BundleRefused, match=rf"还没有导入.*{fp}"):
        bring(c.town, bundle)
    assert db_hash(c.town) == before
    assert bring(c.town, bundle, trust_new_key=True).applied
    with c.town.reading() as s:
        assert keys.find_peer(s, c.village.info.workspace_id).fingerprint == fp


def test_a_changed_sender_key_is_refused_until_confirmed(tmp_path: Path, c) -> None:
    bring(c.town, export(c.village, c.usb))
    with c.village.transaction() as s:  # the village PC was reinstalled: new keys
        s.delete(s.get(keys.OwnKey, 1))
        s.flush()
        keys.ensure_keys(s)
    bundle = export(c.village, c.usb)
    with pytest.raises(BundleRefused, match="密钥与以前的不同"):
        bring(c.town, bundle)
    assert bring(c.town, bundle, accept_changed_key=True).applied
    with c.town.reading() as s:
        assert keys.find_peer(s, c.village.info.workspace_id).previous_fingerprints


def test_a_bundle_from_a_village_of_another_town_is_refused(
    tmp_path: Path, c, monkeypatch: pytest.MonkeyPatch
) -> None:
    stranger = make(tmp_path, "village", "500112109201", "木耳村", "木耳镇")
    hand_card(c.town, stranger, tmp_path)
    hand_card(stranger, c.town, tmp_path)
    with pytest.raises(HuzhuError, match="只能交给上级单位"):  # the app will not send it there
        export(stranger, c.usb, to=c.town.info.workspace_id)
    # …and a bundle made so anyway (an altered app) is refused by the town
    monkeypatch.setattr("huzhu_desktop.core.sync.export.recipients", keys.peers)
    bundle = export(stranger, c.usb, to=c.town.info.workspace_id)
    with pytest.raises(BundleRefused, match=r"不是本单位.*下属"):
        bring(c.town, bundle)
    stranger.close()


def test_every_single_byte_change_is_refused_and_leaves_the_database_alone(c) -> None:
    bundle = export(c.village, c.usb)
    data = bundle.read_bytes()
    before = db_hash(c.town)
    rng = random.Random(7)
    bad = bundle.with_name("bad.huzhu")
    refused = 0
    for _ in range(1000):
        at = rng.randrange(len(data))
        changed = bytearray(data)
        changed[at] ^= rng.randrange(1, 256)
        bad.write_bytes(bytes(changed))
        try:
            bring(c.town, bad)
        except BundleRefused:
            refused += 1
    assert refused == 1000
    assert db_hash(c.town) == before


def test_a_truncated_bundle_is_refused(c) -> None:
    bundle = export(c.village, c.usb)
    data = bundle.read_bytes()
    before = db_hash(c.town)
    rng = random.Random(3)
    bad = bundle.with_name("short.huzhu")
    for cut in [0, 1, 22, len(data) - 1, *(rng.randrange(len(data)) for _ in range(60))]:
        bad.write_bytes(data[:cut])
        with pytest.raises(BundleRefused):
            bring(c.town, bad)
    assert db_hash(c.town) == before


def _rezip(src: Path, dest: Path, extra: dict[str, bytes] | None = None, **swap: bytes) -> None:
    with zipfile.ZipFile(src) as zf:
        parts = {n: zf.read(n) for n in container.NAMES}
    parts.update({k.replace("_", "."): v for k, v in swap.items()})
    if not extra:  # a careful forger writes the file exactly as the app does
        dest.write_bytes(container.build(*(parts[n] for n in container.NAMES)))
        return
    with zipfile.ZipFile(dest, "w") as zf:
        for name, value in {**parts, **(extra or {})}.items():
            zf.writestr(name, value)


def test_zip_slip_names_and_extra_files_are_refused(c) -> None:
    bundle = export(c.village, c.usb)
    bad = bundle.with_name("slip.huzhu")
    for extra in (
        {"../../evil.txt": b"x"},
        {"C:\\Windows\\evil.dll": b"x"},
        {"manifest.json/x": b""},
    ):
        _rezip(bundle, bad, extra)
        with pytest.raises(BundleRefused, match="其中的文件不对"):
            bring(c.town, bad)
    assert not (c.usb.parent / "evil.txt").exists()


def test_a_zip_bomb_stops_at_the_cap(c) -> None:
    bundle = export(c.village, c.usb)
    bad = bundle.with_name("bomb.huzhu")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        with zipfile.ZipFile(bundle) as orig:
            zf.writestr("manifest.json", orig.read("manifest.json"))
            zf.writestr("manifest.sig", orig.read("manifest.sig"))
        zf.writestr("payload.bin", b"\0" * (300 * 1024**2))  # 300 MB of zeros in ~300 KB
    bad.write_bytes(buf.getvalue())
    assert bad.stat().st_size < 2 * 1024**2
    tracemalloc.start()
    with pytest.raises(BundleRefused, match="已损坏或被改动过"):
        bring(c.town, bad)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    # reading stops at the file's own size: a few MB, never the 300 MB the entry inflates to
    assert peak < 32 * 1024**2
    bad2 = bundle.with_name("bomb2.huzhu")  # a 50 MB "manifest"
    _rezip(bundle, bad2, manifest_json=b" " * (50 * 1024**2))
    with pytest.raises(BundleRefused, match="已损坏或被改动过"):
        bring(c.town, bad2)


def test_a_newer_format_version_is_refused_clearly(c) -> None:
    bundle = export(c.village, c.usb)
    with zipfile.ZipFile(bundle) as zf:
        m = json.loads(zf.read("manifest.json"))
    m["version"] = 2
    bad = bundle.with_name("v2.huzhu")
    _rezip(bundle, bad, manifest_json=json.dumps(m).encode())
    with pytest.raises(BundleRefused, match="格式第 2 版"):
        bring(c.town, bad)


def test_a_manifest_signed_by_someone_else_is_refused(tmp_path: Path, c) -> None:
    """A forger re-signs a changed manifest with their own key but keeps the village's keys."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    bundle = export(c.village, c.usb)
    with zipfile.ZipFile(bundle) as zf:
        m = json.loads(zf.read("manifest.json"))
    m["totals"]["elders"] = 999
    body = container.canonical(m)
    bad = bundle.with_name("forged.huzhu")
    _rezip(bundle, bad, manifest_json=body, manifest_sig=Ed25519PrivateKey.generate().sign(body))
    with pytest.raises(BundleRefused, match="签名不对"):
        bring(c.town, bad)


def test_no_personal_data_is_readable_in_a_bundle(c) -> None:
    bundle = export(c.village, c.usb)
    data = bundle.read_bytes()
    with c.village.reading() as s:
        people = s.execute(select(Person.name, Person.phone, Person.id_number)).all()
    assert people
    for name, phone, id_number in people:
        for secret in (name, phone, id_number):
            if secret:
                assert secret.encode() not in data, secret
                assert secret.encode("utf-16-le") not in data


def test_a_village_bundle_changed_at_the_town_is_refused_by_the_district(c) -> None:
    bring(c.town, export(c.village, c.usb))
    with c.town.transaction() as s:  # someone at the town edits what the village sent
        log = s.execute(select(BundleLog).where(BundleLog.direction == "in")).scalar_one()
        log.payload = container.compress(b'{"payload":"huzhu-rows","version":1}\n')
    with pytest.raises(BundleRefused, match="与村里签名的内容不一致"):
        bring(c.district, export(c.town, c.usb))


def test_a_refused_bundle_never_half_applies(c) -> None:
    """A valid village bundle whose ledger entry clashes with one already at the town: the whole
    import is refused and nothing of it lands."""
    bring(c.town, export(c.village, c.usb))
    bundle = export(c.village, c.usb)
    with c.town.transaction() as s:
        s.connection().exec_driver_sql("DROP TRIGGER point_entry_no_update")
        s.connection().exec_driver_sql(
            "UPDATE point_entry SET summary = 'changed' "
            "WHERE rowid = (SELECT min(rowid) FROM point_entry)"
        )
    before = db_hash(c.town)
    with pytest.raises(BundleRefused, match="账本记录不能改动"):
        bring(c.town, bundle)
    assert db_hash(c.town) == before


def test_a_row_id_already_used_here_by_another_unit_refuses_the_bundle(c) -> None:
    from huzhu_desktop.core.models import Household, sync_columns, utcnow

    bundle = export(c.village, c.usb)
    with c.village.reading() as s:
        taken = s.execute(select(Household.id)).scalars().first()
    a = c.town.actor
    with c.town.transaction() as s:
        s.add(
            Household(
                **(sync_columns(a.owner_code, a.origin, a.operator, utcnow()) | {"id": taken}),
                name="镇里的户",
            )
        )
    before = db_hash(c.town)
    with pytest.raises(BundleRefused, match="编号冲突"):
        bring(c.town, bundle)
    assert db_hash(c.town) == before


def test_the_town_sees_who_has_sent_and_cannot_edit_a_villages_rows(c) -> None:
    from huzhu_desktop.core.errors import HuzhuError
    from huzhu_desktop.core.services.audit import touch
    from huzhu_desktop.core.sync import status

    with c.town.reading() as s:
        before = status.report_matrix(s, "2026Q4")
    assert [(u.name, u.sent) for u in before] == [("演示村", {})]  # known by key card, not sent
    bring(c.town, export(c.village, c.usb))
    with c.town.reading() as s:
        (unit,) = status.report_matrix(s, "2026Q4")
        with c.village.reading() as vs:
            assert unit.figures == org_totals(vs, VILLAGE_CODE, "2026Q4")
        assert unit.figures["visits"] > 0
        # the 首页's chart reads the visits alone, grouped: the same figure
        assert status.unit_visits(s, "2026Q4", [unit]) == {unit.code: unit.figures["visits"]}
        assert "2026Q4" in unit.sent and unit.last_at is not None
        lines = status.history(s)
    assert [line.direction for line in lines] == ["导入"] and "新增" in lines[0].figures
    from huzhu_desktop.core.services import register

    with c.town.reading() as s:
        elders = register.list_elders(s)
    assert elders and {e.unit for e in elders} == {"演示村"}  # grouped by village
    with c.town.transaction() as s:
        elder = s.execute(select(Person)).scalars().first()
        with pytest.raises(HuzhuError, match="只能查看"):
            touch(elder, c.town.actor)
    bring(c.district, export(c.town, c.usb))
    with c.district.reading() as s:
        (town_line,) = status.report_matrix(s, "2026Q4")
        assert town_line.name == "茨竹镇" and town_line.figures["elders"] == unit.figures["elders"]
        visits = status.unit_visits(s, "2026Q4", [town_line])  # the town's own and its villages'
        assert visits == {town_line.code: town_line.figures["visits"]} and visits[town_line.code]
        assert sorted(line.direction for line in status.history(s)) == ["导入", "转来"]


def test_a_backup_leaving_the_workspace_does_not_carry_the_private_keys(tmp_path: Path, c) -> None:
    with c.village.reading() as s:
        own = s.get(keys.OwnKey, 1)
        secrets = (own.sign_private, own.box_private)
    outside = c.village.backup(tmp_path / "U盘" / "备份.db")
    inside = c.village.backup(c.village.folder / "backups" / "手动.db")
    for path, kept in ((outside, False), (inside, True)):
        data = path.read_bytes()
        assert all((secret.encode() in data) is kept for secret in secrets), path


def test_the_district_holds_each_village_to_the_key_it_first_saw(c) -> None:
    """A town that re-signs a village's bundle with a key of its own making is caught."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    bring(c.town, export(c.village, c.usb))
    bring(c.district, export(c.town, c.usb))
    with c.district.reading() as s:
        learnt = keys.find_peer(s, c.village.info.workspace_id)
    assert learnt is not None and learnt.trusted_by == "经茨竹镇转来"
    fake = Ed25519PrivateKey.generate()
    with c.town.transaction() as s:
        log = s.execute(select(BundleLog).where(BundleLog.direction == "in")).scalar_one()
        m = json.loads(log.manifest)
        m["source"]["sign_public"] = fake.public_key().public_bytes_raw().hex()
        m["source"]["fingerprint"] = keys.fingerprint(
            m["source"]["sign_public"], m["source"]["box_public"]
        )
        m["seq"] += 1
        m["bundle_id"] = "00000000-0000-4000-8000-000000000001"
        body = container.canonical(m)
        log.manifest, log.signature = body.decode(), fake.sign(body).hex()
        log.bundle_id, log.seq = m["bundle_id"], m["seq"]
    before = db_hash(c.district)
    with pytest.raises(BundleRefused, match="另一把密钥"):
        bring(c.district, export(c.town, c.usb))
    assert db_hash(c.district) == before


def test_every_synced_table_has_a_chinese_name_for_the_preview() -> None:
    from huzhu_desktop.core.sync.merge import TABLE_LABELS
    from huzhu_desktop.core.sync.snapshot import TABLES

    assert set(TABLE_LABELS) == set(TABLES)


def test_a_villages_activities_reach_the_town_read_only_and_counted(c) -> None:
    from huzhu_desktop.core.errors import HuzhuError
    from huzhu_desktop.core.services import activities

    bring(c.town, export(c.village, c.usb))
    with c.village.reading() as s:
        held = activities.list_activities(s)
    with c.town.reading() as s:
        seen = activities.list_activities(s)
    assert held and [(a.id, a.title, a.points_c) for a in seen] == [
        (a.id, a.title, a.points_c) for a in held
    ]
    assert {a.unit for a in seen} == {"演示村"}
    with c.town.transaction() as s, pytest.raises(HuzhuError, match="只能查看"):
        activities.update_activity(
            seen[0].id,
            activities.ActivityForm(seen[0].held_on, "院坝会", "改名"),
            session=s,
            actor=c.town.actor,
        )


def test_a_table_from_a_newer_app_asks_for_the_same_version_on_both_sides() -> None:
    """A village that upgraded first sends a table this app does not know: the clerk is told to
    upgrade, not that the stick is damaged. (An older bundle, missing a newer table, is fine.)"""
    from huzhu_desktop.core.sync.snapshot import PAYLOAD_KIND, PAYLOAD_VERSION, from_lines

    head = json.dumps({"payload": PAYLOAD_KIND, "version": PAYLOAD_VERSION}).encode()
    newer = json.dumps({"table": "funding", "columns": ["id"], "rows": []}).encode()
    with pytest.raises(BundleRefused, match="升级到同一版本"):
        from_lines(head + b"\n" + newer, {VILLAGE_CODE}, "x.huzhu")
    assert from_lines(head + b"\n", {VILLAGE_CODE}, "x.huzhu").rows == {}


def test_a_villages_funding_reaches_the_town_and_is_counted(c) -> None:
    from huzhu_desktop.core.services import funding

    bring(c.town, export(c.village, c.usb))
    with c.village.reading() as s:
        booked = [(f.id, f.amount_fen) for f in funding.list_funding(s)]
        figures = org_totals(s, VILLAGE_CODE, "2026Q4")
    with c.town.reading() as s:
        assert [(f.id, f.amount_fen) for f in funding.list_funding(s)] == booked
        assert org_totals(s, VILLAGE_CODE, "2026Q4")["funding"] == figures["funding"]
    assert booked
