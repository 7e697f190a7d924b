-- A phone syncs at every online visit of a clock advance. Dropping its keys and copying them
-- from the permissions again cost more than the rest of the sync together, although between
-- two syncs the permissions almost never change: only each key's expiry moves on.
--
-- permission_versions counts the changes to a system's permissions (every insert, update
-- and delete, cascades included: triggers see them all, and roll back with them); each
-- operating key remembers the count its download copied. While the two agree, a sync only
-- renews the keys' expiry (and drops keys whose permission has ended), which needs each
-- permission's validity duration on the key.
--
-- No foreign key to systems: deleting a system deletes its permissions, whose trigger would
-- write this row for a system no longer there. A deleted system's count is never read again.
CREATE TABLE permission_versions (
    system_id TEXT PRIMARY KEY,
    version   INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER permissions_inserted AFTER INSERT ON permissions BEGIN
    INSERT INTO permission_versions (system_id, version) VALUES (NEW.system_id, 1)
        ON CONFLICT (system_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER permissions_updated AFTER UPDATE ON permissions BEGIN
    INSERT INTO permission_versions (system_id, version) VALUES (NEW.system_id, 1)
        ON CONFLICT (system_id) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER permissions_deleted AFTER DELETE ON permissions BEGIN
    INSERT INTO permission_versions (system_id, version) VALUES (OLD.system_id, 1)
        ON CONFLICT (system_id) DO UPDATE SET version = version + 1;
END;

-- Keys downloaded before this migration have version 0, which no count equals: their phone's
-- next sync downloads in full.
ALTER TABLE operating_keys ADD COLUMN validity_seconds INTEGER NOT NULL DEFAULT 0;
ALTER TABLE operating_keys ADD COLUMN permissions_version INTEGER NOT NULL DEFAULT 0;
