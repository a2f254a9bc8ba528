"""Rows written by the bulk path are stored exactly as the ORM stores them."""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import text

from huzhu_desktop.core.db.bulk import insert_rows
from huzhu_desktop.core.models import Household, Person, sync_columns


def test_bulk_rows_match_orm_rows_byte_for_byte(ws) -> None:
    now = datetime(2026, 11, 23, 8, 30, 15, 123456, tzinfo=timezone.utc)
    base = sync_columns(ws.actor.owner_code, ws.actor.origin, ws.actor.operator, now)
    values = {
        "name": "张德明",
        "name_initials": "zdm",
        "name_pinyin": "zhangdeming",
        "gender": "男",
        "birth_date": date(1948, 3, 5),
        "birth_year": 1948,
        "id_number": None,
        "phone": "13812345678",
        "address": "3组",
        "group_name": "3组",
        "household_id": None,
        "status": "在册",
        "status_date": None,
        "registered_on": date(2026, 11, 2),
        "note": "",
    }
    with ws.transaction() as s:
        s.add(Person(**(base | {"id": "orm"} | values)))
        s.flush()
        insert_rows(s, Person, [base | {"id": "bulk"} | values])
        insert_rows(
            s,
            Household,
            [
                sync_columns("x", "y", "z", now)
                | {"name": "张德明户", "card_no": "", "address": "", "group_name": ""}
            ],
        )
    with ws.reading() as s:
        rows = {r[0]: r[1:] for r in s.execute(text("SELECT * FROM person ORDER BY id"))}
        bulk = s.get(Person, "bulk")
    assert rows["bulk"] == rows["orm"]
    assert bulk is not None and bulk.created_at == now and bulk.birth_date == date(1948, 3, 5)


def test_a_key_table_of_no_keys_is_empty_not_an_error(ws) -> None:
    from huzhu_desktop.core.db.bulk import key_table

    with ws.transaction() as s, key_table(s, "no_keys", iter(()), "id TEXT PRIMARY KEY") as t:
        assert s.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() == 0


def test_fast_ids_are_version_4_uuids_in_canonical_text() -> None:
    """new_id() and new_ids() replace str(uuid.uuid4()) on the bulk paths: same text shape, same
    version and variant bits, and no repeats across the blocks new_ids() draws."""
    import itertools
    import uuid

    from huzhu_desktop.core.models import new_id, new_ids

    drawn = [new_id() for _ in range(300)] + list(itertools.islice(new_ids(), 1000))
    for text_ in drawn:
        u = uuid.UUID(text_)
        assert str(u) == text_ and u.version == 4 and u.variant == uuid.RFC_4122
    assert len(set(drawn)) == len(drawn)


def test_a_bulk_write_raises_the_page_cache_and_gives_it_back(ws) -> None:
    """An import's larger cache is for its write only: afterwards, and after a failed write,
    the connection has its usual cache again (a window reading the file keeps 64 MB)."""
    import pytest

    from huzhu_desktop.core.db.bulk import larger_cache

    def cache(s) -> int:
        return int(s.connection().exec_driver_sql("PRAGMA cache_size").scalar_one())

    with ws.transaction() as s:
        usual = cache(s)
        with larger_cache(s, 256):
            assert cache(s) == -256 * 1024
        assert cache(s) == usual
        with pytest.raises(RuntimeError), larger_cache(s, 256):
            raise RuntimeError("the write failed")
        assert cache(s) == usual
        with larger_cache(s, 1):  # smaller than the usual one: left as it is
            assert cache(s) == usual
