"""The branch (chi bộ) record: name, upper committee, address."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from app.errors import ValidationError
from app.models import Branch
from app.services import changes
from app.text import clean
from app.vocab import Entity

if TYPE_CHECKING:
    from app.book import Book, BranchInfo


def create(
    book: Book,
    *,
    name: str,
    committee: str,
    address: str = "",
    place_name: str = "",
    secretary_name: str = "",
) -> None:
    with book.session() as s:
        row = Branch(
            name=clean(name),
            committee=clean(committee),
            address=clean(address),
            place_name=clean(place_name),
            secretary_name=clean(secretary_name),
            notes="",
        )
        s.add(row)
        s.flush()
        changes.create(
            s, row, actor=book.actor, entity=Entity.BRANCH, summary=f"Tạo sổ cho {row.name}"
        )


def update(
    book: Book,
    *,
    name: str | None = None,
    committee: str | None = None,
    address: str | None = None,
    place_name: str | None = None,
    secretary_name: str | None = None,
) -> BranchInfo:
    with book.session() as s:
        row = s.scalars(select(Branch).where(Branch.deleted_at.is_(None))).one()
        before = row.sync_fields()
        for attr, value in (
            ("name", name),
            ("committee", committee),
            ("address", address),
            ("place_name", place_name),
            ("secretary_name", secretary_name),
        ):
            if value is not None:
                setattr(row, attr, clean(value))
        if not row.name:
            raise ValidationError("Tên chi bộ không được để trống.", field="name")
        changes.update(
            s,
            row,
            actor=book.actor,
            entity=Entity.BRANCH,
            summary="Sửa thông tin chi bộ",
            delta=changes.diff(before, row.sync_fields()),
        )
    return book.branch()
