-- The simulated world behind the API: what physical locks and phones hold. The platform
-- learns of it only through contacts (a phone's visit or sync, a gateway's wake-up).

-- A physical lock's keys, certificates, own log counter, claim and re-keying progress.
CREATE TABLE lock_states (
    serial_number     TEXT PRIMARY KEY REFERENCES hardware_locking_devices (serial_number),
    op_key_pem        TEXT NOT NULL,
    op_cert_pem       TEXT NOT NULL,
    op_not_after      INTEGER NOT NULL,
    mfg_key_pem       TEXT NOT NULL,
    mfg_cert_pem      TEXT NOT NULL,
    mfg_not_after     INTEGER NOT NULL,
    op_lifetime       INTEGER NOT NULL,        -- seconds an operational certificate lasts
    mfg_lifetime      INTEGER NOT NULL,
    eligibility_window INTEGER NOT NULL,       -- seconds before expiry re-keying is offered
    next_sequence     INTEGER NOT NULL DEFAULT 1,
    system_id         TEXT,                    -- set once claimed; a claim is for life
    locking_device_id TEXT,                    -- the placeholder it was claimed into
    rekey_stage       TEXT NOT NULL DEFAULT 'NONE'
                      CHECK (rekey_stage IN ('NONE', 'CSR_CREATED', 'ISSUED')),
    rekey_key_pem     TEXT,
    rekey_csr_pem     TEXT,
    rekey_cert_pem    TEXT,
    rekey_carrier     TEXT                     -- the phone carrying an offline CSR to the platform
) WITHOUT ROWID;
CREATE INDEX lock_states_by_device ON lock_states (locking_device_id);

-- Log entries a lock made that the platform has not received yet: held by the lock itself
-- (holder = 'LOCK') or handed to a phone (holder = its operating device id) until it uploads.
CREATE TABLE lock_pending_entries (
    seq                 INTEGER PRIMARY KEY,
    serial_number       TEXT NOT NULL REFERENCES lock_states (serial_number),
    holder              TEXT NOT NULL,
    kind                TEXT NOT NULL CHECK (kind IN ('SYSTEM', 'AUDIT')),
    event_name          TEXT NOT NULL,
    occurred_at         INTEGER NOT NULL,
    sequence_number     INTEGER NOT NULL,
    client_type         TEXT,
    operating_device_id TEXT,
    user_id             TEXT,
    gateway_device_id   TEXT,
    remote_command_id   TEXT,
    granted             INTEGER
);
CREATE INDEX lock_pending_by_holder ON lock_pending_entries (holder, seq);
CREATE INDEX lock_pending_by_serial ON lock_pending_entries (serial_number, holder, seq);

-- Operating keys a phone downloaded: copies of the permission's rules at download time, so
-- that revoking the permission does not take them back.
CREATE TABLE operating_keys (
    seq                 INTEGER PRIMARY KEY,
    operating_device_id TEXT NOT NULL REFERENCES operating_devices (id) ON DELETE CASCADE,
    locking_device_id   TEXT NOT NULL,
    permission_id       TEXT NOT NULL,
    operation_type      TEXT NOT NULL,
    permission_type     TEXT NOT NULL,
    weekdays            TEXT,
    intervals           TEXT,
    permission_start    INTEGER NOT NULL,
    permission_end      INTEGER NOT NULL,
    valid_until         INTEGER NOT NULL,
    downloaded_at       INTEGER NOT NULL
);
CREATE INDEX operating_keys_by_device ON operating_keys (operating_device_id, locking_device_id);

-- A phone's operational certificate (provisioned on activation).
CREATE TABLE phone_certificates (
    operating_device_id TEXT PRIMARY KEY REFERENCES operating_devices (id) ON DELETE CASCADE,
    key_pem             TEXT NOT NULL,
    cert_pem            TEXT NOT NULL,
    not_after           INTEGER NOT NULL
) WITHOUT ROWID;

-- A gateway's own log counter.
CREATE TABLE gateway_states (
    serial_number TEXT PRIMARY KEY REFERENCES hardware_gateway_devices (serial_number),
    next_sequence INTEGER NOT NULL DEFAULT 1
) WITHOUT ROWID;

-- Simulated everyday activity per system.
CREATE TABLE autopilots (
    system_id                TEXT PRIMARY KEY REFERENCES systems (id) ON DELETE CASCADE,
    enabled                  INTEGER NOT NULL,
    opens_per_user_per_day   REAL NOT NULL,
    battery_events_per_month REAL NOT NULL
) WITHOUT ROWID;
