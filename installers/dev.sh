#!/usr/bin/env bash
# Set up everything huzhu-desktop needs, then start the demo app or run the tests.
#   bash installers/dev.sh demo   — set up, then open the app on the demo workspace
#   bash installers/dev.sh test   — set up, then run the whole test suite
#   bash installers/dev.sh setup  — only set up (installers/build.sh starts with it)
# Works as root on a fresh Debian machine (installs Qt's libraries, a CJK font, Xvfb and
# poppler-utils with apt) and on a developer's machine (uses sudo if there is one, else says what
# is missing). Python packages go into .venv beside this repository.
set -euo pipefail
cd "$(dirname "$0")/.."
action="${1:-demo}"; shift || true

SYSTEM_PACKAGES=(
  python3 python3-venv python3-pip
  libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6 libdbus-1-3
  libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-xfixes0 libx11-xcb1
  fonts-wqy-microhei xvfb xauth poppler-utils
)

install_system_packages() {
  command -v apt-get >/dev/null 2>&1 || return 0
  local missing=()
  for p in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"; else
      echo "提示：缺少系统软件包（需要管理员安装）：${missing[*]}" >&2; return 0; fi
  fi
  echo "安装系统软件包：${missing[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_python_packages() {
  local py="${PYTHON:-python3}"
  [ -x .venv/bin/python ] || "$py" -m venv .venv
  local stamp=.venv/.huzhu-installed want
  want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "安装 Python 软件包到 .venv …"
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e '.[dev]'
    echo "$want" > "$stamp"
  fi
}

install_system_packages
install_python_packages

case "$action" in
  setup)
    ;;
  demo)
    exec .venv/bin/huzhu-desktop --demo "$@"
    ;;
  test)
    export QT_QPA_PLATFORM=offscreen
    set +e
    .venv/bin/python -m pytest "$@"
    rc=$?
    set -e
    if [ "$rc" -eq 5 ]; then
      echo "pytest 没有收集到任何测试：这说明测试目录或配置出了问题。" >&2
      exit 1
    fi
    exit "$rc"
    ;;
  *)
    echo "用法：bash installers/dev.sh demo|test|setup [参数…]" >&2
    exit 2
    ;;
esac
