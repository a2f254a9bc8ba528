"""The release: one version number, and what the installers carry.

The .deb is built, installed and run by .ci/run; the Windows installer cannot be built on this
CI, so what can be checked of it on Linux is checked here: the spec's file list and trimming,
the Inno Setup script's references, the data folder on a Windows platform, and that no path in
the code assumes '/'.
"""

from __future__ import annotations

import ast
import re
import sys
from importlib import metadata
from pathlib import Path

import pytest

from huzhu_desktop import APP_NAME, __version__

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "huzhu_desktop"
INSTALLERS = ROOT / "installers"
sys.path.insert(0, str(INSTALLERS))
from trim import EXCLUDED_MODULES, keep  # noqa: E402

from huzhu_desktop import paths  # noqa: E402

REAL_DATA_ROOT = paths.data_root  # before the autouse fixture points it at a temporary folder


def test_one_version_number_everywhere() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)
    assert metadata.version("huzhu-desktop") == __version__
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in pyproject
    assert 'version = {attr = "huzhu_desktop.__version__"}' in pyproject
    assert not re.search(r'^version\s*=\s*"', pyproject, re.M)  # no second number
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## {__version__} " in changelog


@pytest.mark.parametrize(
    "path",
    [
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6\\plugins\\platforms\\qwindows.dll",
        "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so",
        "PySide6\\plugins\\printsupport\\windowsprintersupport.dll",
        "PySide6/Qt/plugins/imageformats/libqico.so",
        "PySide6/Qt/plugins/imageformats/libqsvg.so",
        "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
        "PySide6/Qt/translations/qtbase_zh_CN.qm",
        "PySide6/Qt/translations/qt_zh_CN.qm",
        "PySide6/Qt/lib/libQt6Core.so.6",
        "PySide6/Qt/lib/libQt6Widgets.so.6",
        "PySide6/Qt/lib/libQt6PrintSupport.so.6",
        "PySide6/Qt/lib/libQt6XcbQpa.so.6",
        "PySide6\\Qt6Core.dll",
        "PySide6\\Qt6Widgets.dll",
        "PySide6\\Qt6Svg.dll",
        "huzhu_desktop/resources/fonts/wqy-microhei.ttc",
        "huzhu_desktop/core/db/migrations/versions/0001_initial_register.py",
    ],
)
def test_the_build_keeps_what_the_app_uses(path: str) -> None:
    assert keep(path)


@pytest.mark.parametrize(
    "path",
    [
        "PySide6/Qt/plugins/platforms/libqwayland-egl.so",
        "PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so",
        "PySide6/Qt/plugins/qmltooling/libqmldbg_debugger.so",
        "PySide6/Qt/plugins/sqldrivers/libqsqlite.so",
        "PySide6/Qt/plugins/imageformats/libqpdf.so",
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "PySide6/Qt/translations/qtbase_de.qm",
        "PySide6/Qt/translations/qtdeclarative_zh_CN.qm",
        "PySide6/Qt/lib/libQt6Qml.so.6",
        "PySide6/Qt/lib/libQt6Quick.so.6",
        "PySide6/Qt/lib/libQt6Pdf.so.6",
        "PySide6/Qt/lib/libQt6Network.so.6",
        "PySide6/Qt/lib/libQt6EglFSDeviceIntegration.so.6",
        "PySide6\\Qt6Qml.dll",
        "PySide6\\Qt6Network.dll",
    ],
)
def test_the_build_leaves_out_what_the_app_never_uses(path: str) -> None:
    assert not keep(path)


def test_no_excluded_module_is_imported_by_the_app() -> None:
    imported: set[str] = set()
    for py in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(py.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
                imported.update(f"{node.module}.{a.name}" for a in node.names)
    assert not imported & set(EXCLUDED_MODULES)


def test_the_spec_collects_every_migration_font_and_icon() -> None:
    from PyInstaller.utils.hooks import collect_data_files

    collected = collect_data_files(
        "huzhu_desktop", include_py_files=True, subdir="core/db/migrations"
    )
    collected += collect_data_files("huzhu_desktop", subdir="resources")
    sources = {Path(src).resolve() for src, _dest in collected}
    wanted = [
        *(PACKAGE / "core" / "db" / "migrations" / "versions").glob("0*.py"),
        PACKAGE / "core" / "db" / "migrations" / "env.py",
        *(PACKAGE / "resources" / "icons").glob("*"),
        PACKAGE / "resources" / "fonts" / "wqy-microhei.ttc",
        PACKAGE / "resources" / "pinyin_chars.txt",
    ]
    missing = [p.relative_to(PACKAGE) for p in wanted if p.resolve() not in sources]
    assert not missing
    assert all(keep(dest) for _src, dest in collected)


def test_the_icon_is_rendered_at_every_size_from_the_svg() -> None:
    icons = PACKAGE / "resources" / "icons"
    for size in (16, 24, 32, 48, 64, 128, 256):
        png = (icons / f"huzhu-{size}.png").read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        assert (width, height) == (size, size)
    ico = (icons / "huzhu.ico").read_bytes()
    assert ico[:4] == b"\x00\x00\x01\x00" and int.from_bytes(ico[4:6], "little") == 5
    assert (ROOT / "resources" / "huzhu-icon.svg").is_file()


def test_the_windows_installer_script_points_at_what_the_build_makes() -> None:
    iss = (INSTALLERS / "windows" / "huzhu.iss").read_text(encoding="utf-8")
    spec = (INSTALLERS / "huzhu.spec").read_text(encoding="utf-8")
    for exe in re.findall(r'Filename: "\{app\}\\([^"]+)\.exe"', iss):
        assert f'"{exe}"' in spec  # an EXE of that name is built
    assert r'Source: "..\..\dist\huzhu-desktop\*"' in iss and 'name="huzhu-desktop"' in spec
    icon = re.search(r"SetupIconFile=(.+)", iss)
    assert icon and (INSTALLERS / "windows" / icon.group(1).replace("\\", "/")).resolve().is_file()
    assert "PrivilegesRequired=admin" in iss and r"DefaultDirName={autopf}\互助养老" in iss
    assert r"{group}\互助养老" in iss and r"{autodesktop}\互助养老" in iss
    assert "LanguageFile" in iss and "ChineseSimplified.isl" in (
        INSTALLERS / "windows" / "build.ps1"
    ).read_text(encoding="utf-8")
    # The uninstaller keeps the data and names the folder the app uses.
    assert "[UninstallDelete]" not in iss
    assert f"ExpandConstant('{{localappdata}}') + '\\{APP_NAME}'" in iss


def test_the_data_folder_is_localappdata_on_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs
    import platformdirs.windows

    local = r"C:\Users\李会计\AppData\Local"
    folders = {"CSIDL_LOCAL_APPDATA": local, "CSIDL_APPDATA": r"C:\Users\李会计\AppData\Roaming"}
    monkeypatch.setattr(platformdirs, "PlatformDirs", platformdirs.windows.Windows)
    monkeypatch.setattr(platformdirs.windows, "get_win_folder", folders.__getitem__)
    monkeypatch.setattr(paths, "data_root", REAL_DATA_ROOT)
    assert str(paths.data_root()).replace("/", "\\") == local + r"\huzhu-desktop"
    assert str(paths.default_workspace()).replace("/", "\\") == local + r"\huzhu-desktop\workspace"
    assert str(paths.demo_workspace()).replace("/", "\\") == local + r"\huzhu-desktop\demo"


def test_no_path_in_the_code_assumes_a_slash() -> None:
    """Absolute POSIX paths only where Linux itself is asked (removable-drive detection), and no
    path built by gluing '/' to text."""
    allowed = {"core/platform_checks.py"}
    found = []
    for py in PACKAGE.rglob("*.py"):
        rel = py.relative_to(PACKAGE).as_posix()
        for node in ast.walk(ast.parse(py.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and re.match(
                    r"^(/(proc|dev|sys|tmp|home|media|mnt|run|usr|opt|var|etc)\b|~/)", node.value
                )
                and rel not in allowed
            ):
                found.append(f"{rel}:{node.lineno} {node.value!r}")
            if (
                isinstance(node, ast.BinOp)
                and isinstance(node.op, ast.Add)
                and any(
                    isinstance(s, ast.Constant) and s.value == "/" for s in (node.left, node.right)
                )
                and rel not in allowed
            ):
                found.append(f"{rel}:{node.lineno} + '/'")
    assert not found
    checks = (PACKAGE / "core" / "platform_checks.py").read_text(encoding="utf-8")
    assert 'sys.platform == "win32"' in checks or "os.name" in checks


def test_the_deb_declares_its_name_entry_and_dependencies() -> None:
    desktop = (INSTALLERS / "linux" / "huzhu-desktop.desktop").read_text(encoding="utf-8")
    assert "Name=互助养老" in desktop and "Exec=huzhu-desktop" in desktop
    assert "Icon=huzhu-desktop" in desktop
    control = (INSTALLERS / "linux" / "control.in").read_text(encoding="utf-8")
    assert "libc6 (>= @GLIBC@)" in control and "libxcb-cursor0" in control
    dev_sh = (INSTALLERS / "dev.sh").read_text(encoding="utf-8")
    for lib in re.findall(r"(libxcb-[a-z-]+\d?|libxkbcommon-x11-0|libegl1|libgl1)", dev_sh):
        assert lib in control, lib  # what the source install needs, the .deb declares
    make_deb = (INSTALLERS / "linux" / "make_deb.sh").read_text(encoding="utf-8")
    assert '"$stage/opt/huzhu-desktop"' in make_deb  # the program; data stays in $HOME
