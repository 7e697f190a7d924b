-- The foundation: systems (tenants), API keys, users, locking devices, settings and the
-- transactional outbox. Every tenant-owned row names its system and goes when the system goes.
-- Each table keeps an integer `seq` (its rowid) as the stable keyset order of its lists.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE systems (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    clock_mode   TEXT NOT NULL CHECK (clock_mode IN ('real', 'frozen')),
    clock_offset INTEGER NOT NULL DEFAULT 0,   -- real mode: virtual now = wall now + offset
    clock_time   INTEGER NOT NULL DEFAULT 0,   -- frozen mode: virtual now
    created_at   INTEGER NOT NULL
);

CREATE TABLE api_keys (
    seq                 INTEGER PRIMARY KEY,
    key                 TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL,
    requests_per_second REAL NOT NULL CHECK (requests_per_second > 0),
    burst               INTEGER NOT NULL CHECK (burst > 0),
    system_id           TEXT REFERENCES systems (id) ON DELETE CASCADE,
    created_at          INTEGER NOT NULL
);

CREATE TABLE users (
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    system_id       TEXT NOT NULL REFERENCES systems (id) ON DELETE CASCADE,
    role            TEXT NOT NULL CHECK (role IN ('USER', 'ADMIN')),
    access_key_hash TEXT NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX users_by_system ON users (system_id, seq);

CREATE TABLE locking_devices (
    seq                 INTEGER PRIMARY KEY,
    id                  TEXT NOT NULL UNIQUE,
    system_id           TEXT NOT NULL REFERENCES systems (id) ON DELETE CASCADE,
    name                TEXT NOT NULL,
    claiming_status     TEXT NOT NULL DEFAULT 'UNCLAIMED'
                        CHECK (claiming_status IN ('UNCLAIMED', 'CLAIMED')),
    serial_number       TEXT,
    hardware_model      TEXT,
    hardware_version    TEXT,
    firmware_version    TEXT,
    op_cert_expiration  INTEGER,
    op_cert_eligible    INTEGER NOT NULL DEFAULT 0,
    op_cert_revoked     INTEGER NOT NULL DEFAULT 0,
    mfg_cert_expiration INTEGER,
    mfg_cert_eligible   INTEGER NOT NULL DEFAULT 0,
    mfg_cert_revoked    INTEGER NOT NULL DEFAULT 0,
    created_at          INTEGER NOT NULL
);
CREATE INDEX locking_devices_by_system ON locking_devices (system_id, seq);
CREATE INDEX locking_devices_by_serial ON locking_devices (system_id, serial_number);

-- Events are written here in the same transaction as the change that caused them, so an
-- acknowledged change can never lose its event; the dispatcher reads them in seq order.
CREATE TABLE outbox (
    seq         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    system_id   TEXT NOT NULL REFERENCES systems (id) ON DELETE CASCADE,
    event_type  TEXT NOT NULL,
    body        TEXT NOT NULL,
    occurred_at INTEGER NOT NULL
);
CREATE INDEX outbox_by_system ON outbox (system_id, seq);
