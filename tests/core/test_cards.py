"""明白卡: what goes on the card, when it needs reprinting, and the PDF itself."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from huzhu_desktop.core.reports.cards_pdf import render_cards
from huzhu_desktop.core.services import cards, people
from huzhu_desktop.core.services.cards import card_status, collect_cards, last_prints, record_prints
from huzhu_desktop.core.services.setup import update_contacts
from tests.conftest import TODAY

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils missing"
)


def _cards(ws) -> list[cards.CardData]:  # type: ignore[no-untyped-def]
    with ws.reading() as s:
        return collect_cards(s, today=TODAY)


def test_every_active_pairing_gets_a_card_and_groups_one_per_elder(demo_ws) -> None:
    found = _cards(demo_ws)
    with demo_ws.reading() as s:
        from huzhu_desktop.core.services.pairings_read import list_pairings

        active = [p for p in list_pairings(s, today=TODAY) if p.active]
    expected = sum(len(p.elders) for p in active)
    assert len(found) <= expected and len(found) >= expected - 3  # minus elders no longer 在册
    group_cards = [c for c in found if c.kind == "划片式"]
    assert group_cards and all(
        h.role == "互助养老小组长" for c in group_cards for h in c.helpers[:1]
    )
    assert all(c.office_phone == "023-67800001" for c in found)


def test_a_card_needs_reprinting_when_a_helper_phone_changes(demo_ws) -> None:
    card = _cards(demo_ws)[0]
    with demo_ws.reading() as s:
        assert card_status(card, last_prints(s)) == "未打印"
    with demo_ws.transaction() as s:
        record_prints([card], "A4", session=s, actor=demo_ws.actor)
    with demo_ws.reading() as s:
        assert card_status(_cards(demo_ws)[0], last_prints(s)) == "已打印"
    with demo_ws.reading() as s:
        from sqlalchemy import select

        from huzhu_desktop.core.models import Person

        helper_id = (
            s.execute(select(Person.id).where(Person.name == card.helpers[0].name))
            .scalars()
            .first()
        )
    with demo_ws.reading() as s:
        form, elder, helper = people.load_forms(s, helper_id)
    form.phone = "13700009999"
    with demo_ws.transaction() as s:
        people.save_person(
            form, elder, helper, session=s, actor=demo_ws.actor, person_id=helper_id, today=TODAY
        )
    with demo_ws.reading() as s:
        assert card_status(_cards(demo_ws)[0], last_prints(s)) == "需重印"


def test_contact_phones_are_validated(ws) -> None:
    from huzhu_desktop.core.errors import ValidationError

    with pytest.raises(ValidationError) as err, ws.transaction() as s:
        update_contacts("6789", "023-67851234", session=s, actor=ws.actor)
    assert "区号" in err.value.errors["office_phone"]


@needs_poppler
@pytest.mark.parametrize("a5", [False, True])
def test_card_pdf_embeds_its_font_and_text_can_be_found(demo_ws, tmp_path: Path, a5: bool) -> None:
    found = _cards(demo_ws)[:5]
    pdf = tmp_path / "cards.pdf"
    pages = render_cards(found, pdf, a5=a5, today=date(2026, 11, 23))
    assert pages == (3 if a5 else 5)
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    rows = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all(" yes " in line for line in rows), fonts  # every font embedded
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert text.count("互助养老明白卡") == 5
    assert found[0].elder_name in text and found[0].helpers[0].phone in text
    assert "120" in text and "2026-11-23" in text
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(rf"^Pages:\s+{pages}$", info, re.M), info


@needs_poppler
def test_no_id_number_is_ever_printed(demo_ws, tmp_path: Path) -> None:
    pdf = tmp_path / "cards.pdf"
    render_cards(_cards(demo_ws), pdf)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    from huzhu_desktop.core.services.register import list_elders

    with demo_ws.reading() as s:
        ids = [e.id_number for e in list_elders(s) if e.id_number]
    assert ids and not any(i in text for i in ids)
