"""Private keys that never sit unencrypted in a backup of a workspace with logins.

A random 256-bit data key seals the workspace's private keys (AES-256-GCM); the data key itself
is kept only wrapped — under each 村管理员's password and under the recovery code, each through
an argon2id-derived key. A backup then holds the sealed keys and the wraps, never the keys in
clear (backups of such a workspace leave the plain `own_key` row out). After a restore, the
first 村管理员 login unwraps the data key and puts the keys back; a forgotten admin password
reset with the recovery code rewraps it, so nothing is lost.

A login-free workspace (the demo) has no secret to wrap with: its backups inside the workspace
hold its keys as they are, and say so.
"""

from __future__ import annotations

import json
import os

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlmodel import Session

from huzhu_desktop.core.errors import HuzhuError
from huzhu_desktop.core.models import OwnKey, WorkspaceInfo

WRAP_AD = b"huzhu data key wrap v1"
SEAL_AD = b"huzhu own key seal v1"


def _kek(secret: str, salt: bytes) -> bytes:
    """argon2id (RFC 9106's second recommended profile: 3 passes, 64 MiB) → 32 bytes."""
    return hash_secret_raw(
        secret.encode(), salt, time_cost=3, memory_cost=65536, parallelism=4, hash_len=32,
        type=Type.ID,
    )  # fmt: skip


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def wrap(data_key: bytes, secret: str) -> str:
    salt, nonce = os.urandom(16), os.urandom(12)
    sealed = AESGCM(_kek(secret, salt)).encrypt(nonce, data_key, WRAP_AD)
    return json.dumps({"salt": salt.hex(), "nonce": nonce.hex(), "ct": sealed.hex()})


def unwrap(blob: str, secret: str) -> bytes | None:
    """The data key, or None for a wrong secret or no wrap."""
    if not blob:
        return None
    try:
        w = json.loads(blob)
        return AESGCM(_kek(secret, bytes.fromhex(w["salt"]))).decrypt(
            bytes.fromhex(w["nonce"]), bytes.fromhex(w["ct"]), WRAP_AD
        )
    except (InvalidTag, ValueError, KeyError, TypeError):
        return None


def seal(own: OwnKey, data_key: bytes) -> str:
    nonce = os.urandom(12)
    plain = json.dumps([own.sign_private, own.box_private]).encode()
    sealed = AESGCM(data_key).encrypt(nonce, plain, SEAL_AD + own.sign_public.encode())
    return json.dumps(
        {
            "nonce": nonce.hex(),
            "ct": sealed.hex(),
            "sign_public": own.sign_public,
            "box_public": own.box_public,
            "fingerprint": own.fingerprint,
        }
    )


def refresh(session: Session, data_key: bytes) -> None:
    """With the data key at hand (an admin just logged in): put sealed keys back after a
    restore, or seal keys made or changed since."""
    info = session.get(WorkspaceInfo, 1)
    if info is None:
        return
    own = session.get(OwnKey, 1)
    if own is None and info.key_seal:
        session.add(_opened(info.key_seal, data_key))
        session.flush()
        return
    if own is not None and (
        not info.key_seal or json.loads(info.key_seal)["sign_public"] != own.sign_public
    ):
        info.key_seal = seal(own, data_key)


def _opened(blob: str, data_key: bytes) -> OwnKey:
    s = json.loads(blob)
    try:
        plain = AESGCM(data_key).decrypt(
            bytes.fromhex(s["nonce"]), bytes.fromhex(s["ct"]), SEAL_AD + s["sign_public"].encode()
        )
    except InvalidTag as e:
        raise HuzhuError(
            "本单位的加密密钥打不开（数据已被改动？），请用恢复码重设管理员密码。"
        ) from e
    sign_private, box_private = json.loads(plain)
    return OwnKey(
        sign_private=sign_private,
        box_private=box_private,
        sign_public=s["sign_public"],
        box_public=s["box_public"],
        fingerprint=s["fingerprint"],
    )


def sealed_only(session: Session) -> bool:
    """The keys are in the database only sealed (a backup was restored): a 村管理员 must log in
    once before bundles can be made or opened."""
    info = session.get(WorkspaceInfo, 1)
    return bool(info and info.key_seal) and session.get(OwnKey, 1) is None
