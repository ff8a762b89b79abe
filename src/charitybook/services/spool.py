"""Checked rows kept on disk between reading a file and writing it: an import reads and checks a
million rows without the write lock, then writes them from here, a chunk at a time, holding it
only while it writes. Memory stays at one chunk whatever the file's size."""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator

CHUNK = 5000


class Spool:
    def __init__(self, chunk: int | None = None):
        self.chunk = chunk or CHUNK
        self._file = tempfile.TemporaryFile(prefix="charitybook-import-")
        self._pending: list = []
        self.count = 0

    def add(self, item) -> None:
        self._pending.append(item)
        self.count += 1
        if len(self._pending) >= self.chunk:
            self._spill()

    def _spill(self) -> None:
        if self._pending:
            pickle.dump(self._pending, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self._pending = []

    def chunks(self) -> Iterator[list]:
        """Everything added, in order, a chunk at a time (can be read more than once)."""
        self._spill()
        self._file.seek(0)
        while True:
            try:
                yield pickle.load(self._file)
            except EOFError:
                return

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
