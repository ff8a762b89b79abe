"""Names a clerk types that the ledger keeps: a project, a fund (townships and villages are the
register's: ``services.stations``).

A typo must create nothing: ``--project 朝阳朱学`` for 朝阳助学 would open a restricted fund, and
``--township 城关街遒`` start a township of its own in every report. A name the ledger has not
seen is refused with the closest names it knows, unless the clerk says it is new
(``--new-project``); a fund is made only by ``fund add`` (or a new project).
Chinese names differ by one character, so the closest are found by edit similarity
(``difflib``), not by a prefix.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from charitybook.i18n import _
from charitybook.ledger import Ledger
from charitybook.ledger import funds as fund_rows
from charitybook.services import Refused
from charitybook.vocabulary import normal

MOST = 3          # names suggested
LISTED = 8        # names listed when none is close
CUTOFF = 0.5      # 朝阳朱学 ~ 朝阳助学 is 0.75, 城关 ~ 城关街道 0.67, two unlike names 0


def closest(name: str, known: Iterable[str], most: int = MOST) -> list[str]:
    """The known names most like ``name``, the likest first (full-width, case and spaces aside)."""
    by_key: dict[str, str] = {}
    for candidate in known:
        by_key.setdefault(normal(candidate), candidate)
    keys = difflib.get_close_matches(normal(name), list(by_key), n=most, cutoff=CUTOFF)
    return [by_key[key] for key in keys]


def unknown(what: str, name: str, known: Iterable[str], hint: str | None = None) -> Refused:
    """The refusal of a name the ledger does not know: the closest it does, or what it knows."""
    known = sorted(set(known))
    near = closest(name, known)
    if near:
        message = _("no {what} {name!r} in the ledger: did you mean {names}?").format(
            what=what, name=name, names=_(" or ").join(near))
    elif known:
        shown = "、".join(known[:LISTED]) + ("、…" if len(known) > LISTED else "")
        message = _("no {what} {name!r} in the ledger (it knows {names})").format(what=what, name=name, names=shown)
    else:
        message = _("no {what} {name!r} in the ledger (it knows none yet)").format(what=what, name=name)
    return Refused(message, hint=hint)


def require_project(ledger: Ledger, project: str | None, *, new: bool) -> None:
    """A project named on the command line is one the ledger has, or one the clerk says is new.
    Inside the command's transaction."""
    if project is None or new or fund_rows.fund_by_project(ledger, project):
        return
    raise unknown(_("project"), project, fund_rows.project_names(ledger),
                  _("if {name} is a new project, say so with --new-project").format(name=project))


def unknown_fund(ledger: Ledger, name: str) -> Refused:
    return unknown(_("fund"), name, [fund.name for fund in fund_rows.all_funds(ledger)],
                   _("see `charitybook fund list`; a new fund is added with `charitybook fund add`"))


def unknown_project_fund(ledger: Ledger, project: str) -> Refused:
    """A project money is taken from (or moved to) must have its fund already."""
    return unknown(_("project"), project, fund_rows.project_names(ledger),
                   _("a project's fund is opened by its first donation or pledge (with --new-project), or by "
                     "`charitybook fund add NAME --project {name}`").format(name=project))
