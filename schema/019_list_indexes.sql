-- Every list and log query of the Administration API seeks an index for each filter
-- combination the reference allows (tests/unit/test_list_plans.c asserts it through
-- EXPLAIN QUERY PLAN). The store now runs one statement per combination; these are the two
-- indexes the combinations lacked, which on a big site read the whole system's rows.
--
-- A lock's log (locking-device-id=…), in (occurred_at, id) order either way, from the page's
-- position: 013 dropped an index of this shape because the one statement that served every
-- filter could not use it. sequence_number rides along so that a sequence-number-greater-than
-- filter is checked on the index entry, without reading the row it skips.
CREATE INDEX locking_device_log_by_device
    ON locking_device_log_entries (locking_device_id, kind, occurred_at, id, sequence_number);

-- GET /locking-device?claiming-status=…: the few unclaimed placeholders of a site of
-- thousands of locks, without reading the claimed ones (seq follows as the rowid).
CREATE INDEX locking_devices_by_status ON locking_devices (system_id, claiming_status);
