"""The main window's areas, in the order of the list on its left (Ctrl+1 … Ctrl+0). Qt-free, so
the command line (`--page`) is checked before Qt starts."""

AREAS = ("首页", "老人", "帮扶人", "结对", "走访", "积分", "活动", "报表", "同步", "设置")
