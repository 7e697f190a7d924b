/*
 * locking_devices.h — the platform's view of locking devices: unclaimed placeholders and,
 * once a phone claims physical hardware into one, its serial number, model, versions and
 * certificate states. Every query is scoped by system id.
 */
#ifndef KE_STORE_LOCKING_DEVICES_H
#define KE_STORE_LOCKING_DEVICES_H

#include "lib/rng.h"
#include "store/db.h"

struct cert_state {
    int64_t expiration; /* 0 when unknown (unclaimed) */
    int eligible;
    int revoked;
};

struct locking_device_row {
    int64_t seq;
    char id[UUID_STR_LEN];
    char system_id[UUID_STR_LEN];
    char name[1024];
    char claiming_status[12]; /* "UNCLAIMED" or "CLAIMED" */
    char serial_number[64];
    char hardware_model[32];
    char hardware_version[32];
    char firmware_version[32];
    struct cert_state operational, manufacturing;
    int64_t created_at;
};

struct locking_device_filter {
    const char *claiming_status; /* NULL: any */
    const char *serial_number;   /* NULL: any */
};

enum status store_locking_device_insert(struct db *db, const struct locking_device_row *row);
enum status store_locking_device_get(struct db *db, const char *system_id, const char *id,
                                     struct locking_device_row *out);
/* Whether the platform offers the device's certificates for re-keying (they are eligible):
 * offered[0] the operational one, offered[1] the manufacturing one (enum cert_profile's
 * order); ST_NOT_FOUND when the system has no such device. */
enum status store_locking_device_rekeying_offered(struct db *db, const char *system_id,
                                                  const char *id, int offered[2]);
/* The device in whatever system it belongs to (the simulated lock knows only its id). */
enum status store_locking_device_find(struct db *db, const char *id,
                                      struct locking_device_row *out);
enum status store_locking_device_list(struct db *db, const char *system_id,
                                      const struct locking_device_filter *filter, int64_t after_seq,
                                      struct locking_device_row *rows, size_t cap, size_t *n);
enum status store_locking_device_rename(struct db *db, const char *system_id, const char *id,
                                        const char *name);
/* Binds a placeholder to physical hardware: CLAIMED with the hardware's serial, model,
 * versions and certificate expirations. ST_CONFLICT when it is claimed already. */
enum status store_locking_device_claim(struct db *db, const struct locking_device_row *claimed);

/* Sets the platform's view of one certificate ("OPERATIONAL" or "MANUFACTURING"). */
enum status store_locking_device_set_certificate(struct db *db, const char *system_id,
                                                 const char *id, const char *profile,
                                                 const struct cert_state *cert);

enum status store_locking_device_delete(struct db *db, const char *system_id, const char *id);

#endif
