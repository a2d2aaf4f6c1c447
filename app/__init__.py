"""Sổ tay Chi bộ core: models, storage, services, validation. Imports no Qt, requests or reportlab."""

__version__ = "0.1.0"
