-- Operating device invitations, operating devices (phones), and the SMS and e-mail messages
-- the platform would have sent (simulated delivery, readable through the control API).

CREATE TABLE operating_device_invitations (
    seq                 INTEGER PRIMARY KEY,
    id                  TEXT NOT NULL UNIQUE,
    system_id           TEXT NOT NULL REFERENCES systems (id) ON DELETE CASCADE,
    user_id             TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    validity_duration   TEXT NOT NULL,              -- as the client wrote it
    expires_at          INTEGER NOT NULL,
    delivery_mechanism  TEXT NOT NULL CHECK (delivery_mechanism IN ('SMS', 'EMAIL', 'NONE')),
    phone_number        TEXT,
    email               TEXT,
    format              TEXT NOT NULL CHECK (format IN ('INVITATION_LINK', 'INVITATION_CODE')),
    invitation_code     TEXT NOT NULL UNIQUE,
    state               TEXT NOT NULL DEFAULT 'PENDING'
                        CHECK (state IN ('PENDING', 'ACCEPTED', 'REVOKED')),
    operating_device_id TEXT,
    created_at          INTEGER NOT NULL,
    accepted_at         INTEGER
);
CREATE INDEX invitations_by_system ON operating_device_invitations (system_id, seq);

CREATE TABLE operating_devices (
    seq           INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    system_id     TEXT NOT NULL REFERENCES systems (id) ON DELETE CASCADE,
    user_id       TEXT NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE, -- one per user
    invitation_id TEXT,                             -- NULL for legacy devices
    legacy        INTEGER NOT NULL DEFAULT 0,
    activated_at  INTEGER,                          -- operational certificate provisioned
    created_at    INTEGER NOT NULL
);
CREATE INDEX operating_devices_by_system ON operating_devices (system_id, seq);

CREATE TABLE outbox_messages (
    seq        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    system_id  TEXT NOT NULL REFERENCES systems (id) ON DELETE CASCADE,
    channel    TEXT NOT NULL CHECK (channel IN ('SMS', 'EMAIL')),
    recipient  TEXT NOT NULL,
    subject    TEXT NOT NULL,                       -- what the message is about, e.g. an invitation id
    text       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX outbox_messages_by_system ON outbox_messages (system_id, seq);
