"""Small reusable widgets (drawn with QPainter; no QtCharts in PySide6-Essentials)."""
