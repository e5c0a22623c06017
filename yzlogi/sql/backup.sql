-- What a backup (or doctor) reads from a store, opened read-only.

-- name: stored_files
SELECT version_id, name, sha256, size, stored_as FROM version_files ORDER BY version_id, position;

-- name: versions
-- Every version and whether it is active, in any schema this program opens (schema 1 had no plan_digest).
SELECT v.id, v.id IN (SELECT version_id FROM activations ORDER BY seq DESC LIMIT 1) AS active
FROM versions AS v ORDER BY v.id;
