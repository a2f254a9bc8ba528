"""PySide6 face of huzhu-desktop: windows, views and dialogs that call core services."""
