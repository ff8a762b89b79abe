"""The ledger's schema: an ordered, never-edited list of migrations.

Each migration is a function run inside one transaction; ``PRAGMA user_version`` records how
many have run. Add new ones at the end; never change one that has shipped. A shipped migration
is plain SQL written out in full: it never calls or imports code that can change later (a helper
that builds SQL, a constant of this module), or a new ledger and a migrated one would differ.

The ledger guards itself (m006_journal_guards): every journal and register table has a trigger
``<table>_never_change`` (BEFORE UPDATE) and ``<table>_never_vanish`` (BEFORE DELETE) that aborts
with a line saying what to do instead. Only ``meta`` (settings) and the tables the triggers keep
(fund_balances, donation_totals, donor_totals, posting_totals) are writable; ``batches`` lets its
``rows`` be set once, from 0.

How a later migration changes a guarded table. It runs in one transaction, so it may lift a guard
for its own statements and put it back before it ends; no one else ever sees the gap:

    DROP TRIGGER donations_never_change;
    UPDATE donations SET platform = trim(platform);          -- the backfill
    CREATE TRIGGER donations_never_change BEFORE UPDATE ON donations BEGIN
        SELECT RAISE(ABORT, 'donations are never edited: void the entry and record it again');
    END;

- Copy the CREATE TRIGGER verbatim from the migration that last created it (m006 for now), into
  the new migration's SQL. ``test_every_older_schema_migrates_to_the_same_final_schema`` compares
  a migrated ledger with a new one.
- A backfill of a column the report totals are grouped or summed by (see the views
  ``donation_moves`` and ``posting_moves``: dates, township, channel, fund, donor, amounts) must
  recount those totals in the same migration, as m007 does: DELETE FROM the totals table, then
  INSERT INTO it the grouped view. ``check`` says so if it does not.
- ``ALTER TABLE t ADD COLUMN`` needs nothing: the guards name no columns, so the new column is
  guarded too.
- ``DROP TRIGGER t_never_vanish`` / ``CREATE TRIGGER`` around a DELETE the same way.
- A table rebuilt (CREATE TABLE t_new, INSERT INTO t_new SELECT ..., DROP TABLE t, ALTER TABLE t_new
  RENAME TO t) loses all its triggers with the DROP (which fires none): recreate its guards and
  every other trigger on it (postings: postings_keep_balance, postings_add_to_totals; entries:
  voids_take_from_totals; donations: donations_add_to_totals) and its indexes after the RENAME.
  DROP VIEW the views that read it (donation_moves, posting_moves) before the DROP TABLE and
  recreate them after: the RENAME fails while a view names a missing table. A table that another
  table references (entries, funds, donors, pledges, batches, beneficiaries, cases, campaigns)
  cannot be rebuilt inside ``migrate``'s transaction at all: with foreign keys on, the DROP's
  implicit delete fails the children's references (even with ``PRAGMA defer_foreign_keys``, at
  COMMIT). Add columns to those instead.
- A new table is guarded in the migration that creates it, or is added, with its reason, to the
  writable tables in tests/test_ledger_guards.py (the test fails until one or the other).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run statements one by one: ``executescript`` would COMMIT the migration's transaction."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement in migration: {statement!r}")


def _append_only(table: str, fix: str) -> str:
    """The two triggers that make ``table`` append-only; ``fix`` says what to do instead."""
    return f"""
        CREATE TRIGGER {table}_never_change BEFORE UPDATE ON {table} BEGIN
            SELECT RAISE(ABORT, '{table} rows are never edited: {fix}');
        END;
        CREATE TRIGGER {table}_never_vanish BEFORE DELETE ON {table} BEGIN
            SELECT RAISE(ABORT, '{table} rows are never deleted: {fix}');
        END;
        """


def m001_ledger(conn: sqlite3.Connection) -> None:
    _run_script(conn, 
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

        CREATE TABLE funds (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('general', 'restricted', 'named', 'endowment')),
            project TEXT UNIQUE,
            sponsor TEXT,
            note TEXT,
            created_at TEXT NOT NULL
        ) STRICT;

        -- Running balances, kept by a trigger on postings; `check` recomputes them.
        CREATE TABLE fund_balances (
            fund_id INTEGER PRIMARY KEY REFERENCES funds(id),
            cash_fen INTEGER NOT NULL DEFAULT 0 CHECK (cash_fen >= 0),
            goods_fen INTEGER NOT NULL DEFAULT 0 CHECK (goods_fen >= 0),
            principal_fen INTEGER NOT NULL DEFAULT 0 CHECK (principal_fen >= 0),
            CHECK (cash_fen >= principal_fen)
        ) STRICT;

        CREATE TABLE donors (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            type TEXT NOT NULL CHECK (type IN ('个人', '企业', '机关事业单位', '社会组织', '匿名')),
            contact TEXT,
            id_code TEXT,
            created_at TEXT NOT NULL
        ) STRICT;
        CREATE UNIQUE INDEX donors_identity ON donors (name, coalesce(id_code, ''));

        CREATE TABLE pledges (
            id INTEGER PRIMARY KEY,
            donor_id INTEGER NOT NULL REFERENCES donors(id),
            fund_id INTEGER NOT NULL REFERENCES funds(id),
            amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
            date TEXT NOT NULL,
            due_date TEXT,
            note TEXT,
            created_at TEXT NOT NULL
        ) STRICT;

        -- The journal. Nothing here is ever updated or deleted: a correction is a 'void'
        -- entry whose postings negate the original's.
        CREATE TABLE entries (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN
                ('opening', 'donation', 'income', 'disbursement', 'purchase', 'transfer', 'void')),
            date TEXT NOT NULL,
            void_of INTEGER UNIQUE REFERENCES entries(id),
            note TEXT,
            created_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX entries_date ON entries (date);

        CREATE TABLE postings (
            id INTEGER PRIMARY KEY,
            entry_id INTEGER NOT NULL REFERENCES entries(id),
            fund_id INTEGER NOT NULL REFERENCES funds(id),
            cash_fen INTEGER NOT NULL DEFAULT 0,
            goods_fen INTEGER NOT NULL DEFAULT 0,
            principal_fen INTEGER NOT NULL DEFAULT 0
        ) STRICT;
        CREATE INDEX postings_entry ON postings (entry_id);
        CREATE INDEX postings_fund ON postings (fund_id);

        CREATE TRIGGER postings_keep_balance AFTER INSERT ON postings BEGIN
            UPDATE fund_balances
               SET cash_fen = cash_fen + NEW.cash_fen,
                   goods_fen = goods_fen + NEW.goods_fen,
                   principal_fen = principal_fen + NEW.principal_fen
             WHERE fund_id = NEW.fund_id;
        END;
        CREATE TRIGGER postings_never_change BEFORE UPDATE ON postings BEGIN
            SELECT RAISE(ABORT, 'postings are never edited: void the entry instead');
        END;
        CREATE TRIGGER postings_never_vanish BEFORE DELETE ON postings BEGIN
            SELECT RAISE(ABORT, 'postings are never deleted: void the entry instead');
        END;
        CREATE TRIGGER entries_never_vanish BEFORE DELETE ON entries BEGIN
            SELECT RAISE(ABORT, 'entries are never deleted: void the entry instead');
        END;

        CREATE TABLE donations (
            entry_id INTEGER PRIMARY KEY REFERENCES entries(id),
            receipt_year INTEGER NOT NULL,
            receipt_seq INTEGER NOT NULL,
            donor_id INTEGER NOT NULL REFERENCES donors(id),
            fund_id INTEGER NOT NULL REFERENCES funds(id),
            cash_fen INTEGER NOT NULL CHECK (cash_fen >= 0),
            goods_fen INTEGER NOT NULL CHECK (goods_fen >= 0),
            channel TEXT NOT NULL CHECK (channel IN ('cash', 'bank', 'online', 'other', 'goods')),
            platform TEXT,
            township TEXT,
            campaign TEXT,
            pledge_id INTEGER REFERENCES pledges(id),
            external_ref TEXT,
            UNIQUE (receipt_year, receipt_seq)
        ) STRICT;
        CREATE INDEX donations_donor ON donations (donor_id);
        CREATE INDEX donations_external_ref ON donations (external_ref) WHERE external_ref IS NOT NULL;

        CREATE TABLE goods_lines (
            id INTEGER PRIMARY KEY,
            entry_id INTEGER NOT NULL REFERENCES entries(id),
            fund_id INTEGER NOT NULL REFERENCES funds(id),
            item TEXT NOT NULL,
            quantity TEXT,
            unit TEXT,
            unit_value_fen INTEGER,
            value_fen INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX goods_lines_entry ON goods_lines (entry_id);

        CREATE TABLE disbursements (
            entry_id INTEGER PRIMARY KEY REFERENCES entries(id),
            fund_id INTEGER NOT NULL REFERENCES funds(id),
            payee TEXT NOT NULL,
            purpose TEXT NOT NULL CHECK (purpose IN ('charitable', 'management', 'fundraising')),
            category TEXT,
            cash_fen INTEGER NOT NULL CHECK (cash_fen >= 0),
            goods_fen INTEGER NOT NULL CHECK (goods_fen >= 0),
            township TEXT
        ) STRICT;

        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            os_user TEXT NOT NULL,
            command TEXT NOT NULL,
            action TEXT NOT NULL,
            detail TEXT
        ) STRICT;
        """
    )


def m002_relief(conn: sqlite3.Connection) -> None:
    _run_script(conn, 
        """
        CREATE TABLE beneficiaries (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            id_number TEXT UNIQUE,
            no_id_reason TEXT,
            gender TEXT,
            birth_date TEXT,
            township TEXT,
            village TEXT,
            household_size INTEGER CHECK (household_size IS NULL OR household_size > 0),
            hardship_type TEXT,
            phone TEXT,
            created_at TEXT NOT NULL,
            CHECK (id_number IS NOT NULL OR no_id_reason IS NOT NULL)
        ) STRICT;

        CREATE TABLE cases (
            id INTEGER PRIMARY KEY,
            beneficiary_id INTEGER NOT NULL REFERENCES beneficiaries(id),
            category TEXT NOT NULL,
            asked_fen INTEGER NOT NULL CHECK (asked_fen > 0),
            reason TEXT NOT NULL,
            health TEXT,
            opened_on TEXT NOT NULL,
            created_at TEXT NOT NULL
        ) STRICT;

        -- Decisions are appended, never edited: the latest one is the case's state.
        CREATE TABLE case_decisions (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES cases(id),
            decision TEXT NOT NULL CHECK (decision IN ('approved', 'rejected')),
            approved_fen INTEGER CHECK (approved_fen IS NULL OR approved_fen > 0),
            reason TEXT,
            decided_on TEXT NOT NULL,
            created_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE campaigns (
            id INTEGER PRIMARY KEY,
            holiday TEXT NOT NULL,
            year INTEGER NOT NULL,
            unit TEXT NOT NULL CHECK (unit IN ('household', 'person')),
            created_at TEXT NOT NULL,
            UNIQUE (holiday, year)
        ) STRICT;

        ALTER TABLE disbursements ADD COLUMN beneficiary_id INTEGER REFERENCES beneficiaries(id);
        ALTER TABLE disbursements ADD COLUMN case_id INTEGER REFERENCES cases(id);
        ALTER TABLE disbursements ADD COLUMN campaign_id INTEGER REFERENCES campaigns(id);
        CREATE INDEX disbursements_case ON disbursements (case_id) WHERE case_id IS NOT NULL;
        CREATE INDEX disbursements_campaign ON disbursements (campaign_id, beneficiary_id)
            WHERE campaign_id IS NOT NULL;
        """
    )


def m003_import_batches(conn: sqlite3.Connection) -> None:
    _run_script(conn, 
        """
        CREATE TABLE batches (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('donations', 'relief')),
            file_name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            sheets TEXT,
            options TEXT,
            rows INTEGER NOT NULL,
            replaces INTEGER REFERENCES batches(id),
            imported_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX batches_sha256 ON batches (sha256);

        ALTER TABLE entries ADD COLUMN batch_id INTEGER REFERENCES batches(id);
        ALTER TABLE entries ADD COLUMN source TEXT;
        CREATE INDEX entries_batch ON entries (batch_id) WHERE batch_id IS NOT NULL;
        """
    )


def m004_report_indexes(conn: sqlite3.Connection) -> None:
    """Reports read a year at a time: donations and postings carry their entry's date (and
    postings its kind) under covering indexes — entries are never edited, so the copies cannot
    drift — and income entries are found by kind."""
    _run_script(conn, 
        """
        ALTER TABLE donations ADD COLUMN date TEXT;
        UPDATE donations SET date = (SELECT e.date FROM entries e WHERE e.id = donations.entry_id);
        CREATE INDEX donations_date ON donations (date, cash_fen, goods_fen);
        CREATE INDEX entries_kind_date ON entries (kind, date);

        ALTER TABLE postings ADD COLUMN date TEXT;
        ALTER TABLE postings ADD COLUMN kind TEXT;
        DROP TRIGGER postings_never_change;
        UPDATE postings SET date = (SELECT e.date FROM entries e WHERE e.id = postings.entry_id),
                            kind = (SELECT e.kind FROM entries e WHERE e.id = postings.entry_id);
        CREATE TRIGGER postings_never_change BEFORE UPDATE ON postings BEGIN
            SELECT RAISE(ABORT, 'postings are never edited: void the entry instead');
        END;
        CREATE INDEX postings_date ON postings (date, fund_id, kind, cash_fen, goods_fen, principal_fen);
        DROP INDEX postings_fund;  -- made the planner scan every posting to avoid a sort
        """
    )


def m005_report_totals(conn: sqlite3.Connection) -> None:
    """What reports read, kept up to date by triggers as entries are written, so that a report
    reads a few hundred rows instead of a year of entries: standing donations (a voided one is
    taken out again) per year, month, channel, township and fund, and per year and donor; and
    postings per year and fund, split into in and out the way fund statements count them.

    Each rule is written once, as a view of one row per donation or posting: the triggers add a
    row of the view, the backfill below and ``check`` group the whole view."""
    _run_script(conn,
        """
        CREATE VIEW donation_moves AS
        SELECT d.entry_id, d.receipt_year AS year, substr(e.date, 1, 7) AS month, d.channel,
               coalesce(d.township, '') AS township, d.fund_id, d.donor_id, d.cash_fen, d.goods_fen
          FROM donations d JOIN entries e ON e.id = d.entry_id;

        -- Fund statements: opening balances are neither in nor out; a void counts in the column
        -- of the entry it reverses, negatively (dir -1).
        CREATE VIEW posting_moves AS
        SELECT id, year, fund_id,
               CASE WHEN kind != 'opening' AND cash_fen * dir > 0 THEN cash_fen ELSE 0 END AS in_cash,
               CASE WHEN kind != 'opening' AND cash_fen * dir < 0 THEN -cash_fen ELSE 0 END AS out_cash,
               CASE WHEN kind != 'opening' AND goods_fen * dir > 0 THEN goods_fen ELSE 0 END AS in_goods,
               CASE WHEN kind != 'opening' AND goods_fen * dir < 0 THEN -goods_fen ELSE 0 END AS out_goods,
               cash_fen, goods_fen, principal_fen
          FROM (SELECT p.id, CAST(substr(e.date, 1, 4) AS INTEGER) AS year, p.fund_id, e.kind,
                       CASE WHEN e.kind = 'void' THEN -1 ELSE 1 END AS dir, p.cash_fen, p.goods_fen, p.principal_fen
                  FROM postings p JOIN entries e ON e.id = p.entry_id);

        CREATE TABLE donation_totals (
            year INTEGER NOT NULL,
            month TEXT NOT NULL,
            channel TEXT NOT NULL,
            township TEXT NOT NULL,
            fund_id INTEGER NOT NULL REFERENCES funds(id),
            count INTEGER NOT NULL,
            cash_fen INTEGER NOT NULL,
            goods_fen INTEGER NOT NULL,
            PRIMARY KEY (year, month, channel, township, fund_id)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE donor_totals (
            year INTEGER NOT NULL,
            donor_id INTEGER NOT NULL REFERENCES donors(id),
            count INTEGER NOT NULL,
            cash_fen INTEGER NOT NULL,
            goods_fen INTEGER NOT NULL,
            PRIMARY KEY (year, donor_id)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE posting_totals (
            year INTEGER NOT NULL,
            fund_id INTEGER NOT NULL REFERENCES funds(id),
            in_cash INTEGER NOT NULL,
            out_cash INTEGER NOT NULL,
            in_goods INTEGER NOT NULL,
            out_goods INTEGER NOT NULL,
            cash_fen INTEGER NOT NULL,
            goods_fen INTEGER NOT NULL,
            principal_fen INTEGER NOT NULL,
            PRIMARY KEY (year, fund_id)
        ) STRICT, WITHOUT ROWID;

        INSERT INTO donation_totals
        SELECT year, month, channel, township, fund_id, count(*), sum(cash_fen), sum(goods_fen) FROM donation_moves
         WHERE entry_id NOT IN (SELECT void_of FROM entries WHERE void_of IS NOT NULL)
         GROUP BY year, month, channel, township, fund_id;

        INSERT INTO donor_totals
        SELECT year, donor_id, count(*), sum(cash_fen), sum(goods_fen) FROM donation_moves
         WHERE entry_id NOT IN (SELECT void_of FROM entries WHERE void_of IS NOT NULL)
         GROUP BY year, donor_id;

        INSERT INTO posting_totals
        SELECT year, fund_id, sum(in_cash), sum(out_cash), sum(in_goods), sum(out_goods),
               sum(cash_fen), sum(goods_fen), sum(principal_fen) FROM posting_moves GROUP BY year, fund_id;

        CREATE TRIGGER donations_add_to_totals AFTER INSERT ON donations BEGIN
            INSERT INTO donation_totals
            SELECT year, month, channel, township, fund_id, 1, cash_fen, goods_fen FROM donation_moves WHERE entry_id = NEW.entry_id
                ON CONFLICT DO UPDATE SET count = count + 1, cash_fen = cash_fen + excluded.cash_fen,
                                          goods_fen = goods_fen + excluded.goods_fen;
            INSERT INTO donor_totals
            SELECT year, donor_id, 1, cash_fen, goods_fen FROM donation_moves WHERE entry_id = NEW.entry_id
                ON CONFLICT DO UPDATE SET count = count + 1, cash_fen = cash_fen + excluded.cash_fen,
                                          goods_fen = goods_fen + excluded.goods_fen;
        END;

        CREATE TRIGGER voids_take_from_totals AFTER INSERT ON entries WHEN NEW.void_of IS NOT NULL BEGIN
            UPDATE donation_totals SET count = count - 1,
                   cash_fen = cash_fen - (SELECT cash_fen FROM donations WHERE entry_id = NEW.void_of),
                   goods_fen = goods_fen - (SELECT goods_fen FROM donations WHERE entry_id = NEW.void_of)
             WHERE (year, month, channel, township, fund_id) =
                   (SELECT year, month, channel, township, fund_id FROM donation_moves WHERE entry_id = NEW.void_of);
            UPDATE donor_totals SET count = count - 1,
                   cash_fen = cash_fen - (SELECT cash_fen FROM donations WHERE entry_id = NEW.void_of),
                   goods_fen = goods_fen - (SELECT goods_fen FROM donations WHERE entry_id = NEW.void_of)
             WHERE (year, donor_id) = (SELECT year, donor_id FROM donation_moves WHERE entry_id = NEW.void_of);
        END;

        CREATE TRIGGER postings_add_to_totals AFTER INSERT ON postings BEGIN
            INSERT INTO posting_totals
            SELECT year, fund_id, in_cash, out_cash, in_goods, out_goods, cash_fen, goods_fen, principal_fen
              FROM posting_moves WHERE id = NEW.id
                ON CONFLICT DO UPDATE SET in_cash = in_cash + excluded.in_cash, out_cash = out_cash + excluded.out_cash,
                   in_goods = in_goods + excluded.in_goods, out_goods = out_goods + excluded.out_goods,
                   cash_fen = cash_fen + excluded.cash_fen, goods_fen = goods_fen + excluded.goods_fen,
                   principal_fen = principal_fen + excluded.principal_fen;
        END;
        """
    )


def m006_journal_guards(conn: sqlite3.Connection) -> None:
    """Nothing in the journal or its registers is edited or deleted in place; until now only
    postings (and deleting entries) were refused. Each message says what to do instead: the CLI
    shows it as one red line. ``batches.rows`` is the one column meant to change: an import
    writes its batch first (its entries refer to it) and sets the row count, once, as it ends."""
    _run_script(conn,
        """
        CREATE TRIGGER entries_never_change BEFORE UPDATE ON entries BEGIN
            SELECT RAISE(ABORT, 'entries are never edited: void the entry and record it again');
        END;

        CREATE TRIGGER donations_never_change BEFORE UPDATE ON donations BEGIN
            SELECT RAISE(ABORT, 'donations are never edited: void the entry and record it again');
        END;
        CREATE TRIGGER donations_never_vanish BEFORE DELETE ON donations BEGIN
            SELECT RAISE(ABORT, 'donations are never deleted: void the entry instead');
        END;

        CREATE TRIGGER disbursements_never_change BEFORE UPDATE ON disbursements BEGIN
            SELECT RAISE(ABORT, 'disbursements are never edited: void the entry and record it again');
        END;
        CREATE TRIGGER disbursements_never_vanish BEFORE DELETE ON disbursements BEGIN
            SELECT RAISE(ABORT, 'disbursements are never deleted: void the entry instead');
        END;

        CREATE TRIGGER goods_lines_never_change BEFORE UPDATE ON goods_lines BEGIN
            SELECT RAISE(ABORT, 'goods lines are never edited: void the entry and record it again');
        END;
        CREATE TRIGGER goods_lines_never_vanish BEFORE DELETE ON goods_lines BEGIN
            SELECT RAISE(ABORT, 'goods lines are never deleted: void the entry instead');
        END;

        CREATE TRIGGER audit_log_never_change BEFORE UPDATE ON audit_log BEGIN
            SELECT RAISE(ABORT, 'the audit log is never edited: it is the record of who changed the ledger');
        END;
        CREATE TRIGGER audit_log_never_vanish BEFORE DELETE ON audit_log BEGIN
            SELECT RAISE(ABORT, 'the audit log is never deleted: it is the record of who changed the ledger');
        END;

        CREATE TRIGGER pledges_never_change BEFORE UPDATE ON pledges BEGIN
            SELECT RAISE(ABORT, 'pledges are never edited: what was received against one is in its donations');
        END;
        CREATE TRIGGER pledges_never_vanish BEFORE DELETE ON pledges BEGIN
            SELECT RAISE(ABORT, 'pledges are never deleted: what was received against one is in its donations');
        END;

        CREATE TRIGGER batches_never_change BEFORE UPDATE ON batches BEGIN
            SELECT RAISE(ABORT, 'import batches are never edited: import the corrected file with --replace BATCH');
        END;
        CREATE TRIGGER batches_never_vanish BEFORE DELETE ON batches BEGIN
            SELECT RAISE(ABORT, 'import batches are never deleted: import the corrected file with --replace BATCH');
        END;

        CREATE TRIGGER cases_never_change BEFORE UPDATE ON cases BEGIN
            SELECT RAISE(ABORT, 'relief cases are never edited: decide the case (case approve / case reject) or open a new one');
        END;
        CREATE TRIGGER cases_never_vanish BEFORE DELETE ON cases BEGIN
            SELECT RAISE(ABORT, 'relief cases are never deleted: reject an open case (case reject) instead');
        END;

        CREATE TRIGGER case_decisions_never_change BEFORE UPDATE ON case_decisions BEGIN
            SELECT RAISE(ABORT, 'case decisions are never edited: a decided case stays decided; open a new case');
        END;
        CREATE TRIGGER case_decisions_never_vanish BEFORE DELETE ON case_decisions BEGIN
            SELECT RAISE(ABORT, 'case decisions are never deleted: a decided case stays decided; open a new case');
        END;

        CREATE TRIGGER campaigns_never_change BEFORE UPDATE ON campaigns BEGIN
            SELECT RAISE(ABORT, 'holiday campaigns are never edited: void the gifts and give them again in the right campaign');
        END;
        CREATE TRIGGER campaigns_never_vanish BEFORE DELETE ON campaigns BEGIN
            SELECT RAISE(ABORT, 'holiday campaigns are never deleted: void their gifts instead');
        END;

        CREATE TRIGGER beneficiaries_never_change BEFORE UPDATE ON beneficiaries BEGIN
            SELECT RAISE(ABORT, 'beneficiaries are never edited: a gift stays with the person it was given to; void it and give it again');
        END;
        CREATE TRIGGER beneficiaries_never_vanish BEFORE DELETE ON beneficiaries BEGIN
            SELECT RAISE(ABORT, 'beneficiaries are never deleted: a gift stays with the person it was given to; void the gift instead');
        END;

        CREATE TRIGGER donors_never_change BEFORE UPDATE ON donors BEGIN
            SELECT RAISE(ABORT, 'donors are never edited: void the donation and record it again under the right donor');
        END;
        CREATE TRIGGER donors_never_vanish BEFORE DELETE ON donors BEGIN
            SELECT RAISE(ABORT, 'donors are never deleted: void their donations instead');
        END;

        CREATE TRIGGER funds_never_change BEFORE UPDATE ON funds BEGIN
            SELECT RAISE(ABORT, 'funds are never edited: add the right fund (fund add) and transfer the money to it');
        END;
        CREATE TRIGGER funds_never_vanish BEFORE DELETE ON funds BEGIN
            SELECT RAISE(ABORT, 'funds are never deleted: transfer the money to another fund instead');
        END;
        """
    )


def m007_voids_count_as_what_they_reverse(conn: sqlite3.Connection) -> None:
    """A void counts in the column of the entry it reverses; m005's view put a void of an opening
    balance in (negative) income. The view, the trigger that adds from it and the totals it keeps
    are made again."""
    _run_script(conn,
        """
        DROP TRIGGER postings_add_to_totals;
        DROP VIEW posting_moves;

        -- Fund statements: opening balances are neither in nor out; a void counts as the entry it
        -- reverses (so a void of an opening balance is neither in nor out either), negatively (dir -1).
        CREATE VIEW posting_moves AS
        SELECT id, year, fund_id,
               CASE WHEN counts_as != 'opening' AND cash_fen * dir > 0 THEN cash_fen ELSE 0 END AS in_cash,
               CASE WHEN counts_as != 'opening' AND cash_fen * dir < 0 THEN -cash_fen ELSE 0 END AS out_cash,
               CASE WHEN counts_as != 'opening' AND goods_fen * dir > 0 THEN goods_fen ELSE 0 END AS in_goods,
               CASE WHEN counts_as != 'opening' AND goods_fen * dir < 0 THEN -goods_fen ELSE 0 END AS out_goods,
               cash_fen, goods_fen, principal_fen
          FROM (SELECT p.id, CAST(substr(e.date, 1, 4) AS INTEGER) AS year, p.fund_id,
                       coalesce(o.kind, e.kind) AS counts_as, CASE WHEN e.kind = 'void' THEN -1 ELSE 1 END AS dir,
                       p.cash_fen, p.goods_fen, p.principal_fen
                  FROM postings p JOIN entries e ON e.id = p.entry_id LEFT JOIN entries o ON o.id = e.void_of);

        CREATE TRIGGER postings_add_to_totals AFTER INSERT ON postings BEGIN
            INSERT INTO posting_totals
            SELECT year, fund_id, in_cash, out_cash, in_goods, out_goods, cash_fen, goods_fen, principal_fen
              FROM posting_moves WHERE id = NEW.id
                ON CONFLICT DO UPDATE SET in_cash = in_cash + excluded.in_cash, out_cash = out_cash + excluded.out_cash,
                   in_goods = in_goods + excluded.in_goods, out_goods = out_goods + excluded.out_goods,
                   cash_fen = cash_fen + excluded.cash_fen, goods_fen = goods_fen + excluded.goods_fen,
                   principal_fen = principal_fen + excluded.principal_fen;
        END;

        DELETE FROM posting_totals;
        INSERT INTO posting_totals
        SELECT year, fund_id, sum(in_cash), sum(out_cash), sum(in_goods), sum(out_goods),
               sum(cash_fen), sum(goods_fen), sum(principal_fen) FROM posting_moves GROUP BY year, fund_id;
        """
    )


def m008_import_identity(conn: sqlite3.Connection) -> None:
    """A batch remembers its rows' fingerprint (a re-saved copy of a file is the same file) and a
    sketch of them (a file that is mostly an earlier one is recognised too); a gift
    remembers the household size and hardship type its own roster gave (a later roster must not
    change what an earlier campaign reports); goods stock is read per fund and item; a category
    roster's rule (once per person, category and date) is found by person."""
    _run_script(conn,
        """
        ALTER TABLE batches ADD COLUMN fingerprint TEXT;
        ALTER TABLE batches ADD COLUMN sketch TEXT;
        CREATE INDEX batches_fingerprint ON batches (fingerprint) WHERE fingerprint IS NOT NULL;
        -- An import writes its batch first (its entries refer to it) and finishes it once, at the
        -- end: its row count, fingerprint and sketch, from 0 and none. Nothing else ever changes.
        DROP TRIGGER batches_never_change;
        CREATE TRIGGER batches_never_change BEFORE UPDATE ON batches
         WHEN OLD.rows != 0 OR OLD.fingerprint IS NOT NULL OR NEW.rows < 0
           OR (NEW.id, NEW.kind, NEW.file_name, NEW.sha256, NEW.sheets, NEW.options, NEW.replaces, NEW.imported_at)
              IS NOT (OLD.id, OLD.kind, OLD.file_name, OLD.sha256, OLD.sheets, OLD.options, OLD.replaces, OLD.imported_at)
        BEGIN
            SELECT RAISE(ABORT, 'import batches are never edited: import the corrected file with --replace BATCH');
        END;

        ALTER TABLE disbursements ADD COLUMN household_size INTEGER
            CHECK (household_size IS NULL OR household_size > 0);
        ALTER TABLE disbursements ADD COLUMN hardship_type TEXT;
        DROP TRIGGER disbursements_never_change;
        UPDATE disbursements
           SET household_size = (SELECT b.household_size FROM beneficiaries b WHERE b.id = disbursements.beneficiary_id),
               hardship_type = (SELECT b.hardship_type FROM beneficiaries b WHERE b.id = disbursements.beneficiary_id)
         WHERE beneficiary_id IS NOT NULL;
        CREATE TRIGGER disbursements_never_change BEFORE UPDATE ON disbursements BEGIN
            SELECT RAISE(ABORT, 'disbursements are never edited: void the entry and record it again');
        END;
        CREATE INDEX disbursements_beneficiary ON disbursements (beneficiary_id, category) WHERE beneficiary_id IS NOT NULL;

        CREATE INDEX goods_lines_fund_item ON goods_lines (fund_id, item);
        """
    )


def m009_import_profiles(conn: sqlite3.Connection) -> None:
    """What made a source's files import (header and value mappings, defaults), saved under a
    name: each save is a new version, never an edit; the latest version of a name is the profile."""
    _run_script(conn,
        """
        CREATE TABLE import_profiles (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('donations', 'relief')),
            options TEXT NOT NULL,
            saved_at TEXT NOT NULL,
            saved_by TEXT
        ) STRICT;
        CREATE INDEX import_profiles_name ON import_profiles (name, id);
        CREATE TRIGGER import_profiles_never_change BEFORE UPDATE ON import_profiles BEGIN
            SELECT RAISE(ABORT, 'import profiles are never edited: save the profile again (a new version)');
        END;
        CREATE TRIGGER import_profiles_never_vanish BEFORE DELETE ON import_profiles BEGIN
            SELECT RAISE(ABORT, 'import profiles are never deleted: save a new version');
        END;
        """
    )


def m010_list_and_balance_indexes(conn: sqlite3.Connection) -> None:
    """``list donors`` reads each donor's totals from donor_totals, found by donor; a payment dated
    in the past is checked against the fund's balance on that day and every day after, read by
    fund and date."""
    _run_script(conn, """
        CREATE INDEX donor_totals_donor ON donor_totals (donor_id, count, cash_fen, goods_fen);
        CREATE INDEX postings_fund_date ON postings (fund_id, date, cash_fen, goods_fen, principal_fen);
        """)


def m011_stations(conn: sqlite3.Connection) -> None:
    """The register of stations: county -> township (乡镇/街道 慈善工作站) -> village (村/社区 联络站),
    and the other names a station goes by (城关镇 for 城关街道). Both are append-only. Entries and
    people keep the station's registered name in their text columns. A fund may belong to a
    station (its money is still the county association's). An existing ledger registers every
    township it already names, and every village its beneficiaries name under their township
    (a village named under two townships goes under the first by name)."""
    _run_script(conn,
        """
        CREATE TABLE stations (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            level TEXT NOT NULL CHECK (level IN ('township', 'village')),
            parent_id INTEGER REFERENCES stations(id),
            created_at TEXT NOT NULL,
            CHECK ((level = 'township') = (parent_id IS NULL))
        ) STRICT;
        CREATE INDEX stations_parent ON stations (parent_id) WHERE parent_id IS NOT NULL;
        CREATE TABLE station_aliases (
            id INTEGER PRIMARY KEY,
            alias TEXT NOT NULL UNIQUE,
            station_id INTEGER NOT NULL REFERENCES stations(id),
            created_at TEXT NOT NULL
        ) STRICT;
        CREATE TRIGGER stations_village_under_township BEFORE INSERT ON stations
         WHEN NEW.parent_id IS NOT NULL
          AND coalesce((SELECT level FROM stations WHERE id = NEW.parent_id), '') != 'township'
        BEGIN
            SELECT RAISE(ABORT, 'a village station belongs to a township station');
        END;
        CREATE TRIGGER stations_never_change BEFORE UPDATE ON stations BEGIN
            SELECT RAISE(ABORT, 'stations are never edited: give the station another name with station alias');
        END;
        CREATE TRIGGER stations_never_vanish BEFORE DELETE ON stations BEGIN
            SELECT RAISE(ABORT, 'stations are never deleted: entries name them');
        END;
        CREATE TRIGGER station_aliases_never_change BEFORE UPDATE ON station_aliases BEGIN
            SELECT RAISE(ABORT, 'station aliases are never edited: entries were stored under the station they named');
        END;
        CREATE TRIGGER station_aliases_never_vanish BEFORE DELETE ON station_aliases BEGIN
            SELECT RAISE(ABORT, 'station aliases are never deleted: entries were stored under the station they named');
        END;

        ALTER TABLE funds ADD COLUMN station_id INTEGER REFERENCES stations(id);

        INSERT INTO stations (name, level, parent_id, created_at)
        SELECT name, 'township', NULL, strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')
          FROM (SELECT township AS name FROM donations WHERE township IS NOT NULL AND township != ''
                UNION SELECT township FROM disbursements WHERE township IS NOT NULL AND township != ''
                UNION SELECT township FROM beneficiaries WHERE township IS NOT NULL AND township != '')
         ORDER BY name;
        INSERT OR IGNORE INTO stations (name, level, parent_id, created_at)
        SELECT b.village, 'village', min(s.id), strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')
          FROM beneficiaries b JOIN stations s ON s.name = b.township
         WHERE b.village IS NOT NULL AND b.village != ''
         GROUP BY b.village ORDER BY b.village;
        """
    )


def m012_tier_kinds(conn: sqlite3.Connection) -> None:
    """Money between tiers of the charity network, kept apart from money raised: a grant received
    from a higher body (上级拨入, an 'income' entry) and money passed on to another legal entity
    (上交 to a higher body, 拨付下级 to a lower one: a 'disbursement' entry without a disbursement
    row). One row per such entry, naming the other body; never edited."""
    _run_script(conn, """
        CREATE TABLE tier_flows (
            entry_id INTEGER PRIMARY KEY REFERENCES entries(id),
            kind TEXT NOT NULL CHECK (kind IN ('from_above', 'to_above', 'to_below')),
            body TEXT NOT NULL CHECK (length(trim(body)) > 0),
            fund_id INTEGER NOT NULL REFERENCES funds(id),
            cash_fen INTEGER NOT NULL CHECK (cash_fen > 0),
            date TEXT NOT NULL,
            reference TEXT
        ) STRICT;
        CREATE INDEX tier_flows_date ON tier_flows (date, kind);
        CREATE TRIGGER tier_flows_never_change BEFORE UPDATE ON tier_flows BEGIN
            SELECT RAISE(ABORT, 'money between tiers is never edited: void the entry and record it again');
        END;
        CREATE TRIGGER tier_flows_never_vanish BEFORE DELETE ON tier_flows BEGIN
            SELECT RAISE(ABORT, 'money between tiers is never deleted: void the entry instead');
        END;
        """)


def m015_statement_entries(conn: sqlite3.Connection) -> None:
    """The accountant's opening balances and adjustments of the financial statements: the lines
    the ledger does not hold (fixed assets, payables, staff costs …). Stored by role (the chart's
    codes and 行次 change between profiles; the role does not), never edited: a wrong one is
    reversed by a void row that negates it."""
    _run_script(conn,
        """
        CREATE TABLE statement_entries (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('opening', 'adjustment', 'void')),
            year INTEGER NOT NULL,
            role TEXT NOT NULL,
            restricted INTEGER NOT NULL DEFAULT 0 CHECK (restricted IN (0, 1)),
            amount_fen INTEGER NOT NULL,
            note TEXT,
            void_of INTEGER UNIQUE REFERENCES statement_entries(id),
            created_at TEXT NOT NULL,
            created_by TEXT
        ) STRICT;
        CREATE INDEX statement_entries_year ON statement_entries (year, role);
        CREATE TRIGGER statement_entries_never_change BEFORE UPDATE ON statement_entries BEGIN
            SELECT RAISE(ABORT, 'statement entries are never edited: void the entry (statement void) and enter it again');
        END;
        CREATE TRIGGER statement_entries_never_vanish BEFORE DELETE ON statement_entries BEGIN
            SELECT RAISE(ABORT, 'statement entries are never deleted: void the entry (statement void) instead');
        END;
        """
    )


def m014_periods(conn: sqlite3.Connection) -> None:
    """Closed years (年度结账). A close and a reopen are events, appended: a year is closed while
    its latest event is a close. Closing stores the fingerprint (and the canonical JSON) of each
    year report the auditors signed. Nothing dated in a closed year enters the journal, the pledges
    or the case decisions: the triggers below refuse it, whoever writes.

    The correction of a closed year is a void dated in an open year that references the closed
    entry, marked ``closed_correction = 1`` as it is written (the schema refuses such a void
    unmarked). It leaves the closed year as signed: the entry stands there, and the void counts in
    its own year, negatively, with the entry's channel, township, fund and donor. Every other void
    works as before (it takes its entry out of the entry's year). ``donation_counts`` is that rule,
    one row per counted move, for ``check``'s recount. No void is marked yet, so nothing is recounted."""
    _run_script(conn,
        """
        CREATE TABLE period_events (
            id INTEGER PRIMARY KEY,
            year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
            action TEXT NOT NULL CHECK (action IN ('close', 'reopen')),
            by_name TEXT NOT NULL,
            note TEXT,
            at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX period_events_year ON period_events (year, id);
        CREATE TRIGGER period_events_never_change BEFORE UPDATE ON period_events BEGIN
            SELECT RAISE(ABORT, 'period events are never edited: close or reopen the year again (a new event)');
        END;
        CREATE TRIGGER period_events_never_vanish BEFORE DELETE ON period_events BEGIN
            SELECT RAISE(ABORT, 'period events are never deleted: close or reopen the year again (a new event)');
        END;

        CREATE TABLE report_fingerprints (
            id INTEGER PRIMARY KEY,
            event_id INTEGER NOT NULL REFERENCES period_events(id),
            year INTEGER NOT NULL,
            report TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            body TEXT NOT NULL
        ) STRICT;
        CREATE INDEX report_fingerprints_year ON report_fingerprints (year, report, id);
        CREATE TRIGGER report_fingerprints_never_change BEFORE UPDATE ON report_fingerprints BEGIN
            SELECT RAISE(ABORT, 'report fingerprints are never edited: reopen and close the year again');
        END;
        CREATE TRIGGER report_fingerprints_never_vanish BEFORE DELETE ON report_fingerprints BEGIN
            SELECT RAISE(ABORT, 'report fingerprints are never deleted: reopen and close the year again');
        END;

        CREATE VIEW closed_years AS
        SELECT p.year FROM period_events p
         WHERE p.action = 'close' AND p.id = (SELECT max(q.id) FROM period_events q WHERE q.year = p.year);

        ALTER TABLE entries ADD COLUMN closed_correction INTEGER CHECK (closed_correction IS NULL OR closed_correction = 1);

        CREATE TRIGGER entries_not_in_closed_year BEFORE INSERT ON entries
         WHEN EXISTS (SELECT 1 FROM closed_years WHERE year = CAST(substr(NEW.date, 1, 4) AS INTEGER)) BEGIN
            SELECT RAISE(ABORT, 'the year of this entry is closed: record the correction in an open year (a void dated today references the closed entry)');
        END;
        CREATE TRIGGER entries_correct_a_closed_year_marked BEFORE INSERT ON entries
         WHEN NEW.void_of IS NOT NULL AND NEW.closed_correction IS NOT 1 AND EXISTS (
              SELECT 1 FROM closed_years WHERE year = (SELECT CAST(substr(date, 1, 4) AS INTEGER) FROM entries WHERE id = NEW.void_of)) BEGIN
            SELECT RAISE(ABORT, 'a void of an entry of a closed year is a correction of that year: write it with charitybook void');
        END;
        CREATE TRIGGER pledges_not_in_closed_year BEFORE INSERT ON pledges
         WHEN EXISTS (SELECT 1 FROM closed_years WHERE year = CAST(substr(NEW.date, 1, 4) AS INTEGER)) BEGIN
            SELECT RAISE(ABORT, 'the year of this pledge is closed: record it in an open year');
        END;
        CREATE TRIGGER case_decisions_not_in_closed_year BEFORE INSERT ON case_decisions
         WHEN EXISTS (SELECT 1 FROM closed_years WHERE year = CAST(substr(NEW.decided_on, 1, 4) AS INTEGER)) BEGIN
            SELECT RAISE(ABORT, 'the year of this decision is closed: decide the case in an open year');
        END;

        CREATE VIEW donation_counts AS
        SELECT m.entry_id, m.year, m.month, m.channel, m.township, m.fund_id, m.donor_id, 1 AS count, m.cash_fen, m.goods_fen
          FROM donation_moves m
         WHERE NOT EXISTS (SELECT 1 FROM entries v WHERE v.void_of = m.entry_id AND v.closed_correction IS NULL)
        UNION ALL
        SELECT v.id, CAST(substr(v.date, 1, 4) AS INTEGER), substr(v.date, 1, 7), m.channel, m.township, m.fund_id,
               m.donor_id, -1, -m.cash_fen, -m.goods_fen
          FROM entries v JOIN donation_moves m ON m.entry_id = v.void_of
         WHERE v.closed_correction = 1;

        DROP TRIGGER voids_take_from_totals;
        CREATE TRIGGER voids_take_from_totals AFTER INSERT ON entries
         WHEN NEW.void_of IS NOT NULL AND NEW.closed_correction IS NULL BEGIN
            UPDATE donation_totals SET count = count - 1,
                   cash_fen = cash_fen - (SELECT cash_fen FROM donations WHERE entry_id = NEW.void_of),
                   goods_fen = goods_fen - (SELECT goods_fen FROM donations WHERE entry_id = NEW.void_of)
             WHERE (year, month, channel, township, fund_id) =
                   (SELECT year, month, channel, township, fund_id FROM donation_moves WHERE entry_id = NEW.void_of);
            UPDATE donor_totals SET count = count - 1,
                   cash_fen = cash_fen - (SELECT cash_fen FROM donations WHERE entry_id = NEW.void_of),
                   goods_fen = goods_fen - (SELECT goods_fen FROM donations WHERE entry_id = NEW.void_of)
             WHERE (year, donor_id) = (SELECT year, donor_id FROM donation_moves WHERE entry_id = NEW.void_of);
        END;
        CREATE TRIGGER closed_corrections_count_in_their_year AFTER INSERT ON entries
         WHEN NEW.closed_correction = 1 BEGIN
            INSERT INTO donation_totals
            SELECT year, month, channel, township, fund_id, count, cash_fen, goods_fen FROM donation_counts WHERE entry_id = NEW.id
                ON CONFLICT DO UPDATE SET count = count + excluded.count, cash_fen = cash_fen + excluded.cash_fen,
                                          goods_fen = goods_fen + excluded.goods_fen;
            INSERT INTO donor_totals
            SELECT year, donor_id, count, cash_fen, goods_fen FROM donation_counts WHERE entry_id = NEW.id
                ON CONFLICT DO UPDATE SET count = count + excluded.count, cash_fen = cash_fen + excluded.cash_fen,
                                          goods_fen = goods_fen + excluded.goods_fen;
        END;
        """
    )


def m013_receipts(conn: sqlite3.Connection) -> None:
    """Official donation receipts (公益事业捐赠票据). ``receipt_stock``: ranges of paper receipts
    received and the station holding them (NULL: the county office). ``receipts``: a receipt
    issued (or imported from the provincial platform), for one or more donations
    (``receipt_donations``). ``receipt_events``: what happened to a number after (作废 of a paper
    one, 冲红 of an electronic one; a blank spoiled before it was used). A number's state is
    derived from these rows; none of them is ever edited or deleted."""
    _run_script(conn,
        """
        CREATE TABLE receipt_stock (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL CHECK (length(code) = 8 AND code NOT GLOB '*[^0-9]*'),
            first TEXT NOT NULL CHECK (length(first) = 10 AND first NOT GLOB '*[^0-9]*'),
            last TEXT NOT NULL CHECK (length(last) = 10 AND last NOT GLOB '*[^0-9]*' AND last >= first),
            station TEXT,
            received TEXT NOT NULL,
            created_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX receipt_stock_code ON receipt_stock (code, first);

        CREATE TABLE receipts (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL CHECK (length(code) = 8),
            number TEXT NOT NULL CHECK (length(number) = 10),
            kind TEXT NOT NULL CHECK (kind IN ('paper', 'electronic')),
            stock_id INTEGER REFERENCES receipt_stock(id),
            station TEXT,
            date TEXT NOT NULL,
            donor_id INTEGER NOT NULL REFERENCES donors(id),
            amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
            issuer TEXT NOT NULL,
            reviewer TEXT,
            source TEXT,
            created_at TEXT NOT NULL,
            UNIQUE (code, number)
        ) STRICT;
        CREATE INDEX receipts_date ON receipts (date);

        CREATE TABLE receipt_donations (
            receipt_id INTEGER NOT NULL REFERENCES receipts(id),
            entry_id INTEGER NOT NULL REFERENCES donations(entry_id),
            PRIMARY KEY (receipt_id, entry_id)
        ) STRICT;
        CREATE INDEX receipt_donations_entry ON receipt_donations (entry_id);

        CREATE TABLE receipt_events (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL CHECK (length(code) = 8),
            number TEXT NOT NULL CHECK (length(number) = 10),
            receipt_id INTEGER REFERENCES receipts(id),
            action TEXT NOT NULL CHECK (action IN ('void', 'red')),
            reason TEXT NOT NULL,
            operator TEXT,
            date TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (code, number)
        ) STRICT;
        """ + "".join(f"""
        CREATE TRIGGER {table}_never_change BEFORE UPDATE ON {table} BEGIN
            SELECT RAISE(ABORT, 'receipt records are never edited: void the receipt (receipt void) and issue another');
        END;
        CREATE TRIGGER {table}_never_vanish BEFORE DELETE ON {table} BEGIN
            SELECT RAISE(ABORT, 'receipt records are never deleted: void the receipt (receipt void) instead');
        END;""" for table in ("receipt_stock", "receipts", "receipt_donations", "receipt_events")))


def m016_end_dates(conn: sqlite3.Connection) -> None:
    """When a fundraising campaign (the ``campaign`` a donation names) or a project (a restricted
    fund's ``project``) ended: what starts its 3-month disclosure deadline (``charitybook due``).
    An end is an event, never edited: a later row for the same campaign or project supersedes an
    earlier one (a corrected or extended end date)."""
    _run_script(conn,
        """
        CREATE TABLE end_dates (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('campaign', 'project')),
            name TEXT NOT NULL,
            ended TEXT NOT NULL CHECK (ended GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
            note TEXT,
            created_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX end_dates_name ON end_dates (kind, name, id);

        CREATE TRIGGER end_dates_never_change BEFORE UPDATE ON end_dates BEGIN
            SELECT RAISE(ABORT, 'end dates are never edited: record the right end again (project end / campaign end); the later one counts');
        END;
        CREATE TRIGGER end_dates_never_vanish BEFORE DELETE ON end_dates BEGIN
            SELECT RAISE(ABORT, 'end dates are never deleted: record the right end again (project end / campaign end); the later one counts');
        END;
        """
    )


def m017_disclosures(conn: sqlite3.Connection) -> None:
    """What was published on 慈善中国 (``charitybook disclose publish``): one row per package
    published -- the year's annual report, a fundraising campaign's, a project's -- with the canonical
    JSON published and its SHA-256, as the period fingerprints are. Never edited: a correction
    (更正说明) is a new row that names the row it supersedes and what changed (``changes``, JSON)."""
    _run_script(conn,
        """
        CREATE TABLE disclosures (
            id INTEGER PRIMARY KEY,
            year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
            package TEXT NOT NULL,
            published_on TEXT NOT NULL CHECK (published_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
            sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
            body TEXT NOT NULL,
            supersedes INTEGER REFERENCES disclosures(id),
            changes TEXT,
            created_at TEXT NOT NULL,
            created_by TEXT,
            CHECK ((supersedes IS NULL) = (changes IS NULL))
        ) STRICT;
        CREATE INDEX disclosures_package ON disclosures (year, package, id);
        CREATE UNIQUE INDEX disclosures_superseded_once ON disclosures (supersedes) WHERE supersedes IS NOT NULL;

        CREATE TRIGGER disclosures_never_change BEFORE UPDATE ON disclosures BEGIN
            SELECT RAISE(ABORT, 'publications are never edited: publish a correction (disclose correction --publish)');
        END;
        CREATE TRIGGER disclosures_never_vanish BEFORE DELETE ON disclosures BEGIN
            SELECT RAISE(ABORT, 'publications are never deleted: publish a correction (disclose correction --publish)');
        END;
        """
    )


def m018_pass_through(conn: sqlite3.Connection) -> None:
    """Pass-through gifts (受托代理, 定向到人): the donor names the person or unit the gift is for
    and the association cannot change it. Such a gift is neither income nor expense and sits in
    no fund: its entry (kind ``donation``) has no postings and no ``donations`` row, only a
    ``pass_through_gifts`` row; each hand-over to the named recipient is an entry (kind
    ``disbursement``) with no postings and a ``pass_through_handovers`` row. What is held is what
    the standing gifts brought less their standing hand-overs (受托代理资产 = 受托代理负债)."""
    _run_script(conn,
        """
        CREATE TABLE pass_through_gifts (
            entry_id INTEGER PRIMARY KEY REFERENCES entries(id),
            donor_id INTEGER NOT NULL REFERENCES donors(id),
            recipient TEXT NOT NULL CHECK (recipient != ''),
            cash_fen INTEGER NOT NULL CHECK (cash_fen >= 0),
            goods_fen INTEGER NOT NULL CHECK (goods_fen >= 0),
            item TEXT,
            channel TEXT NOT NULL CHECK (channel IN ('cash', 'bank', 'online', 'other', 'goods')),
            platform TEXT,
            township TEXT,
            external_ref TEXT,
            CHECK (cash_fen + goods_fen > 0)
        ) STRICT;
        CREATE INDEX pass_through_gifts_external_ref ON pass_through_gifts (external_ref) WHERE external_ref IS NOT NULL;

        CREATE TABLE pass_through_handovers (
            entry_id INTEGER PRIMARY KEY REFERENCES entries(id),
            gift_id INTEGER NOT NULL REFERENCES pass_through_gifts(entry_id),
            cash_fen INTEGER NOT NULL CHECK (cash_fen >= 0),
            goods_fen INTEGER NOT NULL CHECK (goods_fen >= 0),
            CHECK (cash_fen + goods_fen > 0)
        ) STRICT;
        CREATE INDEX pass_through_handovers_gift ON pass_through_handovers (gift_id);

        CREATE TRIGGER pass_through_gifts_never_change BEFORE UPDATE ON pass_through_gifts BEGIN
            SELECT RAISE(ABORT, 'pass-through gifts are never edited: void the entry and record it again');
        END;
        CREATE TRIGGER pass_through_gifts_never_vanish BEFORE DELETE ON pass_through_gifts BEGIN
            SELECT RAISE(ABORT, 'pass-through gifts are never deleted: void the entry instead');
        END;
        CREATE TRIGGER pass_through_handovers_never_change BEFORE UPDATE ON pass_through_handovers BEGIN
            SELECT RAISE(ABORT, 'hand-overs are never edited: void the entry and record it again');
        END;
        CREATE TRIGGER pass_through_handovers_never_vanish BEFORE DELETE ON pass_through_handovers BEGIN
            SELECT RAISE(ABORT, 'hand-overs are never deleted: void the entry instead');
        END;
        """
    )


def m019_release_confirmations(conn: sqlite3.Connection) -> None:
    """The accountant's confirmation of a year's release from restriction (限定性净资产转为非限定性
    净资产, 财会〔2020〕9号): the amount per restricted fund, as proposed from what the fund spent, booked
    when confirmed. A later confirmation of the same year supersedes an earlier one; one with no
    lines books nothing released. Never edited, and never written into a closed year."""
    _run_script(conn,
        """
        CREATE TABLE release_confirmations (
            id INTEGER PRIMARY KEY,
            year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
            confirmed_on TEXT NOT NULL CHECK (confirmed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
            by_name TEXT NOT NULL,
            note TEXT,
            at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX release_confirmations_year ON release_confirmations (year, id);
        CREATE TABLE release_lines (
            confirmation_id INTEGER NOT NULL REFERENCES release_confirmations(id),
            fund_id INTEGER NOT NULL REFERENCES funds(id),
            amount_fen INTEGER NOT NULL,
            PRIMARY KEY (confirmation_id, fund_id)
        ) STRICT;
        CREATE TRIGGER release_confirmations_not_in_closed_year BEFORE INSERT ON release_confirmations
         WHEN EXISTS (SELECT 1 FROM closed_years WHERE year = NEW.year) BEGIN
            SELECT RAISE(ABORT, 'the year of this release is closed: reopen it (period reopen) to confirm its release again');
        END;
        CREATE INDEX entries_closed_corrections ON entries (date) WHERE closed_correction = 1;
        """
        + _append_only("release_confirmations", "confirm the release again (statement release --confirm); the later one counts")
        + _append_only("release_lines", "confirm the release again (statement release --confirm); the later one counts")
    )


def m020_notices(conn: sqlite3.Connection) -> None:
    """The events 慈善组织信息公开办法 asks to be published within 30 days (Arts. 12-14): a major
    asset change, investment or transaction (the association's own rules set what is major), a
    related-party transaction, a charity trust set up. ``charitybook notice add`` records one;
    ``due`` counts its deadline from ``happened``. Never edited: a correction is a new row that
    ``replaces`` the earlier one (once), and ``withdrawn`` (the reason) takes one back."""
    _run_script(conn,
        """
        CREATE TABLE notices (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('asset', 'investment', 'transaction', 'related_party', 'trust')),
            happened TEXT NOT NULL CHECK (happened GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
            what TEXT NOT NULL CHECK (what != ''),
            party TEXT,
            amount_fen INTEGER CHECK (amount_fen IS NULL OR amount_fen >= 0),
            note TEXT,
            replaces INTEGER REFERENCES notices(id),
            withdrawn TEXT CHECK (withdrawn IS NULL OR (withdrawn != '' AND replaces IS NOT NULL)),
            created_at TEXT NOT NULL,
            created_by TEXT
        ) STRICT;
        CREATE UNIQUE INDEX notices_replaced_once ON notices (replaces) WHERE replaces IS NOT NULL;
        """
        + _append_only("notices", "record it again with --replaces N (or withdraw it); the later one counts")
    )


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    m001_ledger, m002_relief, m003_import_batches, m004_report_indexes, m005_report_totals, m006_journal_guards,
    m007_voids_count_as_what_they_reverse, m008_import_identity, m009_import_profiles,
    m010_list_and_balance_indexes, m011_stations, m012_tier_kinds, m013_receipts,
    m014_periods, m015_statement_entries, m016_end_dates, m017_disclosures,
    m018_pass_through, m019_release_confirmations, m020_notices,
]
LATEST = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, target: int = LATEST, on_step=None) -> None:
    """Run every migration after the file's ``user_version`` up to ``target``, each in one
    transaction together with its version bump. ``on_step(done, steps)`` is told before each one
    (an upgrade of a large ledger takes minutes: the clerk must see it is working)."""
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    for number in range(current + 1, target + 1):
        if on_step:
            on_step(number - current - 1, target - current)
        conn.execute("BEGIN IMMEDIATE")
        try:
            # re-read under the write lock: another process may have just migrated
            if conn.execute("PRAGMA user_version").fetchone()[0] >= number:
                conn.execute("ROLLBACK")
                continue
            MIGRATIONS[number - 1](conn)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
