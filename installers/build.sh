#!/usr/bin/env bash
# Build the packaged app.
#   bash installers/build.sh folder  — dist/huzhu-desktop/ (PyInstaller one-folder: huzhu-desktop
#                                      and huzhu, sharing Python and Qt)
#   bash installers/build.sh deb     — the folder, then dist/huzhu-desktop_<version>_<arch>.deb
# The .deb targets the distribution it is built on (its glibc is the floor; the build prints it).
# Windows: installers/windows/build.ps1 on a Windows machine (not buildable here).
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-deb}"
case "$what" in folder|deb) ;; *) echo "用法：bash installers/build.sh folder|deb" >&2; exit 2 ;; esac

bash installers/dev.sh setup
if ! command -v objdump >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  # binutils: the .deb's glibc floor is read from the binaries with objdump.
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq binutils >/dev/null
fi
.venv/bin/python -m pip install -q -e '.[dev,build]'
version="$(.venv/bin/python -c 'import huzhu_desktop; print(huzhu_desktop.__version__)')"

echo "== PyInstaller one-folder build of huzhu-desktop $version"
rm -rf dist/huzhu-desktop build/pyinstaller
.venv/bin/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
  installers/huzhu.spec
.venv/bin/python installers/trim_report.py dist/huzhu-desktop
[ "$what" = "folder" ] && exit 0

echo "== .deb"
bash installers/linux/make_deb.sh dist/huzhu-desktop "$version" dist
