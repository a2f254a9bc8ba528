"""`python -m huzhu_desktop` starts the GUI."""

from huzhu_desktop.gui.app import main

raise SystemExit(main())
