#include "domain/permissions.h"

#include <stdio.h>

#include "store/jobs.h"
#include "store/locking_devices.h"
#include "store/users.h"

/* 404 naming what the permission refers to when it is not in the system. */
static enum status check_references(struct db *db, const struct permission_row *row,
                                    struct problem *p)
{
    struct user_row user;
    struct locking_device_row device;
    enum status us = store_user_get(db, row->system_id, row->user_id, &user);
    enum status ds = store_locking_device_get(db, row->system_id, row->locking_device_id, &device);

    if (us != ST_OK && us != ST_NOT_FOUND)
        return us;
    if (ds != ST_OK && ds != ST_NOT_FOUND)
        return ds;
    if (us == ST_NOT_FOUND && ds == ST_NOT_FOUND)
        return problem_set(p, ST_NOT_FOUND, "unknown user '%s' and locking device '%s'",
                           row->user_id, row->locking_device_id);
    if (us == ST_NOT_FOUND)
        return problem_set(p, ST_NOT_FOUND, "unknown user '%s'", row->user_id);
    if (ds == ST_NOT_FOUND)
        return problem_set(p, ST_NOT_FOUND, "unknown locking device '%s'", row->locking_device_id);
    return ST_OK;
}

static enum status schedule_cleanup(struct db *db, const char *system_id, int64_t end_at)
{
    if (end_at > INT64_MAX - PERMISSION_RETENTION)
        return ST_OK; /* never */
    return store_job_schedule(db, system_id, end_at + PERMISSION_RETENTION, JOB_PERMISSIONS_CLEANUP,
                              system_id, NULL);
}

/* Copies a validated JSON array into a text column; ST_INTERNAL if it cannot fit, which
 * the validation caps rule out. */
static enum status copy_list(json_object *list, char *out, size_t cap)
{
    const char *text = list ? json_object_to_json_string_ext(list, JSON_C_TO_STRING_PLAIN) : "";

    if (text == NULL)
        return ST_NOMEM;
    return (size_t)snprintf(out, cap, "%s", text) < cap ? ST_OK : ST_INTERNAL;
}

static enum status fill_row(const char *system_id, const struct permission_request *in, int64_t now,
                            struct permission_row *r)
{
    enum status st;

    snprintf(r->system_id, sizeof(r->system_id), "%s", system_id);
    snprintf(r->user_id, sizeof(r->user_id), "%s", in->user_id);
    snprintf(r->locking_device_id, sizeof(r->locking_device_id), "%s", in->locking_device_id);
    snprintf(r->operation_type, sizeof(r->operation_type), "%s", in->operation_type);
    snprintf(r->permission_type, sizeof(r->permission_type), "%s", in->permission_type);
    snprintf(r->validity_text, sizeof(r->validity_text), "%s", in->validity.text);
    r->validity_seconds = in->validity.seconds;
    r->start_at = in->start;
    r->end_at = in->end;
    r->created_at = now;
    st = copy_list(in->weekdays, r->weekdays, sizeof(r->weekdays));
    return st == ST_OK ? copy_list(in->intervals, r->intervals, sizeof(r->intervals)) : st;
}

enum status domain_permission_grant(struct db *db, const char *system_id,
                                    const struct permission_request *in, int64_t now,
                                    struct permission_row *out, struct problem *p)
{
    enum status st = fill_row(system_id, in, now, out);

    if (st == ST_OK)
        st = check_references(db, out, p);
    if (st == ST_OK && out->id[0] == '\0')
        rng_uuid(out->id);
    if (st == ST_OK)
        st = store_permission_insert(db, out);
    return st == ST_OK ? schedule_cleanup(db, system_id, out->end_at) : st;
}

enum status domain_permission_replace(struct db *db, const char *system_id, const char *id,
                                      const struct permission_request *in, int64_t now,
                                      struct permission_row *out, struct problem *p)
{
    enum status st = store_permission_get(db, system_id, id, out);

    if (st == ST_OK)
        st = fill_row(system_id, in, now, out);
    if (st == ST_OK)
        st = check_references(db, out, p);
    if (st == ST_OK)
        st = store_permission_replace(db, out);
    return st == ST_OK ? schedule_cleanup(db, system_id, out->end_at) : st;
}

enum status domain_permission_revoke(struct db *db, const char *system_id, const char *id)
{
    return store_permission_delete(db, system_id, id);
}

enum status domain_permissions_clean_up(struct db *db, const char *system_id, int64_t now)
{
    /* Everything that ended at least the retention ago, this instant included. */
    return store_permission_delete_ended_before(db, system_id, now - PERMISSION_RETENTION + 1,
                                                NULL);
}
