#include "admin/login.h"

#include <stdlib.h>
#include <string.h>

#include "http/token.h"
#include "lib/crypto.h"
#include "sim/clock.h"

struct credentials {
    const char *user_id;
    const char *access_key;
};

enum status login(struct request *req, struct response *res)
{
    static const struct spec_field fields[] = {
        {"userId", SPEC_UUID, SPEC_REQUIRED, 0, 0, NULL, offsetof(struct credentials, user_id)},
        {"accessKey", SPEC_STRING, SPEC_REQUIRED, 1, 256, NULL,
         offsetof(struct credentials, access_key)},
    };
    struct credentials in = {0};
    struct user_row user;
    char hash[SHA256_HEX_LEN];
    char *token = NULL;
    json_object *body;
    enum status st = request_decode_body(req, fields, COUNT_OF(fields), &in, NULL);

    if (st != ST_OK)
        return st;
    /* Unknown user and wrong key get the same answer: nothing to learn from a probe. */
    crypto_sha256_hex(in.access_key, strlen(in.access_key), hash);
    st = store_user_find(req->db, in.user_id, &user);
    if (st == ST_OK && !crypto_equal(hash, user.access_key_hash, SHA256_HEX_LEN))
        st = ST_NOT_FOUND;
    if (st == ST_OK)
        st = store_system_get(req->db, user.system_id, &req->system);
    if (st == ST_NOT_FOUND)
        return request_fail(req, ST_UNAUTHENTICATED, "invalid user id or access key");
    if (st == ST_OK)
        st = token_issue(req->db, &user, clock_system_now(&req->system), &token);
    if (st != ST_OK)
        return st;
    body = json_object_new_object();
    if (body != NULL)
        json_object_object_add(body, "token", json_object_new_string(token));
    free(token);
    return respond_json(res, 200, body);
}
