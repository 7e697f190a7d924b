/*
 * ca.h — the emulator's certificate authority: real key pairs, CSRs and X.509 certificates
 * made with OpenSSL, for simulated locks (operational and manufacturing certificates) and
 * phones (operational certificates).
 *
 * Keys are ECDSA P-256 (cheap to make, so claiming a lock costs microseconds, not the
 * hundreds of milliseconds of RSA). Validity periods are given in the system's virtual
 * seconds; nothing here reads a clock. The CA's own key and certificate are made on first
 * use and kept in the database. Under --seed, key pairs and signatures are made in the
 * seeded OpenSSL context (lib/rng_openssl.h) and so are reproducible.
 */
#ifndef KE_SIM_CA_H
#define KE_SIM_CA_H

#include <stdint.h>

#include "store/db.h"

/* A fresh private key, PEM (PKCS#8), malloc'ed; caller frees. */
enum status ca_new_key(char **out_private_pem);

/* A certificate signing request for private_pem with subject CN=common_name. */
enum status ca_new_csr(const char *private_pem, const char *common_name, char **out_csr_pem);

/* A fresh private key and a CSR for it, both PEM, malloc'ed: ca_new_key() then ca_new_csr()
 * without parsing the key back. */
enum status ca_new_key_csr(const char *common_name, char **out_private_pem, char **out_csr_pem);

/* Signs csr_pem with the emulator CA, valid [not_before, not_after]. Loads or makes the CA
 * in db (inside a transaction when it must be made). */
enum status ca_sign_csr(struct db *db, const char *csr_pem, int64_t not_before, int64_t not_after,
                        char **out_cert_pem);

/* Convenience: key → CSR → certificate in one step (factory provisioning). Both outputs
 * malloc'ed. */
enum status ca_issue(struct db *db, const char *common_name, int64_t not_before, int64_t not_after,
                     char **out_private_pem, char **out_cert_pem);

/* The notAfter of a certificate, in seconds since the epoch. */
enum status ca_cert_not_after(const char *cert_pem, int64_t *out);

/* Verifies that cert_pem was issued by the emulator CA. ST_OK or ST_INVALID. */
enum status ca_verify(struct db *db, const char *cert_pem);

/* The database was restored or wiped: the CA is read from it again at its next use. Only
 * sets a flag, so it may be called with any lock held. */
void ca_forget(void);

#endif
