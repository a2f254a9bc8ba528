"""Entry point of the packaged command-line program (huzhu / huzhu.exe)."""

import sys

from huzhu_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
