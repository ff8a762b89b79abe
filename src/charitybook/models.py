"""What things are: frozen dataclasses that cross every boundary. Money is Decimal 元 here."""

from __future__ import annotations

import datetime as dt
import dataclasses
from dataclasses import dataclass
from decimal import Decimal

from charitybook.errors import Source

HOLIDAY_CATEGORY = "节日慰问"


def filled_at_once(cls):
    """A frozen dataclass made once per imported row: its ``__init__`` fills the instance in one
    step instead of one ``object.__setattr__`` per field (for a donation, a sixth of the time it
    takes to read a row). The same fields, defaults, keyword and positional arguments; the instance
    stays frozen."""
    fields = [field for field in dataclasses.fields(cls) if field.init]
    if any(field.default_factory is not dataclasses.MISSING for field in fields) or hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__}: filled_at_once takes plain fields only")
    defaults = {f"_default_{field.name}": field.default for field in fields if field.default is not dataclasses.MISSING}
    params = ", ".join(f"{field.name}=_default_{field.name}" if f"_default_{field.name}" in defaults else field.name
                       for field in fields)
    body = ", ".join(f"{field.name!r}: {field.name}" for field in fields)
    namespace: dict = {}
    exec(f"def __init__(self, {params}):\n    self.__dict__.update({{{body}}})", defaults, namespace)
    cls.__init__ = namespace["__init__"]
    cls.__init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return cls


@dataclass(frozen=True)
class Fund:
    id: int
    name: str
    kind: str
    project: str | None = None
    sponsor: str | None = None
    note: str | None = None
    station: str | None = None         # the station (township or village) whose fund it is


@dataclass(frozen=True)
class Station:
    """A township work station (乡镇/街道 慈善工作站) or a village liaison point (村/社区 联络站)."""

    id: int
    name: str
    level: str                         # township | village
    township: str | None = None        # a village's township
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Goods:
    """Goods moving in or out: an item, optional quantity and unit, and its appraised value."""

    item: str
    value: Decimal
    quantity: Decimal | None = None
    unit: str | None = None
    unit_value: Decimal | None = None


@filled_at_once
@dataclass(frozen=True)
class NewDonation:
    donor: str
    date: dt.date
    amount: Decimal = Decimal(0)
    goods: Goods | None = None
    donor_type: str | None = None
    donor_contact: str | None = None
    donor_id_code: str | None = None
    channel: str | None = None         # None: online through a platform, else cash
    platform: str | None = None
    fund: str | None = None
    project: str | None = None
    township: str | None = None
    campaign: str | None = None
    pledge_id: int | None = None
    external_ref: str | None = None
    note: str | None = None
    source: Source | None = None
    recipient: str | None = None       # a pass-through gift (受托代理) for this named person or unit


@dataclass(frozen=True)
class RecordedDonation:
    id: int
    receipt_no: str
    date: dt.date
    donor: str
    donor_type: str
    fund: str
    amount: Decimal
    goods: Goods | None
    channel: str


@dataclass(frozen=True)
class NewDisbursement:
    payee: str
    date: dt.date
    purpose: str
    amount: Decimal = Decimal(0)
    goods: Goods | None = None
    category: str | None = None
    fund: str | None = None
    project: str | None = None
    township: str | None = None
    note: str | None = None
    beneficiary_id: int | None = None
    household_size: int | None = None   # the recipient's household and hardship as this gift's roster gave them
    hardship_type: str | None = None
    case_id: int | None = None
    campaign_id: int | None = None
    batch_id: int | None = None
    source: Source | None = None


@dataclass(frozen=True)
class Recorded:
    """What a write did, for the command to print: entry id and a one-line description."""

    id: int
    kind: str
    summary: dict


@dataclass(frozen=True)
class Person:
    """A beneficiary as given on the command line or in a roster row."""

    name: str
    id_number: str | None = None
    no_id_reason: str | None = None
    township: str | None = None
    village: str | None = None
    household_size: int | None = None
    hardship_type: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Gift:
    """One holiday distribution: cash and/or goods to one person in one campaign."""

    holiday: str
    year: int
    person: Person
    date: dt.date
    cash: Decimal = Decimal(0)
    goods: Goods | None = None
    fund: str | None = None
    project: str | None = None
    unit: str | None = None  # household | person, fixed when the campaign is first used
    note: str | None = None


@dataclass(frozen=True)
class NewTierFlow:
    """Money between tiers (vocabulary.TIER_KINDS): a grant from a higher body, or money passed on
    to another legal entity. ``body`` is the other body: who sent it, or who receives it."""
    kind: str
    body: str
    date: dt.date
    amount: Decimal
    fund: str | None = None
    project: str | None = None
    reference: str | None = None
    note: str | None = None
