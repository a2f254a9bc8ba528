"""Bring the village's existing Excel 台账 in: safe reading, header detection, normalisation,
matching against the register, dry run, all-or-nothing apply and an error workbook."""
