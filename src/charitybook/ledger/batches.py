"""Import batches: which file (by content hash) brought which entries."""

from __future__ import annotations

from charitybook.ledger import Ledger, now


def standing_batch_for_hash(ledger: Ledger, sha256: str, kind: str) -> dict | None:
    rows = list(ledger.db.query(
        """SELECT * FROM batches b WHERE sha256 = ? AND kind = ?
             AND NOT EXISTS (SELECT 1 FROM batches r WHERE r.replaces = b.id) ORDER BY id DESC LIMIT 1""",
        [sha256, kind]))
    return rows[0] if rows else None


def batch(ledger: Ledger, batch_id: int) -> dict | None:
    rows = list(ledger.db.query(
        """SELECT b.*, (SELECT r.id FROM batches r WHERE r.replaces = b.id) AS replaced_by
             FROM batches b WHERE b.id = ?""", [batch_id]))
    return rows[0] if rows else None


def insert_batch(ledger: Ledger, kind: str, file_name: str, sha256: str, sheets: str, options: str,
                 replaces: int | None) -> int:
    return ledger.db["batches"].insert({
        "kind": kind, "file_name": file_name, "sha256": sha256, "sheets": sheets, "options": options,
        "rows": 0, "replaces": replaces, "imported_at": now()}).last_pk


def set_batch_rows(ledger: Ledger, batch_id: int, rows: int) -> None:
    ledger.conn.execute("UPDATE batches SET rows = ? WHERE id = ?", (rows, batch_id))


def standing_entries(ledger: Ledger, batch_id: int) -> list[int]:
    return [row[0] for row in ledger.conn.execute(
        """SELECT e.id FROM entries e WHERE e.batch_id = ? AND e.kind != 'void'
             AND NOT EXISTS (SELECT 1 FROM entries v WHERE v.void_of = e.id) ORDER BY e.id DESC""", (batch_id,))]


def list_batches(ledger: Ledger) -> list[dict]:
    return list(ledger.db.query(
        """SELECT b.id, b.kind, b.file_name, b.sheets, b.rows, b.imported_at, b.replaces,
                  (SELECT r.id FROM batches r WHERE r.replaces = b.id) AS replaced_by FROM batches b ORDER BY b.id"""))
