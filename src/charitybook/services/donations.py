"""Receiving: donations, pledges, other income, opening balances."""

from __future__ import annotations

import dataclasses

from charitybook import idnumbers
from charitybook.i18n import _
from charitybook.ledger import Ledger
from charitybook.ledger import donations as rows
from charitybook.ledger.entries import GoodsLine, Posting, insert_entry
from charitybook.models import Fund, Goods, NewDonation, RecordedDonation
from charitybook.vocabulary import CHANNELS, DONOR_TYPES, PLATFORMS, infer_donor_type
from charitybook.money import to_fen
from charitybook.services import Refused, names, resolve_fund, stations

def normalize_id_code(code: str | None) -> str | None:
    """A donor's unified social credit code (GB 32100) or citizen ID number (GB 11643)."""
    if not code or not code.strip():
        return None
    code = code.strip().upper()
    if idnumbers.credit_code_valid(code):
        return code
    try:
        return idnumbers.normalize_id(code)
    except idnumbers.IdNumberError:
        raise Refused(_("{code} is neither a valid unified social credit code nor a valid ID number").format(
            code=idnumbers.mask(code))) from None


def donor_id(ledger: Ledger, name: str, donor_type: str | None, contact: str | None = None,
             id_code: str | None = None) -> tuple[int, str]:
    """The donor's row, created on first sight: the same donor given twice is one donor."""
    id_code = normalize_id_code(id_code)
    found = rows.find_donor(ledger, name, id_code)
    if found:
        given = DONOR_TYPES.parse(donor_type) if donor_type else None
        if given and given != found["type"]:
            raise Refused(_("donor {name!r} is recorded as {known}, not {given}: a donor keeps one type").format(
                name=name, known=DONOR_TYPES.label(found["type"]), given=DONOR_TYPES.label(given)),
                hint=_("leave out --donor-type; for another donor of the same name, give its --id-code"))
        return found["id"], found["type"]
    return _new_donor(ledger, name, donor_type, contact, id_code)


def _donor_type(name: str, donor_type: str | None) -> str:
    found = DONOR_TYPES.parse(donor_type) if donor_type else infer_donor_type(name)
    if found is None:
        raise Refused(_("unknown donor type {value!r}; one of: {choices}").format(value=donor_type, choices=DONOR_TYPES.choices()))
    return found


def _new_donor(ledger: Ledger, name: str, donor_type: str | None, contact: str | None,
               id_code: str | None) -> tuple[int, str]:
    donor_type = _donor_type(name, donor_type)
    return rows.insert_donor(ledger, name, donor_type, contact, id_code), donor_type


class Donors:
    """Every donor, loaded once, so that a whole file's donors resolve without a query per row.
    A name not yet known is given the next donor id on first sight and written with the others
    found since (``write_new``, inside the import's write transaction, before the rows that name
    them); in a dry run (``write=False``) it is only checked, and its id is 0."""

    def __init__(self, ledger: Ledger, write: bool = True):
        self.ledger, self.write = ledger, write
        self.known = rows.donor_keys(ledger)
        self.new: list[tuple[int, str, str]] = []   # (id, name, type) not yet written
        self._next_id: int | None = None

    def resolve(self, name: str, donor_type: str | None) -> tuple[int, str]:
        found = self.known.get((name, ""))
        if found is None:
            donor_type = _donor_type(name, donor_type)
            if self.write:
                if self._next_id is None:
                    self._next_id = rows.next_donor_id(self.ledger)
                found, self._next_id = (self._next_id, donor_type), self._next_id + 1
                self.new.append((found[0], name, donor_type))
            else:
                found = (0, donor_type)
            self.known[(name, "")] = found
        return found

    def write_new(self) -> None:
        """Write the donors resolved since the last call. Only while no other write is in flight."""
        if self.new:
            rows.insert_donors(self.ledger, self.new)
            self.new = []


def validate_donation(donation: NewDonation) -> NewDonation:
    """The donation as it will be recorded (a platform's gift is online), or Refused."""
    if donation.platform and donation.channel not in (None, "online"):
        raise Refused(_("a gift through {platform} is an online gift, not {channel}: leave out --channel or give online").format(
            platform=PLATFORMS.label(donation.platform), channel=CHANNELS.label(donation.channel)))
    if donation.channel is None:
        donation = dataclasses.replace(donation, channel="online" if donation.platform else "cash")
    if not donation.donor.strip():
        raise Refused(_("a donation needs a donor (use 匿名 for anonymous gifts)"))
    if donation.amount <= 0 and donation.goods is None:
        raise Refused(_("a donation needs --amount (cash) or --goods with a value"))
    if donation.channel not in CHANNELS.codes:
        raise Refused(_("unknown channel {value!r}; one of: {choices}").format(value=donation.channel, choices=CHANNELS.choices()))
    if donation.goods is not None and donation.goods.value <= 0:
        raise Refused(_("goods {item!r} need a value above zero").format(item=donation.goods.item))
    return donation


def donation_row(donation: NewDonation, fund: Fund, donor: tuple[int, str], seq: int,
                 batch_id: int | None = None) -> rows.DonationRow:
    """The ledger row for one donation: fen amounts, fund, donor, receipt number, provenance."""
    cash_fen = to_fen(donation.amount)
    g = donation.goods
    goods_fen = to_fen(g.value) if g else 0
    channel = donation.channel if cash_fen else ("goods" if donation.channel == "cash" else donation.channel)
    return rows.DonationRow(
        date=donation.date.isoformat(), note=donation.note, batch_id=batch_id,
        source=str(donation.source) if donation.source else None,
        fund_id=fund.id, cash_fen=cash_fen, goods_fen=goods_fen, principal_fen=cash_fen if fund.kind == "endowment" else 0,
        item=g.item if g else None, quantity=str(g.quantity) if g and g.quantity is not None else None,
        unit=g.unit if g else None, unit_value_fen=to_fen(g.unit_value) if g and g.unit_value is not None else None,
        receipt_year=donation.date.year, receipt_seq=seq, donor_id=donor[0], channel=channel, platform=donation.platform,
        township=donation.township, campaign=donation.campaign, pledge_id=donation.pledge_id,
        external_ref=donation.external_ref)


def add_donation(ledger: Ledger, donation: NewDonation, *, new_project: bool = False,
                 new_township: bool = False) -> RecordedDonation:
    """Record one donation. A project or township the ledger has not seen is refused as a likely
    typo unless ``new_project`` says it is new (``services.names``); the township is a registered station
    (``--new-township`` registers it, ``services.stations``) and is stored under its registered name."""
    donation = validate_donation(donation)
    with ledger.write():
        names.require_project(ledger, donation.project, new=new_project)
        donation = dataclasses.replace(donation, township=stations.named(ledger, donation.township, new=new_township))
        fund = resolve_fund(ledger, donation.fund, donation.project, create_project=True)
        donor = donor_id(ledger, donation.donor.strip(), donation.donor_type, donation.donor_contact, donation.donor_id_code)
        if donation.pledge_id is not None:
            _check_pledge(ledger, donation.pledge_id, donor[0])
        if donation.external_ref and rows.external_ref_exists(ledger, donation.external_ref):
            raise Refused(_("a donation with reference {ref!r} is already in the ledger").format(ref=donation.external_ref))
        seq = rows.next_receipt_seq(ledger, donation.date.year)
        [entry_id] = rows.insert_donations(ledger, [donation_row(donation, fund, donor, seq)])
        receipt = rows.receipt_no(donation.date.year, seq)
        ledger.audit("add-donation", {"entry": entry_id, "receipt_no": receipt, "donor": donation.donor,
                                      "amount": str(donation.amount), "goods": donation.goods and str(donation.goods.value)})
    return RecordedDonation(entry_id, receipt, donation.date, donation.donor.strip(), donor[1], fund.name,
                            donation.amount, donation.goods, donation.channel)


def _check_pledge(ledger: Ledger, pledge_id: int, donor: int) -> None:
    pledge = rows.pledge(ledger, pledge_id)
    if not pledge:
        raise Refused(_("no pledge #{id}").format(id=pledge_id))
    if pledge["donor_id"] != donor:
        raise Refused(_("pledge #{id} was made by {donor!r}, not this donor").format(id=pledge_id, donor=pledge["donor"]))


def add_pledge(ledger: Ledger, donor: str, amount, date, due, fund: str | None, project: str | None,
               donor_type: str | None = None, note: str | None = None, *, new_project: bool = False) -> int:
    with ledger.write():
        names.require_project(ledger, project, new=new_project)
        target = resolve_fund(ledger, fund, project, create_project=True)
        donor_row = donor_id(ledger, donor.strip(), donor_type)
        pledge_id = rows.insert_pledge(ledger, {
            "donor_id": donor_row[0], "fund_id": target.id, "amount_fen": to_fen(amount),
            "date": date.isoformat(), "due_date": due.isoformat() if due else None, "note": note,
        })
        ledger.audit("add-pledge", {"pledge": pledge_id, "donor": donor, "amount": str(amount)})
    return pledge_id


def add_income(ledger: Ledger, amount, date, fund: str | None, project: str | None, note: str | None) -> int:
    """Other income (interest on an endowment, say): cash in, never principal."""
    if to_fen(amount) <= 0:
        raise Refused(_("income needs an amount above zero"))
    with ledger.write():
        target = resolve_fund(ledger, fund, project)
        entry_id = insert_entry(ledger, "income", date.isoformat(), [Posting(target.id, to_fen(amount))], note=note)
        ledger.audit("add-income", {"entry": entry_id, "fund": target.name, "amount": str(amount)})
    return entry_id


def add_opening(ledger: Ledger, fund: str, date, cash, goods: Goods | None, principal) -> tuple[int, str]:
    """Money and goods already on hand when the association starts using charitybook: the entry
    and the fund's name (``general`` is the general fund, 非限定性基金)."""
    with ledger.write():
        target = resolve_fund(ledger, fund, None)
        cash_fen, goods_fen, principal_fen = to_fen(cash), to_fen(goods.value) if goods else 0, to_fen(principal)
        if principal_fen and target.kind != "endowment":
            raise Refused(_("only an endowment fund has principal"))
        if principal_fen > cash_fen:
            raise Refused(_("principal cannot exceed the cash on hand"))
        if not cash_fen and not goods_fen:
            raise Refused(_("an opening balance needs --cash or --goods-value"))
        lines = [GoodsLine(target.id, goods.item, goods_fen,
                           str(goods.quantity) if goods.quantity is not None else None, goods.unit)] if goods else []
        entry_id = insert_entry(ledger, "opening", date.isoformat(),
                                [Posting(target.id, cash_fen, goods_fen, principal_fen)],
                                note="opening balance", goods=lines)
        ledger.audit("opening", {"entry": entry_id, "fund": target.name, "cash": str(cash)})
    return entry_id, target.name
