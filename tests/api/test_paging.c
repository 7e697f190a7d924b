/*
 * test_paging.c — limit and next-page-token on GET /locking-device and GET /user.
 *
 * Pages hold at most `limit` items (1..100, default 50) in creation order; nextPageToken is
 * omitted on the last page; a token is good only for the list (and filters) that issued it;
 * writes between page reads neither skip nor repeat the items that existed throughout.
 * Every test runs on both lists, each in a fresh system of 120 created items.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define CREATED 120
#define MAX_IDS 256
#define TOKEN_CAP 512

/* The two paged lists: where they live and how to add an item. */
struct kind {
    const char *path;
    const char *create_fmt; /* a JSON body; %d: the item's number */
    const char *other_path; /* a different list, for foreign tokens */
};

static const struct kind kinds[] = {
    {"/locking-device", "{\"name\":\"Device %d\"}", "/user"},
    {"/user", "{\"role\":\"USER\"}", "/locking-device"},
};
#define KINDS (sizeof(kinds) / sizeof(kinds[0]))

struct ids {
    char id[MAX_IDS][64];
    size_t n;
};

/* ---- helpers ------------------------------------------------------------------------ */

/* Performs an Administration API call as t and asserts its status; the caller frees r. */
static void call(const struct tenant *t, const char *method, const char *path, const char *body,
                 long want, struct http_response *r)
{
    long got = admin_call(&emu, t, method, path, body, r);

    ck_assert_msg(got == want, "%s %s %s: expected %ld, got %ld: %s", method, path,
                  body ? body : "", want, got, r->body);
}

static void ids_add(struct ids *ids, const char *id)
{
    ck_assert_int_lt(ids->n, MAX_IDS);
    snprintf(ids->id[ids->n++], 64, "%s", id);
}

static long ids_find(const struct ids *ids, const char *id)
{
    for (size_t i = 0; i < ids->n; i++)
        if (strcmp(ids->id[i], id) == 0)
            return (long)i;
    return -1;
}

/* Adds one item of kind k to t; appends its id to made. */
static void create_item(const struct tenant *t, const struct kind *k, int number, struct ids *made)
{
    struct http_response r;
    char body[128];

    snprintf(body, sizeof(body), k->create_fmt, number);
    call(t, "POST", k->path, body, 201, &r);
    ck_assert_ptr_nonnull(json_str(&r, "id"));
    ids_add(made, json_str(&r, "id"));
    http_response_free(&r);
}

/* A fresh system with CREATED items of kind k; want gets the list as it must read (the
 * system's admin first for /user). */
static void seed(struct tenant *t, const struct kind *k, struct ids *want)
{
    new_tenant(t);
    want->n = 0;
    if (strcmp(k->path, "/user") == 0)
        ids_add(want, t->admin_id);
    for (int i = 0; i < CREATED; i++)
        create_item(t, k, i, want);
}

static void delete_item(const struct tenant *t, const struct kind *k, const char *id)
{
    struct http_response r;
    char path[128];

    snprintf(path, sizeof(path), "%s/%s", k->path, id);
    call(t, "DELETE", path, NULL, 204, &r);
    http_response_free(&r);
}

/* path?query[&next-page-token=token] into out. query may be "", token NULL. */
static void page_url(char *out, size_t cap, const char *path, const char *query, const char *token)
{
    snprintf(out, cap, "%s%s%s%s%s", path, query[0] || token ? "?" : "", query,
             query[0] && token ? "&" : "", token ? "next-page-token=" : "");
    if (token != NULL)
        snprintf(out + strlen(out), cap - strlen(out), "%s", token);
}

/* Reads one page; appends its ids to got and copies nextPageToken into next ("" when
 * absent; next may be token's own buffer). Returns the page's item count. */
static size_t read_page(const struct tenant *t, const char *path, const char *query,
                        const char *token, struct ids *got, char next[TOKEN_CAP])
{
    struct http_response r;
    char url[1024];
    json_object *items;
    size_t n;

    page_url(url, sizeof(url), path, query, token);
    call(t, "GET", url, NULL, 200, &r);
    items = member(r.json, "items");
    ck_assert_msg(json_object_is_type(items, json_type_array), "%s: no items: %s", url, r.body);
    n = json_object_array_length(items);
    for (size_t i = 0; i < n; i++)
        ids_add(got, json_object_get_string(member(json_object_array_get_idx(items, i), "id")));
    ck_assert_msg(member(r.json, "nextPageToken") == NULL || json_str(&r, "nextPageToken"),
                  "%s: nextPageToken is not a string: %s", url, r.body);
    snprintf(next, TOKEN_CAP, "%s",
             json_str(&r, "nextPageToken") ? json_str(&r, "nextPageToken") : "");
    http_response_free(&r);
    return n;
}

/* Walks every page of path?query and asserts pages of `limit` items (the last one shorter
 * or full, and without a token) that together are exactly want, in order. */
static void assert_walk(const struct tenant *t, const char *path, const char *query, size_t limit,
                        const struct ids *want)
{
    struct ids got = {.n = 0};
    char token[TOKEN_CAP] = "";
    size_t pages = 0;

    do {
        size_t remaining = want->n - got.n;
        size_t size = read_page(t, path, query, pages > 0 ? token : NULL, &got, token);

        ck_assert_msg(size == (remaining < limit ? remaining : limit),
                      "%s?%s page %zu: %zu items, expected %zu", path, query, pages, size,
                      remaining < limit ? remaining : limit);
        ck_assert_msg((token[0] != '\0') == (remaining > limit),
                      "%s?%s page %zu: nextPageToken %s with %zu items left", path, query, pages,
                      token[0] ? "present" : "absent", remaining - size);
        pages++;
    } while (token[0] != '\0' && pages <= want->n);
    for (size_t i = 0; i < want->n; i++)
        ck_assert_msg(strcmp(got.id[i], want->id[i]) == 0, "%s item %zu is %s, expected %s", path,
                      i, got.id[i], want->id[i]);
}

/* The nextPageToken of the first page of path?query (asserted present). */
static void first_token(const struct tenant *t, const char *path, const char *query,
                        char token[TOKEN_CAP])
{
    struct ids scratch = {.n = 0};

    read_page(t, path, query, NULL, &scratch, token);
    ck_assert_msg(token[0] != '\0', "%s?%s: no nextPageToken", path, query);
}

/* GET url must be a 400 problem naming exactly the parameter name. */
static void expect_bad_param(const struct tenant *t, const char *url, const char *name)
{
    char ct[128], instance[1024];
    struct http_response r;
    json_object *list;

    call(t, "GET", url, NULL, 400, &r);
    ck_assert_msg(http_header(&r, "Content-Type", ct, sizeof(ct)) &&
                      strncmp(ct, "application/problem+json", 24) == 0,
                  "%s: not a problem: %s", url, r.body);
    ck_assert_str_eq(json_str(&r, "title"), "Bad Request");
    snprintf(instance, sizeof(instance), "/administration%.*s", (int)strcspn(url, "?"), url);
    ck_assert_str_eq(json_str(&r, "instance"), instance);
    list = member(r.json, "invalidParams");
    ck_assert_msg(json_object_is_type(list, json_type_array) && json_object_array_length(list) == 1,
                  "%s: expected one invalid parameter: %s", url, r.body);
    ck_assert_str_eq(json_object_get_string(member(json_object_array_get_idx(list, 0), "name")),
                     name);
    http_response_free(&r);
}

/* ---- tests (each on both lists: _i is the kind) -------------------------------------- */

START_TEST(pages_of_fifty_cover_everything_once_in_creation_order)
{
    struct ids want;
    struct tenant t;

    seed(&t, &kinds[_i], &want);
    assert_walk(&t, kinds[_i].path, "limit=50", 50, &want); /* 50, 50, 20 (21 with admin) */
}
END_TEST

START_TEST(limit_defaults_to_fifty)
{
    struct ids want;
    struct tenant t;

    seed(&t, &kinds[_i], &want);
    assert_walk(&t, kinds[_i].path, "", 50, &want);
}
END_TEST

START_TEST(other_limits_page_alike)
{
    static const size_t limits[] = {100, 1, 7, 40, 60, 99};
    struct ids want;
    struct tenant t;

    seed(&t, &kinds[_i], &want);
    for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
        char query[32];

        snprintf(query, sizeof(query), "limit=%zu", limits[i]);
        assert_walk(&t, kinds[_i].path, query, limits[i], &want);
    }
}
END_TEST

START_TEST(limit_out_of_range_is_refused)
{
    static const char *const limits[] = {"0", "101", "-1", "abc", "1.5", "50x", "4294967346", ""};
    struct tenant t;

    new_tenant(&t);
    for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
        char url[128];

        snprintf(url, sizeof(url), "%s?limit=%s", kinds[_i].path, limits[i]);
        expect_bad_param(&t, url, "limit");
    }
}
END_TEST

START_TEST(malformed_tokens_are_refused)
{
    struct tenant t;
    struct ids made = {.n = 0};
    char token[TOKEN_CAP], tampered[TOKEN_CAP], truncated[TOKEN_CAP], url[1024];
    const char *const tokens[] = {
        "garbage",
        "VHpVZEpDeVg1N2RYNFFoSWk4bkIycGVGWTZWRThqcQ%3D%3D", /* the reference's example */
        tampered,
        truncated,
    };

    new_tenant(&t);
    for (int i = 0; i < 3; i++)
        create_item(&t, &kinds[_i], i, &made);
    first_token(&t, kinds[_i].path, "limit=1", token);
    snprintf(tampered, sizeof(tampered), "%s", token);
    tampered[strlen(tampered) / 2] = tampered[strlen(tampered) / 2] == 'A' ? 'B' : 'A';
    snprintf(truncated, sizeof(truncated), "%.*s", (int)strlen(token) - 4, token);

    for (size_t i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++) {
        page_url(url, sizeof(url), kinds[_i].path, "limit=1", tokens[i]);
        expect_bad_param(&t, url, "next-page-token");
    }
    /* The untouched token still works. */
    ck_assert_int_eq(read_page(&t, kinds[_i].path, "limit=1", token, &made, url), 1);
}
END_TEST

START_TEST(tokens_of_another_list_are_refused)
{
    const struct kind *k = &kinds[_i];
    struct tenant t;
    struct ids made = {.n = 0};
    char token[TOKEN_CAP], url[1024];

    new_tenant(&t);
    for (int i = 0; i < 3; i++) {
        create_item(&t, &kinds[0], i, &made);
        create_item(&t, &kinds[1], i, &made);
    }
    first_token(&t, k->other_path, "limit=1", token);
    page_url(url, sizeof(url), k->path, "limit=1", token);
    expect_bad_param(&t, url, "next-page-token");
}
END_TEST

START_TEST(tokens_of_other_filters_are_refused)
{
    static const struct {
        const char *issued;
        const char *used;
    } cases[] = {
        {"limit=1", "limit=1&claiming-status=UNCLAIMED"},
        {"limit=1&claiming-status=UNCLAIMED", "limit=1"},
        {"limit=1&claiming-status=UNCLAIMED", "limit=1&claiming-status=CLAIMED"},
        {"limit=1&claiming-status=UNCLAIMED",
         "limit=1&claiming-status=UNCLAIMED&serial-number=BPLAD123456"},
    };
    struct tenant t;
    struct ids made = {.n = 0};
    char token[TOKEN_CAP], url[1024];

    new_tenant(&t);
    for (int i = 0; i < 3; i++)
        create_item(&t, &kinds[0], i, &made);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        first_token(&t, "/locking-device", cases[i].issued, token);
        page_url(url, sizeof(url), "/locking-device", cases[i].used, token);
        expect_bad_param(&t, url, "next-page-token");
    }
}
END_TEST

/* Deletes the items at the given list positions of want; marks them in deleted, and in
 * unseen too when got does not hold them yet. */
static void delete_at(const struct tenant *t, const struct kind *k, const struct ids *want,
                      const size_t *positions, size_t n, const struct ids *got, char *deleted,
                      char *unseen)
{
    for (size_t i = 0; i < n; i++) {
        const char *id = want->id[positions[i]];

        delete_item(t, k, id);
        deleted[positions[i]] = 1;
        unseen[positions[i]] = ids_find(got, id) < 0;
    }
}

/* Reads with limit=50 while items are created and deleted between the pages: every item
 * that existed throughout is read exactly once, nothing deleted before its page was read
 * shows up, and the order stays the creation order. */
START_TEST(writes_between_pages_neither_skip_nor_repeat)
{
    /* Positions in the list (0 is the admin for /user): the last item of page one (where
     * the next page starts from), the first of page two, and runs inside pages two and
     * three. */
    static const size_t after_page_1[] = {49, 50, 60, 61, 62, 63, 64};
    static const size_t after_page_2[] = {110, 111, 112, 113, 114};
    const struct kind *k = &kinds[_i];
    struct ids want, got = {.n = 0}, made_later = {.n = 0};
    char deleted[MAX_IDS] = {0}, unseen[MAX_IDS] = {0};
    struct tenant t;
    char token[TOKEN_CAP];
    long last = -1;

    seed(&t, k, &want);
    ck_assert_int_eq(read_page(&t, k->path, "limit=50", NULL, &got, token), 50);
    delete_at(&t, k, &want, after_page_1, sizeof(after_page_1) / sizeof(after_page_1[0]), &got,
              deleted, unseen);
    for (int i = 0; i < 3; i++)
        create_item(&t, k, 1000 + i, &made_later);

    ck_assert_int_eq(read_page(&t, k->path, "limit=50", token, &got, token), 50);
    delete_at(&t, k, &want, after_page_2, sizeof(after_page_2) / sizeof(after_page_2[0]), &got,
              deleted, unseen);
    for (int i = 3; i < 5; i++)
        create_item(&t, k, 1000 + i, &made_later);

    for (int guard = 0; token[0] != '\0' && guard < 10; guard++)
        read_page(&t, k->path, "limit=50", token, &got, token);
    ck_assert_msg(token[0] == '\0', "%s: the list never ended", k->path);

    /* Creation order, hence no repeats: original items by position, later ones after. */
    for (size_t i = 0; i < got.n; i++) {
        long pos = ids_find(&want, got.id[i]);

        if (pos >= 0) {
            ck_assert_msg(!unseen[pos], "%s: item %ld was read after its deletion", k->path, pos);
        } else {
            pos = ids_find(&made_later, got.id[i]);
            ck_assert_msg(pos >= 0, "%s: unknown item %s", k->path, got.id[i]);
            pos += MAX_IDS;
        }
        ck_assert_msg(pos > last, "%s: item %zu (%s) out of order or repeated", k->path, i,
                      got.id[i]);
        last = pos;
    }
    /* Nothing that existed throughout was skipped. */
    for (size_t i = 0; i < want.n; i++)
        ck_assert_msg(deleted[i] || ids_find(&got, want.id[i]) >= 0, "%s: item %zu was skipped",
                      k->path, i);
}
END_TEST

static Suite *paging_suite(void)
{
    Suite *s = suite_create("paging");
    TCase *tc = tcase_create("paging");

    tcase_add_unchecked_fixture(tc, emu_setup, emu_teardown);
    tcase_set_timeout(tc, 240);
    tcase_add_loop_test(tc, pages_of_fifty_cover_everything_once_in_creation_order, 0, KINDS);
    tcase_add_loop_test(tc, limit_defaults_to_fifty, 0, KINDS);
    tcase_add_loop_test(tc, other_limits_page_alike, 0, KINDS);
    tcase_add_loop_test(tc, limit_out_of_range_is_refused, 0, KINDS);
    tcase_add_loop_test(tc, malformed_tokens_are_refused, 0, KINDS);
    tcase_add_loop_test(tc, tokens_of_another_list_are_refused, 0, KINDS);
    tcase_add_test(tc, tokens_of_other_filters_are_refused);
    tcase_add_loop_test(tc, writes_between_pages_neither_skip_nor_repeat, 0, KINDS);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(paging_suite());
}
