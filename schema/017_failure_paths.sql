-- The failure paths of the simulated world, switched on through the control API (see
-- docs/simulated-world.md). Every default is the world working: a gateway with power, a lock
-- with a good battery within its gateway's range, a phone with network.

-- A physical gateway's power. Unplugged (0) it never wakes: no heartbeat, no commands read.
ALTER TABLE gateway_states ADD COLUMN powered INTEGER NOT NULL DEFAULT 1;

-- A physical lock's battery (EMPTY: nothing can operate it) and whether its gateway's radio
-- reaches it (out of range it does not wake the gateway). Set only by the control API, so a
-- lock_states update from an earlier read never writes them back.
ALTER TABLE lock_states ADD COLUMN battery TEXT NOT NULL DEFAULT 'OK'
    CHECK (battery IN ('OK', 'LOW', 'EMPTY'));
ALTER TABLE lock_states ADD COLUMN in_gateway_range INTEGER NOT NULL DEFAULT 1;

-- A phone without network: a row only for a phone that was ever switched; online = 0 makes
-- every visit offline and refuses syncs and claims.
CREATE TABLE phone_networks (
    operating_device_id TEXT PRIMARY KEY REFERENCES operating_devices (id) ON DELETE CASCADE,
    online              INTEGER NOT NULL
) WITHOUT ROWID;
