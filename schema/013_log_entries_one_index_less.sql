-- locking_device_log_by_device (locking_device_id, kind, occurred_at, id) served no query:
-- the one list of lock entries filters on system_id and kind and takes the device as an
-- optional parameter, so EXPLAIN QUERY PLAN picks locking_device_log_by_time for every
-- filter; the cascade from locking_devices searches the UNIQUE (locking_device_id, kind,
-- sequence_number) index. Keeping it cost one more b-tree insert for every log entry a
-- clock advance stores.
DROP INDEX locking_device_log_by_device;
