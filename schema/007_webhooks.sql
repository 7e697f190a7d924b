-- Webhook subscriptions and deliveries (owner: webhooks work). Placeholder table set; the
-- owner shapes it.
CREATE TABLE webhook_subscriptions (
    seq         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    system_id   TEXT NOT NULL REFERENCES systems (id) ON DELETE CASCADE,
    url         TEXT NOT NULL,
    event_types TEXT,
    secret      TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
