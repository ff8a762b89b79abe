"""Import profiles: what made a source's files import, saved once and named (``--profile``).

A profile holds the options of an import that are about the source, not the run: header and
value mappings, the header row, and defaults (date, channel, platform, township, fund or
project, campaign, the matching donor of 配捐, the stock item of a roster's goods, whether sheet
names are townships, holiday or category). Built-in profiles (``importers.profiles``) cover the
online platforms and bank statements; a clerk's own are kept in the ledger, each save a new
version. Options given on the command line win over the profile's; mappings add to it.
"""

from __future__ import annotations

from charitybook.i18n import _
from charitybook.importers.profiles import BUILT_IN
from charitybook.ledger import Ledger
from charitybook.ledger import profiles as rows
from charitybook.services import Refused

# the options a profile keeps (the per-run ones — dry run, replace, skip-invalid, errors-out — it never does)
KEPT = ("date", "township", "fund", "project", "channel", "platform", "campaign", "match_donor", "goods_item",
        "maps", "value_maps", "header_row", "sheet_is_township", "include_hidden", "all_sheets", "sheet",
        "holiday", "category", "count_by", "only_paid")
LISTS = ("maps", "value_maps")


def load(ledger: Ledger, name: str, kind: str) -> dict:
    """The profile's options and its label (``腾讯公益 (built in)``, ``城关街道月报 v2``)."""
    with ledger.read():
        saved = rows.latest_profile(ledger, name)
    if saved is not None:
        found, label = saved, _("{name} v{version}").format(name=name, version=saved["version"])
    elif name in BUILT_IN:
        found, label = BUILT_IN[name], _("{name} (built in)").format(name=name)
    else:
        raise Refused(_("no import profile named {name!r}; profiles: {names}").format(
            name=name, names=", ".join(profile["name"] for profile in list_profiles(ledger))),
            hint=_("see `charitybook import profiles`"))
    if found["kind"] != kind:
        raise Refused(_("profile {name!r} is for importing {kind}").format(name=name, kind=found["kind"]))
    return {**found["options"], "profile": label}


def merged(profile: dict, given: dict) -> dict:
    """The profile's options with the command line's on top (mappings are added, the command line's last)."""
    values = {key: profile.get(key) for key in KEPT}
    for key, value in given.items():
        if key in LISTS:
            values[key] = [*(values.get(key) or []), *(value or [])]
        elif value not in (None, False):
            values[key] = value
    values["profile"] = profile.get("profile")
    return values


def save(ledger: Ledger, name: str, kind: str, values: dict) -> int:
    """Save the options of an import that worked as a new version of ``name``; its version."""
    if name in BUILT_IN:
        raise Refused(_("{name!r} is a built-in profile; save yours under another name").format(name=name))
    if not name.strip():
        raise Refused(_("a profile needs a name"))
    options = {key: values[key] for key in KEPT if values.get(key) not in (None, False, [])}
    with ledger.write():
        version = rows.insert_profile(ledger, name, kind, options)
        ledger.audit("import profile saved", {"profile": name, "version": version, "options": options})
    return version


def list_profiles(ledger: Ledger) -> list[dict]:
    """Built-in profiles first, then the ledger's (their latest versions)."""
    with ledger.read():
        saved = rows.list_profiles(ledger)
    built = [{"name": name, "kind": p["kind"], "version": None, "about": _(p["about"]), "source": p["source"],
              "options": p["options"], "saved_at": None, "built_in": True} for name, p in BUILT_IN.items()]
    return built + [{**p, "about": None, "source": None, "built_in": False} for p in saved]


def show(ledger: Ledger, name: str) -> dict:
    for profile in list_profiles(ledger):
        if profile["name"] == name:
            return profile
    raise Refused(_("no import profile named {name!r}").format(name=name), hint=_("see `charitybook import profiles`"))
