"""The Typer application: the global options and the one place errors become exit codes."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperGroup

from charitybook.cli import language, output
from charitybook.cli.options import State
from charitybook.errors import CharitybookError, ProblemsFound
from charitybook.i18n import _


class RootGroup(TyperGroup):
    """Every command runs inside this ``invoke``: our exceptions become one red line and an
    exit code here, and nowhere else. ``--debug`` lets the traceback through.

    ``main`` comes first: it takes the global options from wherever they were typed (``list
    donations --db x.db``), chooses the run's language before anything is said, translates the help
    and shows click's own usage errors in that language (exit 2)."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if args is None:
            args = sys.argv[1:]
            if os.name == "nt":
                from typer._click.utils import _expand_args

                args = _expand_args(args)
        args = language.hoist_global_options(list(args))
        try:
            language.choose(args, os.environ)
        except CharitybookError as error:
            output.error(error.message, error.hint)
            return _leave(error.exit_code, standalone_mode)
        language.translate_help(self)
        from typer._click.exceptions import ClickException
        from typer.exceptions import Abort

        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except ClickException as error:
            language.show_click_error(error)
            return _leave(error.exit_code, standalone_mode)
        except Abort:
            output.error(_("stopped: nothing was written"))
            return _leave(1, standalone_mode)
        return _leave(code if isinstance(code, int) else 0, standalone_mode)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except CharitybookError as error:
            if _debug(ctx):
                raise
            if isinstance(error, ProblemsFound):
                from charitybook.cli import problems

                problems.show(error.problems, error.count, blocking=True)
            output.error(error.message, error.hint)
            raise typer.Exit(error.exit_code) from None
        except sqlite3.OperationalError as error:
            if _debug(ctx):
                raise
            busy = "locked" in str(error) or "busy" in str(error)
            output.error(_("the ledger could not be written: {error}").format(error=error),
                         _("another clerk may hold a long write; try again, or run `charitybook check`") if busy else
                         _("is the disk full, or the ledger's folder read-only? nothing was written; run `charitybook check`"))
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            if _debug(ctx):
                raise
            output.error(_("interrupted: what was being written was rolled back, nothing of it was kept"))
            raise typer.Exit(130) from None
        except OSError as error:
            if _debug(ctx):
                raise
            output.error(_os_error(error), _("check the path, that the folder exists and that the file is not open in "
                                              "Excel or WPS; rerun with --debug for details"))
            raise typer.Exit(1) from None
        except sqlite3.DatabaseError as error:
            if _debug(ctx):
                raise
            output.error(f"{type(error).__name__}: {error}", _("rerun with --debug for details"))
            raise typer.Exit(1) from None


def _os_error(error: OSError) -> str:
    """A file the command could not read or write, in the run's language (Python's own words are English)."""
    import errno

    path = error.filename if error.filename is not None else ""
    what = {errno.ENOENT: _("no such file or folder"), errno.EISDIR: _("it is a folder, not a file"),
            errno.ENOTDIR: _("a part of the path is a file, not a folder"), errno.EACCES: _("permission denied"),
            errno.ENOSPC: _("the disk is full"), errno.EEXIST: _("it already exists")}.get(error.errno)
    if what is None:
        return f"{type(error).__name__}: {error}"
    return _("cannot use {path}: {what}").format(path=path, what=what)


def _leave(code: int, standalone: bool):
    if standalone:
        sys.exit(code)
    return code


def _debug(ctx) -> bool:
    obj = ctx.find_root().obj
    return bool(obj and obj.debug)


def _new_app() -> typer.Typer:
    new = typer.Typer(
        cls=RootGroup,
        help="charitybook: the books of a county charity association — donations, relief, imports, reports.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    new.callback()(root)
    return new


def root(
    ctx: typer.Context,
    db: Annotated[Path, typer.Option("--db", envvar="CHARITYBOOK_DB", help="Ledger file (else $CHARITYBOOK_DB, else ./charitybook.db)")] = Path("charitybook.db"),
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors")] = False,
    lang: Annotated[str | None, typer.Option("--lang", metavar="zh|en", help="Language of messages, help and reports: zh (中文, the default) or en (else $CHARITYBOOK_LANG, else the locale)")] = None,
) -> None:
    # --lang is declared for its help and so that it parses; RootGroup.main acted on it already
    ctx.obj = State(db=db, debug=debug)


# The modules of cli/, in the order the help lists their commands; a module that is one group of
# commands, with the group's name.
MODULES = ("entries", "tiers", "lists", "funds", "stations", "relief", "imports", "reports", "statements", "receipts",
           "periods", "exports", "disclosure", "disclose", "pass_through")
GROUPS = {"funds": "fund", "stations": "station", "statements": "statement", "receipts": "receipt"}
# Each top-level command or group, and its module: a run builds only the module of the command it
# runs (typer inspects every signature of the tree it builds: 0.4 s for all of them). A test holds
# this against the whole tree.
COMMANDS = {
    "init": "entries", "config": "entries", "add-donation": "entries", "add-disbursement": "entries",
    "add-purchase": "entries", "add-income": "entries", "add-pledge": "entries", "transfer": "entries",
    "void": "entries", "show": "entries", "add-grant": "tiers", "pass-on": "tiers", "balance": "lists",
    "check": "lists", "backup": "lists", "list": "lists", "fund": "funds", "station": "stations",
    "beneficiary": "relief", "case": "relief", "relief": "relief", "import": "imports", "report": "reports",
    "statement": "statements", "receipt": "receipts", "period": "periods", "export": "exports",
    "due": "disclosure", "campaign": "disclosure", "project": "disclosure", "notice": "disclosure",
    "disclose": "disclose", "hand-over": "pass_through", "pass-through": "pass_through",
}


def build(modules: tuple[str, ...] = MODULES) -> typer.Typer:
    """The application with the commands of ``modules`` (all of them: the whole tree)."""
    import importlib

    new = _new_app()
    for name in MODULES:
        if name not in modules:
            continue
        module = importlib.import_module(f"charitybook.cli.{name}")
        if name in GROUPS:
            new.add_typer(module.app, name=GROUPS[name])
        else:
            module.register(new)
    return new


def _whole() -> typer.Typer:
    if "app" not in globals():
        globals()["app"] = build()
    return globals()["app"]


def __getattr__(name: str):
    """``app``, the whole tree (what tests, ``--help`` and a mistyped command use), built on first use."""
    if name == "app":
        return _whole()
    raise AttributeError(name)


def command_word(args: list[str]) -> str | None:
    """The top-level command a command line runs, whatever global options come first (None: none)."""
    args = language.hoist_global_options(list(args))
    index = 0
    while index < len(args):
        arg = args[index]
        if arg in language.GLOBAL_VALUED:
            index += 2
        elif arg in language.GLOBAL_FLAGS or arg.startswith(tuple(f"{name}=" for name in language.GLOBAL_VALUED)):
            index += 1
        else:
            return None if arg.startswith("-") else arg
    return None


def main() -> None:
    module = COMMANDS.get(command_word(sys.argv[1:]) or "")
    (build((module,)) if module else _whole())()
