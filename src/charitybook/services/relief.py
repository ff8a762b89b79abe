"""Relief: beneficiaries, relief cases (申请 → 审核 → 发放) and holiday distributions."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from charitybook import idnumbers, vocabulary
from charitybook.i18n import _
from charitybook.ledger import Ledger, periods
from charitybook.ledger import relief as rows
from charitybook.models import HOLIDAY_CATEGORY, Gift, NewDisbursement, Person
from charitybook.money import to_fen, yuan
from charitybook.services import Refused, resolve_fund, stations
from charitybook.services.spending import write_disbursement


def beneficiary_for(ledger: Ledger, person: Person) -> int:
    """The person's one row, found by ID number or created. Inside a transaction."""
    if person.id_number:
        id_number = idnumbers.normalize_id(person.id_number)
        found = rows.beneficiary_by_id_number(ledger, id_number)
        if found:
            if found["name"] != person.name:
                raise Refused(_("ID number {id} is registered to {known!r}, not {given!r}").format(
                    id=idnumbers.mask(id_number), known=found["name"], given=person.name))
            result = found["id"]
        else:
            born = idnumbers.birth_date(id_number)
            result = rows.insert_beneficiary(ledger, {
                "name": person.name, "id_number": id_number, "gender": idnumbers.gender(id_number),
                "birth_date": born.isoformat() if born else None, **_details(person)})
        return result
    if not (person.no_id_reason or "").strip():
        raise Refused(_("{name}: an ID number is required; a person without one (an infant, a foreigner) "
                        "needs --no-id REASON").format(name=person.name))
    return rows.insert_beneficiary(ledger, {"name": person.name, "no_id_reason": person.no_id_reason, **_details(person)})


def _details(person: Person) -> dict:
    return {"township": person.township, "village": person.village, "household_size": person.household_size,
            "hardship_type": person.hardship_type, "phone": person.phone}


def _placed(ledger: Ledger, person: Person, new_township: bool) -> Person:
    """The person's township and village as the register names them (``services.stations``)."""
    township, village = stations.place(ledger, person.township, person.village, new=new_township)
    return dataclasses.replace(person, township=township, village=village)


def add_beneficiary(ledger: Ledger, person: Person, *, new_township: bool = False) -> int:
    with ledger.write():
        person = _placed(ledger, person, new_township)
        beneficiary_id = beneficiary_for(ledger, person)
        ledger.audit("beneficiary add", {"beneficiary": beneficiary_id})
    return beneficiary_id


def show_beneficiary(ledger: Ledger, beneficiary_id: int, reveal: bool) -> dict:
    """One beneficiary; the full ID number only with ``reveal``, and the reveal is logged
    (in the same transaction, so no reveal goes unrecorded)."""
    with ledger.write() if reveal else ledger.read():
        row = rows.beneficiary(ledger, beneficiary_id)
        if row is None:
            raise Refused(_("no beneficiary #{id}").format(id=beneficiary_id))
        if reveal:
            ledger.audit("reveal id number", {"beneficiary": beneficiary_id})
        else:
            row["id_number"] = idnumbers.mask(row["id_number"])
    return row


def list_beneficiaries(ledger: Ledger, township: str | None) -> list[dict]:
    with ledger.read():
        township = township and stations.require(ledger, township)
        return [{**row, "id_number": idnumbers.mask(row["id_number"])} for row in rows.list_beneficiaries(ledger, township)]


# --- relief cases -------------------------------------------------------------------------

def case_status(row: dict) -> str:
    if row["decision"] == "rejected":
        return "rejected"
    if row["decision"] != "approved":
        return "open"
    if row["paid_fen"] >= row["approved_fen"]:
        return "closed"
    return "paying" if row["paid_fen"] else "approved"


def open_case(ledger: Ledger, person: Person, category: str, asked: Decimal, reason: str,
              health: str | None, opened_on: dt.date, *, new_township: bool = False) -> tuple[int, list[str]]:
    """Open a case; returns its id and warnings (the same person, same category, same year)."""
    if to_fen(asked) <= 0:
        raise Refused(_("the amount asked must be above zero"))
    with ledger.write():
        periods.require_open(ledger, opened_on.isoformat())   # a case opened in a closed year is its history too
        person = _placed(ledger, person, new_township)
        beneficiary_id = beneficiary_for(ledger, person)
        warnings = [
            _("{name} already had case #{id} of category {category} this year (opened {date})").format(
                name=person.name, id=earlier["id"], category=category, date=earlier["opened_on"])
            for earlier in rows.earlier_cases(ledger, beneficiary_id, category, opened_on.year)
        ]
        case_id = rows.insert_case(ledger, {"beneficiary_id": beneficiary_id, "category": category,
                                            "asked_fen": to_fen(asked), "reason": reason, "health": health,
                                            "opened_on": opened_on.isoformat()})
        ledger.audit("case open", {"case": case_id, "beneficiary": beneficiary_id, "category": category})
    return case_id, warnings


def _case(ledger: Ledger, case_id: int) -> dict:
    row = rows.case(ledger, case_id)
    if row is None:
        raise Refused(_("no case #{id}").format(id=case_id))
    row["status"] = case_status(row)
    return row


def decide_case(ledger: Ledger, case_id: int, approved: Decimal | None, reason: str | None, on: dt.date) -> dict:
    """Approve with an amount, or reject with a reason. Only an open case can be decided."""
    with ledger.write():
        row = _case(ledger, case_id)
        if row["status"] != "open":
            raise Refused(_("case #{id} is already {status}").format(id=case_id, status=vocabulary.CASE_STATUSES.label(row["status"])))
        if approved is None and not (reason or "").strip():
            raise Refused(_("a rejection needs --reason"))
        if approved is not None and to_fen(approved) <= 0:
            raise Refused(_("the approved amount must be above zero"),
                          hint=_("to turn the case down, use `charitybook case reject` with a reason"))
        decision = "approved" if approved is not None else "rejected"
        rows.insert_decision(ledger, {"case_id": case_id, "decision": decision,
                                      "approved_fen": to_fen(approved) if approved is not None else None,
                                      "reason": reason, "decided_on": on.isoformat()})
        ledger.audit(f"case {decision}", {"case": case_id, "amount": str(approved) if approved is not None else None})
        return _case(ledger, case_id)


def pay_case(ledger: Ledger, case_id: int, amount: Decimal, on: dt.date, fund: str | None,
             project: str | None, note: str | None) -> tuple[int, dict]:
    """One instalment, up to the approved amount, as a charitable disbursement."""
    with ledger.write():
        row = _case(ledger, case_id)
        if row["status"] in ("open", "rejected"):
            raise Refused(_("case #{id} is {status}, not approved: it cannot be paid").format(
                id=case_id, status=vocabulary.CASE_STATUSES.label(row["status"])))
        left = row["approved_fen"] - row["paid_fen"]
        if to_fen(amount) <= 0:
            raise Refused(_("case #{id}: an instalment must be above zero").format(id=case_id))
        if to_fen(amount) > left:
            raise Refused(_("case #{id}: approved {approved} 元, paid {paid} 元; {amount} 元 is more than the {left} 元 left").format(
                id=case_id, approved=yuan(row["approved_fen"]), paid=yuan(row["paid_fen"]), amount=yuan(to_fen(amount)), left=yuan(left)))
        source = resolve_fund(ledger, fund, project)
        entry_id = write_disbursement(ledger, NewDisbursement(
            payee=row["name"], date=on, purpose="charitable", amount=amount, category=row["category"],
            township=row["township"], note=note, beneficiary_id=row["beneficiary_id"], case_id=case_id), source)
        ledger.audit("case pay", {"case": case_id, "entry": entry_id, "amount": str(amount)})
        return entry_id, _case(ledger, case_id)


def show_case(ledger: Ledger, case_id: int) -> dict:
    with ledger.read():
        row = _case(ledger, case_id)
    row["id_number"] = idnumbers.mask(row["id_number"])
    return row


def list_cases(ledger: Ledger, status: str | None, category: str | None, township: str | None, year: int | None) -> list[dict]:
    """Cases without health details, with masked ID numbers."""
    with ledger.read():
        township = township and stations.require(ledger, township)   # an alias lists its station; a typo is refused
        found = rows.list_cases(ledger, category, township, year)
    result = []
    for row in found:
        row["status"] = case_status(row)
        if status and row["status"] != status:
            continue
        row["id_number"] = idnumbers.mask(row["id_number"])
        row.pop("health")
        result.append(row)
    return result


# --- holiday relief -----------------------------------------------------------------------

def campaign_for(ledger: Ledger, holiday: str, year: int, unit: str | None) -> dict:
    """The holiday campaign (春节 2021, however 春节 is written), created on first use."""
    holiday = vocabulary.holiday(holiday)
    found = rows.campaign(ledger, holiday, year)
    if found:
        if unit and unit != found["unit"]:
            raise Refused(_("{year} {holiday} counts recipients by {unit}; it cannot change").format(
                year=year, holiday=vocabulary.HOLIDAYS.label(holiday), unit=vocabulary.COUNT_BY.label(found["unit"])))
        return found
    campaign_id = rows.insert_campaign(ledger, holiday, year, unit or "household")
    return {"id": campaign_id, "holiday": holiday, "year": year, "unit": unit or "household"}


def write_gift(ledger: Ledger, gift: Gift, campaign: dict, beneficiary_id: int, fund,
               batch_id: int | None = None, source=None) -> int:
    """Refuse a second gift to the same person in the campaign, then write the disbursement."""
    earlier = rows.earlier_distribution(ledger, campaign["id"], beneficiary_id)
    if earlier:
        hint = ""
        if earlier["batch_id"]:
            hint = _(" (import batch #{batch}, {source}); if this file corrects that one, use --replace {batch}").format(
                batch=earlier["batch_id"], source=earlier["source"])
        raise Refused(_("{name} already received {year} {holiday} relief: #{id}, {township}, {date}{hint}").format(
            name=gift.person.name, year=gift.year, holiday=campaign["holiday"], id=earlier["id"],
            township=earlier["township"] or "-", date=earlier["date"], hint=hint))
    return write_disbursement(ledger, NewDisbursement(
        payee=gift.person.name, date=gift.date, purpose="charitable", amount=gift.cash, goods=gift.goods,
        category=HOLIDAY_CATEGORY, township=gift.person.township, note=gift.note, beneficiary_id=beneficiary_id,
        household_size=gift.person.household_size, hardship_type=gift.person.hardship_type,
        campaign_id=campaign["id"], batch_id=batch_id, source=source), fund)


def give(ledger: Ledger, gift: Gift, *, new_township: bool = False) -> int:
    if to_fen(gift.cash) <= 0 and gift.goods is None:
        raise Refused(_("a distribution needs --cash or --goods with a value"))
    with ledger.write():
        gift = dataclasses.replace(gift, person=_placed(ledger, gift.person, new_township))
        campaign = campaign_for(ledger, gift.holiday, gift.year, gift.unit)
        beneficiary_id = beneficiary_for(ledger, gift.person)
        entry_id = write_gift(ledger, gift, campaign, beneficiary_id, resolve_fund(ledger, gift.fund, gift.project))
        ledger.audit("relief give", {"entry": entry_id, "campaign": campaign["id"], "beneficiary": beneficiary_id})
    return entry_id


def list_distributions(ledger: Ledger, holiday: str | None, year: int | None, township: str | None) -> list[dict]:
    with ledger.read():
        township = township and stations.require(ledger, township)
        return [{**row, "id_number": idnumbers.mask(row["id_number"])}
                for row in rows.list_distributions(ledger, holiday, year, township)]
