"""Documents for a donor: the year-end 捐赠证明, the thank-you letter (感谢信) and a printable
receipt draft. Contexts are built from ledger queries; the text documents are rendered through
Jinja templates the secretary can edit (shipped in ``templates/``, or ``--template FILE``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from charitybook.dates import year_bounds
from charitybook.errors import CharitybookError
from charitybook.i18n import _, language
from charitybook.idnumbers import mask
from charitybook.ledger import Ledger
from charitybook.ledger import receipts as rows
from charitybook.money import daxie, plain

CERTIFICATE = "receipt_certificate.md.j2"
LETTER = "receipt_letter.md.j2"


def _donor(ledger: Ledger, name: str) -> list[dict]:
    found = rows.donors_named(ledger, name)
    if not found:
        from charitybook.services.names import unknown

        raise unknown(_("donor"), name, rows.donor_names(ledger))
    return found


def certificate(ledger: Ledger, donor: str, year: int) -> dict:
    """A donor's settled (standing) gifts of a year, each with its standing receipt's number."""
    with ledger.read():
        donors = _donor(ledger, donor)
        gifts = rows.standing_donations(ledger, [d["id"] for d in donors], *year_bounds(year))
        association = ledger.meta("name") or ""
    total = sum(g["cash_fen"] + g["goods_fen"] for g in gifts)
    return {"report": "certificate", "association": association, "donor": donor,
            "id_code": mask(donors[0]["id_code"]), "year": year, "issued_on": dt.date.today().isoformat(),
            "gifts": [{"donation": g["donation"], "date": g["date"], "cash": plain(g["cash_fen"]),
                       "goods": plain(g["goods_fen"]), "amount": plain(g["cash_fen"] + g["goods_fen"]),
                       "receipt": g["receipt"]} for g in gifts],
            "count": len(gifts), "total": plain(total), "total_in_words": daxie(total)}


def letters(ledger: Ledger, donor: str | None, year: int | None, above_fen: int | None) -> list[dict]:
    """One letter's context per donor: the named one, or every donor whose gifts of ``year`` are
    above ``above_fen``."""
    year = year or dt.date.today().year
    with ledger.read():
        if donor:
            names = [donor] if _donor(ledger, donor) else []
        else:
            names = list(dict.fromkeys(row["name"] for row in rows.donor_totals(ledger, *year_bounds(year), above_fen or 0)))
    return [{**certificate(ledger, name, year), "report": "letter"} for name in names]


def render(contexts: list[dict], template_name: str, template: Path | None, lang: str | None) -> str:
    """The documents as Markdown, one after another (a page break line between them)."""
    from charitybook.reports.markdown import environment

    lang = lang or language()
    env = environment([])
    if template is not None:
        try:
            source = template.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CharitybookError(_("cannot read the template {path}: {error}").format(path=template, error=error)) from None
    from jinja2 import TemplateError

    try:
        compiled = env.from_string(source) if template is not None else env.get_template(template_name)
        return "\n\n---\n\n".join(compiled.render(**context, lang=lang) for context in contexts)
    except TemplateError as error:
        raise CharitybookError(_("the template cannot be rendered: {error}").format(error=error),
                               hint=_("compare it with the shipped template (see README, Donation receipts)")) from None
