"""Logins (登录) on a shared village PC: users with roles, argon2id passwords, a growing lockout
after wrong passwords, and the admin's recovery code.

The first user is a 村管理员 and gets a recovery code, shown once, to print and lock away: with
it a forgotten admin password can be reset. Lockout delays come from the clock module (tests move
the clock, they do not sleep). Names are stored as typed; logging in matches them exactly.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlmodel import Session, col

from huzhu_desktop.core import clock
from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.errors import HuzhuError, ValidationError
from huzhu_desktop.core.models import AppUser, WorkspaceInfo
from huzhu_desktop.core.services import key_vault
from huzhu_desktop.core.services.audit import record_audit
from huzhu_desktop.core.services.permissions import ROLES, check
from huzhu_desktop.core.validate import clean, plain_text
from huzhu_desktop.core.workspace import Workspace

FREE_TRIES = 5  # wrong passwords before the first lockout
FIRST_LOCK = timedelta(seconds=30)  # then doubled at each further wrong password
LONGEST_LOCK = timedelta(hours=1)
MIN_PASSWORD = 6
_hasher = PasswordHasher()  # argon2id, the library's defaults (RFC 9106 low-memory profile)


class LoginError(HuzhuError):
    """Wrong name or password, a locked or disabled account; nothing was opened."""


@dataclass(frozen=True)
class Login:
    name: str
    role: str

    @property
    def role_label(self) -> str:
        return ROLES[self.role]


def has_users(session: Session) -> bool:
    count = session.execute(select(func.count()).select_from(AppUser)).scalar_one()
    return bool(count)


def list_users(session: Session) -> list[AppUser]:
    return list(session.execute(select(AppUser).order_by(col(AppUser.name))).scalars())


def _password(password: str, errors: dict[str, str]) -> None:
    if len(password) < MIN_PASSWORD:
        errors["password"] = f"密码至少要 {MIN_PASSWORD} 位"
    elif password.isdigit() and len(set(password)) == 1:
        errors["password"] = "密码不能是同一个数字重复（如 111111）"


def _name(session: Session, raw: str, errors: dict[str, str]) -> str:
    name = clean(raw)
    if not name or not plain_text(name, 30):
        errors["name"] = "请填写用户名（不超过 30 个字）"
    elif _find(session, name) is not None:
        errors["name"] = f"已经有叫“{name}”的用户了"
    return name


def create_first_admin(session: Session, name: str, password: str) -> str:
    """Turn a login-free workspace into one with logins: its first user, a 村管理员. Returns the
    recovery code (shown once; only its hash is kept)."""
    if has_users(session):
        raise HuzhuError("这个工作区已经设有用户；新增用户请由村管理员登录后添加。")
    errors: dict[str, str] = {}
    clean_name = _name(session, name, errors)
    _password(password, errors)
    if errors:
        raise ValidationError(errors)
    info = session.get(WorkspaceInfo, 1)
    if info is None:
        raise HuzhuError("工作区尚未设置单位，请先完成首次设置。")
    data_key = key_vault.new_data_key()  # from now on backups hold the private keys sealed
    code = new_recovery_code()
    session.add(
        AppUser(
            name=clean_name,
            role="admin",
            pw_hash=_hasher.hash(password),
            key_wrap=key_vault.wrap(data_key, password),
        )
    )
    info.recovery_hash = _hasher.hash(_plain_code(code))
    info.recovery_wrap = key_vault.wrap(data_key, _plain_code(code))
    key_vault.refresh(session, data_key)
    session.flush()
    return code


def add_user(
    session: Session,
    actor: Actor,
    name: str,
    role: str,
    password: str,
    data_key: bytes | None = None,
) -> AppUser:
    """A new user; a new 村管理员 also gets the data key wrapped under their password (the
    adding admin's `data_key`, unwrapped at their login)."""
    check(actor, "users")
    errors: dict[str, str] = {}
    clean_name = _name(session, name, errors)
    if role not in ROLES:
        errors["role"] = "请选择角色：" + "、".join(ROLES.values())
    _password(password, errors)
    if errors:
        raise ValidationError(errors)
    user = AppUser(name=clean_name, role=role, pw_hash=_hasher.hash(password))
    if role == "admin" and data_key is not None:
        user.key_wrap = key_vault.wrap(data_key, password)
    session.add(user)
    record_audit(session, actor, "新增用户", "app_user", user.id, f"{clean_name}（{ROLES[role]}）")
    session.flush()
    return user


def set_password(
    session: Session, actor: Actor, name: str, password: str, data_key: bytes | None = None
) -> None:
    """A user changes their own password, or an admin sets anyone's (a clerk who forgot). An
    admin's wrap of the data key is redone with `data_key` (else dropped: the recovery code
    still opens it)."""
    if actor.operator != name:
        check(actor, "users")
    user = _user(session, name)
    errors: dict[str, str] = {}
    _password(password, errors)
    if errors:
        raise ValidationError(errors)
    user.pw_hash = _hasher.hash(password)
    user.failed, user.locked_until = 0, None
    if user.role == "admin":
        user.key_wrap = key_vault.wrap(data_key, password) if data_key else ""
    record_audit(session, actor, "修改密码", "app_user", user.id, name)


def set_active(session: Session, actor: Actor, name: str, active: bool) -> None:
    check(actor, "users")
    user = _user(session, name)
    if not active and user.role == "admin" and _active_admins(session) <= 1:
        raise HuzhuError("至少要留一个在用的村管理员。")
    user.active = active
    record_audit(session, actor, "启用用户" if active else "停用用户", "app_user", user.id, name)


def _active_admins(session: Session) -> int:
    return int(
        session.execute(
            select(func.count())
            .select_from(AppUser)
            .where(col(AppUser.role) == "admin", col(AppUser.active) == True)  # noqa: E712
        ).scalar_one()
    )


def _find(session: Session, name: str) -> AppUser | None:
    return session.execute(select(AppUser).where(col(AppUser.name) == name)).scalar()


def _user(session: Session, name: str) -> AppUser:
    user = _find(session, name)
    if user is None:
        raise LoginError(f"没有叫“{name}”的用户。")
    return user


def attempt(
    session: Session, name: str, password: str, now: datetime | None = None
) -> Login | LoginError:
    """Check a name and password; the refusal is *returned*, so the caller commits the count
    of wrong passwords before raising it. From the 6th wrong password in a row the account
    waits 30 s, then 1 min, 2 min … (at most an hour) before the next try."""
    now = (now or clock.now()).astimezone(timezone.utc)  # stored timestamps are UTC
    user = _find(session, name)
    if user is None or not user.active:
        return LoginError("用户名或密码不对。" if user is None else f"用户“{name}”已停用。")
    if user.locked_until is not None and _aware(user.locked_until) > now:
        wait = int((_aware(user.locked_until) - now).total_seconds()) + 1
        return LoginError(f"密码连续输错多次，账号暂时锁定，请 {_duration(wait)}后再试。")
    try:
        _hasher.verify(user.pw_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        user.failed += 1
        if user.failed >= FREE_TRIES:
            delay = min(FIRST_LOCK * 2 ** (user.failed - FREE_TRIES), LONGEST_LOCK)
            user.locked_until = now + delay
            locked = _duration(int(delay.total_seconds()))
            return LoginError(f"密码已连续输错 {user.failed} 次，账号锁定 {locked}。")
        left = FREE_TRIES - user.failed
        return LoginError(f"用户名或密码不对（再错 {left} 次账号将暂时锁定）。")
    user.failed, user.locked_until, user.last_login_at = 0, None, now
    if _hasher.check_needs_rehash(user.pw_hash):
        user.pw_hash = _hasher.hash(password)
    return Login(user.name, user.role)


def reset_with_recovery_code(session: Session, code: str, name: str, password: str) -> None:
    """A forgotten admin password: the recovery code printed at setup sets a new one."""
    info = session.get(WorkspaceInfo, 1)
    if info is None or not info.recovery_hash:
        raise LoginError("这个工作区没有恢复码。")
    try:
        _hasher.verify(info.recovery_hash, _plain_code(code))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        raise LoginError("恢复码不对。") from None
    data_key = key_vault.unwrap(info.recovery_wrap, _plain_code(code))
    user = _user(session, name)
    if user.role != "admin":
        raise LoginError("恢复码只能用来重设村管理员的密码。")
    errors: dict[str, str] = {}
    _password(password, errors)
    if errors:
        raise ValidationError(errors)
    user.pw_hash = _hasher.hash(password)
    user.failed, user.locked_until, user.active = 0, None, True
    if data_key is not None:
        user.key_wrap = key_vault.wrap(data_key, password)


def new_recovery_code() -> str:
    """24 characters in 6 groups, from letters and digits that are not mistaken for each other."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(24))
    return "-".join(raw[i : i + 4] for i in range(0, 24, 4))


def _plain_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=timezone.utc)


def _duration(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} 秒"
    minutes = (seconds + 59) // 60
    return f"{minutes} 分钟"


def log_in(ws: Workspace, name: str, password: str) -> Login:
    """Log `ws` in as `name`: who does what is then recorded as this user, with this role. The
    count of wrong passwords is committed even when the login fails (a read-only second window
    checks without counting)."""
    data_key = None
    if ws.read_only:
        with ws.reading() as s:
            outcome = attempt(s, name, password)
    else:
        with ws.transaction() as s:
            outcome = attempt(s, name, password)
            if isinstance(outcome, Login) and outcome.role == "admin":
                data_key = _admin_data_key(s, name, password)
    if isinstance(outcome, LoginError):
        raise outcome
    ws.operator, ws.role, ws.data_key = outcome.name, outcome.role, data_key
    return outcome


def _admin_data_key(session: Session, name: str, password: str) -> bytes | None:
    """An admin's login opens the data key: sealed keys are put back after a restore, and keys
    made since are sealed."""
    user = _user(session, name)
    data_key = key_vault.unwrap(user.key_wrap, password)
    if data_key is not None:
        key_vault.refresh(session, data_key)
    return data_key


def log_out(ws: Workspace) -> None:
    ws.role, ws.data_key = None, None
    ws.reload_info()
