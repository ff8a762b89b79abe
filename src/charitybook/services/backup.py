"""`backup`: a consistent copy through SQLite's backup API."""

from __future__ import annotations

import os
from pathlib import Path

from charitybook.i18n import _
from charitybook.ledger import Ledger
from charitybook.services import Refused


def backup(ledger: Ledger, target: Path) -> None:
    target = Path(target)
    if target.exists():
        raise Refused(_("{path} already exists; a backup never overwrites a file").format(path=target))
    if target.resolve() == ledger.path.resolve():
        raise Refused(_("the backup must go to a different file"))
    os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    try:
        ledger.copy_to(target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    with ledger.write():
        ledger.audit("backup", {"to": str(target)})
