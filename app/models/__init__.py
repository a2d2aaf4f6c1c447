"""All tables. Import this package to have the full metadata (for Alembic and tests)."""

from app.models.audit import AuditEntry
from app.models.base import Base, SyncedMixin, new_id, utcnow
from app.models.branch import Branch
from app.models.document import Document, DocumentFile
from app.models.document_search import DocumentSearchEntry
from app.models.dues import DuesPayment, DuesRemittance, DuesSetting
from app.models.feedback import Feedback
from app.models.meeting import AttendanceEvent, Meeting
from app.models.meeting_extra import AbsenceRequest, MeetingDocument
from app.models.member import Member
from app.models.outbox import KeyValue, OutboxEntry
from app.models.report import Report
from app.models.study import StudyCampaign, StudyParticipant
from app.models.support import SupportSession

__all__ = [
    "AbsenceRequest",
    "AttendanceEvent",
    "AuditEntry",
    "Base",
    "Branch",
    "Document",
    "DocumentFile",
    "DocumentSearchEntry",
    "DuesPayment",
    "DuesRemittance",
    "DuesSetting",
    "Feedback",
    "KeyValue",
    "Meeting",
    "MeetingDocument",
    "Member",
    "OutboxEntry",
    "Report",
    "StudyCampaign",
    "StudyParticipant",
    "SupportSession",
    "SyncedMixin",
    "new_id",
    "utcnow",
]
