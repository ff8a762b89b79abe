"""What a large import needs from the process: a second thread for SQLite, and the interpreter
tuned for millions of short-lived rows."""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait


@contextlib.contextmanager
def tuned_for_bulk():
    """An import makes millions of short-lived objects and no reference cycles: Python's cycle
    collector would walk the live ones over and over, for about a tenth of the import's time. And
    the writer thread gets the GIL back sooner after each SQLite statement (the default switch
    interval, 5 ms, is most of a chunk's statement time)."""
    enabled, interval = gc.isenabled(), sys.getswitchinterval()
    gc.disable()
    sys.setswitchinterval(0.001)
    try:
        yield
    finally:
        sys.setswitchinterval(interval)
        if enabled:
            gc.enable()


class BackgroundWriter:
    """One job at a time on one thread, while the caller prepares the next: SQLite works with the
    GIL released on one core, Python on the other. Only one thread uses the connection at a time:
    ``submit`` and ``wait`` first wait for the job in flight and raise its error on the caller's
    thread. ``close`` always waits for it, even through Ctrl-C, so that the transaction never ends
    while a job is still writing (a rollback in the middle of a job would leave its remaining
    statements to run on their own), and raises its error unless another one is on its way."""

    def __init__(self, name: str):
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._in_flight: Future | None = None

    def submit(self, job: Callable, *args) -> None:
        self.wait()
        self._in_flight = self._pool.submit(job, *args)

    def wait(self) -> None:
        if self._in_flight is not None:
            done, self._in_flight = self._in_flight, None
            done.result()

    def close(self, unwinding: bool = False) -> None:
        interrupted = None
        while self._in_flight is not None and not self._in_flight.done():
            try:
                wait([self._in_flight])
            except KeyboardInterrupt as error:
                interrupted = error
        self._pool.shutdown(wait=True)
        if interrupted is not None:
            raise interrupted
        if not unwinding:
            self.wait()
        self._in_flight = None
