-- Webhook subscriptions, deliveries and their attempts (DESIGN.md §6).
--
-- The outbox row of an event commits with the change that caused it. The dispatcher fans
-- events out to subscriptions later: each subscription keeps `cursor`, the outbox seq of
-- the last event of its system it has looked at, and a delivery row is written in the same
-- transaction that moves the cursor. So an acknowledged change is delivered at least once
-- whatever moment the process dies at. Outbox rows of a system are only deleted with the
-- system, so a new event of a live system always gets a seq above its subscriptions'
-- cursors (rowids are only reused above the largest remaining one).

CREATE TABLE webhook_subscriptions (
    seq         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    system_id   TEXT NOT NULL REFERENCES systems (id) ON DELETE CASCADE,
    url         TEXT NOT NULL,
    event_types TEXT,                 -- ",UserCreated,UserDeleted," or NULL for every type
    secret      TEXT NOT NULL,
    cursor      INTEGER NOT NULL,     -- outbox seq of the last event fanned out
    created_at  INTEGER NOT NULL      -- the system's virtual seconds
);
CREATE INDEX webhook_subscriptions_by_system ON webhook_subscriptions (system_id, seq);

-- One event for one subscription. Times are the system's virtual seconds.
CREATE TABLE webhook_deliveries (
    seq              INTEGER PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE,
    system_id        TEXT NOT NULL REFERENCES systems (id) ON DELETE CASCADE,
    subscription_seq INTEGER NOT NULL REFERENCES webhook_subscriptions (seq) ON DELETE CASCADE,
    event_seq        INTEGER NOT NULL,           -- outbox seq; goes with the system
    status           TEXT NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'delivered', 'dead')),
    failures         INTEGER NOT NULL DEFAULT 0, -- failed attempts since the last (re)start
    due_at           INTEGER NOT NULL,           -- next attempt, while pending
    UNIQUE (subscription_seq, event_seq)
);
CREATE INDEX webhook_deliveries_by_system ON webhook_deliveries (system_id, seq);
-- The head of each subscription's queue is its pending delivery with the lowest event_seq.
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (subscription_seq, event_seq)
    WHERE status = 'pending';

-- Every attempt, successful or not.
CREATE TABLE webhook_attempts (
    seq          INTEGER PRIMARY KEY,
    delivery_seq INTEGER NOT NULL REFERENCES webhook_deliveries (seq) ON DELETE CASCADE,
    attempted_at INTEGER NOT NULL,    -- the system's virtual seconds when the POST began
    status_code  INTEGER,             -- NULL when no HTTP answer came
    error        TEXT,                -- why it failed; NULL on success
    latency_ms   INTEGER NOT NULL
);
CREATE INDEX webhook_attempts_by_delivery ON webhook_attempts (delivery_seq, seq);
