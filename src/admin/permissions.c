#include "admin/permissions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/permissions.h"
#include "http/paging.h"
#include "lib/time_window.h"
#include "lib/timefmt.h"

#define DAY 86400
#define DEFAULT_VALIDITY "P8D"
#define BIT(i) (1u << (i))

static const char *const operation_types[] = {"OPEN", "UPDATE_FIRMWARE", "UPDATE_TIME", NULL};
static const char *const permission_types[] = {"SINGLE_INTERVAL", "MULTIPLE_INTERVALS", "RECURRING",
                                               NULL};
static const char *const weekday_names[] = {"MONDAY", "TUESDAY",  "WEDNESDAY", "THURSDAY",
                                            "FRIDAY", "SATURDAY", "SUNDAY",    NULL};

/* The order matters: check_body() tests the presence bits by these indexes. */
enum { F_VALIDITY = 4, F_START, F_END, F_WEEKDAYS, F_INTERVALS };
static const struct spec_field permission_fields[] = {
    {"userId", SPEC_UUID, SPEC_REQUIRED, 0, 0, NULL, offsetof(struct permission_request, user_id)},
    {"lockingDeviceId", SPEC_UUID, SPEC_REQUIRED, 0, 0, NULL,
     offsetof(struct permission_request, locking_device_id)},
    {"operationType", SPEC_ENUM, SPEC_REQUIRED, 0, 0, operation_types,
     offsetof(struct permission_request, operation_type)},
    {"permissionType", SPEC_ENUM, SPEC_REQUIRED, 0, 0, permission_types,
     offsetof(struct permission_request, permission_type)},
    {"operatingKeyValidityDuration", SPEC_DURATION, 0, 0, 0, NULL,
     offsetof(struct permission_request, validity)},
    {"start", SPEC_DATETIME, SPEC_REQUIRED, 0, 0, NULL, offsetof(struct permission_request, start)},
    {"end", SPEC_DATETIME, SPEC_REQUIRED, 0, 0, NULL, offsetof(struct permission_request, end)},
    {"weekdays", SPEC_ARRAY, 0, 0, 0, NULL, offsetof(struct permission_request, weekdays)},
    {"intervals", SPEC_ARRAY, 0, 0, 0, NULL, offsetof(struct permission_request, intervals)},
};

/* ---- validation --------------------------------------------------------------------- */

static int weekday_index(const char *s)
{
    for (int i = 0; weekday_names[i] != NULL; i++)
        if (strcmp(weekday_names[i], s) == 0)
            return i;
    return -1;
}

/* NULL when weekdays is valid, else the reason. */
static const char *weekdays_problem(json_object *weekdays)
{
    unsigned seen = 0;
    size_t n = json_object_array_length(weekdays);

    if (n == 0)
        return "must not be empty";
    for (size_t i = 0; i < n; i++) {
        json_object *v = json_object_array_get_idx(weekdays, i);
        int day = json_object_is_type(v, json_type_string)
                      ? weekday_index(json_object_get_string(v))
                      : -1;
        if (day < 0)
            return "must hold only MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY,"
                   " SUNDAY";
        if (seen & BIT(day))
            return "must not repeat a weekday";
        seen |= BIT(day);
    }
    return NULL;
}

/* True for "HH:MM-HH:MM" with the start before the end, within one day: the same parser
 * that the simulated lock applies. */
static int is_interval(json_object *v)
{
    int from, to;

    return json_object_is_type(v, json_type_string) &&
           time_window_parse_interval(json_object_get_string(v), &from, &to) == 0;
}

static const char *intervals_problem(json_object *intervals)
{
    size_t n = json_object_array_length(intervals);

    if (n == 0)
        return "must not be empty";
    if (n > PERMISSION_MAX_INTERVALS)
        return "must hold at most 32 intervals";
    for (size_t i = 0; i < n; i++)
        if (!is_interval(json_object_array_get_idx(intervals, i)))
            return "must hold only intervals \"HH:MM-HH:MM\" (UTC) whose start is before"
                   " their end";
    return NULL;
}

/* Checks a schedule array (weekdays or intervals) given as list (NULL when absent or not
 * an array, which the field spec has named already): whether the permission type wants it,
 * then its shape. */
static void check_schedule(struct request *req, const char *name, json_object *list,
                           const char *(*shape_problem)(json_object *), const char *type)
{
    json_object *given = NULL;
    int single = type != NULL && strcmp(type, "SINGLE_INTERVAL") == 0;
    const char *reason;

    json_object_object_get_ex(req->body, name, &given);
    if (given != NULL && single)
        problem_invalid(&req->problem, name, "is not allowed for SINGLE_INTERVAL permissions");
    else if (given == NULL && type != NULL && !single)
        problem_invalid(&req->problem, name, "is required for %s permissions", type);
    else if (list != NULL && (reason = shape_problem(list)) != NULL)
        problem_invalid(&req->problem, name, "%s", reason);
}

/* Decodes and validates the body of POST and PUT, naming every bad field. */
static enum status decode_permission(struct request *req, struct permission_request *in)
{
    uint32_t present = 0;
    enum status st;

    in->validity.text = DEFAULT_VALIDITY;
    in->validity.seconds = 8 * DAY;
    st = request_decode_body(req, permission_fields, COUNT_OF(permission_fields), in, &present);
    if (req->body == NULL || st == ST_NOMEM)
        return st;
    /* The text is kept as written, so its length is capped too (zero padding is legal). */
    if ((present & BIT(F_VALIDITY)) &&
        (in->validity.seconds < DAY || in->validity.seconds > 31 * DAY ||
         strlen(in->validity.text) >= sizeof(((struct permission_row *)0)->validity_text)))
        problem_invalid(&req->problem, "operatingKeyValidityDuration",
                        "must be at least 1 day (P1D) and at most 31 days (P31D)");
    if ((present & BIT(F_START)) && (present & BIT(F_END)) && in->end <= in->start)
        problem_invalid(&req->problem, "end", "must be after start");
    check_schedule(req, "weekdays", in->weekdays, weekdays_problem, in->permission_type);
    check_schedule(req, "intervals", in->intervals, intervals_problem, in->permission_type);
    return st == ST_OK && !problem_has_invalid(&req->problem) ? ST_OK : ST_INVALID;
}

/* ---- rendering ---------------------------------------------------------------------- */

static void add_datetime(json_object *o, const char *key, int64_t t)
{
    char text[TIMEFMT_DATETIME_LEN];

    timefmt_format_datetime(t, text);
    json_object_object_add(o, key, json_object_new_string(text));
}

static void add_list(json_object *o, const char *key, const char *json_text)
{
    if (json_text[0] != '\0')
        json_object_object_add(o, key, json_tokener_parse(json_text));
}

static json_object *render_permission(const void *row)
{
    const struct permission_row *p = row;
    json_object *o = json_object_new_object();

    if (o == NULL)
        return NULL;
    json_object_object_add(o, "id", json_object_new_string(p->id));
    json_object_object_add(o, "permissionType", json_object_new_string(p->permission_type));
    json_object_object_add(o, "userId", json_object_new_string(p->user_id));
    json_object_object_add(o, "lockingDeviceId", json_object_new_string(p->locking_device_id));
    json_object_object_add(o, "operationType", json_object_new_string(p->operation_type));
    json_object_object_add(o, "operatingKeyValidityDuration",
                           json_object_new_string(p->validity_text));
    add_datetime(o, "start", p->start_at);
    add_datetime(o, "end", p->end_at);
    add_list(o, "weekdays", p->weekdays);
    add_list(o, "intervals", p->intervals);
    return o;
}

/* ---- writing ------------------------------------------------------------------------ */

struct write_ctx {
    struct request *req;
    struct permission_request in;
    struct permission_row row;
};

static enum status create_tx(struct db *db, void *ctx)
{
    struct write_ctx *c = ctx;

    return domain_permission_grant(db, c->req->system.id, &c->in, request_now(c->req), &c->row,
                                   &c->req->problem);
}

static enum status replace_tx(struct db *db, void *ctx)
{
    struct write_ctx *c = ctx;

    return domain_permission_replace(db, c->req->system.id, request_param(c->req, "permission-id"),
                                     &c->in, request_now(c->req), &c->row, &c->req->problem);
}

/* ---- handlers ----------------------------------------------------------------------- */

enum status permissions_create(struct request *req, struct response *res)
{
    struct write_ctx c = {.req = req};
    json_object *body;
    enum status st = decode_permission(req, &c.in);

    if (st == ST_OK)
        st = db_transact(req->db, create_tx, &c);
    if (st != ST_OK)
        return st;
    body = json_object_new_object();
    if (body == NULL)
        return ST_NOMEM;
    json_object_object_add(body, "id", json_object_new_string(c.row.id));
    return respond_json(res, 201, body);
}

static enum status fetch_permissions(struct db *db, const void *system_id, const int64_t after[2],
                                     void *rows, size_t cap, size_t *n)
{
    return store_permission_list(db, system_id, after[0], rows, cap, n);
}

enum status permissions_list(struct request *req, struct response *res)
{
    struct page pg;
    enum status st = paging_begin(req, &pg, "permission|%s", req->system.id);

    return st != ST_OK
               ? st
               : paging_list(req, res, &pg, sizeof(struct permission_row), fetch_permissions,
                             req->system.id, render_permission, paging_keys_seq);
}

enum status permissions_get(struct request *req, struct response *res)
{
    struct permission_row row;
    enum status st =
        store_permission_get(req->db, req->system.id, request_param(req, "permission-id"), &row);

    return st != ST_OK ? st : respond_json(res, 200, render_permission(&row));
}

enum status permissions_replace(struct request *req, struct response *res)
{
    struct write_ctx c = {.req = req};
    enum status st = decode_permission(req, &c.in);

    if (st == ST_OK)
        st = db_transact(req->db, replace_tx, &c);
    return st != ST_OK ? st : respond_empty(res);
}

static enum status delete_tx(struct db *db, void *ctx)
{
    struct request *req = ctx;

    return domain_permission_revoke(db, req->system.id, request_param(req, "permission-id"));
}

enum status permissions_delete(struct request *req, struct response *res)
{
    enum status st = db_transact(req->db, delete_tx, req);

    return st != ST_OK ? st : respond_empty(res);
}
