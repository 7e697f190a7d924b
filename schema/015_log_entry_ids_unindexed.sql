-- A lock log entry's id is looked up by nothing: lists filter on the system and kind (with
-- locking_device_log_by_time), a page token names its last entry by seq, and a re-upload is
-- recognised by (lock, kind, sequence number). The UNIQUE index on id served only to refuse
-- a clash the seeded, time-ordered ids (rng_uuid_v7) cannot produce, and cost a b-tree
-- insert for every entry a clock advance stores. SQLite cannot drop a column constraint, so
-- the table is rebuilt; seq values, and so page tokens, carry over. Nothing references it.
CREATE TABLE locking_device_log_entries_rebuilt (
    seq                 INTEGER PRIMARY KEY,
    id                  TEXT NOT NULL,
    system_id           TEXT NOT NULL REFERENCES systems (id) ON DELETE CASCADE,
    locking_device_id   TEXT NOT NULL REFERENCES locking_devices (id) ON DELETE CASCADE,
    kind                TEXT NOT NULL CHECK (kind IN ('SYSTEM', 'AUDIT')),
    event_name          TEXT NOT NULL,
    occurred_at         INTEGER NOT NULL,
    sequence_number     INTEGER NOT NULL,
    client_type         TEXT,                   -- AUDIT: OPERATING_DEVICE or GATEWAY_DEVICE
    operating_device_id TEXT,
    user_id             TEXT,
    gateway_device_id   TEXT,
    remote_command_id   TEXT,
    granted             INTEGER,                -- AUDIT: 0 or 1
    -- A lock numbers its entries; an entry uploaded twice (by a phone and a gateway, or a
    -- retried upload) is stored once.
    UNIQUE (locking_device_id, kind, sequence_number)
);
INSERT INTO locking_device_log_entries_rebuilt
    SELECT seq, id, system_id, locking_device_id, kind, event_name, occurred_at,
           sequence_number, client_type, operating_device_id, user_id, gateway_device_id,
           remote_command_id, granted
      FROM locking_device_log_entries ORDER BY seq;
DROP TABLE locking_device_log_entries;
ALTER TABLE locking_device_log_entries_rebuilt RENAME TO locking_device_log_entries;
CREATE INDEX locking_device_log_by_time ON locking_device_log_entries (system_id, kind, occurred_at, id);
