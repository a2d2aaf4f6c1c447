"""Checks on member data: số định danh, phone numbers, dates. No database access here.

`check_member(data) -> list[Issue]`; an Issue has `level` ("error" or "warning"), `field`
and a Vietnamese `message`.
"""

from app.validation.issues import ERROR, WARNING, Issue, has_errors
from app.validation.member import check_member

__all__ = ["ERROR", "WARNING", "Issue", "check_member", "has_errors"]
