-- Each certificate profile re-keys on its own: the manufacturing certificate gets the stage,
-- the carrier and the three PEMs (new key, CSR, issued certificate) the operational one has
-- had since 008. The existing columns stay the operational profile's.
ALTER TABLE lock_states ADD COLUMN mfg_rekey_stage TEXT NOT NULL DEFAULT 'NONE'
    CHECK (mfg_rekey_stage IN ('NONE', 'CSR_CREATED', 'ISSUED'));
ALTER TABLE lock_states ADD COLUMN mfg_rekey_carrier TEXT; -- the phone carrying an offline CSR
ALTER TABLE lock_keys ADD COLUMN mfg_rekey_key_pem TEXT;
ALTER TABLE lock_keys ADD COLUMN mfg_rekey_csr_pem TEXT;
ALTER TABLE lock_keys ADD COLUMN mfg_rekey_cert_pem TEXT;

-- A sync asks which locks' CSRs the phone carries, of either profile (see 009).
CREATE INDEX lock_states_by_mfg_carrier ON lock_states (mfg_rekey_carrier)
    WHERE mfg_rekey_carrier IS NOT NULL;
