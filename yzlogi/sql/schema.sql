-- The store's own tables. The progress tables p_<key> are created from
-- yzlogi.schema (store.py), the only place their columns are defined.
-- Versions, their files, sheets and issues, and the activations log are
-- append-only: nothing in the code updates or deletes a row of them. There are
-- no foreign keys: every row of a version is written in the one transaction that
-- creates it, and DuckDB refuses to ALTER tables that foreign keys tie together.

-- name: create_tables
CREATE TABLE IF NOT EXISTS meta (
    name  VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

-- One row per committed upload.
CREATE TABLE IF NOT EXISTS versions (
    id           INTEGER PRIMARY KEY,
    committed_at TIMESTAMP NOT NULL,
    committed_by VARCHAR NOT NULL,
    note         VARCHAR NOT NULL,
    sha256       VARCHAR NOT NULL UNIQUE,  -- model.upload_sha256 of the files
    sample       BOOLEAN NOT NULL,         -- the bundled 示例数据
    plan_digest  VARCHAR,                  -- plans.digest: the plan it was validated and judged under
    mode         VARCHAR                   -- merge | replace | sample (yzlogi.merge); NULL: before merging
);

-- The files of an upload, kept under the data folder by their sha256.
CREATE TABLE IF NOT EXISTS version_files (
    version_id INTEGER NOT NULL,  -- versions.id
    position   INTEGER NOT NULL,  -- order as uploaded
    name       VARCHAR NOT NULL,  -- the name the user gave the file
    sha256     VARCHAR NOT NULL,
    size       BIGINT NOT NULL,
    stored_as  VARCHAR NOT NULL,  -- path relative to the data folder
    PRIMARY KEY (version_id, position)
);

-- Rows per sheet, and where in the upload each sheet was found.
CREATE TABLE IF NOT EXISTS version_sheets (
    version_id INTEGER NOT NULL,  -- versions.id
    sheet      VARCHAR NOT NULL,  -- schema sheet key
    row_count  INTEGER NOT NULL,
    file       VARCHAR,
    found_as   VARCHAR,
    header_row INTEGER,
    PRIMARY KEY (version_id, sheet)
);

-- The warnings a committed upload carried (an upload with errors is never committed).
CREATE TABLE IF NOT EXISTS version_issues (
    version_id  INTEGER NOT NULL,  -- versions.id
    position    INTEGER NOT NULL,
    level       VARCHAR NOT NULL,
    code        VARCHAR NOT NULL,
    sheet       VARCHAR,
    row_number  INTEGER,
    column_name VARCHAR,
    cell_value  VARCHAR,
    message     VARCHAR NOT NULL,
    PRIMARY KEY (version_id, position)
);

-- The active version is the version of the last activation.
CREATE TABLE IF NOT EXISTS activations (
    seq          INTEGER PRIMARY KEY,
    version_id   INTEGER NOT NULL,  -- versions.id
    activated_at TIMESTAMP NOT NULL,
    activated_by VARCHAR NOT NULL,
    action       VARCHAR NOT NULL CHECK (action IN ('commit', 'rollback', 'sample')),
    note         VARCHAR NOT NULL
);

-- Each plan a version was committed under: the plan file's text as loaded, by
-- the digest of what it says (Plan.digest). A version is judged under its own
-- plan, so changing the plan file never silently re-judges what a meeting saw.
CREATE TABLE IF NOT EXISTS plans (
    digest     VARCHAR PRIMARY KEY,
    plan_text  VARCHAR NOT NULL,
    title      VARCHAR NOT NULL,
    first_seen TIMESTAMP NOT NULL
);

-- name: has_meta
-- duckdb_tables() and pragma_table_info rather than information_schema, which builds
-- every catalog entry first: ~10 ms a query, the largest part of opening the store.
SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = 'meta';

-- name: meta
SELECT name, value FROM meta;

-- name: table_columns
SELECT name FROM pragma_table_info(?);

-- name: has_table
SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = ?;

-- name: drop_old_plan_tables
-- Schema 1 kept the current plan in tables no query read; schema 2 keeps each version's plan whole (plans).
DROP TABLE IF EXISTS plan_departments;
DROP TABLE IF EXISTS plan_department_aliases;
DROP TABLE IF EXISTS plan_indicators;
DROP TABLE IF EXISTS plan_indicator_targets;
DROP TABLE IF EXISTS plan_indicator_units;
DROP TABLE IF EXISTS plan_tasks;
DROP TABLE IF EXISTS plan_task_units;
DROP TABLE IF EXISTS plan_routes;
DROP TABLE IF EXISTS plan_fleet;
DROP TABLE IF EXISTS plan_goals;

-- name: add_version_plan
ALTER TABLE versions ADD COLUMN IF NOT EXISTS plan_digest VARCHAR;

-- name: add_version_mode
-- A version of schema 1 replaced the record whole (uploads were not merged then): its mode stays NULL.
ALTER TABLE versions ADD COLUMN IF NOT EXISTS mode VARCHAR;

-- name: assign_plan_to_old_versions
-- Once, when a schema-1 store is opened: its versions predate plan keeping, and were last judged under the current plan.
UPDATE versions SET plan_digest = ? WHERE plan_digest IS NULL;
