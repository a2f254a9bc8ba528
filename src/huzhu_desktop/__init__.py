"""互助养老桌面版 — offline desktop app for rural mutual-aid elder care."""

__version__ = "0.1.0"
APP_NAME = "huzhu-desktop"
