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

from builders import good_sheets, write_csv, write_xlsx

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


def with_laughs(xml: bytes, where: bytes) -> bytes:
    """An XML part with the billion-laughs DTD in front (ten levels of ten references:
    10^9 "lol"s, 3 GB once expanded) and &lol9; just after the first `where`."""
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    body = xml.split(b"?>", 1)[1].lstrip() if xml.startswith(b"<?xml") else xml
    root = body[1:].split(b" ", 1)[0].split(b">", 1)[0].decode()
    assert where in body, where
    dtd = f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE {root} [\n' + "\n".join(entities) + "\n]>\n"
    return dtd.encode() + body.replace(where, where + b"&lol9;", 1)


# --- the refusals, as tables --------------------------------------------------------------------
# Shared by the command line (tests/integration/test_hardening_refusals.py) and the
# 数据管理 page (tests/app/test_hardening_upload.py): the same files, the same messages.

MB = 1024 * 1024
HINT = "，请上传 .xlsx、.xls、.ods 工作簿或 .csv 文件"
REFUSED = "工作簿有 {} 处错误，未导入，当前数据未改变。"


def _write(name: str, data: bytes):
    def make(folder: Path, good: bytes) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path
    return make


def _from_good(name: str, change):
    def make(folder: Path, good: bytes) -> Path:
        path = folder / name
        path.write_bytes(change(good))
        return path
    return make


def bomb(folder: Path, good: bytes) -> Path:
    return zip_bomb(folder / "炸弹.xlsx", good)  # 3 MB on disk, 3 GB once inflated


def _titled(folder: Path, good: bytes) -> Path:
    return write_xlsx(folder / "进度.xlsx", good_sheets(), title="渝中区现代物流业发展进度统计表")


MACRO = "文件“{}”是启用宏的工作簿（.xlsm），出于安全原因不予接收，请另存为 .xlsx（不含宏）后上传"

# name: (how to write it (folder, a good xlsx's bytes) → path, environment, the messages)
REFUSED_FILES = {
    "empty file": (_write("6月进度.xlsx", b""), {}, ["文件“6月进度.xlsx”是空文件"]),
    "random bytes": (_write("6月进度.xlsx", random_bytes()), {},
                     ["文件“6月进度.xlsx”不是可识别的工作簿或 CSV 文件（看起来是二进制文件）" + HINT]),
    "PDF renamed .xlsx": (_write("6月进度.xlsx", pdf_bytes()), {},
                          ["文件“6月进度.xlsx”不是可识别的工作簿或 CSV 文件（看起来是 PDF 文档）" + HINT]),
    "PNG renamed .xlsx": (_write("6月进度.xlsx", png_bytes()), {},
                          ["文件“6月进度.xlsx”不是可识别的工作簿或 CSV 文件（看起来是 PNG 图片）" + HINT]),
    "truncated xlsx": (_from_good("6月进度.xlsx", lambda good: good[: len(good) * 2 // 3]), {},
                       ["文件“6月进度.xlsx”已损坏或不完整，无法打开，请在 Excel 中重新保存后上传"]),
    "password-protected workbook": (_write("6月进度.xlsx", encrypted_workbook()), {},
                                    ["文件“6月进度.xlsx”设置了打开密码（已加密），无法读取，请在 Excel 中取消密码后另存为 .xlsx 再上传"]),
    ".xlsm": (_from_good("6月进度.xlsm", macro_workbook), {}, [MACRO.format("6月进度.xlsm")]),
    ".xlsx carrying a VBA project": (_from_good("6月进度.xlsx", lambda good: macro_workbook(good, content_type=False)),
                                     {}, [MACRO.format("6月进度.xlsx")]),
    "zip bomb": (bomb, {}, ["文件“炸弹.xlsx”解压后达 3072 MB，超过上限 300 MB，疑似压缩炸弹，不予处理"]),
    "over the size limit": (_write("6月进度.xlsx", b"\0" * (3 * MB // 2)), {"YZLOGI_MAX_UPLOAD_MB": "1"},
                            ["上传的文件共 1.5 MB，超过上限 1 MB"]),
    "sheets over the row limit": (_titled, {"YZLOGI_MAX_ROWS_PER_SHEET": "6"}, [
        "工作表「指标进展」有 8 行，超过每个工作表 6 行的上限，请删除多余的行后重新上传",
        "工作表「通道班次」有 7 行，超过每个工作表 6 行的上限，请删除多余的行后重新上传",
    ]),
    "a CSV matching no sheet": (_write("对不上.csv", "甲,乙\n1,2\n".encode("gb18030")), {}, [
        "文件“对不上.csv”的表头与任何工作表都对不上：前11行中没有一行包含某个工作表的全部必填列（指标进展：指标编号、统计期、完成值；"
        "通道班次：线路、月份、开行班次；船舶更新：船名、类别、状态；任务进展：任务编号、填报单位、统计期、状态；"
        "其他目标：目标名称、统计期、完成值；海外分拨仓：名称、启用日期；货代备案企业：企业名称、备案日期；督办反馈：事项编号、办理情况）",
    ]),
}


# Every error kind of the workbook spec: input → (sheet, row, column, message), one error each.


def cell(sheet: str, index: int, column: str, value):
    """good_sheets() with one cell changed (index 0 = spreadsheet row 2)."""
    def sheets():
        changed = good_sheets()
        header, rows = changed[sheet]
        rows[index][header.index(column)] = value
        return changed
    return sheets


def replaced(sheet: str, header: list[str], rows: list[list]):
    """good_sheets() with one sheet (possibly an optional one) given whole."""
    def sheets():
        changed = good_sheets()
        changed[sheet] = (header, rows)
        return changed
    return sheets


def without(sheet: str):
    def sheets():
        changed = good_sheets()
        del changed[sheet]
        return changed
    return sheets


def csv_files(folder: Path, extra: dict[str, tuple[list[str], list[list]]]) -> list[Path]:
    """One CSV per sheet of good_sheets(), plus `extra` (file name → header, rows)."""
    items = [(f"{name}.csv", sheet) for name, sheet in good_sheets().items()] + list(extra.items())
    return [write_csv(folder / name, header, rows) for name, (header, rows) in items]


GOALS = ["目标名称", "统计期", "完成值", "备注"]
FORWARDERS = ["企业名称", "备案日期", "是否全球知名"]
DEPARTMENTS = ("区交通运输委/区发展改革委/区商务委/区经济信息委/区财政局/区产业发展促进局/区政府外办/区司法局/区科技局/"
               "区大数据发展局/各管委会")

# code: (input, (sheet, row, column, message)); the input is a workbook (sheets) or CSV files.
ERROR_KINDS = {
    "bad_choice": (cell("船舶更新", 1, "状态", "开工了"), (
        "船舶更新", 3, "状态", "船舶更新 第3行「状态」：无法识别“开工了”，应为 计划/在建/已完成")),
    # A row with only the columns a form pre-fills (线路+月份) is skipped as not reported (unfilled_rows):
    # a missing value is an error in a row that holds something else.
    "missing_value": (cell("任务进展", 0, "状态", None), (
        "任务进展", 2, "状态", "任务进展 第2行「状态」：必填，不能为空")),
    "bad_month": (cell("指标进展", 2, "统计期", "2026年4-6月"), (
        "指标进展", 4, "统计期", "指标进展 第4行「统计期」：“2026年4-6月”不是年初至某月的累计期，应为单月或 2026年1-6月 这样的写法")),
    "ambiguous_month": (cell("通道班次", 2, "月份", "2026.1"), (
        "通道班次", 4, "月份", "通道班次 第4行「月份」：“2026.1”无法确定是1月还是10月，请写作 2026-01 或 2026-10")),
    "month_out_of_range": (cell("指标进展", 0, "统计期", "2024-11"), (
        "指标进展", 2, "统计期", "指标进展 第2行「统计期」：“2024-11”超出范围，应在 2024-12 至 2027-12 之间")),
    "bad_count": (cell("通道班次", 3, "开行班次", "八班左右"), (
        "通道班次", 5, "开行班次", "通道班次 第5行「开行班次」：无法识别“八班左右”，应为非负整数（可带单位 班次/班/列/次）")),
    "bad_unit": (cell("指标进展", 3, "完成值", "27家"), (
        "指标进展", 5, "完成值", "指标进展 第5行「完成值」：“27家”的单位“家”与本列不符，应为 个")),
    "bad_percent": (cell("任务进展", 0, "完成进度", "一半"), (
        "任务进展", 2, "完成进度", "任务进展 第2行「完成进度」：无法识别“一半”，应为百分数，如 10.5 或 10.5%")),
    "out_of_range": (cell("任务进展", 1, "完成进度", "-5%"), (
        "任务进展", 3, "完成进度", "任务进展 第3行「完成进度」：“-5%”超出范围，应在 0 至 100 之间")),
    "bad_number": (replaced("其他目标", GOALS, [["供应链服务产值", "2026-06", "很多", ""]]), (
        "其他目标", 2, "完成值", "其他目标 第2行「完成值」：无法识别“很多”，应为数值（单位：亿元）")),
    "bad_yesno": (replaced("货代备案企业", FORWARDERS, [["重庆某国际货运代理有限公司", "2025-08", "也许"]]), (
        "货代备案企业", 2, "是否全球知名", "货代备案企业 第2行「是否全球知名」：无法识别“也许”，应为 是/否")),
    "bad_task_no": (cell("任务进展", 0, "任务编号", "0"), (
        "任务进展", 2, "任务编号", "任务进展 第2行「任务编号」：无法识别“0”，应为附件2的任务编号 1—16")),
    "bad_indicator_no": (cell("指标进展", 1, "指标编号", "十"), (
        "指标进展", 3, "指标编号", "指标进展 第3行「指标编号」：无法识别“十”，应为附件1的指标编号 1—8")),
    "bad_item_no": (replaced("督办反馈", ["事项编号", "办理情况"], [["第三项", "已制定追赶方案"]]), (
        "督办反馈", 2, "事项编号", "督办反馈 第2行「事项编号」：无法识别“第三项”，应为督办事项的编号（正整数，如 3）")),
    "unknown_department": (cell("任务进展", 2, "填报单位", "区教委"), (
        "任务进展", 4, "填报单位", f"任务进展 第4行「填报单位」：无法识别“区教委”，应为 计划中的部门：{DEPARTMENTS}")),
    "not_task_unit": (cell("任务进展", 0, "填报单位", "区司法局"), (
        "任务进展", 2, "填报单位", "任务进展 第2行「填报单位」：“区司法局”不是任务1的牵头单位或责任单位"
        "（任务1“健全政策支持体系”：牵头单位 区交通运输委；责任单位 区发展改革委、区财政局）")),
    "unknown_goal": (replaced("其他目标", GOALS, [["物流总产值", "2026-06", "6.5", ""]]), (
        "其他目标", 2, "目标名称", "其他目标 第2行「目标名称」：无法识别“物流总产值”，应为 计划中的其他目标：5A级物流企业数量全市排名/"
        "新增5A级物流企业/引进全球知名物流企业/“总部+基地”发展模式突破/国内具备影响力的物流企业/规上物流企业新增（三年累计）/"
        "多式联运营业收入增长（至2027年）/规上供应链企业/供应链服务产值/与东盟国家贸易额占比增长/全球知名国际货代物流企业/行业智慧化投资")),
    "bad_category": (cell("船舶更新", 0, "类别", "LNG动力"), (
        "船舶更新", 2, "类别", "船舶更新 第2行「类别」：无法识别“LNG动力”，应为 LNG动力船舶更新/甲醇动力船舶更新/"
        "滚装船LNG-柴油混合动力改造/新增海运船舶")),
    "duplicate_row": (replaced("通道班次", ["线路", "月份", "开行班次", "备注"],
                               [["东盟班车", "2026-06", 260, ""], ["东盟公路班车", "2026年6月", 261, ""]]), (
        "通道班次", 3, "线路", "通道班次 第3行「线路」：与第2行重复：线路 东盟班车、月份 2026-06 只能填一行")),
    "no_header": (replaced("船舶更新", ["名称", "种类", "情况"], [["渝中LNG01", "LNG动力船舶更新", "已完成"]]), (
        "船舶更新", None, None, "工作表「船舶更新」前11行中找不到表头，表头行应包含 船名、类别、状态")),
    "missing_column": (replaced("任务进展", ["任务编号", "填报单位", "统计期", "完成进度"],
                                [[1, "区交通运输委", "2026-06", "50%"]]), (
        "任务进展", 1, "状态", "任务进展 第1行：缺少必填列「状态」")),
    "duplicate_sheet": (lambda folder: csv_files(folder, {"通道班次（补报）.csv": good_sheets()["通道班次"]}), (
        "通道班次", None, None, "工作表「通道班次」出现了不止一次（通道班次.csv、通道班次（补报）.csv），请只保留一个")),
    "no_data": (lambda: {name: (header, []) for name, (header, _rows) in good_sheets().items()}, (
        None, None, None, "上传的工作簿中没有任何填报数据（各工作表只有表头或模板预填的内容），未导入")),
    "read_failed": (lambda folder: [_broken_parts(folder)], (
        None, None, None, "文件“进度.xlsx”无法读取，可能已损坏，请在 Excel 中重新保存后上传")),
}
# Errors only a replace can make: a merge keeps what a sheet left out does not mention.
REPLACE_ERROR_KINDS = {
    "missing_sheet": (without("船舶更新"), ("船舶更新", None, None, "全部替换时须包含每个必需的工作表：缺少「船舶更新」")),
}


def _broken_parts(folder: Path) -> Path:
    """A zip that says it is an xlsx but whose workbook part is not XML."""
    path = folder / "进度.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook>不是 Excel 写的")
    return path


def error_kind_files(case: str, folder: Path) -> list[Path]:
    build = {**ERROR_KINDS, **REPLACE_ERROR_KINDS}[case][0]
    if build.__code__.co_argcount:  # writes its own files
        return build(folder)
    return [write_xlsx(folder / "进度.xlsx", build())]


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
