-- Versions, their files and sheets, and the activations log.

-- name: meta_value
SELECT value FROM meta WHERE name = ?;

-- name: set_meta_value
INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?);

-- name: next_version_id
SELECT COALESCE(MAX(id), 0) + 1 FROM versions;

-- name: next_activation_seq
SELECT COALESCE(MAX(seq), 0) + 1 FROM activations;

-- name: insert_version
INSERT INTO versions (id, committed_at, committed_by, note, sha256, sample, plan_digest, mode)
VALUES (?, ?, ?, ?, ?, ?, ?, ?);

-- name: insert_plan
INSERT INTO plans (digest, plan_text, title, first_seen) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING;

-- name: plan_text
SELECT plan_text FROM plans WHERE digest = ?;

-- name: insert_file
INSERT INTO version_files (version_id, position, name, sha256, size, stored_as) VALUES (?, ?, ?, ?, ?, ?);

-- name: insert_sheet
INSERT INTO version_sheets (version_id, sheet, row_count, file, found_as, header_row) VALUES (?, ?, ?, ?, ?, ?);

-- name: insert_issue
INSERT INTO version_issues (version_id, position, level, code, sheet, row_number, column_name, cell_value, message)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?);

-- name: insert_activation
INSERT INTO activations (seq, version_id, activated_at, activated_by, action, note) VALUES (?, ?, ?, ?, ?, ?);

-- name: last_activation
SELECT seq, version_id FROM activations ORDER BY seq DESC LIMIT 1;

-- name: version_count
SELECT count(*) FROM versions;

-- name: version_id_by_sha256
SELECT id FROM versions WHERE sha256 = ?;

-- name: versions
-- Versions in id order, with the active flag; $id NULL for all of them (those after $after).
WITH active AS (
    SELECT version_id FROM activations ORDER BY seq DESC LIMIT 1
)
SELECT v.id, v.committed_at, v.committed_by, v.note, v.sha256, v.sample,
       v.id IN (SELECT version_id FROM active) AS active, v.plan_digest, v.mode
FROM versions AS v
WHERE ($id IS NULL OR v.id = $id) AND v.id > $after
ORDER BY v.id;

-- name: files
-- File names per version, in upload order; $id NULL for all versions (those after $after).
SELECT version_id, name FROM version_files
WHERE ($id IS NULL OR version_id = $id) AND version_id > $after
ORDER BY version_id, position;

-- name: sheets
-- Rows per sheet per version; $id NULL for all versions (those after $after).
SELECT version_id, sheet, row_count FROM version_sheets
WHERE ($id IS NULL OR version_id = $id) AND version_id > $after
ORDER BY version_id;

-- name: active_id
SELECT version_id FROM activations ORDER BY seq DESC LIMIT 1;

-- name: stored_files
SELECT name, sha256, size, stored_as FROM version_files WHERE version_id = ? ORDER BY position;

-- name: issues
SELECT level, code, sheet, row_number, column_name, cell_value, message
FROM version_issues WHERE version_id = ? ORDER BY position;

-- name: history
SELECT seq, version_id, activated_at, activated_by, action, note FROM activations ORDER BY seq;
