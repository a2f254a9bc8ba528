"""The USB stick in the demo: a demo 茨竹镇 workspace inside the demo village's folder, key cards
exchanged both ways, and last quarter's village bundle exported, imported and 审核通过 at the town,
whose 回执 the village has imported (its 报送情况 says 已审核) — so a new user sees 同步 working on
both sides (open the town with --workspace <demo>/demo-town). The
town has booked money of its own (镇财政), so its 附件1 shows the 镇本级 row above 合计, and keeps
a 村名单 of four villages (two 已开展, one not, one not said), three of which never sent."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

from huzhu_desktop.core.atomic import put_folder_in_place
from huzhu_desktop.core.periods import quarter_bounds
from huzhu_desktop.core.services import funding, keys, review, villages
from huzhu_desktop.core.services.setup import SetupForm, initialize
from huzhu_desktop.core.sync.export import export_bundle
from huzhu_desktop.core.sync.importer import import_bundle
from huzhu_desktop.core.sync.receipt import export_receipts
from huzhu_desktop.core.sync.status import last_quarters
from huzhu_desktop.core.workspace import Workspace

TOWN_FOLDER = "demo-town"
DEMO_TOWN = SetupForm(
    kind="town",
    org_code="500112108",
    org_name="茨竹镇",
    parent_name="渝北区",
    district_name="渝北区",
    clerk_name="镇民政专干",
)

DEMO_VILLAGES = (  # 茨竹镇's 村名单 in the demo (made-up codes beside the demo village's)
    ("500112108201", "演示村", True),
    ("500112108202", "大石村", True),
    ("500112108203", "回龙村", False),
    ("500112108204", "新店村", None),
)


def fill_sync(village: Workspace, today: date) -> Path:
    """(Re)make the demo town and send it the village's bundle for the last full quarter."""
    folder = village.folder / TOWN_FOLDER
    built = village.folder / f".{TOWN_FOLDER}.building"  # made whole here, then put in place
    if built.exists():
        shutil.rmtree(built)  # left by a run that was stopped
    for old in (village.folder / "exports").glob("*.huzhu"):
        old.unlink()  # the previous demo's bundles (their numbering starts again)
    town = Workspace.open(built)
    try:
        with town.transaction() as s:
            initialize(DEMO_TOWN, session=s, is_demo=True)
        town.reload_info()
        previous = last_quarters(2, today)[0]
        with town.transaction() as s:  # its 村名单: the demo village and three that never sent
            for code, name, started in DEMO_VILLAGES:
                villages.save_village(code, name, started, session=s, actor=town.actor)
        with town.transaction() as s:  # the town's own money: 附件1's 镇本级 row
            start, _end = quarter_bounds(previous)
            funding.record_funding(
                funding.FundingForm(
                    start + timedelta(days=20), "镇财政", "10000", "茨竹镇人民政府",
                    "镇本级互助养老培训和宣传",
                ),
                session=s,
                actor=town.actor,
                today=today,
            )  # fmt: skip
        with village.transaction() as vs, town.transaction() as ts:
            keys.trust(vs, keys.own_card(ts), "演示专干")
            keys.trust(ts, keys.own_card(vs), "镇民政专干")
        with village.transaction() as s:
            sent = export_bundle(s, village.actor, village.folder / "exports", period=previous)
        with town.transaction() as s:
            import_bundle(s, town.actor, sent.path)
        with town.transaction() as s:  # the town has looked at it: 审核通过
            review.approve(DEMO_VILLAGES[0][0], previous, session=s, actor=town.actor)
        with town.transaction() as s:  # … and says so on the stick: its 回执 to the village
            (paper,) = export_receipts(s, town.actor, village.folder / "exports")
        with village.transaction() as s:
            import_bundle(s, village.actor, paper.path)
    finally:
        town.close()
    put_folder_in_place(built, folder)
    return folder
