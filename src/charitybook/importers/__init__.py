"""Foreign files -> (records, problems). Nothing in here writes to the ledger.

The steps, each small and testable alone: ``read`` (bytes -> rows of cells, merged cells filled)
-> ``header`` (find the header row, map columns to fields, note units) -> ``rows`` (classify each
row, normalise and validate it into a record, check 合计/小计 rows).
"""
