#include "control/jobs.h"

#include <stdint.h>

#include "http/paging.h"
#include "lib/timefmt.h"
#include "sim/job_kinds.h"
#include "store/jobs.h"

static json_object *render_job(const void *row)
{
    const struct job_row *j = row;
    const struct job_kind *k = job_kind_find(j->kind);
    json_object *o = json_object_new_object();
    char due[TIMEFMT_DATETIME_LEN];

    if (o == NULL)
        return NULL;
    timefmt_format_datetime(j->due_at, due);
    json_object_object_add(o, "kind", json_object_new_string(j->kind));
    json_object_object_add(o, "dueDatetime", json_object_new_string(due));
    if (k != NULL)
        json_object_object_add(o, "subjectType", json_object_new_string(k->subject));
    json_object_object_add(o, "subjectId", json_object_new_string(j->subject_id));
    if (k != NULL)
        json_object_object_add(o, "summary", json_object_new_string(k->summary));
    if (k != NULL && k->payload_name != NULL)
        json_object_object_add(o, k->payload_name, json_object_new_string(j->payload));
    return o;
}

/* A list's position is (due_at, seq); the first page starts before every job. */
static enum status fetch_jobs(struct db *db, const void *system_id, const int64_t after[2],
                              void *rows, size_t cap, size_t *n)
{
    int64_t due = after[0], seq = after[1];

    if (due == 0 && seq == 0)
        due = seq = INT64_MIN;
    return store_job_list(db, system_id, due, seq, rows, cap, n);
}

static void job_keys(const void *row, int64_t keys[2])
{
    const struct job_row *j = row;

    keys[0] = j->due_at;
    keys[1] = j->seq;
}

enum status jobs_list(struct request *req, struct response *res)
{
    const char *system_id = request_param(req, "system-id");
    struct page pg;
    enum status st = store_system_get(req->db, system_id, &req->system);

    if (st == ST_OK)
        st = paging_begin(req, &pg, "jobs|%s", system_id);
    return st != ST_OK ? st
                       : paging_list(req, res, &pg, sizeof(struct job_row), fetch_jobs, system_id,
                                     render_job, job_keys);
}
