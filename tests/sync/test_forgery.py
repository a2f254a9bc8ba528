"""Sync that cannot be talked into a forgery: the signature is checked first, every manifest
field by type, range and length (even when validly signed — a buggy or compromised sender), a
new workspace claiming a unit already trusted with another key is a changed key, and files are
read in bounded memory. Each attack is generated here; the town's database must be unchanged."""

from __future__ import annotations

import json
import os
import sys
import threading
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from huzhu_desktop.core.services import keys
from huzhu_desktop.core.services.setup import SetupForm, initialize
from huzhu_desktop.core.sync import container
from huzhu_desktop.core.sync.container import BundleRefused
from huzhu_desktop.core.sync.importer import inspect_bundle
from huzhu_desktop.core.workspace import Workspace
from tests.sync.helpers import bring, chain, db_hash, export, hand_card


@pytest.fixture
def c(tmp_path: Path):  # type: ignore[no-untyped-def]
    ch = chain(tmp_path)
    yield ch
    ch.close()


def _resigned(
    bundle: Path, out: Path, change: Callable[[dict[str, Any]], None], ws: Workspace
) -> Path:
    """The bundle with its manifest changed and signed again with the sender's own key: what a
    buggy or compromised sender would produce (the signature is valid)."""
    raw = container.read_head(bundle)
    m = json.loads(raw.manifest_bytes)
    change(m)
    manifest_bytes = json.dumps(
        m, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode()
    with ws.reading() as s:
        own = keys.ensure_keys(s)
    signature = keys.signing_key(own).sign(manifest_bytes)
    payload = container.read_payload(raw)
    out.write_bytes(container.build(manifest_bytes, signature, payload))
    return out


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(m: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node = m
        for p in parents:
            node = node[p]
        node[last] = value

    return change


def _drop(path: str) -> Callable[[dict[str, Any]], None]:
    def change(m: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node = m
        for p in parents:
            node = node[p]
        del node[last]

    return change


MALFORMED = {
    "acks a list": _set("acks", [1, 2]),
    "acks of numbers": _set("acks", {"x": 1}),
    "payload empty": _set("payload", {}),
    "size_rows text": _set("payload.size_rows", "x"),
    "size_rows huge": _set("payload.size_rows", 1e30),
    "size_encrypted negative": _set("payload.size_encrypted", -1),
    "seq huge": _set("seq", 10**30),
    "seq fraction": _set("seq", 2.5),
    "seq bool": _set("seq", True),
    "seq zero": _set("seq", 0),
    "seq text": _set("seq", "7"),
    "org name 200k": _set("source.org_name", "村" * 200_000),
    "made_by control": _set("made_by", "王\x07文书"),
    "made_by bidi": _set("made_by", "王\u202e书文"),
    "org name zero-width": _set("source.org_name", "演示\u200b村"),
    "pc name bidi": _set("source.pc", "村委会\u202e电脑"),
    "villages text": _set("villages", "x"),
    "villages of numbers": _set("villages", [1]),
    "counts negative": _set("counts", {"person": -1}),
    "totals text": _set("totals", {"elders": "many"}),
    "totals infinite": _set("totals", {"elders": float("inf")}),
    "period Q9": _set("period", "2026Q9"),
    "bundle id": _set("bundle_id", "../../etc/passwd"),
    "made_at": _set("made_at", "yesterday"),
    "target missing": _drop("target"),
    "target kind": _set("target.kind", "county"),
    "corrects text": _set("corrects", "x"),
    "corrects changed numbers": _set(
        "corrects", [{"period": "2026Q3", "previous_bundle_id": "x", "changed": [1]}]
    ),
    "nested deep": _set("villages", json.loads("[" * 50 + "]" * 50)),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_validly_signed_malformed_manifest_is_refused_cleanly(c, case: str) -> None:
    bundle = export(c.village, c.usb)
    forged = _resigned(bundle, c.usb / "forged.huzhu", MALFORMED[case], c.village)
    before = db_hash(c.town)
    for look in (
        lambda: inspect_bundle_in(c.town, forged),
        lambda: bring(c.town, forged, trust_new_key=True, accept_changed_key=True),
    ):
        with pytest.raises(BundleRefused, match="已损坏或被改动过"):
            look()
    assert db_hash(c.town) == before


def inspect_bundle_in(ws: Workspace, path: Path) -> object:
    with ws.reading() as s:
        return inspect_bundle(s, path)


def test_a_bad_signature_is_the_reason_given_before_any_other(c, tmp_path: Path) -> None:
    """A file changed after signing that is also addressed elsewhere: the clerk is told of the
    forgery, not sent to check the address."""
    bundle = export(c.village, c.usb)
    raw = container.read_head(bundle)
    m = json.loads(raw.manifest_bytes)
    m["target"]["org_name"] = "别的镇"
    m["target"]["workspace_id"] = "00000000-0000-0000-0000-000000000000"
    changed = json.dumps(m, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    forged = tmp_path / "forged.huzhu"
    forged.write_bytes(container.build(changed, raw.signature, container.read_payload(raw)))
    with pytest.raises(BundleRefused, match="签名不对"):
        bring(c.town, forged)
    with pytest.raises(BundleRefused, match="签名不对"):
        inspect_bundle_in(c.town, forged)


def test_a_forged_second_pc_is_a_changed_key_never_new(c, tmp_path: Path) -> None:
    """A workspace made with the village's org code and its own keys sends a bundle: the town
    already trusts another key for that village, so this is a changed key, the old fingerprint
    shown, and confirming an unknown key (trust_new_key) does not let it in."""
    code = c.village.info.org_code
    forger = Workspace.open(tmp_path / "forger")
    with forger.transaction() as s:
        initialize(SetupForm("village", code, "演示村", "茨竹镇", "渝北区", "王文书"), session=s)
    forger.reload_info()
    hand_card(c.town, forger, tmp_path)  # the town's card is public
    bundle = export(forger, tmp_path / "usb2")
    with c.town.reading() as s:
        seen = inspect_bundle(s, bundle)
        trusted = keys.find_peer(s, c.village.info.workspace_id)
    assert seen.key_status == "claimed" and trusted is not None
    assert seen.known_fingerprint == trusted.fingerprint
    before = db_hash(c.town)
    with pytest.raises(BundleRefused, match=trusted.fingerprint) as refused:
        bring(c.town, bundle, trust_new_key=True)
    if keys.pc_name():  # the town can ask the village which computer that is
        assert f"的电脑“{keys.pc_name()}”" in refused.value.user_message
    assert db_hash(c.town) == before
    forger.close()


def test_a_bundle_goes_only_to_the_parent_or_the_units_own_pc(c, tmp_path: Path) -> None:
    from huzhu_desktop.core.errors import HuzhuError

    neighbour = Workspace.open(tmp_path / "neighbour")
    with neighbour.transaction() as s:
        initialize(
            SetupForm("village", "500112108202", "邻村", "茨竹镇", "渝北区", "王文书"), session=s
        )
    neighbour.reload_info()
    hand_card(neighbour, c.village, tmp_path)
    with pytest.raises(HuzhuError, match="只能交给上级单位"):
        export(c.village, c.usb, to=neighbour.info.org_code)
    assert not list(c.usb.glob("*.huzhu")) if c.usb.exists() else True
    neighbour.close()


@pytest.mark.skipif(sys.platform == "win32", reason="no FIFOs on Windows")
def test_a_fifo_is_refused_without_hanging(c, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.huzhu"
    os.mkfifo(fifo)
    card = tmp_path / "pipe.json"
    os.mkfifo(card)
    done: list[BaseException] = []

    def look() -> None:
        for attempt in (
            lambda: inspect_bundle_in(c.town, fifo),
            lambda: keys.read_card(card),
        ):
            try:
                attempt()
            except Exception as e:
                done.append(e)

    t = threading.Thread(target=look, daemon=True)
    t.start()
    t.join(20)
    assert not t.is_alive(), "reading a FIFO hung"
    assert len(done) == 2 and all("普通文件" in getattr(e, "user_message", "") for e in done)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_an_endless_device_is_refused_as_a_key_card() -> None:
    from huzhu_desktop.core.errors import UnreadableFileError

    with pytest.raises(UnreadableFileError, match="普通文件"):
        keys.read_card(Path("/dev/zero"))


def _big_bundle(path: Path, payload_size: int) -> None:
    """A well-formed container whose payload member is `payload_size` bytes of zeros (written
    in chunks, never held in memory)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("manifest.json", json.dumps({"format": container.FORMAT, "version": 1}))
        zf.writestr("manifest.sig", b"\0" * 64)
        with zf.open("payload.bin", "w", force_zip64=True) as fh:
            chunk = b"\0" * 1024**2
            for _ in range(payload_size // len(chunk)):
                fh.write(chunk)


@pytest.mark.parametrize(
    "size_mb", [200, *([1900] if os.environ.get("HUZHU_FULL_MATRIX") == "1" else [])]
)
def test_a_huge_bundle_is_looked_at_in_bounded_memory(c, tmp_path: Path, size_mb: int) -> None:
    """inspect and import of a huge file: refused, and the memory taken is a small fraction of
    the file (the whole file used to be read first). 1.9 GB runs with HUZHU_FULL_MATRIX=1."""
    big = tmp_path / "big.huzhu"
    _big_bundle(big, size_mb * 1024**2)
    tracemalloc.start()
    try:
        for look in (lambda: inspect_bundle_in(c.town, big), lambda: bring(c.town, big)):
            with pytest.raises(BundleRefused):
                look()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 32 * 1024**2, f"peak {peak / 1024**2:.1f} MB for a {size_mb} MB file"
