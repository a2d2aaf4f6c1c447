"""Đảng phí in the window: the monthly collection sheet, members' settings, the dues book."""
