"""点单 on the 走访 page: take a request, assign it, close it with the visit that did it."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog

from huzhu_desktop.core import clock
from huzhu_desktop.core.services import requests
from huzhu_desktop.core.services.visits import VisitForm, record_visit
from huzhu_desktop.gui.main_window import MainWindow
from huzhu_desktop.gui.views.requests_panel import NewRequestDialog


def test_a_request_from_phone_call_to_done(qtbot, settle, demo_ws, monkeypatch) -> None:
    window = MainWindow.for_workspace(demo_ws)
    qtbot.addWidget(window)
    window.show()
    window.go_area("走访")
    window.visits.tabs.setCurrentIndex(1)
    settle()
    panel = window.visits.requests
    before = panel.model.rowCount()
    assert before == 3  # the demo's open requests
    elder = panel.elders[0]
    dlg = NewRequestDialog(demo_ws, panel.elders, panel)
    qtbot.addWidget(dlg)
    dlg.accepted.connect(panel.reload)
    dlg.elder.select_ids([elder.id])
    dlg.service.setCurrentIndex(dlg.service.findData("助洁"))
    dlg.save()
    settle()
    settle()
    assert panel.model.rowCount() == before + 1
    row_index = next(
        i
        for i in range(panel.model.rowCount())
        if panel.model.row_at(i).elder == elder.name and panel.model.row_at(i).service == "助洁"
    )
    panel.table.selectRow(row_index)
    helper = panel.helpers[0]
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (a[3][0], True))
    panel.assign()
    settle()
    settle()
    row = next(r for r in panel.model.rows if r.service == "助洁" and r.elder == elder.name)
    assert (row.status, row.helper) == ("已派单", helper.name)
    with demo_ws.transaction() as s:
        record_visit(
            VisitForm(
                clock.today(),
                60,
                "帮帮忙",
                [helper.id],
                [elder.id],
                ["助洁"],
            ),
            session=s,
            actor=demo_ws.actor,
        )
    panel.table.selectRow(
        next(i for i in range(panel.model.rowCount()) if panel.model.row_at(i).id == row.id)
    )
    panel.complete()
    settle()
    settle()
    with demo_ws.reading() as s:
        assert row.id not in {r.id for r in requests.open_requests(s)}
    assert panel.model.rowCount() == before
