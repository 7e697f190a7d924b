-- A visit reads the entries a lock holds in seq order (WHERE serial_number = ? [AND holder =
-- 'LOCK'] ORDER BY seq). With holder between the serial and seq in the index, every one of
-- those reads sorted its rows in a temporary b-tree (a b-tree opened, a page zeroed), and
-- every hand-over to a phone, which changes holder, moved the entry within this index too.
-- A lock holds a few entries at a time, so the holder is checked on them instead.
DROP INDEX lock_pending_by_serial;
CREATE INDEX lock_pending_by_serial ON lock_pending_entries (serial_number, seq);
