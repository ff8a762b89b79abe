"""Schema migrations, balance invariants over random sequences, and two clerks at once."""

import multiprocessing
import sqlite3

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charitybook.ledger import create_ledger, open_ledger, schema
from charitybook.services import checks


def _schema(path):
    conn = sqlite3.connect(path)
    rows = sorted(conn.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"))
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.close()
    return rows, version


def test_every_older_schema_migrates_to_the_same_final_schema(tmp_path):
    fresh = tmp_path / "fresh.db"
    create_ledger(fresh, "x", "social").close()
    expected = _schema(fresh)
    assert expected[1] == schema.LATEST
    for version in range(1, schema.LATEST):
        old = tmp_path / f"v{version}.db"
        ledger = create_ledger(old, "x", "social", upto=version)
        ledger.conn.execute("BEGIN IMMEDIATE")
        ledger.conn.execute("INSERT INTO entries (kind, date, created_at) VALUES ('income', '2021-01-01', 'now')")
        ledger.conn.execute("INSERT INTO postings (entry_id, fund_id, cash_fen) VALUES (1, 1, 500)")
        ledger.conn.execute("COMMIT")
        ledger.close()
        assert _schema(old)[1] == version
        migrated = open_ledger(old)
        assert checks.check(migrated) == []
        assert migrated.conn.execute("SELECT cash_fen FROM fund_balances").fetchone()[0] == 500
        migrated.close()
        assert _schema(old) == expected


OPS = st.lists(
    st.tuples(
        st.sampled_from(["donate", "donate_goods", "spend", "spend_goods", "purchase", "transfer", "void"]),
        st.integers(min_value=1, max_value=50_000),
        st.sampled_from(["非限定性基金", "A", "B"]),
        st.integers(min_value=1, max_value=40),
    ),
    max_size=40,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(OPS)
def test_balances_recomputed_from_entries_equal_balances_reported(tmp_path_factory, ops):
    import datetime as dt
    from decimal import Decimal

    from charitybook.models import Goods, NewDisbursement, NewDonation
    from charitybook.services import Refused, corrections, donations, funds, spending

    path = tmp_path_factory.mktemp("inv") / "l.db"
    ledger = create_ledger(path, "x", "social")
    for name in ("A", "B"):
        funds.add_fund(ledger, name, "restricted", None, None, None)
    day = dt.date(2021, 6, 1)
    for op, fen, fund, target in ops:
        amount = Decimal(fen) / 100
        try:
            if op == "donate":
                donations.add_donation(ledger, NewDonation("王某", day, amount, fund=fund))
            elif op == "donate_goods":
                donations.add_donation(ledger, NewDonation("厂", day, goods=Goods("米", amount), fund=fund))
            elif op == "spend":
                spending.add_disbursement(ledger, NewDisbursement("李某", day, "charitable", amount, fund=fund))
            elif op == "spend_goods":
                spending.add_disbursement(ledger, NewDisbursement("李某", day, "charitable", goods=Goods("米", amount), fund=fund))
            elif op == "purchase":
                spending.add_purchase(ledger, "油", amount, day, None, None, fund, None, None)
            elif op == "transfer":
                spending.add_transfer(ledger, fund, "B" if fund != "B" else "A", amount, day, None)
            else:
                corrections.void(ledger, target, "x", day)
        except Refused:
            pass
    assert checks.check(ledger) == []
    reported = {row["name"]: (row["cash"], row["goods"]) for row in funds.balances(ledger)}
    kept = {row[0]: (row[1], row[2]) for row in ledger.conn.execute(
        "SELECT f.name, b.cash_fen, b.goods_fen FROM fund_balances b JOIN funds f ON f.id = b.fund_id")}
    assert reported == kept
    assert all(cash >= 0 and goods >= 0 for cash, goods in kept.values())
    for row in funds.balances(ledger, 2021):
        assert row["opening_cash"] + row["in_cash"] - row["out_cash"] == row["cash"]
        assert row["opening_goods"] + row["in_goods"] - row["out_goods"] == row["goods"]
    ledger.close()


def _clerk(path: str, n: int, who: str) -> int:
    from typer.testing import CliRunner

    from charitybook.cli.app import app

    runner = CliRunner()
    failures = 0
    for i in range(n):
        result = runner.invoke(app, ["--db", path, "add-donation", "--donor", who, "--amount", str(i + 1), "--date", "2021-05-01"])
        failures += result.exit_code != 0
    return failures


def test_two_clerks_at_once_each_200_donations(tmp_path):
    path = tmp_path / "shared.db"
    create_ledger(path, "x", "social").close()
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        failures = pool.starmap(_clerk, [(str(path), 200, "甲"), (str(path), 200, "乙")])
    assert failures == [0, 0]
    ledger = open_ledger(path)
    seqs = [row[0] for row in ledger.conn.execute("SELECT receipt_seq FROM donations ORDER BY receipt_seq")]
    assert seqs == list(range(1, 401))
    assert checks.check(ledger) == []
    ledger.close()
