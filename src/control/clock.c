#include "control/clock.h"

#include <stdint.h>
#include <string.h>

#include "events/dispatcher.h"
#include "lib/timefmt.h"
#include "sim/clock.h"
#include "sim/scheduler.h"

/* Clocks stop a day short of the last datetime, so that tokens and jobs of the last day
 * still have a representable expiry. */
#define TOKEN_DAY_MARGIN 86400

static json_object *render_clock(const struct system_row *s)
{
    json_object *o = json_object_new_object();
    char now[TIMEFMT_DATETIME_LEN];

    if (o == NULL)
        return NULL;
    timefmt_format_datetime(clock_system_now(s), now);
    json_object_object_add(o, "now", json_object_new_string(now));
    json_object_object_add(o, "mode", json_object_new_string(s->clock.mode));
    return o;
}

static enum status load_system(struct request *req)
{
    return store_system_get(req->db, request_param(req, "system-id"), &req->system);
}

enum status clock_get(struct request *req, struct response *res)
{
    enum status st = load_system(req);

    return st != ST_OK ? st : respond_json(res, 200, render_clock(&req->system));
}

struct advance_in {
    struct spec_duration by;
    int64_t to;
    int to_next_job;
    int64_t max_jobs;
};

/* Works out the target instant from exactly one of by, to and toNextJob. */
static enum status advance_target(struct request *req, const struct advance_in *in,
                                  uint32_t present, int64_t *target)
{
    int64_t now = clock_system_now(&req->system);
    int given = !!(present & 1) + !!(present & 2) + !!(present & 4 && in->to_next_job);

    if (given != 1)
        return request_fail(req, ST_INVALID, "give exactly one of by, to and toNextJob: true");
    if (present & 1) {
        if (in->by.seconds > TIMEFMT_MAX_SECONDS - TOKEN_DAY_MARGIN - now)
            return problem_invalid(&req->problem, "by", "moves the clock past the year 9999");
        *target = now + in->by.seconds;
    } else if (present & 2) {
        if (in->to < now)
            return problem_invalid(&req->problem, "to",
                                   "is before the system's now; clocks only move forward");
        *target = in->to;
    } else {
        enum status st = scheduler_next_due(req->db, req->system.id, target);
        if (st == ST_NOT_FOUND || (st == ST_OK && *target < now))
            *target = now; /* nothing scheduled (or overdue): run what is due, stay put */
        else if (st != ST_OK)
            return st;
    }
    if (*target > TIMEFMT_MAX_SECONDS - TOKEN_DAY_MARGIN)
        return request_fail(req, ST_INVALID, "clocks stop a day before the year 10000");
    return ST_OK;
}

enum status clock_advance(struct request *req, struct response *res)
{
    static const struct spec_field fields[] = {
        {"by", SPEC_DURATION, 0, 0, 0, NULL, offsetof(struct advance_in, by)},
        {"to", SPEC_DATETIME, 0, 0, 0, NULL, offsetof(struct advance_in, to)},
        {"toNextJob", SPEC_BOOL, 0, 0, 0, NULL, offsetof(struct advance_in, to_next_job)},
        {"maxJobs", SPEC_INT, 0, 1, SCHEDULER_DEFAULT_BUDGET, NULL,
         offsetof(struct advance_in, max_jobs)},
    };
    struct advance_in in = {.max_jobs = SCHEDULER_DEFAULT_BUDGET};
    struct advance_result r;
    uint32_t present = 0;
    int64_t target = 0;
    char now[TIMEFMT_DATETIME_LEN];
    json_object *o;
    enum status st = load_system(req);

    if (st == ST_OK)
        st = request_decode_body(req, fields, COUNT_OF(fields), &in, &present);
    if (st == ST_OK)
        st = advance_target(req, &in, present, &target);
    if (st == ST_OK)
        st = scheduler_advance(req->db, req->system.id, target, in.max_jobs, &r);
    if (st != ST_OK)
        return st;
    dispatcher_poke(); /* deliveries the clock made due go out now */
    o = json_object_new_object();
    if (o == NULL)
        return ST_NOMEM;
    timefmt_format_datetime(r.now, now);
    json_object_object_add(o, "now", json_object_new_string(now));
    json_object_object_add(o, "jobsRun", json_object_new_int64(r.jobs_run));
    json_object_object_add(o, "eventsEmitted", json_object_new_int64(r.events_emitted));
    json_object_object_add(o, "truncated", json_object_new_boolean(r.truncated));
    return respond_json(res, 200, o);
}

static enum status store_clock(struct db *db, void *ctx)
{
    struct system_row *s = ctx;

    return store_system_set_clock(db, s->id, s->clock.mode, s->clock.offset, s->clock.time);
}

/* Freeze and resume differ only in the mode they switch to. */
static enum status switch_mode(struct request *req, struct response *res,
                               void (*apply)(struct system_row *))
{
    enum status st = load_system(req);

    if (st != ST_OK)
        return st;
    apply(&req->system);
    st = db_transact(req->db, store_clock, &req->system);
    if (st == ST_OK)
        scheduler_poke();
    return st != ST_OK ? st : respond_json(res, 200, render_clock(&req->system));
}

enum status clock_freeze_handler(struct request *req, struct response *res)
{
    return switch_mode(req, res, clock_freeze);
}

enum status clock_resume_handler(struct request *req, struct response *res)
{
    return switch_mode(req, res, clock_resume);
}
