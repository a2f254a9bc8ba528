"""导入多个数据包: the bundles on a USB stick imported in one go — a district's 20 town bundles,
a town's 30 village bundles.

Each bundle is all or nothing on its own: one that is refused (an unknown key, a damaged file)
is reported with its reason and the others still go in. The bundles are written
in groups, each group one transaction: a bundle's rows land on pages all over the random-key
indexes (ids, visit → elder, entry → household), and a commit writes every page it touched to
the WAL and back into the file — at a district each town bundle's commit rewrote nearly the
whole of those indexes. Committing every `COMMIT_ROWS` rows instead of every bundle writes those
pages once per group (district, 20 town bundles: 77–80 s one commit per bundle, 58–65 s in
groups of 5–10; one commit for all 20 spilled the page cache mid-way: 64–72 s). A power cut loses
at most the group being written; importing the same files again finishes it (bundles already
imported are recognised and skipped).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from huzhu_desktop.core.db.bulk import driver_connection, larger_cache
from huzhu_desktop.core.errors import Cancelled, HuzhuError
from huzhu_desktop.core.sync.container import BundleRefused
from huzhu_desktop.core.sync.importer import IMPORT_CACHE_MB, ImportResult, import_bundle

if TYPE_CHECKING:
    from huzhu_desktop.core.workspace import Workspace

COMMIT_ROWS = 800_000  # rows written per transaction (about six district town bundles)
SUFFIX = ".huzhu"


@dataclass
class BatchEntry:
    """One file of the batch: its result, or why it was refused (nothing of it written)."""

    path: Path
    result: ImportResult | None = None
    refused: HuzhuError | None = None

    @property
    def ok(self) -> bool:
        return self.refused is None

    def describe(self) -> str:
        """One line for the clerk: the file and what became of it."""
        if self.refused is not None:
            return f"{self.path.name}：没有导入。{self.refused.user_message}"
        r = self.result
        if r is None:
            return f"{self.path.name}：没有导入（已停止）。"
        if r.already_imported:
            return f"{self.path.name}：以前已经导入过，没有改动。"
        units = "、".join(s.org_name for s in r.sources if s.status == "new")
        verb = "可以导入" if not r.applied else "已导入"
        return f"{self.path.name}：{verb}（{units or '回执'}，新增 {r.totals()['new']} 条）。"


def bundle_files(given: Iterable[Path]) -> list[Path]:
    """The files named, a folder standing for the bundles in it (by name: a unit's bundles
    carry their sequence number, so they sort in the order they were made)."""
    out: list[Path] = []
    for p in given:
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.suffix.lower() == SUFFIX and f.is_file())
            if not found:
                raise BundleRefused(f"文件夹“{p}”里没有数据包（.huzhu 文件）。")
            out.extend(found)
        else:
            out.append(p)
    unique: dict[Path, Path] = {}  # a file named twice (or also through its folder): once
    for p in out:
        unique.setdefault(p.resolve(), p)
    return list(unique.values())


class _WriteAgain(Exception):
    """A bundle was refused after it had written part of itself: the group is rolled back and
    written again without it."""


def import_many(
    ws: Workspace,
    paths: list[Path],
    *,
    dry_run: bool = False,
    trust_new_key: bool = False,
    accept_changed_key: bool = False,
    progress: Callable[[int, int], None] | None = None,
    commit_rows: int = COMMIT_ROWS,
) -> list[BatchEntry]:
    """Import `paths` in their order. `progress(bundles done, bundles)` is called before each
    bundle (it may raise to stop: the group being written is rolled back, earlier groups stay).
    A dry run writes nothing and reports what each bundle would do.

    Each bundle all or nothing without a SAVEPOINT per bundle (with one open, SQLite copied every
    page a bundle touched into its statement journal: 8 town bundles 20.8 s → 58.6 s): a bundle
    refuses before it writes anything, and when one is refused after writing (a row pointing at
    nothing, found as it is inserted) the whole group is rolled back and written again without
    it — the others of the group are then imported anew."""
    entries = [BatchEntry(p) for p in paths]
    position = {id(e): n for n, e in enumerate(entries)}
    queue = list(entries)
    while queue:
        group: list[BatchEntry] = []
        try:
            with ws.transaction() as s, larger_cache(s, IMPORT_CACHE_MB):
                driver = driver_connection(s)
                written = 0
                while queue and (written < commit_rows or dry_run):
                    entry = queue.pop(0)
                    if progress is not None:
                        progress(position[id(entry)], len(entries))
                    changes = driver.total_changes
                    try:
                        entry.result = import_bundle(
                            s,
                            ws.actor,
                            entry.path,
                            dry_run=dry_run,
                            trust_new_key=trust_new_key,
                            accept_changed_key=accept_changed_key,
                        )
                    except Cancelled:
                        raise
                    except HuzhuError as exc:
                        entry.refused = exc
                        if driver.total_changes != changes or s.new or s.dirty or s.deleted:
                            raise _WriteAgain() from exc
                        continue
                    group.append(entry)
                    if entry.result.applied:
                        totals = entry.result.totals()
                        written += totals["new"] + totals["changed"]
        except _WriteAgain:
            for e in group:
                e.result = None
            queue[:0] = group
    if progress is not None:
        progress(len(entries), len(entries))
    return entries
