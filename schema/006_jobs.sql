-- Everything a system's clock will make happen later. An advance runs due jobs in
-- (due_at, seq) order, each seeing the clock at its own due instant.

CREATE TABLE jobs (
    seq        INTEGER PRIMARY KEY,
    system_id  TEXT NOT NULL REFERENCES systems (id) ON DELETE CASCADE,
    due_at     INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    subject_id TEXT NOT NULL,       -- the row the job acts on (lock, gateway, permission, ...)
    payload    TEXT NOT NULL DEFAULT '{}',
    UNIQUE (system_id, kind, subject_id, due_at)
);
CREATE INDEX jobs_by_due ON jobs (system_id, due_at, seq);
CREATE INDEX jobs_by_subject ON jobs (system_id, kind, subject_id);
