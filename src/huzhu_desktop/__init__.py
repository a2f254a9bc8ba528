"""互助养老桌面版 — offline desktop app for rural mutual-aid elder care.

`__version__` is the one version number: the package metadata reads it (pyproject's dynamic
version), `huzhu --version` and 关于 show it, and every bundle and workspace records it. A
release bumps it, adds its CHANGELOG section and is tagged `v<version>`.
"""

__version__ = "0.3.0"
APP_NAME = "huzhu-desktop"
