"""Import batches: which file (by content hash) brought which entries."""

from __future__ import annotations

from charitybook.ledger import Ledger, now


def standing_batch_like(ledger: Ledger, kind: str, sha256: str, fingerprint: str | None,
                        excluding: int | None = None) -> dict | None:
    """The latest standing (not replaced) batch of this kind with the same bytes or the same rows,
    other than ``excluding`` (the import's own batch, whose replacing does not count yet)."""
    rows = list(ledger.db.query(
        """SELECT * FROM batches b WHERE kind = :kind AND (sha256 = :sha OR fingerprint = :fingerprint)
             AND b.id IS NOT :excluding
             AND NOT EXISTS (SELECT 1 FROM batches r WHERE r.replaces = b.id AND r.id IS NOT :excluding)
           ORDER BY id DESC LIMIT 1""",
        {"kind": kind, "sha": sha256, "fingerprint": fingerprint, "excluding": excluding}))
    return rows[0] if rows else None


def batch(ledger: Ledger, batch_id: int) -> dict | None:
    rows = list(ledger.db.query(
        """SELECT b.*, (SELECT r.id FROM batches r WHERE r.replaces = b.id) AS replaced_by
             FROM batches b WHERE b.id = ?""", [batch_id]))
    return rows[0] if rows else None


def insert_batch(ledger: Ledger, kind: str, file_name: str, sha256: str, sheets: str, options: str,
                 replaces: int | None) -> int:
    """The batch an import writes first: its entries refer to it. ``finish_batch`` completes it."""
    return ledger.db["batches"].insert({
        "kind": kind, "file_name": file_name, "sha256": sha256, "sheets": sheets, "options": options,
        "rows": 0, "replaces": replaces, "imported_at": now()}).last_pk


def finish_batch(ledger: Ledger, batch_id: int, rows: int, fingerprint: str | None) -> None:
    """Its row count and fingerprint, once (the schema refuses any other change)."""
    ledger.conn.execute("UPDATE batches SET rows = ?, fingerprint = ? WHERE id = ?", (rows, fingerprint, batch_id))


def standing_entries(ledger: Ledger, batch_id: int) -> list[tuple[int, str]]:
    """(id, date) of the batch's entries that stand, latest first."""
    return [tuple(row) for row in ledger.conn.execute(
        """SELECT e.id, e.date FROM entries e WHERE e.batch_id = ? AND e.kind != 'void'
             AND NOT EXISTS (SELECT 1 FROM entries v WHERE v.void_of = e.id) ORDER BY e.id DESC""", (batch_id,))]


def list_batches(ledger: Ledger) -> list[dict]:
    return list(ledger.db.query(
        """SELECT b.id, b.kind, b.file_name, b.sheets, b.rows, b.imported_at, b.replaces,
                  (SELECT r.id FROM batches r WHERE r.replaces = b.id) AS replaced_by FROM batches b ORDER BY b.id"""))
