"""Encryption at rest, measured: SQLCipher (whole file) against field-level AES-GCM (身份证号,
health notes) on a real workspace, timed in the same run against plain SQLite.

    python benchmarks/encryption_at_rest.py WORKSPACE_DB

SQLCipher needs the `sqlcipher3` module (pip install sqlcipher3-binary, or sqlcipher3-wheels
on Windows); without it that half prints "skipped". Prints JSON: each figure with its ratio to
plain SQLite. Not part of benchmarks/run.py: the decision it informs is in
docs/encryption-at-rest.md.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# What the app does most: the register list, a quarter's visit counts, a page of visits, and
# the write of a batch of visits.
READS = {
    "list_elders": "SELECT p.id, p.name, p.id_number, p.phone, e.elder_types, e.health "
    "FROM person p JOIN elder_profile e ON e.person_id = p.id "
    "WHERE p.deleted_at IS NULL ORDER BY p.group_name, p.name_pinyin",
    "visits_quarter": "SELECT m.person_id, count(*) FROM visit v JOIN visit_member m "
    "ON m.visit_id = v.id WHERE v.visit_date BETWEEN '2026-07-01' AND '2026-09-30' "
    "GROUP BY m.person_id",
    "count_all": "SELECT (SELECT count(*) FROM person), (SELECT count(*) FROM visit), "
    "(SELECT count(*) FROM point_entry)",
}


RAW_KEY = "2DD29CA851E7B56E4697B0E1F08507293D761A05CE4D1B628663F411A8086D99"


def _best(fn: Callable[[], Any], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def _reads(conn: Any) -> dict[str, float]:
    return {
        name: _best(lambda sql=sql: conn.execute(sql).fetchall()) for name, sql in READS.items()
    }


def _writes(conn: Any) -> float:
    def batch() -> None:
        conn.execute("CREATE TABLE IF NOT EXISTS bench_w (id INTEGER PRIMARY KEY, a TEXT, b TEXT)")
        conn.executemany(
            "INSERT INTO bench_w (a, b) VALUES (?, ?)",
            [(f"a{i}", "x" * 60) for i in range(10_000)],
        )
        conn.commit()
        conn.execute("DELETE FROM bench_w")
        conn.commit()

    return _best(batch, 3)


def _open_time(opener: Callable[[], Any]) -> float:
    def once() -> None:
        c = opener()
        c.execute("SELECT count(*) FROM sqlite_master").fetchone()
        c.close()

    return _best(once, 5)


def plain(db: Path) -> dict[str, float]:
    conn = sqlite3.connect(db)
    out = {**_reads(conn), "write_10k": _writes(conn)}
    conn.close()
    out["open"] = _open_time(lambda: sqlite3.connect(db))
    return out


def sqlcipher(db: Path, work: Path) -> dict[str, float] | None:
    try:
        import sqlcipher3  # type: ignore[import-not-found]
    except ImportError:
        return None

    def encrypted_copy(name: str, key: str) -> Path:
        target = work / name
        src = sqlcipher3.connect(str(db))
        src.execute(f"ATTACH DATABASE '{target}' AS enc KEY {key}")
        src.execute("SELECT sqlcipher_export('enc')")
        src.execute("DETACH DATABASE enc")
        src.close()
        return target

    enc = encrypted_copy("enc.db", "'bench-key-0123456789'")

    def opener() -> Any:
        c = sqlcipher3.connect(str(enc))
        c.execute("PRAGMA key = 'bench-key-0123456789'")
        return c

    def raw_key_opener() -> Any:  # a 256-bit key derived once at login: no PBKDF2 per open
        c = sqlcipher3.connect(str(raw))
        c.execute(f"PRAGMA key = \"x'{RAW_KEY}'\"")
        return c

    raw = encrypted_copy("raw.db", f"\"x'{RAW_KEY}'\"")
    conn = opener()
    out = {**_reads(conn), "write_10k": _writes(conn)}
    conn.close()
    out["open"] = _open_time(opener)
    out["open_raw_key"] = _open_time(raw_key_opener)
    return out


def field_level(db: Path) -> dict[str, float]:
    """AES-256-GCM of each 身份证号: encrypt all (as an import would), decrypt all (as a list or
    the 附件2 export would)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    conn = sqlite3.connect(db)
    ids = [r[0] for r in conn.execute("SELECT id_number FROM person WHERE id_number IS NOT NULL")]
    conn.close()
    key = AESGCM(AESGCM.generate_key(bit_length=256))
    sealed: list[bytes] = []

    def encrypt() -> None:
        sealed.clear()
        for number in ids:
            nonce = os.urandom(12)
            sealed.append(nonce + key.encrypt(nonce, number.encode(), None))

    def decrypt() -> None:
        for blob in sealed:
            key.decrypt(blob[:12], blob[12:], None)

    return {"ids": len(ids), "encrypt_all": _best(encrypt, 3), "decrypt_all": _best(decrypt, 3)}


def main() -> int:
    source = Path(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db = work / "plain.db"
        shutil.copyfile(source, db)
        base = plain(db)
        cipher = sqlcipher(db, work)
        fields = field_level(db)
    report: dict[str, Any] = {"plain": base, "field_level_aes_gcm": fields}
    if cipher is None:
        report["sqlcipher"] = "skipped: no sqlcipher3 module"
    else:
        report["sqlcipher"] = {
            k: {"value": round(v, 4), "ratio": round(v / base[k.replace("_raw_key", "")], 2)}
            for k, v in cipher.items()
        }
        report["sqlcipher_median_ratio"] = statistics.median(
            v / base[k] for k, v in cipher.items() if base.get(k)
        )
    print(json.dumps(report, indent=1, ensure_ascii=False, default=lambda x: round(x, 4)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
