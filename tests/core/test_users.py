"""Logins on a shared village PC: the first admin and the recovery code, a growing lockout that
needs no sleeping (the clock moves), and one permission check per service entry point."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from datetime import timedelta

import pytest
from sqlalchemy import text

import huzhu_desktop.core as core_pkg
from huzhu_desktop.core import clock
from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.errors import HuzhuError, ValidationError
from huzhu_desktop.core.services import permissions, users
from huzhu_desktop.core.services.permissions import ACTIONS, GUARDED, ROLES, PermissionDenied
from huzhu_desktop.core.workspace import Workspace


def _with_admin(ws: Workspace) -> str:
    with ws.transaction() as s:
        code = users.create_first_admin(s, "王主任", "cun-guanli-2026")
    ws.reload_info()
    return code


def test_a_workspace_without_users_is_login_free(demo_ws: Workspace) -> None:
    assert not demo_ws.has_users and demo_ws.actor.role is None
    permissions.check(demo_ws.actor, "settings")  # everything allowed, as before logins


def test_the_first_admin_gets_a_recovery_code_and_nobody_acts_unlogged(ws: Workspace) -> None:
    code = _with_admin(ws)
    assert len(code) == 29 and code.count("-") == 5
    assert ws.has_users and ws.actor.role == "anonymous"
    with pytest.raises(PermissionDenied, match="没有“录入"):
        permissions.check(ws.actor, "records")
    done = users.log_in(ws, "王主任", "cun-guanli-2026")
    assert (done.role_label, ws.actor.operator, ws.actor.role) == ("村管理员", "王主任", "admin")
    with ws.reading() as s:
        stored = s.execute(text("SELECT pw_hash FROM app_user")).scalar_one()
        recovery = s.execute(text("SELECT recovery_hash FROM workspace_info")).scalar_one()
    assert stored.startswith("$argon2id$") and "cun-guanli" not in stored
    assert recovery.startswith("$argon2id$") and code not in recovery


def test_wrong_passwords_lock_the_account_for_growing_times(ws: Workspace) -> None:
    _with_admin(ws)
    with clock.frozen("2026-12-01T09:00"):
        for left in (4, 3, 2, 1):
            with pytest.raises(users.LoginError, match=f"再错 {left} 次"):
                users.log_in(ws, "王主任", "wrong")
        with pytest.raises(users.LoginError, match="锁定 30 秒"):
            users.log_in(ws, "王主任", "wrong")
        with pytest.raises(users.LoginError, match="请 30 秒后再试"):
            users.log_in(ws, "王主任", "cun-guanli-2026")  # even the right one waits
        clock.advance(timedelta(seconds=31))
        with pytest.raises(users.LoginError, match="锁定 1 分钟"):
            users.log_in(ws, "王主任", "wrong again")  # the 6th: twice as long
        clock.advance(timedelta(seconds=61))
        users.log_in(ws, "王主任", "cun-guanli-2026")
    with ws.reading() as s:
        assert s.execute(text("SELECT failed, locked_until FROM app_user")).one() == (0, None)


def test_the_recovery_code_resets_a_forgotten_admin_password(ws: Workspace) -> None:
    code = _with_admin(ws)
    with ws.transaction() as s, pytest.raises(users.LoginError, match="恢复码不对"):
        users.reset_with_recovery_code(s, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF", "王主任", "new-pass-1")
    with ws.transaction() as s:
        users.reset_with_recovery_code(s, code.lower(), "王主任", "new-pass-1")
    users.log_in(ws, "王主任", "new-pass-1")


def test_only_an_admin_adds_users_and_passwords_are_not_trivial(ws: Workspace) -> None:
    _with_admin(ws)
    users.log_in(ws, "王主任", "cun-guanli-2026")
    with ws.transaction() as s:
        users.add_user(s, ws.actor, "李录入", "clerk", "luru-2026")
    with ws.transaction() as s, pytest.raises(ValidationError, match="密码至少"):
        users.add_user(s, ws.actor, "张审计", "auditor", "123")
    users.log_in(ws, "李录入", "luru-2026")
    with ws.transaction() as s, pytest.raises(PermissionDenied, match="管理用户"):
        users.add_user(s, ws.actor, "张审计", "auditor", "shenji-2026")
    with ws.transaction() as s:
        users.set_password(s, ws.actor, "李录入", "luru-2027")  # one's own: allowed


def test_who_did_what_is_the_logged_in_user(ws: Workspace) -> None:
    from huzhu_desktop.core.services.people import ElderForm, PersonForm, save_person

    _with_admin(ws)
    users.log_in(ws, "王主任", "cun-guanli-2026")
    form = PersonForm(name="张德明", gender="男", birth_date="1948-06-12", group_name="3组")
    with ws.transaction() as s:
        save_person(form, ElderForm(elder_types=["低保"], living="独居", health="自理"),
                    None, session=s, actor=ws.actor)  # fmt: skip
    with ws.reading() as s:
        assert s.execute(text("SELECT updated_by FROM person")).scalar_one() == "王主任"


# --- the permission matrix ----------------------------------------------------------------


def _entry_points() -> list[tuple[str, object]]:
    """Every public function of core that takes an `actor` (imports every module)."""
    found = []
    for info in pkgutil.walk_packages(core_pkg.__path__, "huzhu_desktop.core."):
        if ".migrations" in info.name:
            continue
        module = importlib.import_module(info.name)
        for name, fn in vars(module).items():
            if (
                inspect.isfunction(fn)
                and fn.__module__ == info.name
                and not name.startswith("_")
                and "actor" in inspect.signature(fn).parameters
            ):
                found.append((f"{info.name}.{name}", fn))
    return found


# Functions that take an actor but are not entry points: called by guarded ones, or by setup
# and the demo before any user exists.
INTERNAL = {
    "huzhu_desktop.core.services.permissions.check",  # the check itself
    "huzhu_desktop.core.services.audit.record_audit",
    "huzhu_desktop.core.services.audit.touch",
    "huzhu_desktop.core.services.audit.tombstone",
    "huzhu_desktop.core.services.history.record_elder_spell",
    "huzhu_desktop.core.services.history.record_helper_spell",
    "huzhu_desktop.core.services.submissions.record",
    "huzhu_desktop.core.services.villages.remember_village",  # inside importing a card/bundle
    "huzhu_desktop.core.services.visit_points.post_visit_points",
    "huzhu_desktop.core.services.users.add_user",  # checks "users" itself (own password: no)
    "huzhu_desktop.core.services.users.set_password",
    "huzhu_desktop.core.services.users.set_active",
    "huzhu_desktop.core.demo.funding_demo.fill_funding",
    "huzhu_desktop.core.demo.time_bank.fill_time_bank",
    "huzhu_desktop.core.demo.village.build_village",
    "huzhu_desktop.core.sync.export.header",  # manifest fields, inside a guarded export
    "huzhu_desktop.core.sync.receipt.apply",  # inside import_bundle (sync_in)
    "huzhu_desktop.core.sync.log.log_in",  # the bundle log's row, inside a guarded import
    "huzhu_desktop.core.sync.log.log_out",  # … inside a guarded export
}


def test_every_entry_point_is_guarded() -> None:
    unguarded = sorted(
        name for name, fn in _entry_points() if name not in INTERNAL and not hasattr(fn, "action")
    )
    assert unguarded == []


MATRIX = [
    (name, role)
    for name in sorted({n for n, fn in _entry_points() if hasattr(fn, "action")})
    for role in (*ROLES, "anonymous")
]


@pytest.mark.parametrize(("name", "role"), MATRIX)
def test_the_permission_matrix(name: str, role: str) -> None:
    """Each entry point × each role: refused before it does anything, or let through (it then
    fails on the dummy arguments, which proves it got past the check)."""
    module, _, attr = name.rpartition(".")
    fn = getattr(importlib.import_module(module), attr)
    params = inspect.signature(fn).parameters
    args = {
        p: None
        for p, spec in params.items()
        if spec.default is inspect.Parameter.empty and p != "actor"
    }
    actor = Actor("测试", "ws", "500112108201", role)
    expected_ok = permissions.allowed(role, fn.action)
    try:
        fn(**args, actor=actor)
    except PermissionDenied:
        assert not expected_ok, f"{name} refused {role}"
    except Exception:
        assert expected_ok, f"{name} let {role} through"
    else:
        assert expected_ok, f"{name} let {role} through"
    assert GUARDED[f"{fn.__module__}.{fn.__qualname__}"] == fn.action
    assert fn.action in ACTIONS


# --- private keys in backups --------------------------------------------------------------


def _own_private(ws: Workspace) -> tuple[str, str] | None:
    with ws.reading() as s:
        row = s.execute(text("SELECT sign_private, fingerprint FROM own_key")).first()
    return (row[0], row[1]) if row else None


@pytest.mark.parametrize("way_back", ["admin password", "recovery code"])
def test_backups_hold_the_private_keys_only_sealed_and_a_restore_gets_them_back(
    demo_ws: Workspace, way_back: str
) -> None:
    """With logins, no backup holds the private keys in clear; after restoring one, bundles
    wait for a 村管理员 to log in once (by password, or after a reset with the recovery code),
    and the keys come back the same — the town sees no key change."""
    from huzhu_desktop.core.db import restore
    from huzhu_desktop.core.services import keys

    private, fingerprint = _own_private(demo_ws) or ("", "")
    code = _with_admin(demo_ws)
    made = demo_ws.backup()
    assert private.encode() not in made.read_bytes()
    info = restore.inspect_backup(made)
    assert info.keys_sealed and not info.has_keys and "加密保存" in "\n".join(info.lines())
    folder = demo_ws.folder
    demo_ws.close()
    done = restore.restore(folder, made)
    assert done.kept is not None and private.encode() not in done.kept.read_bytes()
    ws = Workspace.open(folder)
    try:
        assert _own_private(ws) is None
        with ws.transaction() as s, pytest.raises(HuzhuError, match="村管理员登录一次"):
            keys.ensure_keys(s)
        if way_back == "recovery code":
            with ws.transaction() as s:
                users.reset_with_recovery_code(s, code, "王主任", "new-admin-2027")
            users.log_in(ws, "王主任", "new-admin-2027")
        else:
            users.log_in(ws, "王主任", "cun-guanli-2026")
        assert _own_private(ws) == (private, fingerprint)
    finally:
        ws.close()


def test_a_login_free_workspace_keeps_its_keys_in_its_own_backups(demo_ws: Workspace) -> None:
    from huzhu_desktop.core.db import restore

    info = restore.inspect_backup(demo_ws.backup())
    assert info.has_keys and not info.keys_sealed
