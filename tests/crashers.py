"""Real .xls files that crash the Rust reader (calamine 0.36.1, through fastexcel 0.21) when
it runs in the process that opens them, built record by record from the BIFF8 format
([MS-XLS]) inside an OLE2 compound file (hostile.compound_file), ~5.6 KB each:

- PANIC_SHEET: a BoundSheet8 record whose stream position (lbPlyPos) points far past
  the end of the Workbook stream → "range start index … out of range" at xls.rs:606,
  raised in Python as pyo3_runtime.PanicException, a BaseException that
  `except Exception` does not catch;
- PANIC_NAME: a defined name (Lbl) whose formula is a PtgRef3d cut short → "range end
  index 5 out of range for slice of length 3" at xls.rs:1380, also a PanicException;
- ABORT_DIMENSIONS: a sheet whose Dimensions record has its first row after its last
  (as one flipped byte in a real LibreOffice .xls does): calamine sizes the sheet as
  ~4 billion rows, asks for 1.3 TB, and Rust aborts the whole process (SIGABRT, exit
  134), which no Python handler can catch.

The same crashes turn up by mutating LibreOffice's own .xls files (one byte of a
Dimensions record, of a BoundSheet8 position); these are the same records, written
so that a reader can see what is wrong with them.
"""

from __future__ import annotations

import struct

from hostile import compound_file

SHEET = "指标进展"


def _record(kind: int, payload: bytes) -> bytes:
    return struct.pack("<HH", kind, len(payload)) + payload


def _bof(substream: int) -> bytes:
    """BOF: BIFF8 (0x0600), globals (0x0005) or a worksheet (0x0010)."""
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, substream, 0x0DBB, 0x07CC, 0, 0x06))


EOF = _record(0x000A, b"")


def _boundsheet(position: int) -> bytes:
    name = SHEET.encode("utf-16-le")
    return _record(0x0085, struct.pack("<IBBBB", position, 0, 0, len(SHEET), 1) + name)


def _workbook(globals_extra: bytes = b"", dimensions: tuple[int, int, int, int] = (0, 1, 0, 1),
              position: int | None = None) -> bytes:
    """A Workbook stream: the globals (with `globals_extra`) and one worksheet, sized by `dimensions`
    (first row, last row + 1, first column, last column + 1); `position` overrides where the
    globals say the worksheet starts."""
    sheet = _bof(0x0010) + _record(0x0200, struct.pack("<IIHHH", *dimensions, 0)) + EOF
    head = _bof(0x0005) + globals_extra
    length = len(head) + len(_boundsheet(0)) + len(EOF)
    return head + _boundsheet(length if position is None else position) + EOF + sheet


def _xls(stream: bytes) -> bytes:
    return compound_file({"Workbook": stream})


def valid() -> bytes:
    """The same construction, nothing wrong with it: one empty sheet named 指标进展."""
    return _xls(_workbook())


def panic_sheet() -> bytes:
    return _xls(_workbook(position=0x00D50C7B))


def panic_name() -> bytes:
    # Lbl: no options, no key, name length 1, formula length 3, the name "a" (compressed),
    # then a PtgRef3d (0x3A) that needs 6 more bytes and has 2.
    formula = b"\x3a\x00\x00"
    lbl = struct.pack("<HBBHHHBBBB", 0, 0, 1, len(formula), 0, 0, 0, 0, 0, 0) + b"\x00a" + formula
    return _xls(_workbook(globals_extra=_record(0x0018, lbl)))


def abort_dimensions() -> bytes:
    return _xls(_workbook(dimensions=(5, 4, 0, 8)))


CRASHERS = {
    "panic: a sheet position past the end": ("坏表位置.xls", panic_sheet, "panic"),
    "panic: a defined name cut short": ("坏名称.xls", panic_name, "panic"),
    "abort: a sheet sized backwards": ("坏尺寸.xls", abort_dimensions, "abort"),
}
