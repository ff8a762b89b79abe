"""One record as a `show` command prints it: readable labels, money in 元, local times; no
internal keys (``*_fen``, ``*_id``). JSON output is not made here: it keeps the machine keys."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from charitybook.dates import local_time
from charitybook.i18n import N_, _
from charitybook.money import plain, to_fen, yuan

LABELS = {
    "id": N_("Number"), "kind": N_("Kind"), "date": N_("Date"), "receipt_no": N_("Receipt"),
    "donor": N_("Donor"), "donor_type": N_("Donor type"), "payee": N_("Payee"), "purpose": N_("Purpose"),
    "category": N_("Category"), "amount": N_("Cash amount"), "amount_in_words": N_("Cash in words"), "goods": N_("Goods"),
    "quantity": N_("Quantity"), "unit": N_("Unit"), "goods_value": N_("Goods value"), "channel": N_("Channel"),
    "platform": N_("Platform"), "fund": N_("Fund"), "project": N_("Project"), "township": N_("Township"),
    "village": N_("Village"), "campaign": N_("Campaign"), "pledge": N_("Pledge"), "reference": N_("Reference"),
    "note": N_("Note"), "voids": N_("Voids entry"), "voided_by": N_("Voided by entry"), "voided_on": N_("Voided on"),
    "void_reason": N_("Why voided"), "recorded_at": N_("Recorded"), "created_at": N_("Registered"),
    "name": N_("Name"), "id_number": N_("ID number"), "no_id_reason": N_("No ID number because"),
    "gender": N_("Gender"), "birth_date": N_("Born"), "household_size": N_("Household size"),
    "hardship_type": N_("Hardship"), "phone": N_("Phone"), "reason": N_("Reason"), "health": N_("Health"),
    "opened_on": N_("Opened"), "decision": N_("Decision"), "decision_reason": N_("Why decided so"), "decided_on": N_("Decided"), "status": N_("Status"),
    "asked": N_("Asked"), "approved": N_("Approved"), "paid": N_("Paid"),
    "tier": N_("Between tiers"), "body": N_("From / to body"),
    "pass_through_for": N_("Pass-through gift for"), "handed_over": N_("Handed over"), "held": N_("Still held"),
    "hand_over_of": N_("Hand-over of gift"), "recipient": N_("Recipient"),
}
MONEY = {"amount", "goods_value", "asked", "approved", "paid", "handed_over", "held"}   # plain 元 strings ("1234.50")
TIMES = {"recorded_at", "created_at", "saved_at", "imported_at"}
ENTRY_REFERENCES = {"voids", "voided_by", "pledge", "hand_over_of"}


def money_text(value) -> str:
    """A plain 元 amount ("52000.00") as people read it: ``52,000.00 元``."""
    try:
        return f"{yuan(to_fen(Decimal(str(value))))} 元"
    except (InvalidOperation, ValueError):
        return str(value)


def pairs(detail: dict, terms: dict | None = None) -> list[tuple[str, object]]:
    """(label, value) for ``output.record``, in the record's order; keys no one reads (``*_fen``,
    ``*_id``) are left out, lists are shown by their own command; a value under a key of ``terms``
    is a vocabulary's code, shown by its label in the run's language."""
    terms = terms or {}
    shown = []
    for key, value in detail.items():
        if value is None or value == "" or isinstance(value, (list, dict)):
            continue
        if key not in LABELS and (key.endswith("_fen") or key.endswith("_id")):
            continue
        label = _(LABELS[key]) if key in LABELS else key.replace("_", " ").capitalize()
        if key in terms:
            value = terms[key].label(str(value))
        elif key in MONEY:
            value = money_text(value)
        elif key in TIMES:
            value = local_time(value)
        elif key in ENTRY_REFERENCES or key == "id":
            value = f"#{value}"
        shown.append((label, value))
    return shown


def case_amounts(row: dict) -> dict:
    """A case with its amounts as plain 元 strings (``asked``, ``approved``, ``paid``) instead of fen."""
    row = dict(row)
    asked, approved, paid = row.pop("asked_fen"), row.pop("approved_fen", None), row.pop("paid_fen", 0)
    return {**row, "asked": plain(asked), "approved": plain(approved) if approved is not None else None,
            "paid": plain(paid or 0)}
