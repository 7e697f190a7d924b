#include "admin/users.h"

#include "domain/users.h"
#include "http/paging.h"

static const char *const roles[] = {"USER", "ADMIN", NULL};

static json_object *render_user(const void *row)
{
    const struct user_row *u = row;
    json_object *o = json_object_new_object();

    if (o == NULL)
        return NULL;
    json_object_object_add(o, "id", json_object_new_string(u->id));
    json_object_object_add(o, "role", json_object_new_string(u->role));
    return o;
}

static enum status fetch_users(struct db *db, const void *system_id, const int64_t after[2],
                               void *rows, size_t cap, size_t *n)
{
    return store_user_list(db, system_id, after[0], rows, cap, n);
}

enum status users_list(struct request *req, struct response *res)
{
    struct page pg;
    enum status st = paging_begin(req, &pg, "user|%s", req->system.id);

    return st != ST_OK ? st
                       : paging_list(req, res, &pg, sizeof(struct user_row), fetch_users,
                                     req->system.id, render_user, paging_keys_seq);
}

struct create_ctx {
    struct request *req;
    const char *role;
    struct user_row user;
    char access_key[ACCESS_KEY_LEN];
};

static enum status create_tx(struct db *db, void *ctx)
{
    struct create_ctx *c = ctx;

    return domain_user_add(db, c->req->system.id, c->role, request_now(c->req), &c->user,
                           c->access_key);
}

enum status users_create(struct request *req, struct response *res)
{
    static const struct spec_field fields[] = {
        {"role", SPEC_ENUM, SPEC_REQUIRED, 0, 0, roles, offsetof(struct create_ctx, role)},
    };
    struct create_ctx c = {.req = req};
    json_object *body;
    enum status st = request_decode_body(req, fields, COUNT_OF(fields), &c, NULL);

    if (st == ST_OK)
        st = db_transact(req->db, create_tx, &c);
    if (st != ST_OK)
        return st;
    body = json_object_new_object();
    if (body == NULL)
        return ST_NOMEM;
    json_object_object_add(body, "id", json_object_new_string(c.user.id));
    json_object_object_add(body, "accessKey", json_object_new_string(c.access_key));
    json_object_object_add(body, "role", json_object_new_string(c.user.role));
    return respond_json(res, 201, body);
}

enum status users_get(struct request *req, struct response *res)
{
    struct user_row user;
    enum status st = store_user_get(req->db, req->system.id, request_param(req, "user-id"), &user);

    if (st != ST_OK)
        return st;
    return respond_json(res, 200, render_user(&user));
}

static enum status delete_tx(struct db *db, void *ctx)
{
    struct request *req = ctx;

    return domain_user_delete(db, req->system.id, request_param(req, "user-id"), request_now(req));
}

enum status users_delete(struct request *req, struct response *res)
{
    enum status st = db_transact(req->db, delete_tx, req);

    return st != ST_OK ? st : respond_empty(res);
}
