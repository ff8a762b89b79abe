"""The spreadsheet reader's own process: python-calamine reads the workbook here, not in the
importer's process.

calamine holds a whole sheet in memory, sized by the bounding box of its cells; on a crafted file
(a cell at XFD1048576 and none of the cheap checks fooled into refusing it) it aborts the process,
and a Rust allocation failure is not a Python exception. Here that ends only this child: the
importer sees the pipe close and reports the file as unreadable. As a bonus the two processes run
on two cores: this one parses XML while the importer validates and writes.

Protocol, on stdin/stdout: frames of an 8-byte length and a pickle. The child first sends
``("names", [sheet names])`` or ``("error", message)``; then answers commands:
``("non_empty",)`` -> ``("non_empty", [names])``; ``("rows", name)`` -> ``("height", n)``, then
``("rows", [(excel row number, cells), ...])`` frames, then ``("end",)``.
"""

from __future__ import annotations

import pickle
import struct
import sys
from collections.abc import Iterator
from typing import BinaryIO

_LENGTH = struct.Struct("<Q")
BATCH_ROWS = 2000


def send(stream: BinaryIO, message: tuple) -> None:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(payload)))
    stream.write(payload)
    stream.flush()


def receive(stream: BinaryIO) -> tuple | None:
    """The next frame, or None when the other side has gone (closed pipe, crashed process)."""
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    size = _LENGTH.unpack(head)[0]
    payload = stream.read(size)
    if len(payload) < size:
        return None
    return pickle.loads(payload)


def sheet_rows(sheet) -> Iterator[tuple[int, list]]:
    """(Excel row number, cells) with merged ranges filled: a merged range's value applies to
    every cell it spans. Cells sit at their sheet column (index 0 is column A).

    calamine's ``iter_rows`` starts at row 1 but at the first used column; the blank columns
    before it are put back so that a marked-up copy lines up with the township's sheet."""
    first_col = sheet.start[1] if sheet.start else 0
    pad = [""] * first_col
    merged: dict[int, list[tuple[int, int, int]]] = {}
    for (top, left), (bottom, right) in sheet.merged_cell_ranges or ():
        merged.setdefault(top, []).append((bottom, left, right))
    active: list[tuple[int, int, int, object]] = []  # (last row index, left, right, value)
    for index, cells in enumerate(sheet.iter_rows()):
        if pad:
            cells = pad + cells
        if merged or active:
            for bottom, left, right in merged.pop(index, ()):
                active.append((bottom, left, right, cells[left] if left < len(cells) else ""))
            for bottom, left, right, value in active:
                for col in range(left, min(right + 1, len(cells))):
                    cells[col] = value
            active = [span for span in active if span[0] > index]
        yield index + 1, cells


def has_data(sheet) -> bool:
    return bool(sheet.height) and any(cell != "" for row in sheet.iter_rows() for cell in row)


def _limit_memory() -> None:
    """Cap this process's address space (POSIX) so a crafted file fails fast instead of
    swapping the clerk's machine to a standstill first."""
    try:
        import os
        import resource

        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
        cap = max(2 * 1024**3, physical * 3 // 4)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (ImportError, ValueError, OSError, AttributeError):
        pass  # Windows, or a system that refuses: the pipe still contains a crash


def serve(path: str, commands: BinaryIO, out: BinaryIO) -> None:
    from python_calamine import CalamineWorkbook

    try:
        with open(path, "rb") as handle:
            workbook = CalamineWorkbook.from_filelike(handle)
    except Exception as error:  # calamine's own error types for damaged files
        send(out, ("error", str(error)))
        return
    send(out, ("names", list(workbook.sheet_names)))
    while (command := receive(commands)) is not None:
        try:
            if command[0] == "non_empty":
                send(out, ("non_empty", [name for name in workbook.sheet_names
                                         if has_data(workbook.get_sheet_by_name(name))]))
            elif command[0] == "rows":
                sheet = workbook.get_sheet_by_name(command[1])
                send(out, ("height", sheet.height))
                batch = []
                for row in sheet_rows(sheet):
                    batch.append(row)
                    if len(batch) >= BATCH_ROWS:
                        send(out, ("rows", batch))
                        batch = []
                if batch:
                    send(out, ("rows", batch))
                del sheet
                send(out, ("end",))
        except Exception as error:
            send(out, ("error", str(error)))


def main() -> None:
    _limit_memory()
    serve(sys.argv[1], sys.stdin.buffer, sys.stdout.buffer)


if __name__ == "__main__":
    main()
