/*
 * test_static_files.c — the dashboard's embedded files (src/http/static_files.c, web/):
 * "/" is web/index.html and /favicon.ico the icon, byte for byte; every answer carries a
 * strong ETag (one per encoding), Cache-Control: no-cache and the headers a browser is to
 * obey (Content-Security-Policy, nosniff, no-referrer); a matching If-None-Match is a 304
 * without a body; gzip travels when Accept-Encoding admits it (RFC 9110 §12.5.3, "*" and
 * q=0 included) and inflates to the plain bytes; HEAD answers the headers only; the file
 * name /index.html, unknown files and methods other than GET and HEAD are problems.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "harness.h"

/* ---- helpers ------------------------------------------------------------------------- */

/* method on path of emu with extra header lines (NULL-terminated; may be NULL). */
static long fetch_with(const char *method, const char *path, const char *const *headers,
                       struct http_response *r)
{
    char url[512];

    ck_assert_msg(emu_ok, "the emulator did not start");
    snprintf(url, sizeof(url), "%s%s", emu.url, path);
    return http_call(method, url, headers, NULL, r);
}

/* fetch_with at most one extra header line (NULL: none). */
static long fetch(const char *method, const char *path, const char *line, struct http_response *r)
{
    const char *headers[] = {line, NULL};

    return fetch_with(method, path, headers, r);
}

/* GET path (one extra header line, or NULL) that must answer 200. */
static void fetch_ok(const char *path, const char *line, struct http_response *r)
{
    ck_assert_msg(fetch("GET", path, line, r) == 200, "GET %s (%s): %ld %s", path, line ? line : "",
                  r->status, r->body);
}

/* The bytes of a source file (caller frees) and their count. */
static char *source_bytes(const char *relative, size_t *len)
{
    char path[1024];
    struct stat st;

    source_path(relative, path, sizeof(path));
    ck_assert_msg(stat(path, &st) == 0, "cannot stat %s", path);
    *len = (size_t)st.st_size;
    return read_source(relative);
}

/* Asserts r's body is exactly the source file relative. */
static void assert_body_is_file(const struct http_response *r, const char *relative)
{
    size_t len;
    char *want = source_bytes(relative, &len);

    ck_assert_msg(r->body_len == len && memcmp(r->body, want, len) == 0,
                  "%s: %zu bytes served, the file has %zu", relative, r->body_len, len);
    free(want);
}

/* The gunzipped form of r's body (caller frees), *len its size; fails unless it inflates
 * whole. */
static char *gunzip(const struct http_response *r, size_t *len)
{
    size_t cap = 1 << 20;
    char *out = malloc(cap);
    z_stream z = {0};
    int rc;

    ck_assert_ptr_nonnull(out);
    ck_assert_int_eq(inflateInit2(&z, 16 + MAX_WBITS), Z_OK);
    z.next_in = (Bytef *)r->body;
    z.avail_in = (uInt)r->body_len;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    rc = inflate(&z, Z_FINISH);
    *len = cap - z.avail_out;
    ck_assert_msg(rc == Z_STREAM_END && z.avail_in == 0, "not one whole gzip stream: %d", rc);
    inflateEnd(&z);
    return out;
}

/* The ETag of r, which must be a strong one: a quoted string without W/. */
static const char *strong_etag(const struct http_response *r)
{
    const char *tag = header(r, "ETag");

    ck_assert_msg(tag != NULL, "no ETag: %s", r->headers);
    ck_assert_msg(strlen(tag) > 2 && tag[0] == '"' && tag[strlen(tag) - 1] == '"',
                  "not a strong tag: %s", tag);
    return tag;
}

/* Asserts the headers every answer of a file carries, whatever its encoding. */
static void assert_file_headers(const struct http_response *r)
{
    strong_etag(r);
    ck_assert_pstr_eq(header(r, "Cache-Control"), "no-cache");
    ck_assert_pstr_eq(header(r, "X-Content-Type-Options"), "nosniff");
    ck_assert_pstr_eq(header(r, "Referrer-Policy"), "no-referrer");
    ck_assert_msg(header(r, "Content-Security-Policy") != NULL &&
                      strstr(header(r, "Content-Security-Policy"), "default-src 'self'") != NULL,
                  "CSP: %s", header(r, "Content-Security-Policy"));
}

/* ---- the page ------------------------------------------------------------------------ */

START_TEST(root_serves_index_html_with_its_headers)
{
    struct http_response r;

    fetch_ok("/", NULL, &r);
    assert_body_is_file(&r, "web/index.html");
    ck_assert_pstr_eq(header(&r, "Content-Type"), "text/html; charset=utf-8");
    assert_file_headers(&r);
    ck_assert_ptr_null(header(&r, "Content-Encoding"));
    ck_assert_pstr_eq(header(&r, "Vary"), "Accept-Encoding");
    ck_assert_msg(strstr(header(&r, "Content-Security-Policy"), "script-src 'self'") != NULL &&
                      strstr(header(&r, "Content-Security-Policy"), "frame-ancestors 'none'"),
                  "CSP: %s", header(&r, "Content-Security-Policy"));
    http_response_free(&r);
}
END_TEST

START_TEST(the_etag_is_stable_across_requests)
{
    struct http_response a, b;

    fetch_ok("/", NULL, &a);
    fetch_ok("/", NULL, &b);
    ck_assert_str_eq(strong_etag(&a), strong_etag(&b));
    http_response_free(&a);
    http_response_free(&b);
}
END_TEST

/* If-None-Match values: text around the page's tag (whole, cut short or left out), and
 * whether each matches it. */
enum tag_use { NO_TAG, WHOLE_TAG, CUT_TAG };

static const struct {
    const char *before;
    enum tag_use tag;
    long want;
} revalidations[] = {
    {"", WHOLE_TAG, 304},
    {"W/", WHOLE_TAG, 304}, /* If-None-Match compares weakly */
    {"\"elsewhere\", ", WHOLE_TAG, 304},
    {"*", NO_TAG, 304},
    {"\"elsewhere\"", NO_TAG, 200},
    {"", CUT_TAG, 200}, /* a prefix of the tag is not the tag */
};

START_TEST(if_none_match_revalidates)
{
    struct http_response first, r;
    char line[256];
    const char *tag;
    int len;

    fetch_ok("/", NULL, &first);
    tag = strong_etag(&first);
    len = (int)strlen(tag);
    if (revalidations[_i].tag == CUT_TAG)
        snprintf(line, sizeof(line), "If-None-Match: %.*s\"", len - 3, tag);
    else
        snprintf(line, sizeof(line), "If-None-Match: %s%s", revalidations[_i].before,
                 revalidations[_i].tag == WHOLE_TAG ? tag : "");
    fetch("GET", "/", line, &r);
    ck_assert_msg(r.status == revalidations[_i].want, "%s: %ld", line, r.status);
    if (r.status == 304) {
        ck_assert_uint_eq(r.body_len, 0);
        ck_assert_str_eq(strong_etag(&r), tag);
        assert_file_headers(&r);
    } else {
        assert_body_is_file(&r, "web/index.html");
    }
    http_response_free(&first);
    http_response_free(&r);
}
END_TEST

/* ---- gzip ------------------------------------------------------------------------------ */

START_TEST(gzip_inflates_to_the_plain_page_under_its_own_tag)
{
    struct http_response plain, packed;
    size_t len;
    char *inflated;

    fetch_ok("/", NULL, &plain);
    fetch_ok("/", "Accept-Encoding: gzip", &packed);
    ck_assert_pstr_eq(header(&packed, "Content-Encoding"), "gzip");
    ck_assert_pstr_eq(header(&packed, "Content-Type"), "text/html; charset=utf-8");
    ck_assert_pstr_eq(header(&packed, "Vary"), "Accept-Encoding");
    assert_file_headers(&packed);
    ck_assert_str_ne(strong_etag(&packed), strong_etag(&plain));
    ck_assert_uint_lt(packed.body_len, plain.body_len);
    inflated = gunzip(&packed, &len);
    ck_assert_msg(len == plain.body_len && memcmp(inflated, plain.body, len) == 0,
                  "inflated %zu bytes, the plain page has %zu", len, plain.body_len);
    free(inflated);
    http_response_free(&plain);
    http_response_free(&packed);
}
END_TEST

/* GET / with gzip accepted and If-None-Match: the tag of r; returns the status. */
static long revalidate_gzipped(const struct http_response *r, struct http_response *out)
{
    char line[256];
    const char *headers[] = {"Accept-Encoding: gzip", line, NULL};

    snprintf(line, sizeof(line), "If-None-Match: %s", strong_etag(r));
    return fetch_with("GET", "/", headers, out);
}

/* Each encoding's tag revalidates that encoding only: a cache holding the plain page may
 * not be told 304 for the gzipped one. */
START_TEST(a_tag_matches_its_own_encoding_only)
{
    struct http_response plain, packed, r;

    fetch_ok("/", NULL, &plain);
    fetch_ok("/", "Accept-Encoding: gzip", &packed);
    ck_assert_int_eq(revalidate_gzipped(&plain, &r), 200);
    ck_assert_pstr_eq(header(&r, "Content-Encoding"), "gzip");
    ck_assert_uint_eq(r.body_len, packed.body_len);
    http_response_free(&r);
    ck_assert_int_eq(revalidate_gzipped(&packed, &r), 304);
    ck_assert_uint_eq(r.body_len, 0);
    ck_assert_str_eq(strong_etag(&r), strong_etag(&packed));
    http_response_free(&r);
    http_response_free(&plain);
    http_response_free(&packed);
}
END_TEST

/* Accept-Encoding values and whether each asks for gzip. */
static const struct {
    const char *accept;
    int gzip;
} encodings[] = {
    {"gzip", 1},
    {"GZIP", 1},
    {"gzip, deflate, br, zstd", 1}, /* what browsers send */
    {"br;q=1.0, gzip;q=0.5", 1},
    {" gzip ; q=0.001", 1},
    {"*", 1},
    {"*;q=0, gzip", 1}, /* "*" is what the value does not name */
    {"gzip, *;q=0", 1},
    {"gzip;q=0", 0},
    {"gzip;q=0.000", 0},
    {"gzip;q=0, *", 0}, /* refused by name, not admitted by "*" */
    {"*;q=0", 0},
    {"identity", 0},
    {"deflate, br", 0},
    {"xgzip, gzipx", 0},
    {"", 0},
};

START_TEST(accept_encoding_decides_the_encoding)
{
    struct http_response r;
    char line[128];

    snprintf(line, sizeof(line), "Accept-Encoding: %s", encodings[_i].accept);
    fetch_ok("/", line, &r);
    if (encodings[_i].gzip) {
        ck_assert_msg(header(&r, "Content-Encoding") != NULL, "'%s': not gzipped",
                      encodings[_i].accept);
        ck_assert_str_eq(header(&r, "Content-Encoding"), "gzip");
    } else {
        ck_assert_msg(header(&r, "Content-Encoding") == NULL, "'%s': gzipped",
                      encodings[_i].accept);
        assert_body_is_file(&r, "web/index.html");
    }
    http_response_free(&r);
}
END_TEST

/* ---- HEAD, the icon, what is not there -------------------------------------------------- */

/* HEAD answers GET's headers (its Content-Length too) without a body. */
START_TEST(head_answers_the_headers_only)
{
    static const char *const same[] = {
        "Content-Type",  "Content-Length",          "ETag",
        "Cache-Control", "Content-Security-Policy", "Content-Encoding"};
    static const char *const encodings_sent[] = {NULL, "Accept-Encoding: gzip"};
    struct http_response get, head;

    for (size_t e = 0; e < N(encodings_sent); e++) {
        fetch_ok("/", encodings_sent[e], &get);
        ck_assert_int_eq(fetch("HEAD", "/", encodings_sent[e], &head), 200);
        ck_assert_uint_eq(head.body_len, 0);
        for (size_t i = 0; i < N(same); i++)
            ck_assert_pstr_eq(header(&head, same[i]), header(&get, same[i]));
        ck_assert_uint_eq(strtoul(header(&head, "Content-Length"), NULL, 10), get.body_len);
        http_response_free(&get);
        http_response_free(&head);
    }
}
END_TEST

START_TEST(favicon_is_served)
{
    struct http_response r, again;
    char line[256];

    fetch_ok("/favicon.ico", NULL, &r);
    ck_assert_pstr_eq(header(&r, "Content-Type"), "image/x-icon");
    ck_assert_uint_gt(r.body_len, 0);
    assert_body_is_file(&r, "web/favicon.ico");
    assert_file_headers(&r);
    snprintf(line, sizeof(line), "If-None-Match: %s", strong_etag(&r));
    ck_assert_int_eq(fetch("GET", "/favicon.ico", line, &again), 304);
    http_response_free(&again);
    fetch_ok("/", NULL, &again);
    ck_assert_str_ne(strong_etag(&again), strong_etag(&r));
    http_response_free(&again);
    http_response_free(&r);
}
END_TEST

static const char *const absent[] = {
    "/index.html", "/nope.js", "/favicon.ico/", "/web/index.html", "/index.html/", "//",
};

START_TEST(other_paths_are_not_found)
{
    struct http_response r;

    fetch("GET", absent[_i], NULL, &r);
    assert_problem(&r, 404, absent[_i]);
    ck_assert_ptr_null(header(&r, "ETag"));
    http_response_free(&r);
}
END_TEST

static const struct {
    const char *method, *path;
} refused[] = {
    {"POST", "/"},
    {"PUT", "/"},
    {"DELETE", "/"},
    {"PATCH", "/favicon.ico"},
    {"POST", "/favicon.ico"},
};

START_TEST(only_get_and_head_are_allowed)
{
    struct http_response r;

    fetch(refused[_i].method, refused[_i].path, NULL, &r);
    assert_problem(&r, 405, refused[_i].path);
    ck_assert_pstr_eq(header(&r, "Allow"), "GET, HEAD");
    http_response_free(&r);
}
END_TEST

static Suite *static_files_suite(void)
{
    Suite *s = suite_create("static_files");
    TCase *tc = tcase_create("dashboard files");

    tcase_add_checked_fixture(tc, emu_setup, emu_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, root_serves_index_html_with_its_headers);
    tcase_add_test(tc, the_etag_is_stable_across_requests);
    tcase_add_loop_test(tc, if_none_match_revalidates, 0, N(revalidations));
    tcase_add_test(tc, gzip_inflates_to_the_plain_page_under_its_own_tag);
    tcase_add_test(tc, a_tag_matches_its_own_encoding_only);
    tcase_add_loop_test(tc, accept_encoding_decides_the_encoding, 0, N(encodings));
    tcase_add_test(tc, head_answers_the_headers_only);
    tcase_add_test(tc, favicon_is_served);
    tcase_add_loop_test(tc, other_paths_are_not_found, 0, N(absent));
    tcase_add_loop_test(tc, only_get_and_head_are_allowed, 0, N(refused));
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(static_files_suite());
}
