"""The bundle file: a zip holding `manifest.json`, `manifest.sig` and `payload.bin` (DESIGN §5).

The manifest is plain and signed (Ed25519); the payload is compressed JSON lines encrypted with
AES-256-GCM under a random key wrapped for the receiver's X25519 key. Reading trusts nothing in
the file: only the three names are accepted (no path from the archive is ever used), every part
is read with a byte cap (the payload's is the file's own size, so an inflating entry stops
there), the file must be the canonical rebuild of its parts, and the payload is used only when
its size and hash are the ones the signed manifest declares.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from huzhu_desktop import __version__
from huzhu_desktop.core.app_versions import install, newer_app
from huzhu_desktop.core.errors import HuzhuError

FORMAT = "huzhu-bundle"
VERSION = 1  # a data bundle (a unit's snapshot)
RECEIPT_VERSION = 2  # a 回执 (kind "receipt"): an app before 0.3.0 refuses it as newer
SUFFIX = ".huzhu"
NAMES = ("manifest.json", "manifest.sig", "payload.bin")
MAX_FILE = 2 * 1024**3  # a bundle file larger than this is refused unread
MAX_MANIFEST = 1024**2
MAX_ROWS_BYTES = 4 * 1024**3  # decompressed payload, on top of the manifest's signed size
WRAP_INFO = b"huzhu-bundle v1 key wrap"
# What zipfile raises on hostile bytes (found by flipping single bytes of real bundles): bad
# headers, encrypted-member flags, unknown versions, short reads, bad CRCs, undecodable names.
ZIP_FAILURES = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    EOFError,
    RuntimeError,
    NotImplementedError,
    ValueError,
    OverflowError,
    struct.error,
    KeyError,
    IndexError,
)


class BundleRefused(HuzhuError):
    """A bundle that is not applied: damaged, forged, not for us, or out of order."""


def newer(name: str, app_version: Any, detail: str, who: str = "") -> BundleRefused:
    made_by = newer_app(app_version)
    then = f"{install(made_by)}后再导入" if made_by else "请把本软件升级到最新版本后再导入"
    return BundleRefused(
        f"数据包“{name}”{who}由更新版本的互助养老桌面版{f' {made_by} ' if made_by else ''}导出"
        f"（{detail}），本软件是 {__version__}，读不了。{then}。没有导入任何数据。",
        f"newer bundle: {detail}",
    )


def damaged(name: str, why: str = "") -> BundleRefused:
    return BundleRefused(
        f"数据包“{name}”已损坏或被改动过，不能使用。请让对方重新导出一份。",
        why or "damaged",
    )


@dataclass
class RawBundle:
    """The parts of a bundle as read: manifest and signature; the payload (still encrypted) only
    when it is asked for (`read_payload`), so looking at a bundle costs its manifest, not its
    size."""

    name: str
    manifest_bytes: bytes
    manifest: dict[str, Any]
    signature: bytes
    file_sha256: str
    payload: bytes | None = None  # in memory (an embedded village bundle) or read on demand
    path: Path | None = None  # the file the payload is read from


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical(manifest: dict[str, Any]) -> bytes:
    return json.dumps(manifest, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def seal(plain: bytes, recipient_box_public: str, bundle_id: str) -> tuple[bytes, dict[str, str]]:
    """Encrypt a payload for one receiver; returns the ciphertext and the manifest's parameters."""
    key = AESGCM.generate_key(bit_length=256)
    nonce = os.urandom(12)
    cipher = AESGCM(key).encrypt(nonce, plain, bundle_id.encode())
    ephemeral = X25519PrivateKey.generate()
    peer = X25519PublicKey.from_public_bytes(bytes.fromhex(recipient_box_public))
    kek = _kek(ephemeral.exchange(peer), bundle_id)
    wrap_nonce = os.urandom(12)
    wrapped = AESGCM(kek).encrypt(wrap_nonce, key, bundle_id.encode())
    return cipher, {
        "cipher": "AES-256-GCM",
        "wrap": "X25519-HKDF-SHA256/AES-256-GCM",
        "ephemeral_public": ephemeral.public_key().public_bytes_raw().hex(),
        "wrapped_key": wrapped.hex(),
        "wrap_nonce": wrap_nonce.hex(),
        "nonce": nonce.hex(),
    }


def unseal(
    cipher: bytes, params: dict[str, Any], own_box: X25519PrivateKey, bundle_id: str
) -> bytes:
    try:
        ephemeral = X25519PublicKey.from_public_bytes(bytes.fromhex(params["ephemeral_public"]))
        kek = _kek(own_box.exchange(ephemeral), bundle_id)
        key = AESGCM(kek).decrypt(
            bytes.fromhex(params["wrap_nonce"]),
            bytes.fromhex(params["wrapped_key"]),
            bundle_id.encode(),
        )
        return AESGCM(key).decrypt(bytes.fromhex(params["nonce"]), cipher, bundle_id.encode())
    except (InvalidTag, ValueError, KeyError, TypeError) as e:
        raise BundleRefused(
            "数据包无法解密：它不是用本单位的密钥加密的，或者文件已被改动。",
            f"unseal: {e!r}",
        ) from e


def _kek(shared: bytes, bundle_id: str) -> bytes:
    return HKDF(hashes.SHA256(), 32, salt=None, info=WRAP_INFO + bundle_id.encode()).derive(shared)


def compress(lines: bytes) -> bytes:
    return zlib.compress(lines, 6)


def decompress(data: bytes, declared: int, name: str) -> bytes:
    """Inflate at most the signed declared size (a zip bomb stops at the cap, not at the end)."""
    cap = min(declared, MAX_ROWS_BYTES)
    d = zlib.decompressobj()
    try:
        out = d.decompress(data, cap + 1)
    except zlib.error as e:
        raise damaged(name, f"inflate: {e}") from e
    if len(out) > cap or d.unconsumed_tail or not d.eof:
        raise damaged(name, f"inflated size differs from the declared {declared}")
    return out


def build(manifest_bytes: bytes, signature: bytes, payload: bytes) -> bytes:
    """The bundle file's exact bytes: stored (not deflated), fixed names, order and times — so a
    reader can rebuild them from the parts and refuse a file that differs in any byte."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, data in zip(NAMES, (manifest_bytes, signature, payload), strict=True):
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 0
            info.external_attr = 0
            zf.writestr(info, data)
    return buf.getvalue()


def read_head(path: Path) -> RawBundle:
    """Open a bundle and read its manifest and signature (not yet verified) in bounded memory:
    a FIFO or device is refused unread, the file is hashed in chunks, the payload stays on disk.
    """
    name = path.name
    try:
        st = path.stat()
    except OSError as e:
        raise HuzhuError(f"读不到文件“{name}”。", repr(e)) from e
    if not stat.S_ISREG(st.st_mode):
        raise BundleRefused(f"“{name}”不是一个普通文件（是文件夹、管道或设备），不是数据包。")
    if st.st_size > MAX_FILE:
        raise BundleRefused(f"“{name}”太大（{st.st_size // 1024**2} MB），不是互助养老数据包。")
    try:
        with open(path, "rb") as fh:
            zf = zipfile.ZipFile(fh)
            names = [i.filename for i in zf.infolist()]
            if sorted(names) != sorted(NAMES):
                listed = "、".join(names[:5]) or "空"
                raise BundleRefused(f"“{name}”不是互助养老数据包：其中的文件不对（{listed}）。")
            manifest_bytes = _read(zf, "manifest.json", MAX_MANIFEST, name)
            signature = _read(zf, "manifest.sig", 64, name)
            fh.seek(0)
            digest = hashlib.sha256()
            for chunk in iter(lambda: fh.read(1024**2), b""):
                digest.update(chunk)
    except BundleRefused:
        raise
    except ZIP_FAILURES as e:
        raise BundleRefused(f"“{name}”不是互助养老数据包（文件不完整或格式不对）。", repr(e)) from e
    try:
        manifest = json.loads(manifest_bytes.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as e:
        raise damaged(name, f"manifest: {e}") from e
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BundleRefused(f"“{name}”不是互助养老数据包。")
    if not is_known_version(manifest):
        shown = str(manifest.get("version"))[:8]
        raise newer(name, manifest.get("app_version"), f"格式第 {shown} 版")
    return RawBundle(name, manifest_bytes, manifest, signature, digest.hexdigest(), path=path)


def is_known_version(m: dict[str, Any]) -> bool:
    """Format 1 for data bundles, 2 for 回执: each kind its own format number."""
    version = m.get("version")
    if m.get("kind", "data") == "receipt":
        return version == RECEIPT_VERSION
    return version == VERSION and m.get("kind", "data") == "data"


def read_payload(raw: RawBundle) -> bytes:
    """The encrypted payload, once its size and hash are the ones the (signature-checked and
    validated) manifest declares; a file's bytes must also be exactly the canonical container
    rebuilt from its parts. Memory: the declared size; nothing is read beyond it."""
    declared = raw.manifest["payload"]
    size = declared["size_encrypted"]
    payload = raw.payload
    if payload is None:
        if raw.path is None:
            raise damaged(raw.name, "no payload")
        payload = _read_file_payload(raw, size)
    if len(payload) != size or sha256(payload) != declared["sha256_encrypted"]:
        raise damaged(raw.name, "payload size or hash differs from the manifest")
    return payload


def _read_file_payload(raw: RawBundle, size: int) -> bytes:
    assert raw.path is not None
    try:
        with open(raw.path, "rb") as fh:
            zf = zipfile.ZipFile(fh)
            payload = _read(zf, "payload.bin", size, raw.name)
            fh.seek(0)
            expected = build(raw.manifest_bytes, raw.signature, payload)
            if fh.read(len(expected) + 1) != expected:
                raise damaged(raw.name, "file bytes differ from the canonical container")
    except ZIP_FAILURES as e:
        raise damaged(raw.name, f"payload: {e!r}") from e
    return payload


def _read(zf: zipfile.ZipFile, member: str, cap: int, name: str) -> bytes:
    try:
        with zf.open(member) as fh:
            data = fh.read(cap + 1)
    except ZIP_FAILURES as e:
        raise damaged(name, f"{member}: {e!r}") from e
    if len(data) > cap:
        raise damaged(name, f"{member} larger than {cap}")
    return data


def verify_signature(raw: RawBundle, sign_public: str) -> bool:
    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(sign_public))
        key.verify(raw.signature, raw.manifest_bytes)
    except (InvalidSignature, ValueError):
        return False
    return True
