"""Reports: Excel (附件1, 附件2, rosters, error lists) and PDF (明白卡, passbook)."""
