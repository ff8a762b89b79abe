"""What counts, and when: the one owner of "standing (not voided)" for every report.

An entry counts in the year of its own date while it stands. A void takes its entry out of the
entry's own year (both drop out), except the correction of a closed year -- a void dated in an
open year of a closed year's entry, ``closed_correction`` (schema.m014_periods): that one leaves
the entry standing in the closed year, as signed, and counts in its own year, negatively, with the
entry's attributes. (`balance` and the fund statement follow the journal instead: a void counts on
its own date.) SQL fragments below use ``e`` for the entry and ``v`` for a void.
"""

from __future__ import annotations

STANDING = "NOT EXISTS (SELECT 1 FROM entries v WHERE v.void_of = e.id AND v.closed_correction IS NULL)"
# standing on :end (a pledge's gifts, counted up to a day)
STANDING_ON = "NOT EXISTS (SELECT 1 FROM entries v WHERE v.void_of = e.id AND (v.closed_correction IS NULL OR v.date <= :end))"
# the correction ``v``, dated in the period, of a closed year's entry ``e``
LATE_VOID = "v.void_of = e.id AND v.closed_correction = 1 AND v.date BETWEEN :start AND :end"

IN_PERIOD = "{date} BETWEEN :start AND :end"
UP_TO_END = "{date} <= :end"
# what was there at the start of the period: before it, and the opening balances dated in it
AT_START = "({date} < :start OR ({kind} = 'opening' AND {date} <= :end))"


def counted(when: str = IN_PERIOD) -> str:
    """A subquery of the entries that count in a period, one row each as ``(id, date, sign)``:
    ``id`` is the entry whose attributes (postings, disbursement, tier flow) count, ``sign`` is
    1 for a standing entry and -1 for the correction of a closed year that reverses it, ``date``
    the day it counts on. ``when`` is one of IN_PERIOD, UP_TO_END, AT_START. Join it as
    ``FROM {counted()} c JOIN entries e ON e.id = c.id`` and multiply amounts by ``c.sign``."""
    return f"""(SELECT e.id AS id, e.date AS date, 1 AS sign FROM entries e
                 WHERE e.kind != 'void' AND {when.format(date='e.date', kind='e.kind')} AND {STANDING}
                UNION ALL
                SELECT v.void_of, v.date, -1 FROM entries v JOIN entries e ON e.id = v.void_of
                 WHERE v.closed_correction = 1 AND {when.format(date='v.date', kind='e.kind')})"""
