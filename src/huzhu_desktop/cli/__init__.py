"""`huzhu` — the command-line face of the same services the GUI uses.

Exit codes: 0 done (also when nothing needed changing), 1 refused something the user must fix
or `check` found a fault (Chinese message on stderr), 2 usage errors or unreadable input.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import sys
from collections.abc import Callable, Sequence

from huzhu_desktop.cli.arguments import MODULE_OF, build_parser


def main(argv: Sequence[str] | None = None) -> int:
    _utf8_stdio()
    parser = build_parser()
    args = parser.parse_args(argv)  # answered without the core: --help, --version, usage
    from huzhu_desktop.core.errors import HuzhuError, describe_os_error

    try:
        module = importlib.import_module(
            f"huzhu_desktop.cli.{MODULE_OF.get(args.command, 'commands')}"
        )
        handler: Callable[[argparse.Namespace], int] = module.COMMANDS[args.command]
        return handler(args)
    except HuzhuError as exc:
        print(f"错误：{exc.user_message}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:
        print(f"错误：{describe_os_error(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return 130


def _utf8_stdio() -> None:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(OSError, ValueError):
                reconfigure(encoding="utf-8", errors="backslashreplace")


if __name__ == "__main__":
    raise SystemExit(main())
