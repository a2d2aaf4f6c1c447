"""Alembic environment: always run with a connection handed in by app.storage.migrate."""

from __future__ import annotations

from alembic import context

from app.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable from the alembic CLI
    raise RuntimeError("Migrations run from the program (app.storage.migrate), not the CLI.")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things: batch mode copies tables
    transaction_per_migration=False,
)
context.run_migrations()
