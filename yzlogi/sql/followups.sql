-- Follow-up items (督办事项, yzlogi.followups): what a meeting asked a unit to do about a
-- red or yellow light, and everything that happened to it since. They live in the store's
-- file beside the versions but belong to no version: no import, replace or rollback touches
-- them. Append-only, like versions: an item's row holds what it is about, fixed when it is
-- raised; its events (raised, answered, closed, reopened, due_changed) say all the rest, and
-- its state is read from them. Nothing is ever updated or deleted. The tables are created by
-- the first item raised, so a data folder made before follow-ups existed gains them without
-- a migration.

-- name: create_items
CREATE TABLE IF NOT EXISTS followup_items (
    id         INTEGER PRIMARY KEY,  -- 事项编号
    about      VARCHAR NOT NULL,     -- indicator:5:2026, route:渝穗班列:2026, fleet:…, task:8, task:8:区商务委, goal:…
    section    VARCHAR NOT NULL CHECK (section IN ('indicator', 'route', 'fleet', 'task', 'goal')),
    subject    VARCHAR NOT NULL,     -- the same in words, as the plan named it when raised
    units      VARCHAR[] NOT NULL,   -- the units that must act
    version_id INTEGER,              -- the version on screen when it was raised (versions.id)
    as_of      VARCHAR               -- and its as-of month, YYYY-MM
);

-- name: create_events
CREATE TABLE IF NOT EXISTS followup_events (
    id            INTEGER PRIMARY KEY,  -- the order of recording, over all items
    item_id       INTEGER NOT NULL REFERENCES followup_items (id),
    kind          VARCHAR NOT NULL CHECK (kind IN ('raised', 'answered', 'closed', 'reopened', 'due_changed')),
    recorded_at   TIMESTAMP NOT NULL,
    recorded_by   VARCHAR NOT NULL,
    body          VARCHAR NOT NULL,     -- the requirement (raised), the answer (answered), else a note
    due           DATE,                 -- raised and due_changed
    request_close BOOLEAN NOT NULL,     -- an answer asking for 办结
    via           VARCHAR NOT NULL CHECK (via IN ('page', 'cli', 'workbook')),
    unit          VARCHAR,              -- the unit that answered
    version_id    INTEGER               -- the version a workbook answer came with
);

-- name: has_tables
SELECT count(*) = 2 FROM duckdb_tables()
WHERE database_name = current_database() AND table_name IN ('followup_items', 'followup_events');

-- name: next_item_id
SELECT COALESCE(MAX(id), 0) + 1 FROM followup_items;

-- name: next_event_id
SELECT COALESCE(MAX(id), 0) + 1 FROM followup_events;

-- name: insert_item
INSERT INTO followup_items (id, about, section, subject, units, version_id, as_of) VALUES (?, ?, ?, ?, ?, ?, ?);

-- name: insert_event
INSERT INTO followup_events (id, item_id, kind, recorded_at, recorded_by, body, due, request_close, via, unit,
                             version_id)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);

-- name: items
SELECT id, about, section, subject, units, version_id, as_of FROM followup_items
WHERE $id IS NULL OR id = $id ORDER BY id;

-- name: events
SELECT id, item_id, kind, recorded_at, recorded_by, body, due, request_close, via, unit, version_id
FROM followup_events WHERE $id IS NULL OR item_id = $id ORDER BY id;

-- name: item_ids
SELECT id FROM followup_items ORDER BY id;

-- name: revision
SELECT COALESCE(MAX(id), 0) FROM followup_events;
