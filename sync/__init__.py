"""The sync client: outbox reader, batch builder, HTTP client, pull and apply. No Qt.

Entry points: `sync.client.enrol` and `sync.client.run_sync` (see docs/sync-protocol.md).
"""
