"""`python -m huzhu_desktop.cli` — the same as `huzhu` (tests run the CLI as its own process)."""

from huzhu_desktop.cli import main

raise SystemExit(main())
