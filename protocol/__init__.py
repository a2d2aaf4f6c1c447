"""What the desktop's sync client and the committee's server share (docs/sync-protocol.md).

The wire constants of sync protocol 1 live here; `protocol.entities` says how the server keeps
each synced entity (from `app.vocab.Entity`), and `protocol.schemas` what each entity's fields
look like (from the desktop's own models). Nothing here imports Qt, reportlab or requests.
"""

from __future__ import annotations

import re

PROTOCOL_VERSION = 1
SUPPORTED_PROTOCOLS = (1,)
PROTOCOL_HEADER = "X-Sotay-Protocol"

# Sizes a server accepts (the client halves a batch the server answers 413 to).
MAX_COMPRESSED_BYTES = 8 * 1024 * 1024
MAX_BODY_BYTES = 32 * 1024 * 1024
MAX_CHANGES = 1000
MAX_CHANGE_BYTES = 1024 * 1024
MAX_FILE_BYTES = 64 * 1024 * 1024

DEFAULT_PULL_LIMIT = 100
MAX_PULL_LIMIT = 500

ENTITY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_ENTITY_ID = 64

OPS = ("upsert", "delete", "append")
RESULTS = ("applied", "duplicate", "conflict", "rejected", "deferred")

# A closed meeting accepts only amendments: it stays closed, keeps its closing time, and the
# roster frozen in its minutes at adoption (minutes_json keys) does not change.
MEETING_FROZEN_FIELDS = ("state", "closed_at")
MEETING_FROZEN_MINUTES_KEYS = ("roster", "adopted_at")
