"""The association's rules. Each public function is one user action and one transaction."""

from __future__ import annotations

from charitybook.errors import CharitybookError
from charitybook.i18n import _
from charitybook.ledger import Ledger
from charitybook.ledger import funds as fund_rows
from charitybook.models import Fund
from charitybook.money import yuan


class Refused(CharitybookError):
    """A rule says no; nothing was written."""


def resolve_fund(ledger: Ledger, fund: str | None, project: str | None, *, create_project: bool = False) -> Fund:
    """``--fund`` names a fund; ``--project`` means that project's restricted fund (created on
    first use when money is coming in); neither means the general fund."""
    if fund and project:
        raise Refused(_("give --fund or --project, not both"))
    if project:
        found = fund_rows.fund_by_project(ledger, project)
        if found:
            return found
        if not create_project:
            raise Refused(_("no fund for project {project!r}: nothing has been received for it").format(project=project))
        if fund_rows.fund_by_name(ledger, project):
            raise Refused(_("a fund named {name!r} exists but is not the project's fund").format(name=project))
        return fund_rows.insert_fund(ledger, project, "restricted", project=project)
    if fund:
        found = fund_rows.fund_by_name(ledger, fund) or (fund_rows.general_fund(ledger) if fund == "general" else None)
        if not found:
            raise Refused(_("no fund named {name!r}").format(name=fund), hint=_("see `charitybook fund list`"))
        return found
    return fund_rows.general_fund(ledger)


def require_cash(ledger: Ledger, fund: Fund, cash_fen: int) -> None:
    """Refuse taking more cash than the fund holds, or touching an endowment's principal."""
    cash, _goods, principal = fund_rows.balance(ledger, fund.id)
    if cash_fen > cash:
        raise Refused(
            _("fund {fund!r} holds {cash} 元 in cash; {amount} 元 would overdraw it by {short} 元").format(
                fund=fund.name, cash=yuan(cash), amount=yuan(cash_fen), short=yuan(cash_fen - cash)
            )
        )
    if cash_fen > cash - principal:
        raise Refused(
            _("fund {fund!r}: {principal} 元 of its {cash} 元 is endowment principal, which is never spent; "
              "at most {free} 元 is available").format(
                fund=fund.name, principal=yuan(principal), cash=yuan(cash), free=yuan(cash - principal)
            )
        )


def require_goods(ledger: Ledger, fund: Fund, goods_fen: int) -> None:
    _cash, goods, _principal = fund_rows.balance(ledger, fund.id)
    if goods_fen > goods:
        raise Refused(
            _("fund {fund!r} holds goods worth {goods} 元; handing out {value} 元 falls short by {short} 元").format(
                fund=fund.name, goods=yuan(goods), value=yuan(goods_fen), short=yuan(goods_fen - goods)
            ),
            hint=_("record the goods received (add-donation --goods) or bought (add-purchase) first"),
        )
