"""Ledger -> context (plain data) -> Markdown / Excel / JSON. Nothing here writes to the ledger."""
