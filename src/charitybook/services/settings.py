"""The association's settings kept in the ledger: its name and organisation type."""

from __future__ import annotations

from charitybook.i18n import _
from charitybook.ledger import Ledger
from charitybook.services import Refused
from charitybook.vocabulary import ORG_TYPES


def configure(ledger: Ledger, name: str | None, org_type: str | None) -> dict:
    """Change what is given; return the settings as they now are."""
    if org_type is not None and org_type not in ORG_TYPES.codes:
        raise Refused(_("the organisation type must be one of {values}").format(values=ORG_TYPES.choices()))
    if name is not None and not name.strip():
        raise Refused(_("the association needs a name"))
    with ledger.write():
        changes = {key: value for key, value in (("name", name), ("org_type", org_type)) if value is not None}
        for key, value in changes.items():
            ledger.set_meta(key, value.strip())
        if changes:
            ledger.audit("config", changes)
        return {"name": ledger.meta("name"), "org_type": ledger.meta("org_type"), "created_at": ledger.meta("created_at")}
