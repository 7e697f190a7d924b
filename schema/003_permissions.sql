-- Permissions, offline keys, and each system's offline-key signing key.

CREATE TABLE permissions (
    seq                             INTEGER PRIMARY KEY,
    id                              TEXT NOT NULL UNIQUE,
    system_id                       TEXT NOT NULL REFERENCES systems (id) ON DELETE CASCADE,
    user_id                         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    locking_device_id               TEXT NOT NULL REFERENCES locking_devices (id) ON DELETE CASCADE,
    operation_type                  TEXT NOT NULL
                                    CHECK (operation_type IN ('OPEN', 'UPDATE_FIRMWARE',
                                                              'UPDATE_TIME')),
    permission_type                 TEXT NOT NULL
                                    CHECK (permission_type IN ('SINGLE_INTERVAL',
                                                               'MULTIPLE_INTERVALS', 'RECURRING')),
    operating_key_validity_duration TEXT NOT NULL,  -- as the client wrote it
    operating_key_validity_seconds  INTEGER NOT NULL,
    weekdays                        TEXT,           -- JSON array, RECURRING and MULTIPLE_INTERVALS
    intervals                       TEXT,           -- JSON array of "HH:MM-HH:MM"
    start_at                        INTEGER NOT NULL,
    end_at                          INTEGER NOT NULL,
    created_at                      INTEGER NOT NULL
);
CREATE INDEX permissions_by_system ON permissions (system_id, seq);
-- A user's permissions (phone sync), the 14-day clean-up, and the cascades from users and
-- locking devices, which would otherwise scan the table.
CREATE INDEX permissions_by_user ON permissions (user_id, seq);
CREATE INDEX permissions_by_end ON permissions (system_id, end_at);
CREATE INDEX permissions_by_locking_device ON permissions (locking_device_id);

CREATE TABLE system_keys (
    system_id   TEXT PRIMARY KEY REFERENCES systems (id) ON DELETE CASCADE,
    private_pem TEXT NOT NULL                        -- ECDSA P-256, signs offline keys
) WITHOUT ROWID;

-- One row per issuance; its id is the primary key's id (what GET /offline-key calls id).
CREATE TABLE offline_keys (
    seq                 INTEGER PRIMARY KEY,
    id                  TEXT NOT NULL UNIQUE,
    system_id           TEXT NOT NULL REFERENCES systems (id) ON DELETE CASCADE,
    issuer_user_id      TEXT NOT NULL,
    operating_device_id TEXT NOT NULL REFERENCES operating_devices (id) ON DELETE CASCADE,
    locking_device_id   TEXT NOT NULL REFERENCES locking_devices (id) ON DELETE CASCADE,
    start_at            INTEGER NOT NULL,
    end_at              INTEGER NOT NULL,
    issued_at           INTEGER NOT NULL,
    delivery_mechanism  TEXT NOT NULL
                        CHECK (delivery_mechanism IN ('NONE', 'SMS_WITHOUT_APP_LINK',
                                                      'SMS_WITH_APP_LINK')),
    alternative_key_id  TEXT UNIQUE                  -- set when the lock may have re-keyed
);
CREATE INDEX offline_keys_by_system ON offline_keys (system_id, seq);
CREATE INDEX offline_keys_by_operating_device ON offline_keys (operating_device_id);
CREATE INDEX offline_keys_by_locking_device ON offline_keys (locking_device_id);
