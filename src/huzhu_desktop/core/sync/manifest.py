"""Every field of a bundle manifest checked by type, range and length before anything uses it.

A manifest may be validly signed and still malformed — a buggy or compromised sender signs what
it likes — so the signature proves nothing about shape. Numbers are true integers (not bools,
floats or strings) within [0, 2^53); names are at most 100 characters with no control or
bidirectional-override characters (which could make a name read differently on screen); the
nested parts have the shapes the importer reads. Any failure is the one clear refusal
`container.damaged`, never a traceback.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from huzhu_desktop.core.sync.container import MAX_FILE, MAX_ROWS_BYTES, damaged
from huzhu_desktop.core.validate import plain_text

MAX_INT = 2**53 - 1
MAX_NAME = 100
MAX_LIST = 10_000  # villages of a town, corrected quarters, acks
HEX = re.compile(r"[0-9a-f]+")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
CODE = re.compile(r"\d{6,12}")
STAMP = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})?")
PERIOD = re.compile(r"\d{4}Q[1-4]")
KINDS = ("village", "town", "district")


class Malformed(ValueError):
    pass


def integer(value: Any, low: int = 0, high: int = MAX_INT) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Malformed(f"integer out of range: {str(value)[:40]!r}")
    return value


def text(value: Any, limit: int = MAX_NAME, *, empty: bool = True) -> str:
    """Plain display text: bounded, no control, format (bidi) or private-use characters."""
    if not plain_text(value, limit) or (not empty and not value):
        raise Malformed(f"text: {str(value)[:40]!r}")
    return str(value)


def pattern(regex: re.Pattern[str], limit: int = 200) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str) or len(value) > limit or not regex.fullmatch(value):
            raise Malformed(f"format: {str(value)[:40]!r}")
        return value

    return check


def hexa(length: int | None = None) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        ok = isinstance(value, str) and bool(HEX.fullmatch(value))
        if not ok or (length is not None and len(value) != length) or len(value) > 512:
            raise Malformed(f"hex: {str(value)[:40]!r}")
        return value

    return check


def mapping(
    value: Any,
    fields: dict[str, Callable[[Any], Any]],
    *,
    extra: bool = True,
    optional: dict[str, Callable[[Any], Any]] | None = None,
) -> None:
    """A dict with these fields, each checked, and the `optional` ones checked when present;
    other keys only if `extra`."""
    if not isinstance(value, dict):
        raise Malformed(f"not an object: {type(value).__name__}")
    for key, check in fields.items():
        if key not in value:
            raise Malformed(f"missing {key}")
        check(value[key])
    for key, check in (optional or {}).items():
        if key in value:
            check(value[key])
    if not extra and set(value) - set(fields):
        raise Malformed(f"unexpected {sorted(set(value) - set(fields))[:3]}")


def number(value: Any) -> float:
    """A figure: an integer, or a finite decimal (points such as 131.5), within ±2^53."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Malformed(f"not a number: {str(value)[:40]!r}")
    if not math.isfinite(value) or abs(value) > MAX_INT:
        raise Malformed(f"number out of range: {str(value)[:40]!r}")
    return float(value)


def counts(value: Any) -> None:
    """{table: rows} — integers."""
    if not isinstance(value, dict) or len(value) > 200:
        raise Malformed("counts")
    for key, n in value.items():
        text(key, 60)
        integer(n)


def figures(value: Any) -> None:
    """{figure: number} — the totals a unit reports."""
    if not isinstance(value, dict) or len(value) > 200:
        raise Malformed("totals")
    for key, n in value.items():
        text(key, 60)
        number(n)


def listing(value: Any, item: Callable[[Any], Any]) -> None:
    if not isinstance(value, list) or len(value) > MAX_LIST:
        raise Malformed("list")
    for x in value:
        item(x)


def optional(check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda v: None if v is None else check(v)


def one_of(*choices: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in choices:
            raise Malformed(f"not one of {choices}: {str(value)[:20]!r}")
        return str(value)

    return check


# Fields any part of a manifest may carry, checked wherever they appear: the computer it was
# made on (newer senders write it in `source`).
ANYWHERE: dict[str, Callable[[Any], Any]] = {"pc": lambda v: text(v, 50)}


def _unit(fields: dict[str, Callable[[Any], Any]]) -> Callable[[Any], None]:
    return lambda v: mapping(v, fields, optional=ANYWHERE)


SOURCE = {
    "workspace_id": pattern(UUID),
    "kind": one_of(*KINDS),
    "org_code": pattern(CODE),
    "org_name": lambda v: text(v, empty=False),
    "parent_code": optional(pattern(CODE)),
    "sign_public": hexa(64),
    "box_public": hexa(64),
    "fingerprint": lambda v: text(v, 64, empty=False),
}
TARGET = {
    "workspace_id": pattern(UUID),
    "kind": one_of(*KINDS),
    "org_code": pattern(CODE),
    "org_name": lambda v: text(v, empty=False),
    "fingerprint": lambda v: text(v, 64, empty=False),
}
PAYLOAD = {
    "cipher": one_of("AES-256-GCM"),
    "wrap": one_of("X25519-HKDF-SHA256/AES-256-GCM"),
    "ephemeral_public": hexa(64),
    "wrapped_key": hexa(96),  # a 32-byte key and its 16-byte tag
    "wrap_nonce": hexa(24),
    "nonce": hexa(24),
    "compression": one_of("zlib"),
    "size_rows": lambda v: integer(v, 0, MAX_ROWS_BYTES),
    "sha256_plain": hexa(64),
    "size_plain": lambda v: integer(v, 0, MAX_FILE),
    "sha256_encrypted": hexa(64),
    "size_encrypted": lambda v: integer(v, 0, MAX_FILE),
}
VILLAGE = {
    "org_code": pattern(CODE),
    "org_name": lambda v: text(v, empty=False),
    "bundle_id": pattern(UUID),
    "seq": lambda v: integer(v, 1),
    "period": pattern(PERIOD),
    "made_at": pattern(STAMP),
}
CORRECTION = {
    "period": pattern(PERIOD),
    "previous_bundle_id": pattern(UUID),
    "changed": lambda v: listing(v, lambda k: text(k, 60)),  # the figures that changed
}


STATUSES = ("未报", "已接收", "已审核", "退回")
QUARTER = {"quarter": pattern(PERIOD), "status": one_of(*STATUSES)}


def _ack(value: Any) -> None:
    mapping(value, {"seq": lambda v: integer(v, 1), "made_at": pattern(STAMP)})


def _acks(value: Any) -> None:
    if not isinstance(value, dict) or len(value) > MAX_LIST:
        raise Malformed("acks")
    for key, ack in value.items():
        pattern(UUID)(key)
        _ack(ack)


MANIFEST: dict[str, Callable[[Any], Any]] = {
    "bundle_id": pattern(UUID),
    "made_at": pattern(STAMP),
    "period": pattern(PERIOD),
    "seq": lambda v: integer(v, 1),
    "source": _unit(SOURCE),
    "target": _unit(TARGET),
    "counts": counts,
    "totals": figures,
    "payload": _unit(PAYLOAD),
}
OPTIONAL: dict[str, Callable[[Any], Any]] = {  # checked when present (older versions omit some)
    "app_version": lambda v: text(v, 40),
    "schema": lambda v: text(v, 20),
    "made_by": lambda v: text(v),
    "prev_sha256": lambda v: v == "" or hexa(64)(v),
    "signer_fingerprint": lambda v: text(v, 64, empty=False),
    "corrects": lambda v: listing(v, _unit(CORRECTION)),
    "villages": lambda v: listing(v, _unit(VILLAGE)),
    "acks": _acks,
    "kind": one_of("data", "receipt"),
    "quarters": lambda v: listing(v, _unit(QUARTER)),  # a 回执's statuses, shown before opening
}


def validate(m: dict[str, Any], name: str) -> None:
    """Refuse (`damaged`) a manifest any field of which has the wrong type, range or length."""
    try:
        mapping(m, MANIFEST)
        for key, check in OPTIONAL.items():
            if key in m and m[key] is not None:
                check(m[key])
    except (Malformed, RecursionError) as e:
        raise damaged(name, f"manifest: {e}") from e
