-- Log entries uploaded by phones and gateways, remote commands, and re-key requests.

CREATE TABLE locking_device_log_entries (
    seq                 INTEGER PRIMARY KEY,
    id                  TEXT NOT NULL UNIQUE,
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
CREATE INDEX locking_device_log_by_time ON locking_device_log_entries (system_id, kind, occurred_at, id);
CREATE INDEX locking_device_log_by_device
    ON locking_device_log_entries (locking_device_id, kind, occurred_at, id);

CREATE TABLE gateway_device_log_entries (
    seq               INTEGER PRIMARY KEY,
    system_id         TEXT NOT NULL REFERENCES systems (id) ON DELETE CASCADE,
    gateway_device_id TEXT NOT NULL REFERENCES gateway_devices (id) ON DELETE CASCADE,
    kind              TEXT NOT NULL CHECK (kind IN ('SYSTEM', 'AUDIT')),
    sequence_number   INTEGER NOT NULL,
    occurred_at       INTEGER NOT NULL,
    event_name        TEXT,                     -- SYSTEM
    details           TEXT,                     -- SYSTEM: JSON object of the entry's other fields
    conversation_name TEXT,                     -- AUDIT
    locking_device_id TEXT,                     -- AUDIT
    remote_command_id TEXT,                     -- AUDIT
    -- Re-uploads are stored once, and (occurred_at, sequence_number) is a unique sort key
    -- of one gateway's log, which keyset paging needs.
    UNIQUE (gateway_device_id, kind, sequence_number)
);
CREATE INDEX gateway_device_log_by_time
    ON gateway_device_log_entries (gateway_device_id, kind, occurred_at, sequence_number);

CREATE TABLE remote_commands (
    seq               INTEGER PRIMARY KEY,
    id                TEXT NOT NULL UNIQUE,
    system_id         TEXT NOT NULL REFERENCES systems (id) ON DELETE CASCADE,
    gateway_device_id TEXT NOT NULL REFERENCES gateway_devices (id) ON DELETE CASCADE,
    locking_device_id TEXT NOT NULL REFERENCES locking_devices (id) ON DELETE CASCADE,
    action            TEXT NOT NULL CHECK (action IN ('OPEN')),
    valid_from        INTEGER NOT NULL,
    valid_until       INTEGER NOT NULL,
    issuer_user_id    TEXT NOT NULL,
    issued_at         INTEGER NOT NULL,
    acknowledged_at   INTEGER,
    canceler_user_id  TEXT,
    cancelled_at      INTEGER
);
CREATE INDEX remote_commands_by_system ON remote_commands (system_id, seq);
CREATE INDEX remote_commands_by_gateway ON remote_commands (gateway_device_id, seq);

CREATE TABLE rekey_requests (
    seq               INTEGER PRIMARY KEY,
    system_id         TEXT NOT NULL REFERENCES systems (id) ON DELETE CASCADE,
    locking_device_id TEXT NOT NULL REFERENCES locking_devices (id) ON DELETE CASCADE,
    certificate       TEXT NOT NULL DEFAULT 'OPERATIONAL',
    requested_at      INTEGER NOT NULL,
    requested_by      TEXT NOT NULL
);
