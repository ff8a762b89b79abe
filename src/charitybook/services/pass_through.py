"""Pass-through gifts (受托代理, 定向到人): recorded, held for the named recipient, handed over.

The donor names the person or unit and the association cannot change it, so the gift is neither
income nor expense (民间非营利组织会计制度, 受托代理业务): it is in no fund, not in the receipts, the
spending or the ratios; while held it is 受托代理资产 and, as much, 受托代理负债. Each hand-over is one
entry, never more than is still held; a void (``services.corrections``) takes either back."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from charitybook.i18n import _
from charitybook.ledger import Ledger
from charitybook.ledger import donations as donation_rows
from charitybook.ledger import entries
from charitybook.ledger import pass_through as rows
from charitybook.ledger.entries import insert_entry
from charitybook.models import NewDonation
from charitybook.money import to_fen, yuan
from charitybook.services import Refused, stations
from charitybook.services.donations import donor_id, validate_donation


@dataclass(frozen=True)
class RecordedGift:
    id: int
    date: dt.date
    donor: str
    donor_type: str
    recipient: str
    cash_fen: int
    goods_fen: int
    item: str | None


@dataclass(frozen=True)
class HandedOver:
    id: int
    gift_id: int
    recipient: str
    cash_fen: int
    goods_fen: int
    held_fen: int          # still held for the recipient after this hand-over


def validate_gift(donation: NewDonation) -> NewDonation:
    """A pass-through gift as it will be recorded, or Refused: it names its recipient and sits in no
    fund, so it has no fund, project, pledge or campaign of the association."""
    recipient = (donation.recipient or "").strip()
    if not recipient:
        raise Refused(_("a pass-through gift needs the person or unit it is for: give --for NAME"))
    for given, option in ((donation.fund, "--fund"), (donation.project, "--project"),
                          (donation.pledge_id, "--pledge"), (donation.campaign, "--campaign")):
        if given is not None:
            raise Refused(_("a pass-through gift is in no fund of the association: leave out {option}").format(option=option))
    return dataclasses.replace(validate_donation(donation), recipient=recipient)


def gift_channel(donation: NewDonation) -> str:
    return donation.channel if donation.amount > 0 else ("goods" if donation.channel == "cash" else donation.channel)


def write_gift(ledger: Ledger, donation: NewDonation, donor: int, batch_id: int | None = None) -> int:
    """One checked pass-through gift: its entry (no postings) and its row. Inside a transaction."""
    g = donation.goods
    entry_id = insert_entry(ledger, "donation", donation.date.isoformat(), [], note=donation.note, batch_id=batch_id,
                            source=str(donation.source) if donation.source else None)
    rows.insert_gift(ledger, entry_id, donor, donation.recipient, to_fen(donation.amount), to_fen(g.value) if g else 0,
                     g.item if g else None, gift_channel(donation), donation.platform, donation.township,
                     donation.external_ref)
    return entry_id


def write_staged_gift(ledger: Ledger, row: tuple, donor: int, batch_id: int | None) -> int:
    """A pass-through gift of an import (``services.import_writers.STAGED``), checked and staged."""
    (_sheet, _row, ref, _donor, _donor_type, day, cash_fen, goods_fen, _fund, _project, source, note,
     item, _quantity, _unit, _unit_value, channel, platform, township, _campaign, _digest, recipient) = row
    entry_id = insert_entry(ledger, "donation", day, [], note=note, batch_id=batch_id, source=source)
    rows.insert_gift(ledger, entry_id, donor, recipient, cash_fen, goods_fen, item, channel, platform, township, ref)
    return entry_id


def add_gift(ledger: Ledger, donation: NewDonation, *, new_township: bool = False) -> RecordedGift:
    """Record one pass-through gift typed in (``add-donation --pass-through --for NAME``)."""
    donation = validate_gift(donation)
    with ledger.write():
        donation = dataclasses.replace(donation, township=stations.named(ledger, donation.township, new=new_township))
        donor = donor_id(ledger, donation.donor.strip(), donation.donor_type, donation.donor_contact, donation.donor_id_code)
        if donation.external_ref and donation_rows.external_ref_exists(ledger, donation.external_ref):
            raise Refused(_("a donation with reference {ref!r} is already in the ledger").format(ref=donation.external_ref))
        entry_id = write_gift(ledger, donation, donor[0])
        ledger.audit("add-donation", {"entry": entry_id, "pass_through_for": donation.recipient, "donor": donation.donor,
                                      "amount": str(donation.amount), "goods": donation.goods and str(donation.goods.value)})
    g = donation.goods
    return RecordedGift(entry_id, donation.date, donation.donor.strip(), donor[1], donation.recipient,
                        to_fen(donation.amount), to_fen(g.value) if g else 0, g.item if g else None)


def hand_over(ledger: Ledger, gift_id: int, date: dt.date, amount: Decimal | None = None,
              value: Decimal | None = None, note: str | None = None) -> HandedOver:
    """Hand (part of) a pass-through gift to its named recipient: cash ``amount`` and/or goods
    ``value``; neither given hands over all that is still held. Never more than is held."""
    with ledger.write():
        gift = rows.gift(ledger, gift_id)
        if gift is None:
            raise Refused(_("entry #{id} is no pass-through gift").format(id=gift_id),
                          hint=_("`charitybook pass-through` lists the gifts held"))
        if entries.entry(ledger, gift_id)["voided_by"]:
            raise Refused(_("pass-through gift #{id} was voided: there is nothing to hand over").format(id=gift_id))
        held_cash = gift["cash_fen"] - gift["handed_cash_fen"]
        held_goods = gift["goods_fen"] - gift["handed_goods_fen"]
        if amount is None and value is None:
            cash_fen, goods_fen = held_cash, held_goods
        else:
            cash_fen, goods_fen = to_fen(amount or Decimal(0)), to_fen(value or Decimal(0))
        if held_cash + held_goods <= 0:
            raise Refused(_("pass-through gift #{id} holds nothing more to hand over to {recipient}").format(
                id=gift_id, recipient=gift["recipient"]))
        if cash_fen < 0 or goods_fen < 0 or cash_fen + goods_fen <= 0:
            raise Refused(_("a hand-over needs --amount or --value above zero"))
        if cash_fen > held_cash or goods_fen > held_goods:
            raise Refused(_("pass-through gift #{id} holds {cash} 元 cash and {goods} 元 goods for {recipient}: "
                            "a hand-over cannot be more than is held").format(
                id=gift_id, cash=yuan(held_cash), goods=yuan(held_goods), recipient=gift["recipient"]))
        if date.isoformat() < gift["date"]:
            raise Refused(_("a hand-over dated {date} would come before gift #{id}, dated {gift_date}").format(
                date=date.isoformat(), id=gift_id, gift_date=gift["date"]),
                hint=_("give --date {gift_date} or later").format(gift_date=gift["date"]))
        entry_id = insert_entry(ledger, "disbursement", date.isoformat(), [], note=note)
        rows.insert_handover(ledger, entry_id, gift_id, cash_fen, goods_fen)
        ledger.audit("hand-over", {"entry": entry_id, "gift": gift_id, "recipient": gift["recipient"],
                                   "cash_fen": cash_fen, "goods_fen": goods_fen})
    held = held_cash + held_goods - cash_fen - goods_fen
    return HandedOver(entry_id, gift_id, gift["recipient"], cash_fen, goods_fen, held)


def refuse_void(ledger: Ledger, entry_id: int) -> None:
    """A pass-through gift is voided only once no standing hand-over takes from it (``services.corrections``)."""
    handed = rows.standing_handovers(ledger, entry_id) if rows.gift(ledger, entry_id) else []
    if handed:
        raise Refused(_("pass-through gift #{id} has been handed over (entries {entries}): void the hand-overs first").format(
            id=entry_id, entries=", ".join(f"#{h}" for h in handed)))


def listing(ledger: Ledger, held_only: bool = False) -> list[dict]:
    """The standing pass-through gifts with what was received, handed over and is held (fen)."""
    with ledger.read():
        found = rows.gifts(ledger, held_only)
    return [{**row, "held_fen": row["cash_fen"] + row["goods_fen"] - row["handed_cash_fen"] - row["handed_goods_fen"]}
            for row in found]
