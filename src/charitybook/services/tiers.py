"""Money between tiers of the charity network, kept apart from money raised.

A grant from a higher body (上级拨入) is income of this association, booked into a fund like other
income, but not a donation: no donor, no receipt, not in the money raised. Money passed on to
another legal entity (上交 to a higher body, 拨付下级 to a lower one) leaves a fund, but is not the
association's own spending: the body that receives it counts it, and spends it. The association's
own stations are not another legal entity: money for a station stays in these books.
"""

from __future__ import annotations

from charitybook.i18n import _
from charitybook.ledger import Ledger
from charitybook.ledger import tiers as rows
from charitybook.ledger.entries import Posting, insert_entry
from charitybook.models import NewTierFlow, Recorded
from charitybook.money import to_fen
from charitybook.services import Refused, names, require_cash, resolve_fund, stations
from charitybook.vocabulary import TIER_KINDS, TIER_OUT


def add_grant(ledger: Ledger, item: NewTierFlow, *, new_project: bool = False) -> Recorded:
    """A grant received from a higher body, into a fund (a restricted fund when it comes for a
    purpose: ``--project`` names the project, ``new_project`` opens its fund)."""
    if item.kind != "from_above":
        raise Refused(_("a grant received is of kind {kind}").format(kind=TIER_KINDS.label("from_above")))
    return _record(ledger, item, "income", 1, new_project)


def pass_on(ledger: Ledger, item: NewTierFlow) -> Recorded:
    """Money passed up to a higher body or down to a lower one, out of a fund."""
    if item.kind not in TIER_OUT:
        raise Refused(_("unknown kind {value!r}; one of: {choices}").format(
            value=item.kind, choices=TIER_KINDS.choices(codes=TIER_OUT)))
    return _record(ledger, item, "disbursement", -1)


def _validate(item: NewTierFlow) -> None:
    if not item.body or not item.body.strip():
        raise Refused(_("money between tiers needs the other body: --from for a grant received, --to for money passed on"))
    if to_fen(item.amount) <= 0:
        raise Refused(_("money between tiers needs an amount above zero"))


def _record(ledger: Ledger, item: NewTierFlow, entry_kind: str, sign: int, new_project: bool = False) -> Recorded:
    _validate(item)
    fen = to_fen(item.amount)
    with ledger.write():
        if stations.register(ledger).find(item.body) is not None:   # its own stations are the same books, every way
            raise Refused(
                _("{body} is one of the association's own stations, not a lower body with its own legal personality: "
                  "its money stays in these books").format(body=item.body.strip()),
                hint=_("move the money to the station's fund with `charitybook transfer`, or record what it gives out "
                       "with `add-disbursement --township`"))
        names.require_project(ledger, item.project, new=new_project)
        fund = resolve_fund(ledger, item.fund, item.project, create_project=new_project)
        if sign < 0:
            require_cash(ledger, fund, fen, item.date)
        entry_id = insert_entry(ledger, entry_kind, item.date.isoformat(), [Posting(fund.id, sign * fen)], note=item.note)
        rows.insert_tier_flow(ledger, {"entry_id": entry_id, "kind": item.kind, "body": item.body.strip(),
                                       "fund_id": fund.id, "cash_fen": fen, "date": item.date.isoformat(),
                                       "reference": item.reference})
        summary = {"kind": item.kind, "body": item.body.strip(), "amount": item.amount, "fund": fund.name,
                   "date": item.date}
        ledger.audit("add-grant" if sign > 0 else "pass-on", {**summary, "entry": entry_id})
    return Recorded(entry_id, item.kind, summary)
