#!/usr/bin/env bash
# Install a built .deb on this machine and use the installed programs as a clerk would, on a fresh
# user's home: version, a new workspace in the default data folder, the window's smoke start,
# the demo, 明白卡 to PDF, check. Fails if anything is written under /opt. (Root: CI.)
#   bash installers/linux/smoke_installed.sh dist/huzhu-desktop_<version>_<arch>.deb
set -euo pipefail
deb="$1"
version="$(dpkg-deb -f "$deb" Version)"
# --reinstall: a rebuilt package of the same version must replace the installed one
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --reinstall "$(realpath "$deb")" >/dev/null
stamp="$(mktemp)"
export HOME="$(mktemp -d)" QT_QPA_PLATFORM=offscreen
unset HUZHU_WORKSPACE
data="$HOME/.local/share/huzhu-desktop"

test "$(huzhu --version)" = "huzhu $version"
test "$(huzhu-desktop --version)" = "互助养老桌面版 $version"
# 关于's facts from the installed program: packaged, data in the home folder, every version known
huzhu about --json | python3 -c '
import json, sys; v = json.load(sys.stdin)
assert v["packaged"] and v["program_folder"] == "/opt/huzhu-desktop", v["program_folder"]
assert v["data_folder"].endswith("/.local/share/huzhu-desktop"), v["data_folder"]
unknown = [x["name"] for x in v["libraries"] if x["version"] in ("", "—")]
assert not unknown, unknown'
huzhu init --kind village --org-code 500112108201 --org-name 测试村 --parent-name 茨竹镇 \
  --district-name 渝北区 >/dev/null
test -f "$data/workspace/huzhu.db"
timeout 120 huzhu-desktop --smoke | tee "$HOME/smoke.txt"
grep -q "qt_translations=qtbase_zh_CN" "$HOME/smoke.txt"  # Qt's dialogs in Chinese
huzhu --workspace "$data/demo" demo --elders 30 >/dev/null
huzhu --workspace "$data/demo" cards "$HOME/cards.pdf" >/dev/null
pages="$(pdfinfo "$HOME/cards.pdf" | awk '/^Pages:/ {print $2}')"
[ "$pages" -ge 1 ]
pdffonts "$HOME/cards.pdf" | grep -qi "wqy\|hei\|song" # the Chinese font is embedded
huzhu --workspace "$data/demo" check >/dev/null
written="$(find /opt/huzhu-desktop -newer "$stamp" -print | head -5)"
[ -z "$written" ] || { echo "written under /opt: $written" >&2; exit 1; }
echo "installed huzhu-desktop $version: version, init, smoke, demo, $pages 明白卡 pages, check — ok"
