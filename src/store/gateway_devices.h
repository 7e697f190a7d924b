/*
 * gateway_devices.h — gateways claimed into a system. A row is the claim of one physical
 * gateway (hardware.h) by its serial number: PENDING_ACTIVATION from the claim, ACTIVATED
 * once the gateway powers on. Deleting the row frees the hardware for another claim and
 * removes the gateway's associations (ON DELETE CASCADE). Every query is scoped by system.
 *
 * Writes assert they run inside db_transact(). The store emits no events: whoever
 * activates a gateway emits GatewayDeviceActivated in the same transaction.
 */
#ifndef KE_STORE_GATEWAY_DEVICES_H
#define KE_STORE_GATEWAY_DEVICES_H

#include "store/hardware.h"

#define GATEWAY_PENDING "PENDING_ACTIVATION"
#define GATEWAY_ACTIVATED "ACTIVATED"

struct gateway_device_row {
    int64_t seq;
    char id[UUID_STR_LEN];
    char system_id[UUID_STR_LEN];
    char serial_number[HARDWARE_SERIAL_LEN];
    char activation_status[20]; /* GATEWAY_PENDING or GATEWAY_ACTIVATED */
    /* Reported by the gateway when it activates: "" while pending. */
    char hardware_model[HARDWARE_FIELD_LEN];
    char hardware_version[HARDWARE_FIELD_LEN];
    char firmware_version[HARDWARE_FIELD_LEN];
    int64_t created_at;   /* the claim, on the system's clock */
    int64_t activated_at; /* 0 while pending */
};

/* Inserts a claim (id, system_id, serial_number, created_at are read; the row starts
 * PENDING_ACTIVATION). ST_CONFLICT when the serial is already claimed by any system. */
enum status store_gateway_device_insert(struct db *db, const struct gateway_device_row *row);

/* The gateway id of system_id; ST_NOT_FOUND when absent or in another system. */
enum status store_gateway_device_get(struct db *db, const char *system_id, const char *id,
                                     struct gateway_device_row *out);

/* The gateway in whatever system claimed it (the simulated device knows only its id). */
enum status store_gateway_device_find(struct db *db, const char *id,
                                      struct gateway_device_row *out);

/* At most cap gateways of system_id with seq > after_seq, in seq order; *n gets the count. */
enum status store_gateway_device_list(struct db *db, const char *system_id, int64_t after_seq,
                                      struct gateway_device_row *rows, size_t cap, size_t *n);

/* Deletes the claim (and by cascade its associations). ST_NOT_FOUND when absent. */
enum status store_gateway_device_delete(struct db *db, const char *system_id, const char *id);

/* Activates a pending gateway at activated_at (the system's virtual now): the status
 * becomes ACTIVATED and the model and versions are copied from the physical gateway.
 * ST_NOT_FOUND when the gateway is not in system_id; ST_CONFLICT when it is already
 * ACTIVATED (a repeated power-on: the caller decides whether that matters). */
enum status store_gateway_device_activate(struct db *db, const char *system_id, const char *id,
                                          int64_t activated_at);

#endif
