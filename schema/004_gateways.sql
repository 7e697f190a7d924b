-- Physical hardware (outside any system until claimed), gateway devices and their
-- associations with locking devices.

CREATE TABLE hardware_locking_devices (
    seq              INTEGER PRIMARY KEY,
    serial_number    TEXT NOT NULL UNIQUE,
    hardware_model   TEXT NOT NULL,
    hardware_version TEXT NOT NULL,
    firmware_version TEXT NOT NULL,
    created_at       INTEGER NOT NULL
);

CREATE TABLE hardware_gateway_devices (
    seq              INTEGER PRIMARY KEY,
    serial_number    TEXT NOT NULL UNIQUE,
    claiming_code    TEXT NOT NULL UNIQUE,
    hardware_model   TEXT NOT NULL,
    hardware_version TEXT NOT NULL,
    firmware_version TEXT NOT NULL,
    created_at       INTEGER NOT NULL
);

CREATE TABLE gateway_devices (
    seq               INTEGER PRIMARY KEY,
    id                TEXT NOT NULL UNIQUE,
    system_id         TEXT NOT NULL REFERENCES systems (id) ON DELETE CASCADE,
    serial_number     TEXT NOT NULL UNIQUE REFERENCES hardware_gateway_devices (serial_number),
    activation_status TEXT NOT NULL DEFAULT 'PENDING_ACTIVATION'
                      CHECK (activation_status IN ('PENDING_ACTIVATION', 'ACTIVATED')),
    hardware_model    TEXT,
    hardware_version  TEXT,
    firmware_version  TEXT,
    created_at        INTEGER NOT NULL,
    activated_at      INTEGER
);
CREATE INDEX gateway_devices_by_system ON gateway_devices (system_id, seq);

CREATE TABLE gateway_device_associations (
    seq               INTEGER PRIMARY KEY,
    id                TEXT NOT NULL UNIQUE,
    system_id         TEXT NOT NULL REFERENCES systems (id) ON DELETE CASCADE,
    gateway_device_id TEXT NOT NULL REFERENCES gateway_devices (id) ON DELETE CASCADE,
    locking_device_id TEXT NOT NULL REFERENCES locking_devices (id) ON DELETE CASCADE,
    created_at        INTEGER NOT NULL,
    UNIQUE (gateway_device_id, locking_device_id)
);
CREATE INDEX associations_by_system ON gateway_device_associations (system_id, seq);
-- Deleting a locking device removes its associations by cascade, which looks them up here.
CREATE INDEX associations_by_locking_device ON gateway_device_associations (locking_device_id);
