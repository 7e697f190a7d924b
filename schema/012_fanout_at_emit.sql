-- Events are fanned out to webhook subscriptions when they are emitted, in the transaction
-- of the change (src/events/outbox.c), so a subscription no longer needs a cursor: the
-- dispatcher's pass only sends. Events an older emulator stored but had not fanned out yet
-- become deliveries here, so upgrading drops none.

INSERT OR IGNORE INTO webhook_deliveries (id, system_id, subscription_seq, event_seq, due_at)
SELECT lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' ||
       substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + abs(random() % 4), 1) ||
       substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))),
       s.system_id, s.seq, o.seq, o.occurred_at
  FROM webhook_subscriptions s
  JOIN outbox o ON o.system_id = s.system_id AND o.seq > s.cursor
 WHERE s.event_types IS NULL OR instr(s.event_types, ',' || o.event_type || ',') > 0;

ALTER TABLE webhook_subscriptions DROP COLUMN cursor;
