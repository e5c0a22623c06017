"""督办事项: what a meeting decides about a red or yellow light, recorded, answered and closed.

A follow-up item is about one thing the plan tracks (an indicator in a year, a route in a
year, a fleet category, a task, a task × unit, a secondary goal), names the units that must
act, what is required and by when; it keeps who raised it, when, and the version and as-of
month on screen. It lives in the data folder's store, in tables of its own that no import,
replace or rollback touches, as an append-only history (raised, answered, closed, reopened,
due date changed); its state is read from that history. On any day it has a light: 已办结,
red (逾期), yellow (临期, within the setting followup_due_soon_days) or green (办理中).

  model.py     the item and its events; the state they give; what may follow what
  about.py     what an item is about and its units, checked against the plan
  lights.py    the light of an item on a day, with its one line of why
  storage.py   the two tables (yzlogi/sql/followups.sql) on a caller's connection; workbook answers
  service.py   raise, answer, close, reopen, change the due date; read, judge and count, on a Store
  answers.py   what a workbook's 督办反馈 row may say, checked against the items (unknown, closed, not
               the item's unit) in the reader's and the commit's words; repeats of the latest answer
  present.py   JSON, Chinese lines and table rows
  notice.py    the 督办通知单 of one unit (xlsx, pdf), in the briefing's style
  commands.py  python -m yzlogi followup …
Import the module you need (`from yzlogi.followups import service`): this file imports nothing,
so that the command line's start and the store's commit (storage.record_workbook_answers) load
only what they use.
"""
