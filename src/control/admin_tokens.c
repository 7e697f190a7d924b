#include "control/admin_tokens.h"

#include <stdlib.h>

#include "http/token.h"
#include "lib/timefmt.h"
#include "sim/clock.h"
#include "store/api_keys.h"

enum status admin_token_create(struct request *req, struct response *res)
{
    struct api_key_row key;
    struct user_row admin;
    char expires[TIMEFMT_DATETIME_LEN];
    char *token = NULL;
    json_object *body;
    int64_t now;
    enum status st = store_system_get(req->db, request_param(req, "system-id"), &req->system);

    if (st != ST_OK)
        return st;
    st = store_user_first_admin(req->db, req->system.id, &admin);
    if (st == ST_NOT_FOUND)
        return request_fail(req, ST_CONFLICT, "system %s has no ADMIN user left", req->system.id);
    if (st == ST_OK &&
        (st = store_api_key_of_system(req->db, req->system.id, &key)) == ST_NOT_FOUND)
        return request_fail(req, ST_CONFLICT, "system %s has no API key left", req->system.id);
    now = clock_system_now(&req->system);
    if (st == ST_OK)
        st = token_issue(req->db, &admin, now, &token);
    if (st != ST_OK)
        return st;
    timefmt_format_datetime(now + TOKEN_LIFETIME, expires);
    body = json_object_new_object();
    if (body != NULL) {
        json_object_object_add(body, "token", json_object_new_string(token));
        json_object_object_add(body, "apiKey", json_object_new_string(key.key));
        json_object_object_add(body, "userId", json_object_new_string(admin.id));
        json_object_object_add(body, "expirationDatetime", json_object_new_string(expires));
    }
    free(token);
    return respond_json(res, 200, body);
}
