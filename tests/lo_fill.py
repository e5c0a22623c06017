"""Fill a workbook in LibreOffice Calc the way an official types into it, then save it.

Run by Debian's system Python, which has LibreOffice's UNO bridge (python3-uno,
installed by scripts/system-deps.sh), never by the project's virtual environment:

    /usr/bin/python3 tests/lo_fill.py JOB.json

JOB.json: {"source": path, "typed": [[sheet, cell, text], …], "formats": {cell: code} (optional,
applied first: sheet!A1 → number format code), "save": [[path, filter], …]} with filters such as
"Calc MS Excel 2007 XML" (.xlsx), "calc8" (.ods), "MS Excel 97" (.xls) and
"Text - txt - csv (StarCalc)" with a sheet name as a third item (CSV of that sheet, UTF-8,
the cells as shown).
Each text is entered with XCell.setFormula, Calc's input handling without a window
(the nogui build has none to type into): numbers, percentages and dates are
recognised as when typed. A private profile and a pipe of its own let several
runs go side by side; the document is opened hidden and closed, so no lock file stays.
"""

import json
import os
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(pipe, process):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + 120
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if process.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.2)  # soffice is starting


def main(job_path):
    job = json.load(open(job_path, encoding="utf-8"))
    desktop = None
    with tempfile.TemporaryDirectory(prefix="lo-fill-") as profile:
        pipe = f"yzlogi-fill-{os.getpid()}"
        process = subprocess.Popen(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--invisible", "--norestore",
             "--nologo", f"--accept=pipe,name={pipe};urp;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            context = connect(pipe, process)
            manager = context.ServiceManager
            desktop = manager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
            url = uno.systemPathToFileUrl(os.path.abspath(job["source"]))
            document = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
            if document is None:
                raise SystemExit(f"LibreOffice could not open {job['source']}")
            sheets = document.getSheets()
            formats = document.getNumberFormats()
            locale = uno.createUnoStruct("com.sun.star.lang.Locale")
            for where, code in job.get("formats", {}).items():
                sheet, cell = where.split("!")
                key = formats.queryKey(code, locale, False)
                if key == -1:
                    key = formats.addNew(code, locale)
                sheets.getByName(sheet).getCellRangeByName(cell).NumberFormat = key
            for sheet, cell, text in job["typed"]:
                # setFormula is Calc's input line without a window: its recognition of numbers,
                # percentages and dates, and its rule for when a recognised format replaces the
                # cell's own (only over a default format), apply as to typing.
                sheets.getByName(sheet).getCellRangeByName(cell).setFormula(text)
            names = list(sheets.getElementNames())
            for path, filter_name, *sheet in job["save"]:
                options = [prop("FilterName", filter_name), prop("Overwrite", True)]
                if filter_name.startswith("Text - txt - csv"):
                    # comma, double quote, UTF-8 (76), first line 1, cells as shown; the 12th token
                    # is the (1-based) sheet to export (LibreOffice 7.2 and later)
                    number = names.index(sheet[0]) + 1 if sheet else 1
                    options.append(prop("FilterOptions", f"44,34,76,1,,0,false,true,true,false,false,{number}"))
                document.storeToURL(uno.systemPathToFileUrl(os.path.abspath(path)), tuple(options))
                stem, suffix = os.path.splitext(path)
                if sheet and not os.path.exists(path) and os.path.exists(f"{stem}-{sheet[0]}{suffix}"):
                    os.replace(f"{stem}-{sheet[0]}{suffix}", path)  # Calc names a sheet's CSV after the sheet
            document.close(True)
        finally:
            try:
                if desktop is not None:
                    desktop.terminate()
            except Exception:  # noqa: BLE001 - the office may be gone already
                pass
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


if __name__ == "__main__":
    main(sys.argv[1])
