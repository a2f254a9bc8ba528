"""The town upgraded in January; a village still on the old version hands in its quarter: the
import preview says which old version it came from, and the import goes through."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtWidgets import QLabel
from sqlmodel import Session

from huzhu_desktop.core.sync.importer import inspect_bundle
from huzhu_desktop.core.workspace import Workspace
from huzhu_desktop.gui.dialogs.bundle_dialogs import ImportDialog

BUNDLES = Path(__file__).resolve().parents[1] / "fixtures" / "bundles"


def test_the_preview_names_the_old_version_and_the_import_applies(qtbot, settle, tmp_path) -> None:
    folder = tmp_path / "town"
    folder.mkdir()
    shutil.copyfile(BUNDLES / "0004" / "town.db", folder / "huzhu.db")
    bundle = BUNDLES / "0004" / "village_to_town.huzhu"
    with Workspace.open(folder) as ws:
        with Session(ws.engine) as s:
            seen = inspect_bundle(s, bundle).as_json()
        dialog = ImportDialog(ws, bundle, seen)
        qtbot.addWidget(dialog)
        texts = [label.text() for label in dialog.findChildren(QLabel)]
        assert "来自旧版本 0.1.0（数据库版本 0004），导入时先转换成本版本的格式" in texts
        dialog.run_preview()
        settle()
        assert dialog.apply_button.isEnabled()
        dialog.run_apply()
        settle()
        assert dialog.result_ is not None and dialog.result_.applied
