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
    sample       BOOLEAN NOT NULL          -- the bundled 示例数据
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

-- The plan (reference data, data/plan.toml), reloaded whole when it changes, so
-- that SQL can join progress to targets and units.
CREATE TABLE IF NOT EXISTS plan_departments (
    name     VARCHAR NOT NULL,
    short    VARCHAR NOT NULL,
    is_group BOOLEAN NOT NULL,  -- 各管委会: several units reporting as one
    position INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS plan_department_aliases (
    alias      VARCHAR NOT NULL,
    department VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS plan_indicators (
    indicator_no INTEGER NOT NULL,
    name         VARCHAR NOT NULL,
    unit         VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,
    source       VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS plan_indicator_targets (
    indicator_no INTEGER NOT NULL,
    year         INTEGER NOT NULL,
    target_text  VARCHAR NOT NULL,  -- the 附件1 cell verbatim
    kind         VARCHAR NOT NULL,
    value        DOUBLE,            -- NULL for the composite (route) indicator
    unit         VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS plan_indicator_units (
    indicator_no INTEGER NOT NULL,
    department   VARCHAR NOT NULL,
    role         VARCHAR NOT NULL CHECK (role IN ('lead', 'responsible')),
    position     INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS plan_tasks (
    task_no      INTEGER NOT NULL,
    group_no     INTEGER NOT NULL,
    group_name   VARCHAR NOT NULL,
    name         VARCHAR NOT NULL,
    task_text    VARCHAR NOT NULL,
    measure      INTEGER NOT NULL,
    measure_name VARCHAR NOT NULL,
    source       VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS plan_task_units (
    task_no    INTEGER NOT NULL,
    department VARCHAR NOT NULL,
    role       VARCHAR NOT NULL CHECK (role IN ('lead', 'responsible')),  -- as in 附件2
    position   INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS plan_routes (
    name          VARCHAR NOT NULL,
    annual_target INTEGER NOT NULL,
    unit          VARCHAR NOT NULL,
    source        VARCHAR NOT NULL,
    position      INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS plan_fleet (
    category    VARCHAR NOT NULL,
    target      INTEGER NOT NULL,
    at_least    BOOLEAN NOT NULL,
    unit        VARCHAR NOT NULL,
    target_text VARCHAR NOT NULL,
    source      VARCHAR NOT NULL,
    position    INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS plan_goals (
    goal        VARCHAR NOT NULL,  -- the goal key, as stored in p_goals.goal
    name        VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,
    target      DOUBLE NOT NULL,
    max_target  DOUBLE,
    at_least    BOOLEAN NOT NULL,
    unit        VARCHAR NOT NULL,
    target_text VARCHAR NOT NULL,
    source      VARCHAR NOT NULL,
    task_no     INTEGER,
    position    INTEGER NOT NULL
);

-- name: has_meta
-- duckdb_tables() and pragma_table_info rather than information_schema, which builds
-- every catalog entry first: ~10 ms a query, the largest part of opening the store.
SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = 'meta';

-- name: meta
SELECT name, value FROM meta;

-- name: table_columns
SELECT name FROM pragma_table_info(?);
