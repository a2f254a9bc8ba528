"""Tables of the workspace database (SQLModel on SQLAlchemy 2).

Every synced table carries the sync columns of `Synced`: UUID primary key, `owner_code` (org unit
that owns the row), `created_at` / `updated_at` (UTC), `updated_by`, `origin` (workspace id),
`rev` and `deleted_at` (tombstone). Schema changes go through alembic only.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date, datetime

from sqlalchemy import Index, Table, text
from sqlmodel import Field, SQLModel

from huzhu_desktop import __version__
from huzhu_desktop.core import clock, vocab

_VARIANT = {c: "89ab"[int(c, 16) & 3] for c in "0123456789abcdef"}


def _uuid4(h: str) -> str:
    """32 random hex digits as a version 4 UUID's text (version and variant digits set)."""
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"


def new_id() -> str:
    """A random (version 4) UUID as text — the same as str(uuid.uuid4()), three times faster,
    which matters when an import or a demo makes 100,000 rows."""
    return _uuid4(os.urandom(16).hex())


def new_ids() -> Iterator[str]:
    """Endless new ids, drawn from the OS 256 at a time (for loops that make 100,000)."""
    while True:
        h = os.urandom(16 * 256).hex()
        for i in range(0, len(h), 32):
            yield _uuid4(h[i : i + 32])


def table_of(model: type[SQLModel]) -> Table:
    """A table model's Core table (for aliases and bulk SQL); SQLModel does not type __table__."""
    table: Table = model.__table__  # type: ignore[attr-defined]
    return table


def utcnow() -> datetime:
    """Aware UTC time from the one clock (`core.clock`), for stored timestamps."""
    return clock.utcnow()


def sync_columns(owner_code: str, origin: str, operator: str, now: datetime) -> dict[str, object]:
    """The sync columns of a brand-new row, for bulk Core inserts (no ORM defaults run there)."""
    return {
        "id": new_id(),
        "owner_code": owner_code,
        "created_at": now,
        "updated_at": now,
        "updated_by": operator,
        "origin": origin,
        "rev": 1,
        "deleted_at": None,
    }


class Synced(SQLModel):
    """Columns every row that travels in a sync bundle carries."""

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    owner_code: str = Field(max_length=12, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by: str = Field(default="", max_length=50)
    origin: str = Field(max_length=36)
    rev: int = Field(default=1)
    deleted_at: datetime | None = Field(default=None)


class WorkspaceInfo(SQLModel, table=True):
    """The one row describing this workspace: its kind, org unit and identity (not synced)."""

    __tablename__ = "workspace_info"

    id: int = Field(default=1, primary_key=True)
    workspace_id: str = Field(max_length=36)
    kind: str = Field(max_length=10)  # village / town / district
    org_code: str = Field(max_length=12)
    org_name: str = Field(max_length=50)
    parent_code: str | None = Field(default=None, max_length=12)
    parent_name: str = Field(default="", max_length=50)
    district_name: str = Field(default="", max_length=50)
    office_phone: str = Field(default="", max_length=20)  # 村委会 / 镇民政办 phone, on the 明白卡
    supervision_phone: str = Field(default="", max_length=20)  # 监督电话 for complaints
    is_demo: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow)
    recovery_hash: str = Field(default="", max_length=200)  # argon2id of the admin recovery code
    recovery_wrap: str = Field(default="")  # the data key under the recovery code (key_vault)
    key_seal: str = Field(default="")  # own private keys under the data key (key_vault)
    # The app version that made the database's schema revision what it is (set at setup and by
    # each migration): an older app names it when it refuses this database.
    app_version: str = Field(default=__version__, max_length=20)


class Clerk(SQLModel, table=True):
    """经办人 — a person who works in this workspace; recorded as the operator on every change."""

    __tablename__ = "clerk"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    name: str = Field(max_length=30)
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime = Field(default_factory=utcnow)
    active: bool = Field(default=True)


class AppUser(SQLModel, table=True):
    """A login of this workspace (not synced: each PC has its own users). With none, the
    workspace is login-free (the demo)."""

    __tablename__ = "app_user"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    name: str = Field(max_length=30, unique=True)
    role: str = Field(max_length=10)  # clerk / admin / reviewer / auditor (services.users.ROLES)
    pw_hash: str = Field(max_length=200)  # argon2id
    failed: int = Field(default=0)  # wrong passwords in a row
    locked_until: datetime | None = Field(default=None)
    active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_login_at: datetime | None = Field(default=None)
    key_wrap: str = Field(default="")  # an admin's: the data key under their password


class OrgUnit(Synced, table=True):
    """乡镇 / 村 with its 12-digit 统计用区划代码."""

    __tablename__ = "org_unit"

    code: str = Field(max_length=12, index=True)
    name: str = Field(max_length=50)
    level: str = Field(max_length=10)  # district / town / village
    parent_code: str | None = Field(default=None, max_length=12)
    # 已开展互助养老, in a town's own row about one of its villages (None: not said)
    started: bool | None = Field(default=None)


class CarePoint(Synced, table=True):
    """互助养老点 — 中心点 or 分点 (1 km / 15-minute walk radius)."""

    __tablename__ = "care_point"

    name: str = Field(max_length=60)
    kind: str = Field(max_length=10)  # 中心点 / 分点
    address: str = Field(default="", max_length=120)
    group_name: str = Field(default="", max_length=30)
    opened_on: date | None = None
    closed_on: date | None = None


class Household(Synced, table=True):
    """户 — the time bank's account holder (一户一卡)."""

    __tablename__ = "household"

    name: str = Field(max_length=60)  # e.g. 张德明户
    card_no: str = Field(default="", max_length=30)
    address: str = Field(default="", max_length=120)
    group_name: str = Field(default="", max_length=30)


class Person(Synced, table=True):
    """One person; an elder profile and/or a helper profile hang off it."""

    __tablename__ = "person"

    name: str = Field(max_length=30, index=True)
    name_initials: str = Field(default="", max_length=30)
    name_pinyin: str = Field(default="", max_length=120)
    gender: str = Field(max_length=2)
    birth_date: date | None = None
    birth_year: int | None = None
    id_number: str | None = Field(default=None, max_length=18, index=True)
    phone: str = Field(default="", max_length=20)
    address: str = Field(default="", max_length=120)
    group_name: str = Field(default="", max_length=30)
    household_id: str | None = Field(
        default=None, foreign_key="household.id", max_length=36, index=True
    )
    status: str = Field(default=vocab.ACTIVE_STATUS, max_length=4)  # 在册 / 迁出 / 去世
    status_date: date | None = None
    note: str = Field(default="", max_length=500)
    # 登记日期: the day the village took the person into its register (an import's day, a date
    # column of the sheet, or typed); None: registered since before the app kept it.
    registered_on: date | None = Field(default=None)


class ElderProfile(Synced, table=True):
    """被帮扶老人 — what makes a person an elder in the register (附件2 columns)."""

    __tablename__ = "elder_profile"

    person_id: str = Field(foreign_key="person.id", max_length=36, unique=True)
    elder_types: str = Field(default="", max_length=60)  # 低保、残疾 (canonical order)
    disability_grade: str | None = Field(default=None, max_length=4)
    living: str = Field(default="", max_length=10)
    health: str = Field(default="", max_length=10)
    has_children: bool | None = None
    tags: str = Field(default="", max_length=60)  # 空巢、留守、计划生育特殊家庭
    care_tier: str = Field(default="", max_length=6)
    emergency_contact: str = Field(default="", max_length=30)
    emergency_phone: str = Field(default="", max_length=20)
    medical_notes: str = Field(default="", max_length=200)
    # 特殊老人: by the rule (vocab.is_special_elder) or by the clerk's mark — `special_reason`
    # non-empty says why the village counts this elder as special when the rule does not.
    is_special: bool = Field(default=False, index=True)
    special_reason: str = Field(default="", max_length=60)


class HelperProfile(Synced, table=True):
    """帮扶人 — 养老专干, 社工, 养老助理, 互助养老小组长 or 志愿者/互助员."""

    __tablename__ = "helper_profile"

    person_id: str = Field(foreign_key="person.id", max_length=36, unique=True)
    role: str = Field(max_length=10)
    organisation: str = Field(default="", max_length=60)  # 社工组织名称
    active: bool = Field(default=True)
    since: date | None = None
    until: date | None = None
    health: str = Field(default="", max_length=10)  # 身体状况 (vocab.HELPER_HEALTH), on the 明白卡


class ElderSpell(Synced, table=True):
    """An elder's situation from a day on: what a period's figures read (as of its end).

    `effective_on` None: since the elder was first registered. A later spell replaces an
    earlier one from its day; same-day spells: the one recorded last.
    """

    __tablename__ = "elder_spell"

    person_id: str = Field(foreign_key="person.id", max_length=36, index=True)
    effective_on: date | None = None
    elder_types: str = Field(default="", max_length=60)
    disability_grade: str | None = Field(default=None, max_length=4)
    living: str = Field(default="", max_length=10)
    health: str = Field(default="", max_length=10)
    group_name: str = Field(default="", max_length=30)
    is_special: bool = Field(default=False)
    special_reason: str = Field(default="", max_length=60)


class HelperSpell(Synced, table=True):
    """A helper's role, organisation and whether in post (在岗), from a day on."""

    __tablename__ = "helper_spell"

    person_id: str = Field(foreign_key="person.id", max_length=36, index=True)
    effective_on: date | None = None
    role: str = Field(max_length=10)
    organisation: str = Field(default="", max_length=60)
    in_post: bool = Field(default=True)


class Review(Synced, table=True):
    """审核 — a town's (or district's) verdict on one unit's quarter: 已审核, or 退回 with the
    reasons (JSON: [{"record_id": "", "text": ""}], a record id when a reason is about one).
    Owned by the reviewing unit; one row per (unit, quarter), its id derived from both."""

    __tablename__ = "review"

    unit_code: str = Field(max_length=12, index=True)
    quarter: str = Field(max_length=6)
    status: str = Field(max_length=4)  # 已审核 / 退回
    reasons: str = Field(default="")
    reviewed_at: datetime = Field(default_factory=utcnow)
    seen_seq: int = Field(default=0)  # the unit's latest bundle then: a later one reopens it


class Submission(SQLModel, table=True):
    """Figures this workspace reported for a period (附件1 as exported), kept with the day: a
    later remake that comes out different is shown old → new. Not synced: it is this
    workspace's own record of what it sent (bundles keep theirs in `bundle_log`)."""

    __tablename__ = "submission"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    kind: str = Field(max_length=20)  # attachment1
    period: str = Field(max_length=12, index=True)  # 2026Q3 / 2026Q3-YTD
    made_at: datetime = Field(default_factory=utcnow)
    made_by: str = Field(default="", max_length=50)
    figures: str = Field(default="")  # JSON


class StatusChange(Synced, table=True):
    """History of a person's status (在册 → 迁出 / 去世, and back)."""

    __tablename__ = "status_change"

    person_id: str = Field(foreign_key="person.id", max_length=36, index=True)
    from_status: str = Field(max_length=4)
    to_status: str = Field(max_length=4)
    effective_on: date
    reason: str = Field(default="", max_length=200)


class Pairing(Synced, table=True):
    """结对帮扶 — one helper and one elder (一对一), or a 小组长 with several elders (划片式)."""

    __tablename__ = "pairing"

    kind: str = Field(max_length=6)
    label: str = Field(default="", max_length=60)
    start_date: date
    end_date: date | None = None
    end_reason: str = Field(default="", max_length=200)
    plan: str = Field(default="", max_length=200)
    period_days: int = Field(default=30)  # longest gap between visits the plan allows


class PairingMember(Synced, table=True):
    """A person in a pairing, as `elder` or `helper`."""

    __tablename__ = "pairing_member"

    pairing_id: str = Field(foreign_key="pairing.id", max_length=36, index=True)
    person_id: str = Field(foreign_key="person.id", max_length=36, index=True)
    role: str = Field(max_length=6)  # elder / helper


class Visit(Synced, table=True):
    """走访 / 服务记录 — one visit by one or more helpers to one or more elders."""

    __tablename__ = "visit"

    visit_date: date = Field(index=True)
    duration_minutes: int
    kind: str = Field(max_length=6)  # 敲敲门 / 谈谈心 / 帮帮忙 / 入户探访
    services: str = Field(default="", max_length=120)  # 助餐、助洁 …
    note: str = Field(default="", max_length=500)
    source: str = Field(default=vocab.PAPER, max_length=6)  # 纸质 / 电话 / 卡片
    confirmation: str = Field(default="", max_length=10)  # 签字 / 电话回访 / 当面
    pairing_id: str | None = Field(default=None, foreign_key="pairing.id", max_length=36)


class VisitMember(Synced, table=True):
    """A person on a visit, as `elder` or `helper`."""

    __tablename__ = "visit_member"

    visit_id: str = Field(foreign_key="visit.id", max_length=36, index=True)
    person_id: str = Field(foreign_key="person.id", max_length=36, index=True)
    role: str = Field(max_length=6)


class Activity(Synced, table=True):
    """集体活动 — 院坝会、节日娱乐、集体生日会、健康服务… (each village at least one a quarter).
    Registered participants earn the 活动 award for their household (entries refer to it)."""

    __tablename__ = "activity"

    held_on: date = Field(index=True)
    kind: str = Field(max_length=10)  # one of vocab.ACTIVITY_KINDS
    title: str = Field(max_length=40)
    place: str = Field(default="", max_length=60)
    attendance: int = 0  # everyone who came, registered here or not (the sign-in count)
    note: str = Field(default="", max_length=500)


class ActivityMember(Synced, table=True):
    """A registered person who took part in an activity."""

    __tablename__ = "activity_member"

    activity_id: str = Field(foreign_key="activity.id", max_length=36, index=True)
    person_id: str = Field(foreign_key="person.id", max_length=36, index=True)


class Funding(Synced, table=True):
    """资金筹集 — money received for 互助养老 (镇财政、村集体、慈善组织、爱心企业、爱心人士), in 分;
    附件1's 镇街配套和捐赠金额筹集（元）."""

    __tablename__ = "funding"

    received_on: date = Field(index=True)
    source: str = Field(max_length=10)  # one of vocab.FUNDING_SOURCES
    donor: str = Field(default="", max_length=60)  # the unit or person who gave it
    amount_fen: int
    purpose: str = Field(default="", max_length=120)
    note: str = Field(default="", max_length=500)


class ServiceRequest(Synced, table=True):
    """点单 — an elder asks for a service; it is assigned to a helper and done by a visit."""

    __tablename__ = "service_request"

    elder_id: str = Field(foreign_key="person.id", max_length=36, index=True)
    service: str = Field(max_length=10)
    wanted_on: date
    status: str = Field(
        default=vocab.REQUEST_NEW, max_length=6
    )  # 待派单 / 已派单 / 已完成 / 已取消
    helper_id: str | None = Field(default=None, foreign_key="person.id", max_length=36)
    visit_id: str | None = Field(default=None, foreign_key="visit.id", max_length=36)
    note: str = Field(default="", max_length=200)


class CardPrint(Synced, table=True):
    """When a 互助养老明白卡 was printed, and a fingerprint of what it said."""

    __tablename__ = "card_print"

    pairing_id: str = Field(foreign_key="pairing.id", max_length=36, index=True)
    elder_id: str = Field(foreign_key="person.id", max_length=36, index=True)
    printed_at: datetime = Field(default_factory=utcnow)
    fingerprint: str = Field(max_length=64)
    layout: str = Field(default="A4", max_length=4)


class PointRule(Synced, table=True):
    """积分规则 — one version of the earning rule for one service kind, in force from a date.

    `service_kind` is a visit kind (敲敲门 …), 默认 (every kind without its own rule) or 活动 (a
    fixed award for taking part in an activity). Points are integer hundredths (100 = 1 分).
    A new version never changes what was already posted under an older one.
    """

    __tablename__ = "point_rule"

    service_kind: str = Field(max_length=6)
    effective_from: date = Field(index=True)
    points_per_hour_c: int = Field(default=100)
    rounding_minutes: int = Field(default=0)  # 0 none / 15 / 30 / 60, half up
    minimum_minutes: int = Field(default=0)  # shorter services earn nothing
    daily_cap_c: int = Field(default=0)  # per helper per day; 0 = no cap
    award_c: int = Field(default=0)  # 活动: fixed award per participant
    expire_years: int = Field(default=0)  # 默认 only: points expire after N years; 0 = never
    note: str = Field(default="", max_length=200)


class PointEntry(Synced, table=True):
    """积分流水 — one entry of the append-only points ledger of a household (一户一卡).

    Amounts are signed integer hundredths. Corrections are `reverse` entries that point at the
    entry they cancel (`reverses_id`, unique: an entry is reversed at most once). Entries of one
    origin form a hash chain (`seq`, `chain`) that `huzhu check` verifies.
    """

    __tablename__ = "point_entry"
    __table_args__ = (
        Index("ux_point_entry_origin_seq", "origin", "seq", unique=True),
        Index("ix_point_entry_ref", "ref_kind", "ref_id"),
        # a unit's entries of a period (附件1, the 同步 matrix): every other synced table has
        # its owner_code index from Synced; this one's rows are read by owner and day
        Index("ix_point_entry_owner_posted", "owner_code", "posted_on"),
        # An entry is reversed at most once; the index holds only reversals (most entries
        # have none), which keeps bulk posting fast.
        Index(
            "ux_point_entry_reverses",
            "reverses_id",
            unique=True,
            sqlite_where=text("reverses_id IS NOT NULL"),
        ),
    )

    owner_code: str = Field(max_length=12)  # no index: the ledger is read by household

    household_id: str = Field(foreign_key="household.id", max_length=36, index=True)
    amount_c: int
    kind: str = Field(max_length=8)  # earn / redeem / adjust / reverse / transfer / expire
    ref_kind: str = Field(
        max_length=10
    )  # visit / activity / redemption / manual / transfer / expiry
    ref_id: str = Field(default="", max_length=36)
    person_id: str | None = Field(default=None, foreign_key="person.id", max_length=36)
    reverses_id: str | None = Field(default=None, max_length=36)
    posted_on: date  # period totals scan: an index here costs bulk posting more than it saves
    minutes: int = Field(default=0)
    rule_id: str | None = Field(default=None, max_length=36)
    summary: str = Field(default="", max_length=120)  # 服务内容 as the passbook shows it
    seq: int = Field(default=0)
    chain: str = Field(default="", max_length=64)


class PointBalance(SQLModel, table=True):
    """Cached balance per household, kept by every posting in the same transaction (not
    synced; derived).

    `huzhu check` compares it with the sum of the entries.
    """

    __tablename__ = "point_balance"

    household_id: str = Field(primary_key=True, max_length=36)
    balance_c: int = Field(default=0)
    entries: int = Field(default=0)


class ShopItem(Synced, table=True):
    """积分超市 — one item (goods or a service) and what it costs in points."""

    __tablename__ = "shop_item"

    name: str = Field(max_length=30)
    unit: str = Field(default="件", max_length=6)
    cost_c: int
    track_stock: bool = Field(default=True)  # services (理发…) have no stock
    stock: int = Field(default=0)  # cached sum of the item's stock moves
    active: bool = Field(default=True)
    note: str = Field(default="", max_length=200)


class StockMove(Synced, table=True):
    """A movement of a shop item's stock: 入库, 报损, 兑换, 撤销兑换, 盘点 (append-only)."""

    __tablename__ = "stock_move"

    item_id: str = Field(foreign_key="shop_item.id", max_length=36, index=True)
    delta: int
    kind: str = Field(max_length=6)
    ref_id: str = Field(default="", max_length=36)
    moved_on: date
    note: str = Field(default="", max_length=200)


class Redemption(Synced, table=True):
    """积分兑换 — one visit to the 积分超市 by a household: several items, one receipt."""

    __tablename__ = "redemption"

    household_id: str = Field(foreign_key="household.id", max_length=36, index=True)
    person_id: str | None = Field(default=None, foreign_key="person.id", max_length=36)
    redeemed_on: date
    receipt_no: str = Field(max_length=20)
    total_c: int
    status: str = Field(default="有效", max_length=4)  # 有效 / 已撤销
    note: str = Field(default="", max_length=200)


class RedemptionLine(Synced, table=True):
    """One line of a redemption: the item, how many, its cost at the time."""

    __tablename__ = "redemption_line"

    redemption_id: str = Field(foreign_key="redemption.id", max_length=36, index=True)
    item_id: str = Field(foreign_key="shop_item.id", max_length=36)
    item_name: str = Field(max_length=30)
    quantity: int
    unit_cost_c: int


class AuditLog(SQLModel, table=True):
    """Append-only record of who changed what (SQLite triggers refuse UPDATE and DELETE)."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow)
    operator: str = Field(max_length=50)
    action: str = Field(max_length=40)
    table_name: str = Field(default="", max_length=40)
    row_id: str = Field(default="", max_length=36)
    detail: str = Field(default="")


class OwnKey(SQLModel, table=True):
    """This workspace's key pair for bundles (Ed25519 signing, X25519 encryption). Kept only in
    the workspace database; never written to a bundle or a key card."""

    __tablename__ = "own_key"

    id: int = Field(default=1, primary_key=True)
    sign_private: str = Field(max_length=64)  # raw 32 bytes, hex
    box_private: str = Field(max_length=64)
    sign_public: str = Field(max_length=64)
    box_public: str = Field(max_length=64)
    fingerprint: str = Field(max_length=24)  # '1234 5678 …' — 5 groups of 4 digits
    created_at: datetime = Field(default_factory=utcnow)


class PeerKey(SQLModel, table=True):
    """A workspace whose bundles this one accepts or sends to: a town, a district, a village
    below, or the other PC of the same village — trusted by key card or confirmed fingerprint."""

    __tablename__ = "peer_key"

    workspace_id: str = Field(primary_key=True, max_length=36)
    kind: str = Field(max_length=10)
    org_code: str = Field(max_length=12, index=True)
    org_name: str = Field(max_length=50)
    parent_code: str | None = Field(default=None, max_length=12)
    sign_public: str = Field(max_length=64)
    box_public: str = Field(max_length=64)
    fingerprint: str = Field(max_length=24)
    previous_fingerprints: str = Field(default="")  # keys it had before, ' / '-separated
    trusted_by: str = Field(default="", max_length=50)
    trusted_at: datetime = Field(default_factory=utcnow)


class BundleLog(SQLModel, table=True):
    """One bundle written or applied here. An applied bundle keeps its manifest, signature and
    plaintext payload: a town passes its villages' latest ones on to the district unchanged."""

    __tablename__ = "bundle_log"
    __table_args__ = (Index("ix_bundle_log_source", "direction", "source_workspace", "seq"),)

    bundle_id: str = Field(primary_key=True, max_length=36)
    direction: str = Field(max_length=3)  # in / out
    kind: str = Field(default="data", max_length=10)  # data / receipt (回执), each its own seq
    source_workspace: str = Field(max_length=36)
    source_kind: str = Field(max_length=10)
    source_code: str = Field(max_length=12, index=True)
    source_name: str = Field(max_length=50)
    target_workspace: str = Field(max_length=36)
    target_code: str = Field(max_length=12)
    seq: int
    period: str = Field(max_length=6)  # 2026Q3
    made_at: datetime
    file_name: str = Field(default="", max_length=200)
    file_sha256: str = Field(max_length=64)
    manifest: str = Field(default="")
    signature: str = Field(default="", max_length=128)
    payload: bytes | None = Field(default=None)
    summary: str = Field(default="")  # JSON: per table new / changed / unchanged / deleted / …
    via_code: str = Field(default="", max_length=12)  # a village bundle that came in a town's
    done_by: str = Field(max_length=50)
    done_at: datetime = Field(default_factory=utcnow)


class SyncConflict(SQLModel, table=True):
    """A row edited on two PCs before they exchanged: the version kept and the one overwritten,
    for the clerk to review (nothing is lost)."""

    __tablename__ = "sync_conflict"

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    bundle_id: str = Field(max_length=36, index=True)
    table_name: str = Field(max_length=40)
    row_id: str = Field(max_length=36)
    kept: str  # JSON of the row as kept
    lost: str  # JSON of the version that was overwritten or not taken
    lost_side: str = Field(max_length=6)  # here / sender
    at: datetime = Field(default_factory=utcnow)
    reviewed_by: str = Field(default="", max_length=50)


SYNCED_TABLES = (
    OrgUnit,
    CarePoint,
    Household,
    Person,
    ElderProfile,
    HelperProfile,
    ElderSpell,
    HelperSpell,
    StatusChange,
    Pairing,
    PairingMember,
    Visit,
    VisitMember,
    Activity,
    ActivityMember,
    Funding,
    ServiceRequest,
    CardPrint,
    PointRule,
    PointEntry,
    ShopItem,
    StockMove,
    Redemption,
    RedemptionLine,
    Review,
)
