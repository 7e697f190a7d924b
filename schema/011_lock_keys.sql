-- A lock's PEM texts move out of lock_states into a row of their own.
--
-- Seven PEMs made each lock_states row several kilobytes, spilling into overflow pages:
-- every visit's brief read of the lock (claim, certificate expiry, re-keying stage) walked
-- that chain to reach the columns stored behind the certificates. Now the certificates are
-- read and written only when a lock is made, claimed or re-keyed.
CREATE TABLE lock_keys (
    serial_number  TEXT PRIMARY KEY REFERENCES lock_states (serial_number),
    op_key_pem     TEXT NOT NULL,
    op_cert_pem    TEXT NOT NULL,
    mfg_key_pem    TEXT NOT NULL,
    mfg_cert_pem   TEXT NOT NULL,
    rekey_key_pem  TEXT,
    rekey_csr_pem  TEXT,
    rekey_cert_pem TEXT
) WITHOUT ROWID;
INSERT INTO lock_keys (serial_number, op_key_pem, op_cert_pem, mfg_key_pem, mfg_cert_pem,
                       rekey_key_pem, rekey_csr_pem, rekey_cert_pem)
    SELECT serial_number, op_key_pem, op_cert_pem, mfg_key_pem, mfg_cert_pem,
           rekey_key_pem, rekey_csr_pem, rekey_cert_pem FROM lock_states;
ALTER TABLE lock_states DROP COLUMN op_key_pem;
ALTER TABLE lock_states DROP COLUMN op_cert_pem;
ALTER TABLE lock_states DROP COLUMN mfg_key_pem;
ALTER TABLE lock_states DROP COLUMN mfg_cert_pem;
ALTER TABLE lock_states DROP COLUMN rekey_key_pem;
ALTER TABLE lock_states DROP COLUMN rekey_csr_pem;
ALTER TABLE lock_states DROP COLUMN rekey_cert_pem;
