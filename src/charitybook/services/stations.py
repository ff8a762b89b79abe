"""The register of stations: the one owner of the townships and villages the ledger names.

County -> township (乡镇/街道 慈善工作站) -> village (村/社区 联络站). A station is found by its
registered name or one of its aliases (城关镇 for 城关街道), full-width and spaces aside
(``vocabulary.normal``), and entries and people store the registered name, so an alias typed or
imported is kept under the station it names. A name the register does not know is refused with
the closest registered ones; only ``station add`` (or ``--new-township`` on a single entry)
registers one, never a name inside an imported file."""

from __future__ import annotations

from dataclasses import dataclass, field

from charitybook.i18n import _
from charitybook.ledger import Ledger
from charitybook.ledger import stations as rows
from charitybook.models import Station
from charitybook.services import Refused, names
from charitybook.vocabulary import normal


@dataclass(frozen=True)
class Register:
    """The stations as one read found them: every name and alias, normalised, to its station."""

    stations: tuple[Station, ...]
    by_key: dict = field(default_factory=dict)
    seen: dict = field(default_factory=dict)     # each name as written -> its station (an import asks per row)

    @classmethod
    def of(cls, stations: list[Station]) -> Register:
        register = cls(tuple(stations))
        for station in stations:
            for name in (station.name, *station.aliases):
                register.by_key.setdefault(normal(name), station)
        return register

    def find(self, name: str | None) -> Station | None:
        if not name:
            return None
        if name not in self.seen:
            self.seen[name] = self.by_key.get(normal(name))
        return self.seen[name]

    def with_township(self, name: str) -> Register:
        """The register with a township about to be registered (``--new-township`` on an import)."""
        return Register.of([*self.stations, Station(0, name, "township")])

    def refusal(self, name: str, within: str | None = None, *, flag: bool = False) -> Refused:
        """``name`` is no station (or no village of ``within``): the closest registered names, and
        how to register it (``flag``: the command has ``--new-township``)."""
        if within:
            known = [s.name for s in self.stations if s.township == within]
            return names.unknown(_("village of {township}").format(township=within), name, known,
                                 _("register it with `charitybook station add {name} --in {township}`").format(
                                     name=name, township=within))
        known = [name for station in self.stations for name in (station.name, *station.aliases)]
        hint = add_hint(name)
        if flag:
            hint = _("if {name} is a new township, say so with --new-township, or {hint}").format(name=name, hint=hint)
        return names.unknown(_("station"), name, known, hint)


def add_hint(name: str) -> str:
    return _("register it with `charitybook station add {name}` (a village: `charitybook station add {name} --in "
             "TOWNSHIP`; another name of a station: `charitybook station alias {name} --to STATION`)").format(name=name)


def register(ledger: Ledger) -> Register:
    """The register, inside the caller's transaction."""
    return Register.of(rows.all_stations(ledger))


def require(ledger: Ledger, name: str) -> str:
    """The registered name of the station ``name`` names (its name or an alias); refused with the
    closest registered names when it names none. Inside the caller's transaction."""
    found = register(ledger).find(name)
    if found is None:
        raise register(ledger).refusal(name)
    return found.name


def named(ledger: Ledger, name: str | None, *, new: bool) -> str | None:
    """The registered name for an entry's ``--township`` (a township or a village); with ``new``
    (``--new-township``) an unknown name is registered as a township on the spot, audited as
    ``station add`` is. Inside the caller's write transaction."""
    if not name:
        return None
    found = register(ledger).find(name)
    if found:
        return found.name
    if not new:
        raise register(ledger).refusal(name, flag=True)
    return _register(ledger, name.strip(), None, ()).name


def place(ledger: Ledger, township: str | None, village: str | None, *, new: bool) -> tuple[str | None, str | None]:
    """A person's township and village, as registered (``placed``); with ``new``
    (``--new-township``) an unknown township is registered on the spot. Inside the caller's write
    transaction."""
    if new and township and register(ledger).find(township) is None:
        if village:
            raise Refused(_("{township} is a new township: register it and its village first with `charitybook station "
                            "add {township}` and `charitybook station add {village} --in {township}`").format(
                township=township, village=village))
        return named(ledger, township, new=True), None
    return placed(register(ledger), township, village, flag=True)


def placed(register_: Register, township: str | None, village: str | None, *,
           flag: bool = False) -> tuple[str | None, str | None]:
    """(township, village) as registered, or Refused. A township that is a village station means
    that village of its township."""
    town = register_.find(township) if township else None
    if township and town is None:
        raise register_.refusal(township, flag=flag)
    if town and town.level == "village":
        if village and register_.find(village) != town:
            raise Refused(_("{name} is a village of {township}, not a township").format(name=town.name, township=town.township))
        town, village = register_.find(town.township), town.name
    if not village:
        return (town.name if town else None), None
    found = register_.find(village)
    if found is not None and found.level == "village" and town and found.township != town.name:
        raise Refused(_("{name} is a village of {township}, not of {other}").format(
            name=found.name, township=found.township, other=town.name))
    if found is None or found.level != "village" or (town and found.township != town.name):
        if town is None and found is not None:
            raise Refused(_("{name} is a township, not a village").format(name=found.name))
        raise register_.refusal(village, town.name if town else None) if town else register_.refusal(village)
    return found.township, found.name


def _register(ledger: Ledger, name: str, within: Station | None, aliases: tuple[str, ...]) -> Station:
    register_ = register(ledger)
    if normal(name) in {normal(alias) for alias in aliases}:
        raise Refused(_("{given!r} is the station's own name, not another name of it").format(given=name),
                      hint=_("leave out --alias {given}").format(given=name))
    for given in (name, *aliases):
        taken = register_.find(given)
        if taken:
            raise Refused(_("{given!r} is already a station: {name}").format(given=given, name=taken.name)
                          if normal(taken.name) == normal(given) else
                          _("{given!r} is already another name of {name}").format(given=given, name=taken.name))
    station_id = rows.insert_station(ledger, name, within.id if within else None)
    for alias in aliases:
        rows.insert_alias(ledger, alias, station_id)
    ledger.audit("station add", {"station": name, "in": within.name if within else None, "aliases": list(aliases)})
    return Station(station_id, name, "village" if within else "township", within.name if within else None, aliases)


def add_station(ledger: Ledger, name: str, within: str | None, aliases: list[str]) -> Station:
    """``station add NAME [--in TOWNSHIP] [--alias OTHER ...]``."""
    if not name.strip():
        raise Refused(_("a station needs a name"))
    with ledger.write():
        town = None
        if within:
            town = register(ledger).find(within)
            if town is None:
                raise register(ledger).refusal(within)
            if town.level != "township":
                raise Refused(_("{name} is a village: a village belongs to a township").format(name=town.name),
                              hint=_("name its township with --in {township}").format(township=town.township))
        return _register(ledger, name.strip(), town, tuple(dict.fromkeys(a.strip() for a in aliases if a.strip())))


def add_alias(ledger: Ledger, alias: str, to: str) -> Station:
    """``station alias OTHER --to STATION``: another name a station goes by."""
    with ledger.write():
        register_ = register(ledger)
        station = register_.find(to)
        if station is None:
            raise register_.refusal(to)
        taken = register_.find(alias)
        if taken:
            raise Refused(_("{given!r} already names {name}").format(given=alias, name=taken.name))
        rows.insert_alias(ledger, alias.strip(), station.id)
        ledger.audit("station alias", {"alias": alias.strip(), "station": station.name})
    return station


def tree(ledger: Ledger) -> list[dict]:
    """``station list``: each township with its aliases and villages (each with its aliases)."""
    with ledger.read():
        stations = rows.all_stations(ledger)
    townships = [{"station": s.name, "aliases": list(s.aliases), "villages": []} for s in stations if s.level == "township"]
    by_name = {town["station"]: town for town in townships}
    for station in stations:
        if station.level == "village":
            by_name[station.township]["villages"].append({"station": station.name, "aliases": list(station.aliases)})
    return townships


def fund_station(ledger: Ledger, name: str | None) -> int | None:
    """The id of the station a fund is added for (``fund add --station``). Inside the transaction."""
    if not name:
        return None
    found = register(ledger).find(name)
    if found is None:
        raise register(ledger).refusal(name)
    return found.id
