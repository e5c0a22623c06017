"""Typed tables as pandas frames: the one place that turns the store's Arrow tables into frames.

Frames come out with the same dtypes whether or not a column holds blanks, and an
upload not yet committed looks exactly as it will once stored (the change digest
before a commit compares like with like).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa

from yzlogi.model import VersionData
from yzlogi.schema import WORKBOOK

if TYPE_CHECKING:  # pandas is imported where frames are made: importing it alone costs ~0.5 s
    import pandas as pd

_INTEGER_TYPES = (pa.int8(), pa.int16(), pa.int32(), pa.int64(), pa.uint8(), pa.uint16(), pa.uint32())


def _pandas_type(arrow_type: pa.DataType):
    import pandas as pd

    if arrow_type in _INTEGER_TYPES:
        return pd.Int64Dtype()
    if arrow_type == pa.bool_():
        return pd.BooleanDtype()
    return None  # default: float64 (NaN for blank), str (NaN for blank)


def frame_from_arrow(table: pa.Table) -> pd.DataFrame:
    """A pandas frame with the same dtypes whether or not a column holds blanks:
    integers Int64, booleans boolean (both <NA> for blank), numbers float64, text str."""
    return table.to_pandas(types_mapper=_pandas_type)


_ARROW_TYPES = {"INTEGER": pa.int32(), "BIGINT": pa.int64(), "DOUBLE": pa.float64(), "VARCHAR": pa.string(),
                "BOOLEAN": pa.bool_()}


def record_data(tables: dict[str, pa.Table]) -> VersionData:
    """A record not yet committed (yzlogi.merge's tables) as VersionData (version None), typed and
    ordered as Store.load would return it once committed: the change digest before commit."""
    frames = {}
    for sheet in WORKBOOK:
        schema = pa.schema([(name, _ARROW_TYPES[sql_type]) for name, sql_type in sheet.stored_columns()])
        table = tables.get(sheet.key)
        if table is None:
            table = schema.empty_table()
        else:
            table = table.select(schema.names).cast(schema).sort_by([("from_version", "ascending"),
                                                                      ("row", "ascending")])
        frames[sheet.key] = frame_from_arrow(table)
    return VersionData(version=None, **frames)


def arrow_tables(data: VersionData) -> dict[str, pa.Table]:
    """A loaded version's frames back as Arrow tables (what a merge preview starts from)."""
    return {sheet.key: pa.Table.from_pandas(data.table(sheet.key), preserve_index=False) for sheet in WORKBOOK}
