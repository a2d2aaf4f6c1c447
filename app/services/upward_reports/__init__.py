"""Reports to the upper committee (being split into modules)."""

from app.services.upward_reports.drafting import *  # noqa: F403
from app.services.upward_reports.drafting import (
    DEFAULT_DEPLOYMENT_DUE,
    QUARTER_NAMES,
    deployment_due,
    history,
    op_changes,
    set_deployment_due,
)

__all__ = [  # noqa: F405
    "DEFAULT_DEPLOYMENT_DUE",
    "QUARTER_NAMES",
    "deployment_due",
    "history",
    "op_changes",
    "set_deployment_due",
]
