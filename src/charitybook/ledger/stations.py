"""The register of stations (townships and their villages) and the other names they go by."""

from __future__ import annotations

from charitybook.ledger import Ledger, now
from charitybook.models import Station


def insert_station(ledger: Ledger, name: str, parent_id: int | None) -> int:
    return ledger.conn.execute(
        "INSERT INTO stations (name, level, parent_id, created_at) VALUES (?, ?, ?, ?)",
        (name, "village" if parent_id else "township", parent_id, now())).lastrowid


def insert_alias(ledger: Ledger, alias: str, station_id: int) -> int:
    return ledger.conn.execute("INSERT INTO station_aliases (alias, station_id, created_at) VALUES (?, ?, ?)",
                               (alias, station_id, now())).lastrowid


def all_stations(ledger: Ledger) -> list[Station]:
    """Every station with its township's name and its aliases, townships first, by name."""
    aliases: dict[int, list[str]] = {}
    for station_id, alias in ledger.conn.execute("SELECT station_id, alias FROM station_aliases ORDER BY id"):
        aliases.setdefault(station_id, []).append(alias)
    return [Station(row[0], row[1], row[2], row[3], tuple(aliases.get(row[0], ())))
            for row in ledger.conn.execute(
                """SELECT s.id, s.name, s.level, p.name FROM stations s LEFT JOIN stations p ON p.id = s.parent_id
                    ORDER BY s.level = 'village', s.name""")]
