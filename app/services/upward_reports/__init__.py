"""Reports to the upper committee: the monthly branch report, the deployment report of the
central app "Sổ tay đảng viên điện tử" (seed 004, Kế hoạch 18-KH/ĐU), quarterly and yearly
summaries.

Each report is drafted from the book's data (meetings and attendance, study, feedback,
membership changes, support sessions), then edited by the secretary, numbered
("05-BC/CB": the next number in the year of issue), printed in the HD 36 layout and
submitted by sync. Drafts stay on this computer (audited, not synced); submitting writes the
whole report to the outbox (entity "report"). A submitted report is never edited silently:
a change after submission needs a reason, becomes a new revision (the submitted text is kept
in the report's history) and must be submitted again.

The modules, in the order a report passes through them:
- `periods`: report kinds and periods ("2025-11", "2025-Q4", "2025") and their labels;
- `gathering`: reading the book for one kind and period;
- `drafting`: the text, tables and figures of each report kind;
- `lifecycle`: draft, edit, redraft, submit, revise, delete;
- `numbering`: "05-BC/CB", unique within the year of issue;
- `deadlines`: which reports are due;
- `views`: the plain data handed to the window, the CLI and the printed paper, and the reads.
Callers use this package (`upward_reports.draft(...)`), not the modules.
"""

from __future__ import annotations

from app.models.report import REPORT_KINDS, REPORT_STATES
from app.services.upward_reports.deadlines import (
    DEFAULT_DEPLOYMENT_DUE,
    DEPLOYMENT_DUE_KEY,
    DEPLOYMENT_DUE_SOURCE,
    DueReport,
    deployment_due,
    deployment_due_for,
    due_reports,
    set_deployment_due,
)
from app.services.upward_reports.lifecycle import (
    MAX_BODY,
    DraftResult,
    ReportEdit,
    draft,
    redraft,
    remove,
    submit,
    update,
)
from app.services.upward_reports.numbering import NUMBER_SUFFIX, assign_number, next_number
from app.services.upward_reports.periods import (
    QUARTER_NAMES,
    check_kind,
    parse_period,
    period_label,
    period_text,
    report_title,
)
from app.services.upward_reports.views import (
    ENTITY,
    ReportPaper,
    ReportSection,
    ReportTable,
    ReportView,
    RevisionView,
    get,
    history,
    list_reports,
    op_changes,
    paper,
    view,
)

__all__ = [
    "DEFAULT_DEPLOYMENT_DUE",
    "DEPLOYMENT_DUE_KEY",
    "DEPLOYMENT_DUE_SOURCE",
    "ENTITY",
    "MAX_BODY",
    "NUMBER_SUFFIX",
    "QUARTER_NAMES",
    "REPORT_KINDS",
    "REPORT_STATES",
    "DraftResult",
    "DueReport",
    "ReportEdit",
    "ReportPaper",
    "ReportSection",
    "ReportTable",
    "ReportView",
    "RevisionView",
    "assign_number",
    "check_kind",
    "deployment_due",
    "deployment_due_for",
    "draft",
    "due_reports",
    "get",
    "history",
    "list_reports",
    "next_number",
    "op_changes",
    "paper",
    "parse_period",
    "period_label",
    "period_text",
    "redraft",
    "remove",
    "report_title",
    "set_deployment_due",
    "submit",
    "update",
    "view",
]
