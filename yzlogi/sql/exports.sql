-- Briefing exports (yzlogi.briefing): what was handed out, recorded by the
-- sha256 of its bytes, so that a meeting's briefing can be produced again from
-- the same version and as-of month and compared. Append-only, like versions.
-- The table is created by the first export (Store.record_export), so a data
-- folder made before exports existed gains it without a migration.

-- name: create_table
CREATE TABLE IF NOT EXISTS exports (
    id          INTEGER PRIMARY KEY,
    exported_at TIMESTAMP NOT NULL,
    exported_by VARCHAR NOT NULL,
    version_id  INTEGER NOT NULL,  -- versions.id
    as_of       VARCHAR NOT NULL,  -- YYYY-MM
    format      VARCHAR NOT NULL CHECK (format IN ('xlsx', 'pdf')),
    sha256      VARCHAR NOT NULL,  -- of the exported bytes
    size        BIGINT NOT NULL,
    via         VARCHAR NOT NULL,  -- cli | web
    program     VARCHAR NOT NULL   -- yzlogi version that produced the bytes
);

-- name: has_table
SELECT count(*) > 0 FROM duckdb_tables() WHERE database_name = current_database() AND table_name = 'exports';

-- name: next_id
SELECT COALESCE(MAX(id), 0) + 1 FROM exports;

-- name: insert
INSERT INTO exports (id, exported_at, exported_by, version_id, as_of, format, sha256, size, via, program)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?);

-- name: exports
SELECT id, exported_at, exported_by, version_id, as_of, format, sha256, size, via, program
FROM exports ORDER BY id;
