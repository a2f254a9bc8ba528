"""Entry point of the packaged window program (huzhu-desktop / 互助养老.exe)."""

import sys

from huzhu_desktop.gui.app import main

if __name__ == "__main__":
    sys.exit(main())
