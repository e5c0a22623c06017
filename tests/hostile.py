"""Hostile and broken files for the hardening tests (issue 9), built by hand so that
each is exactly what it claims: a PDF and a PNG, an OLE2 compound file (the
container of an encrypted workbook), a real zip bomb whose sheet inflates to
gigabytes while the file stays a few MB, XML entity bombs; and a fingerprint of a
data folder, to show a refusal left the stored data exactly as it was.
"""

from __future__ import annotations

import hashlib
import io
import os
import random
import struct
import zlib
import zipfile
from collections.abc import Iterable
from pathlib import Path

# --- containers --------------------------------------------------------------------------


def rezip(data: bytes, extra: dict[str, bytes] = (), replace: dict[str, bytes] = (),
          compression=zipfile.ZIP_DEFLATED) -> bytes:
    """A copy of a zip with members added or replaced."""
    extra, replace = dict(extra), dict(replace)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", compression) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for name, content in extra.items():
            target.writestr(name, content)
    return out.getvalue()


def compound_file(streams: dict[str, bytes]) -> bytes:
    """An OLE2 compound file (version 3, 512-byte sectors) holding the given streams,
    the container an encrypted xlsx comes in (EncryptionInfo + EncryptedPackage)."""
    size, end, free, fat_mark = 512, 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    # Streams of 4096 bytes or more live in ordinary sectors: no mini stream needed.
    contents = [content.ljust(4096, b"\0") for content in streams.values()]
    fat = [fat_mark, end]  # sector 0: the FAT, sector 1: the directory
    starts = []
    for content in contents:
        count = -(-len(content) // size)
        starts.append(len(fat))
        fat += [len(fat) + i + 1 for i in range(count - 1)] + [end]
    fat += [free] * (size // 4 - len(fat))

    def entry(name, kind, start, length, child=free, right=free):
        encoded = (name + "\0").encode("utf-16-le")
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
                + struct.pack("<III", free, right, child) + b"\0" * 36 + struct.pack("<IQ", start, length))

    names = list(streams)
    directory = entry("Root Entry", 5, end, 0, child=1)
    for i, (name, content) in enumerate(zip(names, contents)):
        directory += entry(name, 2, starts[i], len(content), right=i + 2 if i + 1 < len(names) else free)
    directory = directory.ljust(size, b"\0")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<109I", 0, *[free] * 108))
    return header + struct.pack(f"<{size // 4}I", *fat) + directory + b"".join(contents)


def encrypted_workbook() -> bytes:
    """What Excel writes for a workbook with an open password: an OLE2 file whose
    EncryptionInfo (agile, version 4.4) and EncryptedPackage hold the real xlsx."""
    info = struct.pack("<HHI", 4, 4, 0x40) + b'<?xml version="1.0"?><encryption/>'
    return compound_file({"EncryptionInfo": info, "EncryptedPackage": struct.pack("<Q", 9000) + b"\x8f" * 9000})


def macro_workbook(xlsx: bytes, content_type: bool = True, vba: bool = True) -> bytes:
    """A workbook with macros: the .xlsm content type and/or an xl/vbaProject.bin."""
    replace, extra = {}, {}
    if content_type:
        with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
            replace["[Content_Types].xml"] = archive.read("[Content_Types].xml").replace(
                b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    if vba:
        extra["xl/vbaProject.bin"] = compound_file({"VBA": b"Attribute VB_Name = \"Module1\"", "PROJECT": b"ID="})
    return rezip(xlsx, extra=extra, replace=replace)


def pdf_bytes() -> bytes:
    """A small, valid one-page PDF."""
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
               b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>"]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def png_bytes() -> bytes:
    """A valid 8×8 red PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixels = b"".join(b"\0" + b"\xff\x00\x00" * 8 for _ in range(8))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(pixels)) + chunk(b"IEND", b""))


def random_bytes(size: int = 4096, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(size)


# --- a real zip bomb ---------------------------------------------------------------------


def _gf2_times(matrix: list[int], vector: int) -> int:
    total, i = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[i]
        vector >>= 1
        i += 1
    return total


def crc32_combine(crc1: int, crc2: int, length2: int) -> int:
    """The CRC-32 of A+B from crc(A), crc(B) and len(B) (zlib's crc32_combine):
    the bomb's CRC without running 3 GB through zlib.crc32."""
    if length2 <= 0:
        return crc1
    odd = [0xEDB88320] + [1 << (n - 1) for n in range(1, 32)]
    even = [_gf2_times(odd, odd[n]) for n in range(32)]
    odd = [_gf2_times(even, even[n]) for n in range(32)]
    while True:
        even = [_gf2_times(odd, odd[n]) for n in range(32)]
        if length2 & 1:
            crc1 = _gf2_times(even, crc1)
        length2 >>= 1
        if not length2:
            break
        odd = [_gf2_times(even, even[n]) for n in range(32)]
        if length2 & 1:
            crc1 = _gf2_times(odd, crc1)
        length2 >>= 1
        if not length2:
            break
    return crc1 ^ crc2


def _repeated_crc(block: bytes, count: int) -> int:
    """crc32(block * count) by doubling."""
    crc, length = 0, 0  # of block * 0
    power_crc, power_length = zlib.crc32(block), len(block)  # of block * 2^k
    while count:
        if count & 1:
            crc = crc32_combine(crc, power_crc, power_length)
            length += power_length
        power_crc = crc32_combine(power_crc, power_crc, power_length)
        power_length *= 2
        count >>= 1
    return crc


class _Member:
    """A zip member given as raw deflate pieces, with its CRC and sizes known up front."""

    def __init__(self, name: str, pieces: Iterable[bytes], crc: int, size: int, compressed: int):
        self.name, self.pieces, self.crc, self.size, self.compressed = name.encode(), pieces, crc, size, compressed


def _deflated(name: str, data: bytes) -> _Member:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    raw = packer.compress(data) + packer.flush()
    return _Member(name, [raw], zlib.crc32(data), len(data), len(raw))


def _bomb_member(name: str, head: bytes, block: bytes, count: int, tail: bytes) -> _Member:
    """head + block * count + tail, deflated without deflating it: after a full flush a
    deflate stream forgets its history, so the same block always packs to the same bytes."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    middle = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    last = packer.compress(tail) + packer.flush()
    crc = crc32_combine(crc32_combine(zlib.crc32(head), _repeated_crc(block, count), len(block) * count),
                        zlib.crc32(tail), len(tail))

    def pieces():
        yield first
        for _ in range(count):
            yield middle
        yield last

    return _Member(name, pieces(), crc, len(head) + len(block) * count + len(tail),
                   len(first) + len(middle) * count + len(last))


def _write_zip(path: Path, members: list[_Member]) -> Path:
    """A plain (non-zip64) zip written piece by piece: memory stays small."""
    directory = b""
    with open(path, "wb") as out:
        for member in members:
            offset = out.tell()
            fields = struct.pack("<HHHHHIIIHH", 20, 0, 8, 0, 0x21, member.crc, member.compressed, member.size,
                                 len(member.name), 0)
            out.write(b"PK\x03\x04" + fields + member.name)
            for piece in member.pieces:
                out.write(piece)
            directory += (b"PK\x01\x02" + struct.pack("<HHHHHHIIIHHHHHII", 20, 20, 0, 8, 0, 0x21, member.crc,
                                                      member.compressed, member.size, len(member.name), 0, 0, 0,
                                                      0, 0, offset) + member.name)
        start = out.tell()
        out.write(directory)
        out.write(b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, len(members), len(members), len(directory),
                                              start, 0))
    return path


def zip_bomb(path: Path, xlsx: bytes, sheet: str = "xl/worksheets/sheet1.xml", inflated_mb: int = 3072) -> Path:
    """`xlsx` with one sheet replaced by XML that inflates to `inflated_mb` MB of
    whitespace inside <sheetData>: a valid workbook and a valid zip, a few MB on disk."""
    members = []
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        for info in archive.infolist():
            if info.filename != sheet:
                members.append(_deflated(info.filename, archive.read(info.filename)))
                continue
            head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.'
                    b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            tail = b"</sheetData></worksheet>"
            members.append(_bomb_member(sheet, head, b" " * (1 << 20), inflated_mb, tail))
    return _write_zip(path, members)


# --- XML entity bombs ------------------------------------------------------------------------


def billion_laughs(root: str = "lolz") -> bytes:
    """The classic: ten levels of ten references, 10^9 'lol's once expanded (~3 GB)."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    return (f'<?xml version="1.0"?>\n<!DOCTYPE {root} [\n' + "\n".join(entities) + f"\n]>\n<{root}>&lol9;</{root}>"
            ).encode()


def with_laughs(xml: bytes, root: str) -> bytes:
    """An OOXML/ODF part with the billion-laughs DTD in front and &lol9; in its first text."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    dtd = f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE {root} [\n' + "\n".join(entities) + "\n]>"
    return dtd.encode() + body.replace(b"<t>", b"<t>&lol9;", 1).replace(b"<t xml:space=\"preserve\">",
                                                                          b"<t xml:space=\"preserve\">&lol9;", 1)


# --- the stored data, before and after ----------------------------------------------------


def fingerprint(folder: Path) -> dict:
    """Everything a refused import must leave as it was: the folder's files (the DuckDB
    file's bytes by sha256, kept uploads, no WAL or temp file), versions, history,
    rows of every version as loaded, and the state token."""
    from yzlogi.schema import WORKBOOK
    from yzlogi.store import DB_FILE, Store

    folder = Path(folder)
    files = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix not in (".lock", ".turnstile"):
            files[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    assert DB_FILE in files, f"no database in {folder}"
    store = Store(folder, sample=None)
    versions = [v.to_json() for v in store.versions()]
    loaded = {}
    for version in versions:
        data = store.load(version["id"])
        loaded[version["id"]] = {sheet.key: len(getattr(data, sheet.key)) for sheet in WORKBOOK}
    return {
        "files": files,
        "versions": versions,
        "history": [a.to_json() for a in store.history()],
        "loaded": loaded,
        "token": store.state_token(),
        "listing": sorted(os.listdir(folder)),
    }
