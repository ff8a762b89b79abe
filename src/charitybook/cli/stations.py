"""`charitybook station …`: the register of townships and villages."""

from __future__ import annotations

from typing import Annotated

import typer

from charitybook.cli import options as opt
from charitybook.cli import output
from charitybook.cli.output import Column
from charitybook.i18n import _
from charitybook.services import stations

app = typer.Typer(help="The register of stations: townships (乡镇/街道 慈善工作站) and their villages (村/社区 联络站).",
                  no_args_is_help=True)


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(callback=opt.clean_name, help="The station's name, as it is registered")],
    within: Annotated[str | None, typer.Option("--in", callback=opt.clean_name, help="A village: the township it belongs to")] = None,
    aliases: Annotated[list[str] | None, typer.Option("--alias", callback=opt.clean_names, help="Another name the station goes by (repeatable)")] = None,
) -> None:
    """Register a township station, or a village one with --in TOWNSHIP."""
    station = stations.add_station(opt.ledger(ctx), name, within, aliases or [])
    if station.township:
        output.success(_("Registered village station {name} in {township}").format(name=station.name, township=station.township))
    else:
        output.success(_("Registered township station {name}").format(name=station.name))
    if station.aliases:
        output.line(_("also known as: {names}").format(names="、".join(station.aliases)))


@app.command("alias")
def alias(
    ctx: typer.Context,
    other: Annotated[str, typer.Argument(callback=opt.clean_name, help="Another name of the station, e.g. 城关镇")],
    to: Annotated[str, typer.Option("--to", callback=opt.clean_name, help="The registered station it names")],
) -> None:
    """Give a station another name: entries that use it are stored under the station's name."""
    station = stations.add_alias(opt.ledger(ctx), other, to)
    output.success(_("{alias} now names station {name}").format(alias=other, name=station.name))


@app.command("list")
def list_stations(ctx: typer.Context, fmt: Annotated[opt.Format, typer.Option("--format", "-f", help="table, json (a tree) or csv (one row per station)")] = opt.Format.table) -> None:
    """Every township station with its aliases and villages."""
    townships = stations.tree(opt.ledger(ctx))
    if fmt == opt.Format.json:
        output.emit_json(townships)
        return
    if not townships:
        output.line(_("No stations registered yet: `charitybook station add NAME`"))
        return
    rows = []   # a CSV row names its township on every line (a table leaves it blank beneath)
    for town in townships:
        rows.append({"township": town["station"], "village": "", "aliases": "、".join(town["aliases"])})
        rows.extend({"township": town["station"] if fmt == opt.Format.csv else "", "village": village["station"],
                     "aliases": "、".join(village["aliases"])} for village in town["villages"])
    columns = [Column("township", _("Township")), Column("village", _("Village")), Column("aliases", _("Aliases"))]
    output.render(rows, columns, fmt.value, _("Stations"))
