"""`huzhu keys` and `huzhu bundle`: the town's clerk and the village's clerk at the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import init_village, run


def test_key_cards_and_a_bundle_through_the_command_line(tmp_path: Path, capsys) -> None:
    town, village = tmp_path / "town", tmp_path / "village"
    code, _, _ = run(
        capsys, "--workspace", str(town), "init", "--kind", "town", "--org-code", "500112108",
        "--org-name", "茨竹镇", "--parent-name", "渝北区", "--district-name", "渝北区",
    )  # fmt: skip
    assert code == 0
    assert init_village(capsys, village, "500112108201", "石坪村")[0] == 0
    for src, dst in ((town, village), (village, town)):
        card = tmp_path / f"{src.name}.card"
        code, out, _ = run(capsys, "--workspace", str(src), "keys", "export-card", str(card))
        assert code == 0 and "指纹" in out
        code, out, _ = run(capsys, "--workspace", str(dst), "keys", "import-card", str(card))
        assert code == 0 and "已导入" in out
    code, out, _ = run(capsys, "--workspace", str(village), "keys", "show", "--json")
    shown = json.loads(out)
    assert [p["org_name"] for p in shown["peers"]] == ["茨竹镇"]
    assert len(shown["fingerprint"].split()) == 5

    usb = tmp_path / "U盘"
    code, out, _ = run(
        capsys, "--workspace", str(village), "bundle", "export", "-o", str(usb),
        "--quarter", "2026Q3", "--json",
    )  # fmt: skip
    assert code == 0
    made = json.loads(out)
    bundle = made["file"]
    assert Path(bundle).name == "500112108201_石坪村_2026Q3_001.huzhu" and made["seq"] == 1

    code, out, _ = run(capsys, "--workspace", str(town), "bundle", "inspect", bundle, "--json")
    seen = json.loads(out)
    assert code == 0 and seen["signature"] == "有效" and seen["key_status"] == "trusted"

    code, out, _ = run(
        capsys, "--workspace", str(town), "bundle", "import", bundle, "--dry-run", "--json"
    )
    dry = json.loads(out)
    assert code == 0 and dry["dry_run"] and dry["totals"]["new"] > 0
    code, out, _ = run(capsys, "--workspace", str(town), "bundle", "import", bundle)
    assert code == 0 and out.startswith("已导入")
    code, out, _ = run(capsys, "--workspace", str(town), "bundle", "import", bundle)
    assert code == 0 and "已经导入过" in out


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 not really", b"x" * 5000])
def test_a_file_that_is_not_a_bundle_is_refused_in_chinese(tmp_path: Path, capsys, content) -> None:
    village = tmp_path / "village"
    init_village(capsys, village, "500112108201", "石坪村")
    bad = tmp_path / "坏.huzhu"
    bad.write_bytes(content)
    code, _, err = run(capsys, "--workspace", str(village), "bundle", "import", str(bad))
    assert code == 1 and "不是互助养老数据包" in err and "Traceback" not in err


def test_export_without_the_towns_key_card_says_what_to_do(tmp_path: Path, capsys) -> None:
    village = tmp_path / "village"
    init_village(capsys, village, "500112108201", "石坪村")
    code, _, err = run(capsys, "--workspace", str(village), "bundle", "export", "-o", str(tmp_path))
    assert code == 1 and "还没有导入茨竹镇的密钥卡" in err
