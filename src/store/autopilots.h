/*
 * autopilots.h — each system's autopilot setting: whether simulated everyday activity runs,
 * and how much of it.
 */
#ifndef KE_STORE_AUTOPILOTS_H
#define KE_STORE_AUTOPILOTS_H

#include "store/db.h"

struct autopilot_row {
    int enabled;
    double opens_per_user_per_day;
    double battery_events_per_month;
};

enum status store_autopilot_put(struct db *db, const char *system_id,
                                const struct autopilot_row *row);

/* ST_NOT_FOUND when the system never had one (it is then off). */
enum status store_autopilot_get(struct db *db, const char *system_id, struct autopilot_row *out);

#endif
