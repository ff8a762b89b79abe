"""Pass-through gifts (受托代理) and their hand-overs: the SQL (schema.m018_pass_through).

A pass-through gift sits in no fund: its entry has no postings. What the association holds for the
named recipient is the standing gift less its standing hand-overs; a voided gift or hand-over counts
for nothing, as in the statements (``ledger.statements``)."""

from __future__ import annotations

from charitybook.ledger import Ledger
from charitybook.ledger.reports import STANDING

def insert_gift(ledger: Ledger, entry_id: int, donor_id: int, recipient: str, cash_fen: int, goods_fen: int,
                item: str | None, channel: str, platform: str | None, township: str | None,
                external_ref: str | None) -> None:
    ledger.conn.execute(
        """INSERT INTO pass_through_gifts (entry_id, donor_id, recipient, cash_fen, goods_fen, item, channel, platform,
                                           township, external_ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (entry_id, donor_id, recipient, cash_fen, goods_fen, item, channel, platform, township, external_ref))


def insert_handover(ledger: Ledger, entry_id: int, gift_id: int, cash_fen: int, goods_fen: int) -> None:
    ledger.conn.execute("INSERT INTO pass_through_handovers (entry_id, gift_id, cash_fen, goods_fen) VALUES (?, ?, ?, ?)",
                        (entry_id, gift_id, cash_fen, goods_fen))


def gift(ledger: Ledger, entry_id: int) -> dict | None:
    """One pass-through gift with what is still held (cash, goods), or None."""
    rows = list(ledger.query(
        f"""SELECT g.entry_id AS id, e.date, g.recipient, d.name AS donor, d.type AS donor_type, g.cash_fen, g.goods_fen,
                   g.item, g.channel, g.platform, g.township, g.external_ref,
                   (SELECT coalesce(sum(h.cash_fen), 0) FROM pass_through_handovers h JOIN entries e ON e.id = h.entry_id
                     WHERE h.gift_id = g.entry_id AND {STANDING}) AS handed_cash_fen,
                   (SELECT coalesce(sum(h.goods_fen), 0) FROM pass_through_handovers h JOIN entries e ON e.id = h.entry_id
                     WHERE h.gift_id = g.entry_id AND {STANDING}) AS handed_goods_fen
              FROM pass_through_gifts g JOIN entries e ON e.id = g.entry_id JOIN donors d ON d.id = g.donor_id
             WHERE g.entry_id = ?""", [entry_id]))
    return rows[0] if rows else None


def handover(ledger: Ledger, entry_id: int) -> dict | None:
    rows = list(ledger.query(
        """SELECT h.entry_id AS id, h.gift_id, g.recipient, h.cash_fen, h.goods_fen, g.item
             FROM pass_through_handovers h JOIN pass_through_gifts g ON g.entry_id = h.gift_id WHERE h.entry_id = ?""",
        [entry_id]))
    return rows[0] if rows else None


def standing_handovers(ledger: Ledger, gift_id: int) -> list[int]:
    """The standing hand-overs of a gift (a gift cannot be voided while one stands)."""
    return [row[0] for row in ledger.conn.execute(
        f"""SELECT h.entry_id FROM pass_through_handovers h JOIN entries e ON e.id = h.entry_id
             WHERE h.gift_id = ? AND {STANDING} ORDER BY 1""", (gift_id,))]


def gifts(ledger: Ledger, held_only: bool = False) -> list[dict]:
    """Every standing pass-through gift, oldest first, with what was handed over and what is held."""
    rows = ledger.query(
        f"""SELECT g.entry_id AS id, e.date, g.recipient, d.name AS donor, g.cash_fen, g.goods_fen, g.item,
                   (SELECT coalesce(sum(h.cash_fen), 0) FROM pass_through_handovers h JOIN entries e ON e.id = h.entry_id
                     WHERE h.gift_id = g.entry_id AND {STANDING}) AS handed_cash_fen,
                   (SELECT coalesce(sum(h.goods_fen), 0) FROM pass_through_handovers h JOIN entries e ON e.id = h.entry_id
                     WHERE h.gift_id = g.entry_id AND {STANDING}) AS handed_goods_fen
              FROM pass_through_gifts g JOIN entries e ON e.id = g.entry_id JOIN donors d ON d.id = g.donor_id
             WHERE {STANDING} ORDER BY e.date, g.entry_id""")
    found = list(rows)
    if held_only:
        found = [row for row in found
                 if row["cash_fen"] + row["goods_fen"] > row["handed_cash_fen"] + row["handed_goods_fen"]]
    return found


def held_at(ledger: Ledger, end: str) -> int:
    """Fen held for recipients at the end of the day ``end`` (受托代理资产 = 受托代理负债): standing gifts
    dated up to it less their standing hand-overs dated up to it."""
    [received] = ledger.conn.execute(
        f"""SELECT coalesce(sum(g.cash_fen + g.goods_fen), 0) FROM pass_through_gifts g JOIN entries e ON e.id = g.entry_id
             WHERE e.date <= ? AND {STANDING}""", (end,)).fetchone()
    [handed] = ledger.conn.execute(
        f"""SELECT coalesce(sum(h.cash_fen + h.goods_fen), 0) FROM pass_through_handovers h JOIN entries e ON e.id = h.entry_id
             WHERE e.date <= ? AND {STANDING}""", (end,)).fetchone()
    return received - handed


def year_sums(ledger: Ledger, year: int) -> dict[str, int]:
    """The year's standing pass-through money: received and handed over, cash and goods, in fen."""
    bounds = (f"{year:04d}-01-01", f"{year:04d}-12-31")
    [rc, rg] = ledger.conn.execute(
        f"""SELECT coalesce(sum(g.cash_fen), 0), coalesce(sum(g.goods_fen), 0) FROM pass_through_gifts g
              JOIN entries e ON e.id = g.entry_id WHERE e.date BETWEEN ? AND ? AND {STANDING}""", bounds).fetchone()
    [hc, hg] = ledger.conn.execute(
        f"""SELECT coalesce(sum(h.cash_fen), 0), coalesce(sum(h.goods_fen), 0) FROM pass_through_handovers h
              JOIN entries e ON e.id = h.entry_id WHERE e.date BETWEEN ? AND ? AND {STANDING}""", bounds).fetchone()
    return {"received_cash": rc, "received_goods": rg, "handed_cash": hc, "handed_goods": hg}
