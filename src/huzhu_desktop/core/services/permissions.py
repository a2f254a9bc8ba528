"""Who may do what: roles, the actions each allows, and the one check every service entry
point makes (`@requires`).

A login-free workspace (no users yet — the demo) has actors without a role: everything is
allowed there, as before. Once a workspace has users, every actor carries the logged-in user's
role, and an entry point its role does not allow refuses before it touches anything.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from huzhu_desktop.core.actor import Actor
from huzhu_desktop.core.errors import HuzhuError

ROLES = {  # stored value → what the screens call it
    "clerk": "录入员",
    "admin": "村管理员",
    "reviewer": "镇审核员",
    "auditor": "只读/审计",
}
ACTIONS = {  # action → (what it is, roles allowed)
    "records": ("录入和修改台账、结对、走访、点单、活动、资金、积分", {"clerk", "admin"}),
    "import": ("从 Excel 或聊天记录导入", {"clerk", "admin"}),
    "settings": ("修改设置、积分规则、积分超市商品、互助养老点", {"admin"}),
    "users": ("管理用户", {"admin"}),
    "sync_out": ("导出数据包", {"clerk", "admin", "reviewer"}),
    "sync_in": ("导入数据包、核对密钥", {"admin", "reviewer"}),
    "review": ("审核下级报送的数据（审核通过、退回）", {"admin", "reviewer"}),
    "reveal": ("查看完整身份证号和电话", {"clerk", "admin", "reviewer"}),
    "restore": ("从备份恢复", {"admin"}),
}
ANONYMOUS = "anonymous"  # a workspace with users, nobody logged in: reading only


class PermissionDenied(HuzhuError):
    """The logged-in user's role does not allow this; nothing was changed."""


def allowed(role: str | None, action: str) -> bool:
    if role is None:
        return True  # login-free workspace
    return role in ACTIONS[action][1]


def check(actor: Actor, action: str) -> None:
    if not allowed(actor.role, action):
        who = ROLES.get(actor.role or "", "未登录")
        raise PermissionDenied(
            f"{actor.operator}（{who}）没有“{ACTIONS[action][0]}”的权限，没有做任何改动。"
            "请让村管理员处理，或换有权限的用户登录。"
        )


F = TypeVar("F", bound=Callable[..., Any])
GUARDED: dict[str, str] = {}  # "module.function" → action (for the matrix test)


def requires(action: str) -> Callable[[F], F]:
    """Check the `actor` argument's role before the entry point runs."""
    if action not in ACTIONS:
        raise ValueError(action)

    def wrap(fn: F) -> F:
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            actor = kwargs.get("actor")
            if actor is None:
                actor = signature.bind_partial(*args, **kwargs).arguments.get("actor")
            if not isinstance(actor, Actor):
                raise TypeError(f"{fn.__qualname__} needs an actor")
            check(actor, action)
            return fn(*args, **kwargs)

        GUARDED[f"{fn.__module__}.{fn.__qualname__}"] = action
        guarded.action = action  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return wrap
