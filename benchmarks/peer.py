"""The peer to beat: an upload read the way most Streamlit apps read one, then stored.

`python benchmarks/peer.py WORKBOOK DUCKDB_FILE`: pandas.read_excel with openpyxl
for every sheet, each sheet into a DuckDB table. No validation, no versions, no
kept file: less work than `python -m yzlogi import` does, only the reading and the
writing. Columns pandas leaves as `object` (text mixed with numbers) are made text,
as DuckDB cannot store a column of mixed Python values.
"""

import sys

import duckdb
import pandas as pd


def main() -> None:
    workbook, database = sys.argv[1], sys.argv[2]
    sheets = pd.read_excel(workbook, sheet_name=None, engine="openpyxl")
    con = duckdb.connect(database)
    for number, frame in enumerate(sheets.values()):
        mixed = [name for name in frame.columns if frame[name].dtype == object]
        frame = frame.astype({name: "string" for name in mixed})
        frame.columns = [str(name) for name in frame.columns]
        con.register("frame", frame)
        con.execute(f"CREATE TABLE sheet_{number} AS SELECT * FROM frame")
        con.unregister("frame")
    con.close()


if __name__ == "__main__":
    main()
