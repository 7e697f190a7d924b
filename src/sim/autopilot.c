#include "sim/autopilot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/rng.h"
#include "sim/clock.h"
#include "sim/locks.h"
#include "sim/phones.h"
#include "store/locking_devices.h"
#include "store/operating_devices.h"
#include "store/permissions.h"

#define DAY 86400
#define DAYTIME_START (7 * 3600) /* visits fall between 07:00 and 20:00 UTC */
#define DAYTIME_LENGTH (13 * 3600)
#define ONLINE_PERCENT 85
#define BATCH 32

/* A uniform double in [0, 1) from the seeded generator. */
static double uniform(void)
{
    return (double)rng_below(1ull << 53) / (double)(1ull << 53);
}

/* Knuth's method: small means only (tens at most), so the loop stays short. */
static int poisson(double mean)
{
    double limit = exp(-mean), product = uniform();
    int k = 0;

    while (product > limit && k < 1000) {
        product *= uniform();
        k++;
    }
    return k;
}

/* A daytime instant of the day that starts at day_start. */
static int64_t daytime(int64_t day_start)
{
    return day_start + DAYTIME_START + (int64_t)rng_below(DAYTIME_LENGTH);
}

static enum status plan_phone(struct db *db, const struct system_row *system,
                              const struct operating_device_row *phone, double opens,
                              int64_t day_start)
{
    struct permission_row *perms = malloc(BATCH * sizeof(*perms));
    size_t n = 0;
    enum status st =
        perms ? store_permission_list_for_user(db, system->id, phone->user_id, 0, perms, BATCH, &n)
              : ST_NOMEM;
    int visits = st == ST_OK && n > 0 && phone->activated_at != 0 ? poisson(opens) : 0;

    for (int i = 0; st == ST_OK && i < visits; i++) {
        const struct permission_row *p = &perms[rng_below(n)];
        st = store_job_schedule(db, system->id, daytime(day_start), JOB_AUTOPILOT_VISIT, phone->id,
                                p->locking_device_id);
    }
    free(perms);
    return st;
}

static enum status plan_visits(struct db *db, const struct system_row *system, double opens,
                               int64_t day_start)
{
    struct operating_device_row *rows = malloc(BATCH * sizeof(*rows));
    int64_t after = 0;
    size_t n = 0;
    enum status st = rows ? ST_OK : ST_NOMEM;

    do {
        if (st == ST_OK)
            st = store_operating_device_list(db, system->id, NULL, after, rows, BATCH, &n);
        for (size_t i = 0; st == ST_OK && i < n; i++) {
            after = rows[i].seq;
            st = plan_phone(db, system, &rows[i], opens, day_start);
        }
    } while (st == ST_OK && n == BATCH);
    free(rows);
    return st;
}

static enum status plan_batteries(struct db *db, const struct system_row *system, double per_month,
                                  int64_t day_start)
{
    struct locking_device_filter claimed = {"CLAIMED", NULL};
    struct locking_device_row *rows = malloc(BATCH * sizeof(*rows));
    int64_t after = 0;
    size_t n = 0;
    enum status st = rows ? ST_OK : ST_NOMEM;

    do {
        if (st == ST_OK)
            st = store_locking_device_list(db, system->id, &claimed, after, rows, BATCH, &n);
        for (size_t i = 0; st == ST_OK && i < n; i++) {
            after = rows[i].seq;
            if (uniform() < per_month / 30.0)
                st = store_job_schedule(db, system->id, daytime(day_start), JOB_AUTOPILOT_BATTERY,
                                        rows[i].id, NULL);
        }
    } while (st == ST_OK && n == BATCH);
    free(rows);
    return st;
}

enum status sim_job_autopilot_day(struct db *db, const struct system_row *system,
                                  const struct job_row *job)
{
    struct autopilot_row setting;
    int64_t now = clock_system_now(system), day_start = now - now % DAY;
    enum status st = store_autopilot_get(db, system->id, &setting);

    (void)job;
    if (st == ST_NOT_FOUND || (st == ST_OK && !setting.enabled))
        return ST_OK; /* switched off: the chain of days ends here */
    if (st == ST_OK)
        st = plan_visits(db, system, setting.opens_per_user_per_day, day_start);
    if (st == ST_OK)
        st = plan_batteries(db, system, setting.battery_events_per_month, day_start);
    return st == ST_OK ? store_job_schedule(db, system->id, day_start + DAY, JOB_AUTOPILOT_DAY,
                                            system->id, NULL)
                       : st;
}

enum status sim_job_autopilot_visit(struct db *db, const struct system_row *system,
                                    const struct job_row *job)
{
    struct operating_device_row phone;
    struct visit_report *report = malloc(sizeof(*report));
    struct visit_request visit = {job->payload, rng_below(2) ? "unlock" : "lock",
                                  (int)rng_below(100) < ONLINE_PERCENT, NULL};
    enum status st =
        report ? store_operating_device_get(db, system->id, job->subject_id, &phone) : ST_NOMEM;

    if (st == ST_OK)
        st = sim_phone_visit(db, system, &phone, &visit, clock_system_now(system), report);
    free(report);
    /* The phone, the lock or its claim may have gone since the day was planned. */
    return st == ST_NOT_FOUND || st == ST_CONFLICT ? ST_OK : st;
}

enum status sim_job_autopilot_battery(struct db *db, const struct system_row *system,
                                      const struct job_row *job)
{
    struct lock_state *lock = malloc(sizeof(*lock));
    enum status st = lock ? store_lock_state_brief_of_device(db, job->subject_id, lock) : ST_NOMEM;

    /* A flat battery logs nothing at all. */
    if (st == ST_OK && sim_lock_powered(lock))
        st = sim_lock_log_system(db, lock->serial_number, "BATTERY_LOW", clock_system_now(system));
    free(lock);
    return st == ST_NOT_FOUND ? ST_OK : st;
}

static enum status cancel_planned(struct db *db, const char *system_id)
{
    static const char *const kinds[] = {JOB_AUTOPILOT_DAY, JOB_AUTOPILOT_VISIT,
                                        JOB_AUTOPILOT_BATTERY};
    enum status st = ST_OK;

    for (size_t i = 0; st == ST_OK && i < sizeof(kinds) / sizeof(kinds[0]); i++)
        st = store_job_cancel_kind(db, system_id, kinds[i]);
    return st;
}

enum status sim_autopilot_set(struct db *db, const struct system_row *system,
                              const struct autopilot_row *setting, int64_t now)
{
    enum status st = store_autopilot_put(db, system->id, setting);

    if (st == ST_OK)
        st = cancel_planned(db, system->id);
    if (st == ST_OK && setting->enabled)
        st = store_job_schedule(db, system->id, now, JOB_AUTOPILOT_DAY, system->id, NULL);
    return st;
}
