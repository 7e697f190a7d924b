#include "admin/offline_keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/paging.h"
#include "lib/offline_key.h"
#include "lib/timefmt.h"
#include "store/locking_devices.h"
#include "store/messages.h"
#include "store/offline_keys.h"

#define HOUR 3600
#define DAY 86400
#define MAX_KEY_DURATION (24 * HOUR)
#define MAX_START_AHEAD (30 * DAY)
#define APP_LINK_MAX_CHARS 42
#define DEFAULT_APP_LINK "https://keyless.assaabloy.com"
#define BIT(i) (1u << (i))

static const char *const mechanisms[] = {"NONE", "SMS_WITHOUT_APP_LINK", "SMS_WITH_APP_LINK", NULL};

struct offline_in {
    const char *operating_device_id, *locking_device_id;
    int64_t start, end;
    const char *mechanism, *phone, *app_link;
};

/* The order matters: decode_offline_key() tests the presence bits by these indexes. */
enum { F_START = 2, F_END, F_MECHANISM, F_PHONE };
static const struct spec_field offline_fields[] = {
    {"operatingDeviceId", SPEC_UUID, SPEC_REQUIRED, 0, 0, NULL,
     offsetof(struct offline_in, operating_device_id)},
    {"lockingDeviceId", SPEC_UUID, SPEC_REQUIRED, 0, 0, NULL,
     offsetof(struct offline_in, locking_device_id)},
    {"startDatetime", SPEC_DATETIME, SPEC_REQUIRED, 0, 0, NULL, offsetof(struct offline_in, start)},
    {"endDatetime", SPEC_DATETIME, SPEC_REQUIRED, 0, 0, NULL, offsetof(struct offline_in, end)},
    {"deliveryMechanism", SPEC_ENUM, SPEC_REQUIRED, 0, 0, mechanisms,
     offsetof(struct offline_in, mechanism)},
    {"phoneNumber", SPEC_PHONE, 0, 0, 0, NULL, offsetof(struct offline_in, phone)},
    {"appLinkBaseUrl", SPEC_URL, 0, 0, APP_LINK_MAX_CHARS, NULL,
     offsetof(struct offline_in, app_link)},
};

/* True when the body has a non-null member name (valid or not). */
static int given(const struct request *req, const char *name)
{
    json_object *v = NULL;

    return json_object_object_get_ex(req->body, name, &v) && v != NULL;
}

/* The window rules, on the system's clock: start at most 30 days ahead, end after start and
 * at most 24 hours after it. */
static void check_window(struct request *req, const struct offline_in *in, uint32_t present)
{
    if ((present & BIT(F_START)) && in->start > request_now(req) + MAX_START_AHEAD)
        problem_invalid(&req->problem, "startDatetime", "must be at most 30 days in the future");
    if (!(present & BIT(F_START)) || !(present & BIT(F_END)))
        return;
    if (in->end <= in->start)
        problem_invalid(&req->problem, "endDatetime", "must be after startDatetime");
    else if (in->end - in->start > MAX_KEY_DURATION)
        problem_invalid(&req->problem, "endDatetime",
                        "must be at most 24 hours after startDatetime");
}

/* Decodes and validates the body of POST /offline-key, naming every bad field. */
static enum status decode_offline_key(struct request *req, struct offline_in *in)
{
    uint32_t present = 0;
    enum status st;

    in->app_link = DEFAULT_APP_LINK;
    st = request_decode_body(req, offline_fields, COUNT_OF(offline_fields), in, &present);
    if (req->body == NULL || st == ST_NOMEM)
        return st;
    check_window(req, in, present);
    if (present & BIT(F_MECHANISM)) {
        int sms = strcmp(in->mechanism, "NONE") != 0;
        /* An invalid phone number is already named; say nothing more about it. */
        if (sms && !given(req, "phoneNumber"))
            problem_invalid(&req->problem, "phoneNumber", "is required for %s delivery",
                            in->mechanism);
        else if (!sms && (present & BIT(F_PHONE)))
            problem_invalid(&req->problem, "phoneNumber", "is not allowed for NONE delivery");
    }
    return st == ST_OK && !problem_has_invalid(&req->problem) ? ST_OK : ST_INVALID;
}

/* ---- issuing ------------------------------------------------------------------------ */

struct issue_ctx {
    struct request *req;
    struct offline_in in;
    struct offline_key_row row;
    char primary[OFFLINE_KEY_VALUE_LEN], alternative[OFFLINE_KEY_VALUE_LEN];
};

/* 404 naming the operating device or locking device that is not in the system. */
static enum status check_devices(struct db *db, struct request *req, const struct offline_in *in,
                                 struct locking_device_row *device)
{
    enum status os =
        store_offline_key_operating_device_exists(db, req->system.id, in->operating_device_id);
    enum status ls = store_locking_device_get(db, req->system.id, in->locking_device_id, device);

    if (os != ST_OK && os != ST_NOT_FOUND)
        return os;
    if (ls != ST_OK && ls != ST_NOT_FOUND)
        return ls;
    if (os == ST_NOT_FOUND && ls == ST_NOT_FOUND)
        return request_fail(req, ST_NOT_FOUND,
                            "unknown operating device '%s' and locking device '%s'",
                            in->operating_device_id, in->locking_device_id);
    if (os == ST_NOT_FOUND)
        return request_fail(req, ST_NOT_FOUND, "unknown operating device '%s'",
                            in->operating_device_id);
    if (ls == ST_NOT_FOUND)
        return request_fail(req, ST_NOT_FOUND, "unknown locking device '%s'",
                            in->locking_device_id);
    return ST_OK;
}

/* The system's signing key (malloc'ed PEM in *pem), made and stored on first use within
 * the caller's transaction, so that concurrent first uses cannot store two. */
static enum status system_key(struct db *db, const char *system_id, char **pem)
{
    unsigned char seed[OFFLINE_KEY_SEED_LEN];
    enum status st = store_system_key_get(db, system_id, pem);

    if (st != ST_NOT_FOUND)
        return st;
    rng_bytes(seed, sizeof(seed));
    st = offline_key_generate_pem(seed, pem);
    explicit_bzero(seed, sizeof(seed));
    if (st == ST_OK)
        st = store_system_key_insert(db, system_id, *pem);
    if (st != ST_OK) {
        free(*pem);
        *pem = NULL;
    }
    return st;
}

static enum status sign_value(const char *pem, const struct issue_ctx *c, const char *key_id,
                              enum offline_key_slot slot, char out[OFFLINE_KEY_VALUE_LEN])
{
    struct offline_key_claims claims = {
        .start = c->row.start_at, .end = c->row.end_at, .slot = slot};

    snprintf(claims.key_id, sizeof(claims.key_id), "%s", key_id);
    snprintf(claims.system_id, sizeof(claims.system_id), "%s", c->row.system_id);
    snprintf(claims.operating_device_id, sizeof(claims.operating_device_id), "%s",
             c->row.operating_device_id);
    snprintf(claims.locking_device_id, sizeof(claims.locking_device_id), "%s",
             c->row.locking_device_id);
    return offline_key_sign(pem, &claims, out);
}

/* An alternative key is issued while the lock's operational certificate is eligible for
 * re-keying: until the lock reports back, the platform cannot know which certificate the
 * lock uses, so the phone gets a key for each. */
static void fill_row(struct issue_ctx *c, int rekeying)
{
    struct offline_key_row *r = &c->row;

    rng_uuid(r->id);
    if (rekeying)
        rng_uuid(r->alternative_key_id);
    snprintf(r->system_id, sizeof(r->system_id), "%s", c->req->system.id);
    snprintf(r->issuer_user_id, sizeof(r->issuer_user_id), "%s", c->req->caller.id);
    snprintf(r->operating_device_id, sizeof(r->operating_device_id), "%s",
             c->in.operating_device_id);
    snprintf(r->locking_device_id, sizeof(r->locking_device_id), "%s", c->in.locking_device_id);
    snprintf(r->delivery_mechanism, sizeof(r->delivery_mechanism), "%s", c->in.mechanism);
    r->start_at = c->in.start;
    r->end_at = c->in.end;
    r->issued_at = request_now(c->req);
}

/* Percent-encodes everything but RFC 3986's unreserved characters. */
static void url_encode(const char *in, char *out, size_t cap)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;

    for (; *in != '\0' && o + 4 <= cap; in++) {
        unsigned char ch = (unsigned char)*in;
        if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
            ch == '-' || ch == '.' || ch == '_' || ch == '~') {
            out[o++] = (char)ch;
        } else {
            out[o++] = '%';
            out[o++] = hex[ch >> 4];
            out[o++] = hex[ch & 15];
        }
    }
    out[o] = '\0';
}

/* Records the SMS that delivers one key: its raw value, or an app link carrying it. */
static enum status send_sms(struct db *db, const struct issue_ctx *c, const char *key_id,
                            const char *value)
{
    struct message_row m = {0};
    char encoded[3 * OFFLINE_KEY_VALUE_LEN];

    snprintf(m.system_id, sizeof(m.system_id), "%s", c->row.system_id);
    snprintf(m.channel, sizeof(m.channel), "SMS");
    snprintf(m.recipient, sizeof(m.recipient), "%s", c->in.phone);
    snprintf(m.subject, sizeof(m.subject), "%s", key_id);
    if (strcmp(c->in.mechanism, "SMS_WITH_APP_LINK") == 0) {
        url_encode(value, encoded, sizeof(encoded));
        snprintf(m.text, sizeof(m.text), "%s?eo=%s", c->in.app_link, encoded);
    } else {
        snprintf(m.text, sizeof(m.text), "%s", value);
    }
    m.created_at = c->row.issued_at;
    return store_message_insert(db, &m);
}

static enum status deliver(struct db *db, const struct issue_ctx *c)
{
    enum status st = ST_OK;

    if (strcmp(c->in.mechanism, "NONE") == 0)
        return ST_OK;
    st = send_sms(db, c, c->row.id, c->primary);
    if (st == ST_OK && c->row.alternative_key_id[0] != '\0')
        st = send_sms(db, c, c->row.alternative_key_id, c->alternative);
    return st;
}

static enum status issue_tx(struct db *db, void *ctx)
{
    struct issue_ctx *c = ctx;
    struct locking_device_row device;
    char *pem = NULL;
    enum status st = check_devices(db, c->req, &c->in, &device);

    if (st == ST_OK)
        st = system_key(db, c->req->system.id, &pem);
    if (st == ST_OK) {
        fill_row(c, device.operational.eligible);
        st = sign_value(pem, c, c->row.id, OFFLINE_KEY_SLOT_CURRENT, c->primary);
    }
    if (st == ST_OK && c->row.alternative_key_id[0] != '\0')
        st = sign_value(pem, c, c->row.alternative_key_id, OFFLINE_KEY_SLOT_NEXT, c->alternative);
    if (st == ST_OK)
        st = store_offline_key_insert(db, &c->row);
    if (st == ST_OK)
        st = deliver(db, c);
    free(pem);
    return st;
}

/* ---- rendering and handlers ---------------------------------------------------------- */

static void add_datetime(json_object *o, const char *key, int64_t t)
{
    char text[TIMEFMT_DATETIME_LEN];

    timefmt_format_datetime(t, text);
    json_object_object_add(o, key, json_object_new_string(text));
}

static json_object *render_key(const char *id, const char *value)
{
    json_object *o = json_object_new_object();

    if (o != NULL) {
        json_object_object_add(o, "id", json_object_new_string(id));
        json_object_object_add(o, "value", json_object_new_string(value));
    }
    return o;
}

static json_object *render_issued(const struct issue_ctx *c)
{
    json_object *o = json_object_new_object();

    if (o == NULL)
        return NULL;
    json_object_object_add(o, "primaryKey", render_key(c->row.id, c->primary));
    if (c->row.alternative_key_id[0] != '\0')
        json_object_object_add(o, "alternativeKey",
                               render_key(c->row.alternative_key_id, c->alternative));
    add_datetime(o, "startDatetime", c->row.start_at);
    add_datetime(o, "endDatetime", c->row.end_at);
    return o;
}

/* Metadata, never the value. The reference's metadata names the channel, not the link
 * choice: both SMS mechanisms show as "SMS". */
static json_object *render_metadata(const void *row)
{
    const struct offline_key_row *k = row;
    json_object *o = json_object_new_object();

    if (o == NULL)
        return NULL;
    json_object_object_add(o, "id", json_object_new_string(k->id));
    json_object_object_add(o, "issuerUserId", json_object_new_string(k->issuer_user_id));
    json_object_object_add(o, "operatingDeviceId", json_object_new_string(k->operating_device_id));
    json_object_object_add(o, "lockingDeviceId", json_object_new_string(k->locking_device_id));
    add_datetime(o, "startDatetime", k->start_at);
    add_datetime(o, "endDatetime", k->end_at);
    add_datetime(o, "issuanceDatetime", k->issued_at);
    json_object_object_add(
        o, "deliveryMechanism",
        json_object_new_string(strcmp(k->delivery_mechanism, "NONE") == 0 ? "NONE" : "SMS"));
    return o;
}

enum status offline_keys_create(struct request *req, struct response *res)
{
    struct issue_ctx c = {.req = req};
    enum status st = decode_offline_key(req, &c.in);

    if (st == ST_OK)
        st = db_transact(req->db, issue_tx, &c);
    return st != ST_OK ? st : respond_json(res, 201, render_issued(&c));
}

static enum status fetch_offline_keys(struct db *db, const void *system_id, const int64_t after[2],
                                      void *rows, size_t cap, size_t *n)
{
    return store_offline_key_list(db, system_id, after[0], rows, cap, n);
}

enum status offline_keys_list(struct request *req, struct response *res)
{
    struct page pg;
    enum status st = paging_begin(req, &pg, "offline-key|%s", req->system.id);

    return st != ST_OK
               ? st
               : paging_list(req, res, &pg, sizeof(struct offline_key_row), fetch_offline_keys,
                             req->system.id, render_metadata, paging_keys_seq);
}
