-- Keeps the rows a clock advance touches on every visit small (see the performance issue).
--
-- A lock_states row carries up to seven PEM texts, so it spills into overflow pages: bumping
-- the lock's log counter in that row rewrote the whole record, certificates and all, once per
-- log entry. The counter now lives in a narrow row of its own, like gateway_states.
CREATE TABLE lock_sequences (
    serial_number TEXT PRIMARY KEY REFERENCES lock_states (serial_number),
    next_sequence INTEGER NOT NULL DEFAULT 1
) WITHOUT ROWID;
INSERT INTO lock_sequences (serial_number, next_sequence)
    SELECT serial_number, next_sequence FROM lock_states;
ALTER TABLE lock_states DROP COLUMN next_sequence;

-- Every online sync asks which locks' CSRs the phone carries; without an index that read
-- every lock's certificates. Only a lock in the middle of offline re-keying has a carrier.
CREATE INDEX lock_states_by_carrier ON lock_states (rekey_carrier)
    WHERE rekey_carrier IS NOT NULL;
