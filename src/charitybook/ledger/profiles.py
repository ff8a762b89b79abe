"""Saved import profiles: every version kept, the latest one of a name in use."""

from __future__ import annotations

import json

from charitybook.ledger import Ledger, now


def insert_profile(ledger: Ledger, name: str, kind: str, options: dict) -> int:
    """A new version of the profile; returns its version number (1 for the first)."""
    ledger.conn.execute(
        "INSERT INTO import_profiles (name, kind, options, saved_at, saved_by) VALUES (?, ?, ?, ?, ?)",
        (name, kind, json.dumps(options, ensure_ascii=False, sort_keys=True), now(), ledger.actor.user))
    return ledger.conn.execute("SELECT count(*) FROM import_profiles WHERE name = ?", (name,)).fetchone()[0]


def latest_profile(ledger: Ledger, name: str) -> dict | None:
    row = ledger.conn.execute(
        """SELECT name, kind, options, saved_at, saved_by, (SELECT count(*) FROM import_profiles v WHERE v.name = p.name)
             FROM import_profiles p WHERE name = ? ORDER BY id DESC LIMIT 1""", (name,)).fetchone()
    if row is None:
        return None
    return {"name": row[0], "kind": row[1], "options": json.loads(row[2]), "saved_at": row[3], "saved_by": row[4],
            "version": row[5]}


def list_profiles(ledger: Ledger) -> list[dict]:
    return [latest_profile(ledger, row[0]) for row in
            ledger.conn.execute("SELECT name FROM import_profiles GROUP BY name ORDER BY min(id)")]
