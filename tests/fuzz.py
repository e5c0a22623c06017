"""A fuzz corpus of broken uploads, made by mutating real files (issue 13): each mutator
takes a file's bytes and a seeded random.Random and gives (label, bytes) cases, so
the same seed gives the same corpus on every run.

- truncate: the file cut at the start, in its header, at a quarter, half, three
  quarters, one byte short, and at random offsets;
- headers: bytes flipped in the first 512 (zip local header, OLE2 header, CSV head);
- zip (xlsx, ods): a member's compressed bytes overwritten, its local header's CRC,
  sizes or method changed, the central directory scribbled on, a part's XML cut or
  replaced by garbage, a part left out;
- ole2 (xls): a whole sector overwritten, the FAT's or the directory's sector
  scribbled on, bytes of the Workbook stream flipped;
- text (CSV): bytes flipped anywhere, a NUL, a character cut in half, another
  encoding's bytes inside, the BOM changed.
Renaming (a file under another format's extension) is done by the test.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
from collections.abc import Iterator

Case = tuple[str, bytes]


def _flip(data: bytes, rng: random.Random, start: int, end: int, count: int) -> bytes:
    out = bytearray(data)
    end = min(end, len(out))
    for _ in range(count):
        if end <= start:
            break
        out[rng.randrange(start, end)] = rng.randrange(256)
    return bytes(out)


def truncate(data: bytes, rng: random.Random, randoms: int = 6) -> Iterator[Case]:
    n = len(data)
    offsets = {1, 8, 30, 100, 512, n // 4, n // 2, 3 * n // 4, n - 22, n - 1}
    offsets |= {rng.randrange(1, n) for _ in range(randoms)}
    for offset in sorted(o for o in offsets if 0 < o < n):
        yield f"truncated at {offset}", data[:offset]


def headers(data: bytes, rng: random.Random, count: int = 10) -> Iterator[Case]:
    for number in range(count):
        yield f"header flip {number}", _flip(data, rng, 0, 512, rng.choice([1, 2, 4, 8]))


def zip_members(data: bytes, rng: random.Random, per_kind: int = 4) -> Iterator[Case]:
    """Corruptions of an xlsx or ods at the zip level and at the level of its parts."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        parts = {info.filename: archive.read(info.filename) for info in infos}
    chosen = rng.sample(infos, min(per_kind, len(infos)))
    for info in chosen:  # the member's compressed bytes
        offset = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        if info.compress_size > 4:
            yield (f"member data {info.filename}",
                   _flip(data, rng, offset + 2, offset + info.compress_size, rng.choice([1, 4, 16])))
    for info in rng.sample(infos, min(per_kind, len(infos))):  # the member's local header
        field, form = rng.choice([(14, "<I"), (18, "<I"), (22, "<I"), (8, "<H"), (26, "<H")])
        out = bytearray(data)
        struct.pack_into(form, out, info.header_offset + field, rng.randrange(1 << (8 * struct.calcsize(form))))
        yield f"local header {info.filename} +{field}", bytes(out)
    directory = data.rfind(b"PK\x01\x02", 0, len(data))
    start = data.find(b"PK\x01\x02")
    for number in range(per_kind):  # the central directory
        if start >= 0:
            yield f"central directory {number}", _flip(data, rng, start, max(directory, start + 46), rng.choice([1, 3, 9]))
    xml = [name for name in parts if name.endswith(".xml")]
    for name in rng.sample(xml, min(per_kind, len(xml))):  # a part cut short or replaced
        content = parts[name]
        yield f"part cut {name}", _rezip(parts, {name: content[: rng.randrange(1, max(len(content), 2))]})
        yield f"part garbage {name}", _rezip(parts, {name: rng.randbytes(rng.randrange(1, 2048))})
    for name in rng.sample(list(parts), min(per_kind, len(parts))):  # a part left out
        yield f"part missing {name}", _rezip(parts, {name: None})


def _rezip(parts: dict[str, bytes], changes: dict[str, bytes | None]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            content = changes.get(name, content)
            if content is not None:
                archive.writestr(name, content)
    return out.getvalue()


def ole2_sectors(data: bytes, rng: random.Random, per_kind: int = 5) -> Iterator[Case]:
    """Corruptions of an OLE2 compound file (.xls) sector by sector."""
    shift = struct.unpack_from("<H", data, 0x1E)[0]
    size = 1 << shift if shift in (9, 12) else 512
    sectors = len(data) // size - 1
    for number in rng.sample(range(sectors), min(per_kind, sectors)):  # a whole sector overwritten
        offset = (number + 1) * size
        yield f"sector {number} overwritten", data[:offset] + rng.randbytes(size) + data[offset + size:]
    fat = struct.unpack_from("<I", data, 0x4C)[0]  # the first FAT sector
    directory = struct.unpack_from("<I", data, 0x30)[0]
    for name, number in (("FAT", fat), ("directory", directory)):
        if number < sectors:
            offset = (number + 1) * size
            for attempt in range(per_kind):
                yield f"{name} sector scribbled {attempt}", _flip(data, rng, offset, offset + size,
                                                                 rng.choice([1, 2, 4]))
    for attempt in range(per_kind * 2):  # the streams' bytes (the Workbook stream is most of the file)
        yield f"stream bytes {attempt}", _flip(data, rng, 3 * size, len(data), rng.choice([1, 2, 8]))


def text(data: bytes, rng: random.Random, per_kind: int = 4) -> Iterator[Case]:
    """Corruptions of a CSV: bytes anywhere, a NUL, a cut character, foreign encodings, BOMs."""
    for attempt in range(per_kind):
        yield f"bytes flipped {attempt}", _flip(data, rng, 0, len(data), rng.choice([1, 3, 10]))
    middle = rng.randrange(len(data))
    yield "a NUL inside", data[:middle] + b"\x00" + data[middle:]
    for attempt in range(per_kind):  # cut inside a multi-byte character, where there is one
        at = rng.randrange(1, len(data))
        while at < len(data) and data[at] < 0x80:
            at += 1
        yield f"character cut {attempt}", data[: min(at + 1, len(data))]
    for encoding in ("utf-16-le", "big5", "shift_jis"):
        insert = "进度、完成".encode(encoding, "replace")
        yield f"{encoding} bytes inside", data[:middle] + insert + data[middle:]
    yield "UTF-8 BOM added", b"\xef\xbb\xbf" + data
    yield "UTF-16 BOM added", b"\xff\xfe" + data
    yield "delimiter swapped", data.replace(b",", b";")
