#include "sim/factory.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "lib/rng.h"
#include "lib/text.h"

#define DRAW_ATTEMPTS 32                         /* a taken serial or code is drawn again */
#define LOCK_SERIAL_SPACE 1000000u               /* six digits, as in BPLAD123456 */
#define GATEWAY_SERIAL_SPACE ((uint64_t)1 << 36) /* nine hex digits, as in BGWA1DD2E00004 */

/* Only BPLAD is the vendor's (the reference's example); the others follow its pattern. */
static const struct {
    const char *model, *prefix;
} prefixes[] = {
    {"PADLOCK", "BPLAD"},
    {"KEY_DEPOSIT", "BKDAD"},
    {"CONTROLLER", "BCTAD"},
    {"SWING_HANDLE", "BSHAD"},
    {"SWING_HANDLE_CONNECTED", "BSCAD"},
};

const char *factory_serial_prefix(const char *model)
{
    for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
        if (strcmp(prefixes[i].model, model) == 0)
            return prefixes[i].prefix;
    return NULL;
}

static void default_version(char *version, const char *fallback)
{
    if (version[0] == '\0')
        text_copy(version, HARDWARE_FIELD_LEN, fallback);
}

/* Inserts the physical lock d with its serial drawn unless preset. */
static enum status insert_lock(struct db *db, struct hardware_locking_device_row *d)
{
    const char *prefix = factory_serial_prefix(d->hardware_model);
    int preset = d->serial_number[0] != '\0';
    enum status st = ST_CONFLICT;

    if (prefix == NULL)
        return ST_INVALID;
    default_version(d->hardware_version, FACTORY_LOCK_HARDWARE_VERSION);
    default_version(d->firmware_version, FACTORY_VERSION);
    /* An insert that hits a taken serial fails alone; the transaction goes on. */
    for (int i = 0; i < (preset ? 1 : DRAW_ATTEMPTS) && st == ST_CONFLICT; i++) {
        if (!preset)
            snprintf(d->serial_number, sizeof(d->serial_number), "%s%06" PRIu64, prefix,
                     rng_below(LOCK_SERIAL_SPACE));
        st = store_hardware_locking_insert(db, d);
    }
    return st;
}

enum status factory_make_lock(struct db *db, struct hardware_locking_device_row *d,
                              const struct lock_lifetimes *lifetimes, int64_t now)
{
    enum status st = insert_lock(db, d);

    return st == ST_OK ? sim_lock_manufacture(db, d->serial_number, lifetimes, now) : st;
}

enum status factory_make_lock_for_claim(struct db *db, struct hardware_locking_device_row *d,
                                        const struct lock_lifetimes *lifetimes)
{
    enum status st = insert_lock(db, d);

    return st == ST_OK ? sim_lock_manufacture_for_claim(db, d->serial_number, lifetimes) : st;
}

enum status factory_make_gateway(struct db *db, struct hardware_gateway_device_row *g)
{
    enum status st = ST_CONFLICT;

    snprintf(g->hardware_model, sizeof(g->hardware_model), "BEAT_GW_A1");
    default_version(g->hardware_version, FACTORY_VERSION);
    default_version(g->firmware_version, FACTORY_VERSION);
    for (int i = 0; i < DRAW_ATTEMPTS && st == ST_CONFLICT; i++) {
        snprintf(g->serial_number, sizeof(g->serial_number), "BGWA1%09" PRIX64,
                 rng_below(GATEWAY_SERIAL_SPACE));
        rng_code(g->claiming_code, 2);
        st = store_hardware_gateway_insert(db, g);
    }
    return st;
}
