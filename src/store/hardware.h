/*
 * hardware.h — the simulated physical world before any system owns it: factory-fresh
 * locking devices and gateways, identified by serial number. These rows belong to no
 * system; a gateway's claim is the gateway_devices row naming its serial (see
 * gateway_devices.h), so deleting that row frees the hardware to be claimed again.
 *
 * Writes assert they run inside db_transact(). Rows are plain structs so that later
 * columns (key pairs, certificates, internal logs) extend them without changing callers.
 */
#ifndef KE_STORE_HARDWARE_H
#define KE_STORE_HARDWARE_H

#include "lib/rng.h"
#include "store/db.h"

#define HARDWARE_SERIAL_LEN 64
#define HARDWARE_FIELD_LEN 32
#define HARDWARE_CLAIMING_CODE_LEN 16

struct hardware_locking_device_row {
    int64_t seq;
    char serial_number[HARDWARE_SERIAL_LEN];
    char hardware_model[HARDWARE_FIELD_LEN]; /* PADLOCK, KEY_DEPOSIT, CONTROLLER, ... */
    char hardware_version[HARDWARE_FIELD_LEN];
    char firmware_version[HARDWARE_FIELD_LEN];
    int64_t created_at; /* wall-clock seconds: hardware lives outside every system's clock */
};

struct hardware_gateway_device_row {
    int64_t seq;
    char serial_number[HARDWARE_SERIAL_LEN];
    char claiming_code[HARDWARE_CLAIMING_CODE_LEN];
    char hardware_model[HARDWARE_FIELD_LEN];
    char hardware_version[HARDWARE_FIELD_LEN];
    char firmware_version[HARDWARE_FIELD_LEN];
    int64_t created_at;
    /* Read-only, from the claim: both "" while no system has claimed the gateway. */
    char claimed_system_id[UUID_STR_LEN];
    char claimed_gateway_id[UUID_STR_LEN];
};

/* Inserts a physical locking device. ST_CONFLICT when the serial number is taken (the
 * caller may draw another and retry within the same transaction). */
enum status store_hardware_locking_insert(struct db *db,
                                          const struct hardware_locking_device_row *row);

/* The physical locking device with serial; ST_NOT_FOUND when there is none. */
enum status store_hardware_locking_get(struct db *db, const char *serial,
                                       struct hardware_locking_device_row *out);

/* Inserts a physical gateway (the claim fields are ignored). ST_CONFLICT when the serial
 * number or the claiming code is taken. */
enum status store_hardware_gateway_insert(struct db *db,
                                          const struct hardware_gateway_device_row *row);

/* The physical gateway with serial, with its claim; ST_NOT_FOUND when there is none. */
enum status store_hardware_gateway_get(struct db *db, const char *serial,
                                       struct hardware_gateway_device_row *out);

/* The physical gateway whose label carries code (compared exactly), with its claim;
 * ST_NOT_FOUND when no gateway has that code. */
enum status store_hardware_gateway_find_code(struct db *db, const char *code,
                                             struct hardware_gateway_device_row *out);

#endif
