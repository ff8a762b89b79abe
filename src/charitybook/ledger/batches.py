"""Import batches: which file (by content hash) brought which entries."""

from __future__ import annotations

from charitybook.ledger import Ledger, now


_STANDING = "NOT EXISTS (SELECT 1 FROM batches r WHERE r.replaces = b.id AND r.id IS NOT :excluding)"


def standing_batch_like(ledger: Ledger, kind: str, sha256: str, options: str, fingerprint: str | None,
                        excluding: int | None = None) -> dict | None:
    """The latest standing (not replaced) batch of this kind with the same bytes read the same way
    (the same options), or the same rows; other than ``excluding`` (the import's own batch, whose
    replacing does not count yet)."""
    rows = list(ledger.query(
        f"""SELECT * FROM batches b WHERE kind = :kind
              AND ((sha256 = :sha AND options = :options) OR fingerprint = :fingerprint)
              AND b.id IS NOT :excluding AND {_STANDING} ORDER BY id DESC LIMIT 1""",
        {"kind": kind, "sha": sha256, "options": options, "fingerprint": fingerprint, "excluding": excluding}))
    return rows[0] if rows else None


def standing_sketches(ledger: Ledger, kind: str, excluding: int) -> list[dict]:
    """The standing batches of this kind with their row sketches, latest first."""
    return list(ledger.query(
        f"""SELECT id, file_name, imported_at, rows, sketch FROM batches b
             WHERE kind = :kind AND sketch IS NOT NULL AND b.id IS NOT :excluding AND {_STANDING} ORDER BY id DESC""",
        {"kind": kind, "excluding": excluding}))


def summary(ledger: Ledger, batch_id: int) -> dict:
    """What a batch holds now: its standing entries, their cash and goods, and who they are for."""
    row = ledger.conn.execute(
        """SELECT count(*), coalesce(sum(p.cash_fen), 0), coalesce(sum(p.goods_fen), 0)
             FROM entries e JOIN postings p ON p.entry_id = e.id
            WHERE e.batch_id = ? AND e.kind != 'void' AND NOT EXISTS (SELECT 1 FROM entries v WHERE v.void_of = e.id)""",
        (batch_id,)).fetchone()
    held = ledger.conn.execute(   # pass-through gifts (schema.m018_pass_through) have no postings
        """SELECT count(*), coalesce(sum(g.cash_fen), 0), coalesce(sum(g.goods_fen), 0)
             FROM entries e JOIN pass_through_gifts g ON g.entry_id = e.id
            WHERE e.batch_id = ? AND NOT EXISTS (SELECT 1 FROM entries v WHERE v.void_of = e.id)""",
        (batch_id,)).fetchone()
    return {"entries": row[0] + held[0], "cash_fen": abs(row[1]) + held[1], "goods_fen": abs(row[2]) + held[2]}


def parties(ledger: Ledger, batch_id: int) -> set[str]:
    """The donors and recipients a batch named (voided since or not): what a file replacing it shares with it."""
    return {row[0] for row in ledger.conn.execute(
        """SELECT dn.name FROM entries e JOIN donations d ON d.entry_id = e.id JOIN donors dn ON dn.id = d.donor_id
            WHERE e.batch_id = :batch
           UNION SELECT x.payee FROM entries e JOIN disbursements x ON x.entry_id = e.id WHERE e.batch_id = :batch
           UNION SELECT dn.name FROM entries e JOIN pass_through_gifts g ON g.entry_id = e.id JOIN donors dn ON dn.id = g.donor_id
            WHERE e.batch_id = :batch""",
        {"batch": batch_id})}


def batch(ledger: Ledger, batch_id: int) -> dict | None:
    rows = list(ledger.query(
        """SELECT b.*, (SELECT r.id FROM batches r WHERE r.replaces = b.id) AS replaced_by
             FROM batches b WHERE b.id = ?""", [batch_id]))
    return rows[0] if rows else None


def insert_batch(ledger: Ledger, kind: str, file_name: str, sha256: str, sheets: str, options: str,
                 replaces: int | None) -> int:
    """The batch an import writes first: its entries refer to it. ``finish_batch`` completes it."""
    return ledger.insert("batches", {
        "kind": kind, "file_name": file_name, "sha256": sha256, "sheets": sheets, "options": options,
        "rows": 0, "replaces": replaces, "imported_at": now()})


def finish_batch(ledger: Ledger, batch_id: int, rows: int, fingerprint: str | None, sketch: str | None) -> None:
    """Its row count, fingerprint and sketch, once (the schema refuses any other change)."""
    ledger.conn.execute("UPDATE batches SET rows = ?, fingerprint = ?, sketch = ? WHERE id = ?",
                        (rows, fingerprint, sketch, batch_id))


def standing_entries(ledger: Ledger, batch_id: int) -> list[tuple[int, str]]:
    """(id, date) of the batch's entries that stand, latest first."""
    return [tuple(row) for row in ledger.conn.execute(
        """SELECT e.id, e.date FROM entries e WHERE e.batch_id = ? AND e.kind != 'void'
             AND NOT EXISTS (SELECT 1 FROM entries v WHERE v.void_of = e.id) ORDER BY e.id DESC""", (batch_id,))]


def list_batches(ledger: Ledger) -> list[dict]:
    return list(ledger.query(
        """SELECT b.id, b.kind, b.file_name, b.sheets, b.options, b.rows, b.imported_at, b.replaces,
                  (SELECT r.id FROM batches r WHERE r.replaces = b.id) AS replaced_by FROM batches b ORDER BY b.id"""))
