"""Checked rows kept on disk between reading a file and writing it: an import reads and checks a
million rows without the write lock, then writes them from here, a chunk at a time, holding it
only while it writes. Memory stays at one chunk whatever the file's size. What is spooled is
plain values (tuples of text, numbers and None), kept with ``marshal``: the fastest encoding
Python has for them, and the file is this process's own, read back only by it."""

from __future__ import annotations

import marshal
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
            data = marshal.dumps(self._pending)
            self._file.write(len(data).to_bytes(8, "little"))
            self._file.write(data)
            self._pending = []

    def chunks(self) -> Iterator[list]:
        """Everything added, in order, a chunk at a time (can be read more than once)."""
        self._spill()
        self._file.seek(0)
        while size := self._file.read(8):
            # one read a chunk: marshal.load on a file object would call it for every value
            yield marshal.loads(self._file.read(int.from_bytes(size, "little")))

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
