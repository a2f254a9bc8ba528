#!/usr/bin/env bash
# Wrap the one-folder build into a .deb for Debian / 统信UOS / 银河麒麟.
#   bash installers/linux/make_deb.sh FOLDER VERSION OUTDIR
# Program files in /opt/huzhu-desktop (read-only, owned by root); `huzhu` and `huzhu-desktop` in
# /usr/bin; a desktop entry 互助养老 with the icon. Data never goes under /opt: each user's
# workspaces live in their platformdirs folder (~/.local/share/huzhu-desktop).
set -euo pipefail
folder="$1"; version="$2"; out="$3"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
arch="$(dpkg --print-architecture)"
stage="$(mktemp -d)/huzhu-desktop_${version}_${arch}"
trap 'rm -rf "$(dirname "$stage")"' EXIT

mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
  "$stage/usr/share/doc/huzhu-desktop"
cp -a "$folder" "$stage/opt/huzhu-desktop"
ln -s /opt/huzhu-desktop/huzhu "$stage/usr/bin/huzhu"
ln -s /opt/huzhu-desktop/huzhu-desktop "$stage/usr/bin/huzhu-desktop"
install -m 644 "$here/huzhu-desktop.desktop" "$stage/usr/share/applications/huzhu-desktop.desktop"
for size in 16 24 32 48 64 128 256; do
  dir="$stage/usr/share/icons/hicolor/${size}x${size}/apps"
  mkdir -p "$dir"
  install -m 644 "$root/src/huzhu_desktop/resources/icons/huzhu-$size.png" "$dir/huzhu-desktop.png"
done
install -m 644 "$here/copyright" "$stage/usr/share/doc/huzhu-desktop/copyright"
gzip -9n < "$root/CHANGELOG.md" > "$stage/usr/share/doc/huzhu-desktop/changelog.gz"
chmod -R u=rwX,go=rX "$stage/opt" "$stage/usr"

# The oldest glibc every binary in the folder accepts: the .deb's floor.
floor="$(find "$folder" -type f \( -name '*.so*' -o -perm -u+x \) -exec objdump -T {} + 2>/dev/null \
  | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1 | cut -d_ -f2)"
size_kb="$(du -sk "$stage" | cut -f1)"
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@GLIBC@/$floor/" -e "s/@SIZE@/$size_kb/" \
  "$here/control.in" > "$stage/DEBIAN/control"
install -m 755 "$here/postinst" "$here/postrm" "$stage/DEBIAN/"

mkdir -p "$out"
deb="$out/huzhu-desktop_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "built $deb ($(du -h "$deb" | cut -f1)), needs glibc >= $floor"
