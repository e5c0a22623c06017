-- What a backup (or doctor) reads from a store, opened read-only.

-- name: stored_files
SELECT version_id, name, sha256, size, stored_as FROM version_files ORDER BY version_id, position;
