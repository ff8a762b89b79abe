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
        if version < 4:
            ledger.conn.execute("INSERT INTO postings (entry_id, fund_id, cash_fen) VALUES (1, 1, 500)")
        else:  # from schema 4 on, a posting carries its entry's date and kind (as every writer sets them)
            ledger.conn.execute("INSERT INTO postings (entry_id, fund_id, cash_fen, date, kind) VALUES (1, 1, 500, '2021-01-01', 'income')")
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
    for row in funds.balances(ledger, 2021):  # everything happened in 2021: nothing before it
        assert (row["opening_cash"], row["opening_goods"]) == (0, 0)
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


DONATION_OPS = st.lists(
    st.one_of(
        st.tuples(st.just("donate"), st.integers(0, 3), st.integers(1, 90_000), st.integers(1, 12),
                  st.sampled_from(["cash", "bank", "online"]), st.sampled_from([2020, 2021]), st.sampled_from([None, "A"])),
        st.tuples(st.just("void"), st.integers(0, 30)),
    ),
    min_size=1, max_size=30,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(DONATION_OPS)
def test_report_totals_kept_by_triggers_equal_a_recount_of_standing_donations(tmp_path_factory, ops):
    """The annual report reads totals the ledger keeps as donations and voids are written; they
    must equal what a recount of the standing (not voided) donations gives, year by year."""
    import datetime as dt
    from collections import Counter
    from decimal import Decimal

    from charitybook.models import NewDonation
    from charitybook.reports import context
    from charitybook.services import Refused, corrections, donations, funds

    ledger = create_ledger(tmp_path_factory.mktemp("tot") / "l.db", "x", "social")
    funds.add_fund(ledger, "A", "restricted", None, None, None)
    made, standing, voided = [], {}, []
    for op in ops:
        if op[0] == "donate":
            _, who, fen, month, channel, year, fund = op
            donor = ["王某", "某建设集团有限公司", "匿名", "县教育局"][who]
            recorded = donations.add_donation(ledger, NewDonation(
                donor, dt.date(year, month, 1), Decimal(fen) / 100, channel=channel, fund=fund))
            made.append(recorded.id)
            standing[recorded.id] = (year, donor, recorded.donor_type, channel, f"{year}-{month:02d}", fund or "非限定性基金", fen)
        elif made:
            target = made[op[1] % len(made)]
            try:
                corrections.void(ledger, target, "x", dt.date(2022, 1, 1))
                voided.append(standing.pop(target))
            except Refused:
                pass  # already voided
    every = list(standing.values()) + voided
    assert checks.check(ledger) == []
    for year in (2020, 2021):
        receipts = context.annual(ledger, year)["receipts"]
        rows = [row for row in standing.values() if row[0] == year]
        assert receipts["count"] == len(rows)
        assert Decimal(receipts["total"]) * 100 == sum(row[6] for row in rows)
        for key, index in (("channel", 3), ("month", 4), ("project", 5), ("donor_type", 2)):
            expected = Counter()
            for row in rows:
                expected[row[index]] += row[6]
            assert {r[key]: int(Decimal(r["amount"]) * 100) for r in receipts[f"by_{key}"]} == dict(expected)
        top = Counter()
        for row in rows:
            if row[2] != "匿名":
                top[row[1]] += row[6]
        assert {r["donor"]: int(Decimal(r["amount"]) * 100) for r in receipts["top_donors"]} == dict(top)
    # Fund statements follow the journal: a donation counts in its own year, its void in 2022.
    for year in (2020, 2021, 2022, None):
        for statement in funds.balances(ledger, year):
            fund = statement["name"]
            gifts = [row[6] for row in every if row[5] == fund and (year is None or row[0] == year)]
            taken_back = [row[6] for row in voided if row[5] == fund and year in (None, 2022)]
            assert statement["in_cash"] == sum(gifts) - sum(taken_back)
            assert statement["out_cash"] == 0
            held = [row[6] for row in every if row[5] == fund and (year is None or row[0] <= year)]
            after = [row[6] for row in voided if row[5] == fund and (year is None or year >= 2022)]
            assert statement["cash"] == sum(held) - sum(after)
    ledger.close()
