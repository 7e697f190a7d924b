#include "domain/gateway_devices.h"

#include <ctype.h>
#include <stdio.h>

#define CODE_MAX_CHARS 64

static void normalise_code(const char *code, char *out, size_t cap)
{
    size_t i = 0;

    for (; code[i] != '\0' && i + 1 < cap; i++)
        out[i] = (char)toupper((unsigned char)code[i]);
    out[i] = '\0';
}

enum status domain_gateway_device_claim(struct db *db, const char *system_id, const char *code,
                                        int64_t now, struct gateway_device_row *out,
                                        struct problem *p)
{
    struct hardware_gateway_device_row hw;
    char label[CODE_MAX_CHARS + 1];
    enum status st;

    normalise_code(code, label, sizeof(label));
    st = store_hardware_gateway_find_code(db, label, &hw);
    if (st == ST_NOT_FOUND)
        return problem_set(p, st, "unknown claiming code '%s'", code);
    if (st != ST_OK)
        return st;
    if (hw.claimed_gateway_id[0] != '\0')
        return problem_set(p, ST_CONFLICT,
                           "the gateway device with claiming code '%s' is already claimed", code);
    if (out->id[0] == '\0')
        rng_uuid(out->id);
    snprintf(out->system_id, sizeof(out->system_id), "%s", system_id);
    snprintf(out->serial_number, sizeof(out->serial_number), "%s", hw.serial_number);
    snprintf(out->activation_status, sizeof(out->activation_status), GATEWAY_PENDING);
    out->created_at = now;
    return store_gateway_device_insert(db, out);
}

enum status domain_gateway_and_lock(struct db *db, const char *system_id, const char *gateway_id,
                                    const char *lock_id, struct gateway_device_row *gateway,
                                    struct locking_device_row *lock, struct problem *p)
{
    enum status st = store_gateway_device_get(db, system_id, gateway_id, gateway);

    if (st == ST_NOT_FOUND)
        return problem_set(p, st, "gateway device '%s' not found", gateway_id);
    if (st == ST_OK)
        st = store_locking_device_get(db, system_id, lock_id, lock);
    if (st == ST_NOT_FOUND)
        return problem_set(p, st, "locking device '%s' not found", lock_id);
    return st;
}
