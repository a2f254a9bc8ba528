"""The official forms' wording is reproduced exactly (../shared/forms holds the blank copies)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from huzhu_desktop.core.reports.forms import ATTACHMENT2_HEADER, ATTACHMENT2_NOTE, FILL_LINE

FORMS = Path(__file__).resolve().parents[2].parent / "shared" / "forms"


def _squash(text: object) -> str:
    return re.sub(r"\s+", "", str(text or ""))


@pytest.mark.skipif(
    not (FORMS / "attachment2_blank.xlsx").exists(), reason="shared/forms not beside the repo"
)
def test_attachment2_header_matches_the_blank_form() -> None:
    sheet = load_workbook(FORMS / "attachment2_blank.xlsx").active
    header = [c.value for c in sheet[4]]
    assert [_squash(h) for h in header] == [_squash(h) for h in ATTACHMENT2_HEADER]
    assert _squash(sheet["A3"].value) == _squash(FILL_LINE)
    assert any(
        _squash(c.value) == _squash(ATTACHMENT2_NOTE) for row in sheet.iter_rows() for c in row
    )
