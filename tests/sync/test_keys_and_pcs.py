"""更换密钥 and a second PC: a unit changes its keys — the town confirms the new fingerprint and
keeps the old one in its history, and a bundle already sealed for the old key still opens; a
village's second PC is set up from the first PC's key card and its register arrives whole,
with the unit listed once."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from huzhu_desktop.cli import main
from huzhu_desktop.core.errors import HuzhuError
from huzhu_desktop.core.models import OrgUnit, Person
from huzhu_desktop.core.services import keys
from huzhu_desktop.core.services.setup import join_from_card
from huzhu_desktop.core.sync.container import BundleRefused
from huzhu_desktop.core.workspace import Workspace
from tests.sync.helpers import bring, chain, export, hand_card

A = "500112108201"


def test_a_village_changes_its_keys_and_the_town_confirms_the_new_fingerprint(
    tmp_path: Path,
) -> None:
    c = chain(tmp_path)
    try:
        bring(c.town, export(c.village, c.usb / "1"))
        # The town sealed a 回执 for the village's old key before the change.
        from huzhu_desktop.core.sync.receipt import export_receipts

        with c.town.transaction() as s:
            (paper,) = export_receipts(s, c.town.actor, c.usb / "r", to=[A])
        with c.village.transaction() as s:
            old, new = keys.change_keys(s, c.village.actor)
            assert keys.own_card(s).fingerprint == new != old
            assert keys.previous_fingerprints(s) == [old]
        assert bring(c.village, paper.path).receipt  # still opens with the retired key
        second = export(c.village, c.usb / "2")
        with pytest.raises(BundleRefused, match="密钥与以前的不同"):
            bring(c.town, second)
        bring(c.town, second, accept_changed_key=True)  # fingerprint confirmed by phone
        with c.town.reading() as s:
            peer = next(p for p in keys.peers(s) if p.org_code == A)
        assert peer.fingerprint == new and peer.previous_fingerprints == old
        # New 回执 are sealed for the new key.
        with c.town.transaction() as s:
            (again,) = export_receipts(s, c.town.actor, c.usb / "r2", to=[A])
        assert bring(c.village, again.path).receipt
    finally:
        c.close()


def test_changing_keys_in_a_workspace_with_logins_needs_the_admin(tmp_path: Path) -> None:
    from huzhu_desktop.core.services import users

    c = chain(tmp_path)
    try:
        with c.village.transaction() as s:
            users.create_first_admin(s, "李管理", "一二三四五六abc")
        with pytest.raises(HuzhuError, match="管理员登录"), c.village.transaction() as s:
            keys.change_keys(s, c.village.actor)
    finally:
        c.close()


def test_a_second_pc_joins_from_the_first_pcs_card_and_bundle(tmp_path: Path) -> None:
    c = chain(tmp_path)
    try:
        card = tmp_path / "first.card"
        with c.village.transaction() as s:
            keys.write_card(s, card)
        laptop = Workspace.open(tmp_path / "laptop")
        with laptop.transaction() as s:
            info = join_from_card(keys.read_card(card), keys.card_unit_names(card), "王专干",
                                  session=s)  # fmt: skip
            assert (info.org_code, info.org_name) == (A, c.village.info.org_name)
            assert info.parent_name == c.village.info.parent_name and info.district_name
            assert keys.find_peer(s, c.village.info.workspace_id) is not None
        laptop.reload_info()
        hand_card(laptop, c.village, tmp_path)  # the first PC takes the laptop's card
        bring(laptop, export(c.village, c.usb / "to-laptop", to=A))
        with laptop.reading() as s:
            units = sorted(s.execute(select(OrgUnit.code, OrgUnit.level)).all())
            people = len(s.execute(select(Person.id)).all())
        assert units == [(A[:9] + "000", "town"), (A, "village")]
        with c.village.reading() as s:
            assert people == len(s.execute(select(Person.id)).all()) > 0
        laptop.close()
    finally:
        c.close()


def test_init_from_card_on_the_command_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    c = chain(tmp_path)
    try:
        card = tmp_path / "first.card"
        with c.village.transaction() as s:
            keys.write_card(s, card)
        folder = str(tmp_path / "laptop")
        code = main(["--workspace", folder, "init", "--from-card", str(card), "--clerk", "王专干"])
        out = capsys.readouterr().out
        assert code == 0 and "第二台电脑" in out and c.village.info.org_name in out
        assert main(["--workspace", str(tmp_path / "x"), "init", "--kind", "village"]) == 1
        assert "--org-code" in capsys.readouterr().err
    finally:
        c.close()
