"""Reading one entry back, as plain data (money as strings in 元)."""

from __future__ import annotations

from charitybook.i18n import _
from charitybook.ledger import Ledger
from charitybook.ledger import disbursements, donations, entries, pass_through, tiers
from charitybook.money import daxie, plain
from charitybook.services import Refused


def entry(ledger: Ledger, entry_id: int) -> dict:
    with ledger.read():
        row = entries.entry(ledger, entry_id)
        if row is None:
            raise Refused(_("no entry #{id}").format(id=entry_id))
        detail: dict = {"id": row["id"], "kind": row["kind"], "date": row["date"], "note": row["note"],
                        "recorded_at": row["created_at"]}
        if row["void_of"]:
            detail["voids"] = row["void_of"]
        if row["voided_by"]:
            detail["voided_by"] = row["voided_by"]
            detail["voided_on"] = row["voided_on"]
            detail["void_reason"] = row["void_reason"]
        if gift := pass_through.gift(ledger, entry_id):
            detail.update({
                "kind": "pass_through", "pass_through_for": gift["recipient"], "donor": gift["donor"], "donor_type": gift["donor_type"],
                "amount": plain(gift["cash_fen"]), "goods": gift["item"], "goods_value": plain(gift["goods_fen"]),
                "channel": gift["channel"], "platform": gift["platform"], "township": gift["township"],
                "reference": gift["external_ref"],
                "handed_over": plain(gift["handed_cash_fen"] + gift["handed_goods_fen"]),
                "held": plain(gift["cash_fen"] + gift["goods_fen"] - gift["handed_cash_fen"] - gift["handed_goods_fen"]),
            })
        elif handed := pass_through.handover(ledger, entry_id):
            detail.update({"kind": "hand_over", "hand_over_of": handed["gift_id"], "recipient": handed["recipient"],
                           "amount": plain(handed["cash_fen"]), "goods": handed["item"] if handed["goods_fen"] else None,
                           "goods_value": plain(handed["goods_fen"])})
        elif row["kind"] == "donation":
            d = donations.donation(ledger, entry_id)
            detail.update({
                "receipt_no": d["receipt_no"], "donor": d["donor"], "donor_type": d["donor_type"],
                "amount": plain(d["cash_fen"]), "amount_in_words": daxie(d["cash_fen"]) if d["cash_fen"] else None,
                "goods": d["goods"], "quantity": d["quantity"], "unit": d["unit"], "goods_value": plain(d["goods_fen"]),
                "channel": d["channel"], "platform": d["platform"], "fund": d["fund"], "project": d["project"],
                "township": d["township"], "campaign": d["campaign"], "pledge": d["pledge_id"], "reference": d["external_ref"],
            })
        elif tier := tiers.tier_flow(ledger, entry_id):
            detail.update({"tier": tier["kind"], "body": tier["body"], "amount": plain(tier["cash_fen"]),
                           "fund": tier["fund"], "project": tier["project"], "reference": tier["reference"]})
        elif row["kind"] == "disbursement":
            d = disbursements.disbursement(ledger, entry_id)
            detail.update({
                "payee": d["payee"], "purpose": d["purpose"], "category": d["category"], "amount": plain(d["cash_fen"]),
                "goods": d["goods"], "quantity": d["quantity"], "goods_value": plain(d["goods_fen"]),
                "fund": d["fund"], "township": d["township"],
            })
        detail["postings"] = [
            {"fund": p["fund"], "cash": plain(p["cash_fen"]), "goods": plain(p["goods_fen"]),
             "principal": plain(p["principal_fen"])}
            for p in entries.postings_with_funds(ledger, entry_id)
        ]
    return {key: value for key, value in detail.items() if value is not None}
