"""The only code that knows SQL. ``open_ledger`` / ``create_ledger`` are the one door."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from charitybook.dates import local_time
from charitybook.errors import CharitybookError
from charitybook.i18n import _
from charitybook.ledger import schema

APP_ID = "charitybook"
GENERAL_FUND = "非限定性基金"
BUSY_TIMEOUT_MS = 30_000
_SQLITE_MAGIC = b"SQLite format 3\x00"


class LedgerError(CharitybookError):
    pass


@dataclass(frozen=True)
class Actor:
    """Who is writing, for the audit log: the OS user and the command line they ran."""

    user: str = "unknown"
    command: str = "charitybook"


QUICK_TRY_MS = 200           # before saying that this clerk waits
LONG_WRITE_WAIT_S = 3600     # how long to wait behind another clerk's import (it says so meanwhile)


@dataclass
class Ledger:
    path: Path
    conn: sqlite3.Connection
    actor: Actor = field(default_factory=Actor)
    waiting: Callable[[str], None] | None = None   # told once when a write must wait for another clerk's
    _savepoints: int = field(default=0, init=False, repr=False)

    @property
    def busy_note_path(self) -> Path:
        return self.path.with_name(self.path.name + ".busy")

    @contextlib.contextmanager
    def busy(self, what: str) -> Iterator[None]:
        """While a long write runs (an import), a note beside the ledger says what it is, so that a
        clerk whose write must wait for it is told, and waits for it instead of giving up. Enter it
        inside ``write()``, once the lock is held: a note written while waiting would replace the
        note of the import being waited for (and name this one as the one to wait for)."""
        note = self.busy_note_path
        with contextlib.suppress(OSError):
            note.write_text(json.dumps({"what": what, "user": self.actor.user, "since": now()}, ensure_ascii=False),
                            encoding="utf-8")
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                note.unlink()

    def _begin_write(self) -> None:
        """BEGIN IMMEDIATE; behind another clerk's import, say so and wait for it to finish."""
        conn = self.conn
        conn.execute(f"PRAGMA busy_timeout = {QUICK_TRY_MS}")
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) and "busy" not in str(error):
                raise
        finally:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        note = self._busy_note()
        if self.waiting:
            self.waiting(_("waiting for {what} ({user}, since {since}) to finish…").format(
                what=note.get("what"), user=note.get("user"), since=local_time(note.get("since"))) if note
                         else _("waiting for another clerk's write to finish…"))
        deadline = time.monotonic() + (LONG_WRITE_WAIT_S if note else 0)
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")   # waits up to the busy timeout
                return
            except sqlite3.OperationalError as error:
                if ("locked" not in str(error) and "busy" not in str(error)) or time.monotonic() > deadline \
                        or not self.busy_note_path.exists():
                    raise

    def _busy_note(self) -> dict | None:
        try:
            note = json.loads(self.busy_note_path.read_text(encoding="utf-8"))
            return {"what": str(note["what"]), "user": str(note["user"]), "since": str(note["since"])}
        except (OSError, ValueError, KeyError, TypeError):
            return None

    @contextlib.contextmanager
    def write(self) -> Iterator[Ledger]:
        """One write transaction, started with BEGIN IMMEDIATE so that anything read inside it
        (the next receipt number, a fund's balance) cannot change before it commits."""
        self._begin_write()
        try:
            yield self
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def query(self, sql: str, params=None) -> Iterator[dict]:
        """Rows of a query as dicts (what sqlite-utils' ``Database.query`` gives), without it."""
        cursor = self.conn.execute(sql, params if params is not None else ())
        keys = [d[0] for d in cursor.description or ()]
        for row in cursor:
            yield dict(zip(keys, row))

    @contextlib.contextmanager
    def read(self) -> Iterator[Ledger]:
        """One read transaction: every query inside sees the same snapshot."""
        if self.conn.in_transaction:
            yield self
            return
        self.conn.execute("BEGIN")
        try:
            yield self
        finally:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")

    @contextlib.contextmanager
    def savepoint(self) -> Iterator[Ledger]:
        """Inside a write: make a few statements stand or fall together."""
        self._savepoints += 1
        name = f"charitybook_{self._savepoints}"
        self.conn.execute(f"SAVEPOINT {name}")
        try:
            yield self
        except BaseException:
            self.conn.execute(f"ROLLBACK TO {name}")
            self.conn.execute(f"RELEASE {name}")
            raise
        self.conn.execute(f"RELEASE {name}")

    def insert(self, table: str, row: dict) -> int:
        """Insert one row (its keys are the columns; a dict or list value is stored as JSON text, as
        sqlite-utils would); the new row's id. Money is integer fen: a Decimal or float is refused."""
        values = []
        for value in row.values():
            if isinstance(value, (dict, list, tuple)):
                value = json.dumps(value, ensure_ascii=False, default=str)
            elif isinstance(value, (float, Decimal)):
                raise TypeError(f"{table}: {value!r} is not integer fen")
            values.append(value)
        columns = ", ".join(row)
        marks = ", ".join("?" * len(row))
        return self.conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values).lastrowid

    def audit(self, action: str, detail: dict | None = None) -> None:
        self.conn.execute(
            "INSERT INTO audit_log (at, os_user, command, action, detail) VALUES (?, ?, ?, ?, ?)",
            (now(), self.actor.user, self.actor.command, action, json.dumps(detail or {}, ensure_ascii=False, default=str)))

    def meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def copy_to(self, target: Path) -> None:
        """A consistent copy through SQLite's backup API, whatever still sits in the -wal."""
        destination = sqlite3.connect(target)
        try:
            self.conn.backup(destination)
        finally:
            destination.close()

    @contextlib.contextmanager
    def scratch(self) -> Iterator[Ledger]:
        """A private copy of the ledger, opened, to write into and throw away: what a dry run
        that must write to check (a roster's stock, cash and one-gift rules) writes into, so that
        it never holds this ledger's write lock. Copied from one read snapshot; deleted after."""
        with tempfile.TemporaryDirectory(prefix="charitybook-dry-run-") as folder:
            target = Path(folder) / self.path.name
            self.copy_to(target)
            copy = open_ledger(target, self.actor)
            try:
                yield copy
            finally:
                copy.close()

    def close(self) -> None:
        self.conn.close()


def now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def sqlite_uri(path: Path, mode: str) -> str:
    """The ``file:`` URI SQLite reads back as exactly this path: percent-encoded, so that a folder
    named ``慈善 协会#2`` or ``100%`` is not cut at the ``#`` (the ledger would be written to
    ``慈善 协会``); with an empty authority, so that a Windows drive (``/C:/…``) or a share
    (``////server/share/…``) is part of the path. Not resolved: a mapped network drive stays
    the drive it is. Undecodable names keep their bytes."""
    text = os.path.abspath(path).replace(os.sep, "/")
    if not text.startswith("/"):
        text = "/" + text   # C:/… -> /C:/…
    return f"file://{urllib.parse.quote_from_bytes(os.fsencode(text), safe='/:')}?mode={mode}"


def _connect(path: Path, mode: str) -> sqlite3.Connection:
    uri = sqlite_uri(path, mode)
    # check_same_thread off: an import hands its chunks to one writer thread (services/imports),
    # never two threads at once.
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA recursive_triggers = ON")  # so that INSERT OR REPLACE meets the delete guards too
    conn.execute("PRAGMA cache_size = -32000")  # 32 MB: index upkeep in large imports stays in memory
    return conn


def open_ledger(path: Path, actor: Actor | None = None, upgrading=None) -> Ledger:
    """Open an existing ledger, refusing anything that is not one; migrate it if older
    (``upgrading(done, steps)`` is told before each step; see ``schema.migrate``)."""
    path = Path(path)
    if not path.exists():
        raise LedgerError(
            _("no ledger at {path}").format(path=path),
            hint=_("create one with `charitybook init --name NAME`, or point --db / CHARITYBOOK_DB at yours"),
        )
    _refuse_non_sqlite(path)
    conn = _connect(path, "rw")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        app = _app_id(conn)
        if app != APP_ID:
            raise LedgerError(_("{path} is a SQLite database but not a charitybook ledger; refusing to touch it").format(path=path))
        if version > schema.LATEST:
            raise LedgerError(
                _("{path} was written by a newer charitybook (schema {found}, this one knows {known})").format(
                    path=path, found=version, known=schema.LATEST
                ),
                hint=_("upgrade charitybook"),
            )
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        schema.migrate(conn, on_step=upgrading)
    except sqlite3.DatabaseError as error:
        conn.close()
        raise LedgerError(_("{path} is damaged or not a ledger: {error}").format(path=path, error=error)) from error
    except BaseException:
        conn.close()
        raise
    return Ledger(path, conn, actor or Actor())


def _refuse_non_sqlite(path: Path) -> None:
    if path.is_dir():
        raise LedgerError(_("{path} is a folder, not a ledger file").format(path=path))
    with open(path, "rb") as handle:
        head = handle.read(len(_SQLITE_MAGIC))
    if not head:
        raise LedgerError(
            _("{path} is empty (0 bytes), not a ledger; refusing to touch it").format(path=path),
            hint=_("a failed copy or sync leaves empty files: restore the ledger from a backup"),
        )
    if head != _SQLITE_MAGIC:
        raise LedgerError(_("{path} is not a charitybook ledger (not a SQLite file); refusing to touch it").format(path=path))


def _app_id(conn: sqlite3.Connection) -> str | None:
    has_meta = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
    if not has_meta:
        return None
    row = conn.execute("SELECT value FROM meta WHERE key = 'app'").fetchone()
    return row[0] if row else None


def create_ledger(path: Path, name: str, org_type: str, actor: Actor | None = None, *, upto: int | None = None) -> Ledger:
    """Create a new ledger file, readable by its owner only. Refuses an existing path.

    ``upto`` stops at an older schema version; only the migration tests use it.
    """
    path = Path(path)
    if path.exists():
        raise LedgerError(
            _("{path} already exists; `init` never overwrites a file").format(path=path),
            hint=_("choose another --db path"),
        )
    if not path.parent.exists():
        raise LedgerError(_("folder {folder} does not exist").format(folder=path.parent))
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    try:
        conn = _connect(path, "rw")
        conn.execute("PRAGMA journal_mode = WAL")
        schema.migrate(conn, upto or schema.LATEST)
        ledger = Ledger(path, conn, actor or Actor())
        with ledger.write():
            for key, value in (("app", APP_ID), ("name", name), ("org_type", org_type), ("created_at", now())):
                ledger.set_meta(key, value)
            from charitybook.ledger import funds

            funds.insert_fund(ledger, GENERAL_FUND, "general")
            ledger.audit("init", {"name": name, "org_type": org_type})
    except BaseException:
        with contextlib.suppress(OSError):
            conn.close()  # type: ignore[possibly-undefined]
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.remove(f"{path}{suffix}")
        raise
    return ledger
