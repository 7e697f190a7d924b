/*
 * test_json_spec.c — declarative validation of bodies and query strings (src/lib/json_spec.c).
 */
#include <check.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/json_spec.h"
#include "unit_main.h"

/* ---- a body with one field of each type ---- */

struct body {
    const char *name;
    const char *id;
    const char *role;
    int64_t starts_at;
    struct spec_duration ttl;
    int64_t count;
    int active;
    const char *webhook;
    const char *phone;
    const char *email;
    json_object *meta;
    json_object *tags;
};

static const char *const roles[] = {"ADMIN", "USER", NULL};

#define AT(member) offsetof(struct body, member)
static const struct spec_field body_fields[] = {
    {"name", SPEC_STRING, SPEC_REQUIRED, 1, 255, NULL, AT(name)},
    {"id", SPEC_UUID, 0, 0, 0, NULL, AT(id)},
    {"role", SPEC_ENUM, 0, 0, 0, roles, AT(role)},
    {"startsAt", SPEC_DATETIME, 0, 0, 0, NULL, AT(starts_at)},
    {"ttl", SPEC_DURATION, 0, 60, 30 * 86400, NULL, AT(ttl)},
    {"count", SPEC_INT, 0, 0, 100, NULL, AT(count)},
    {"active", SPEC_BOOL, 0, 0, 0, NULL, AT(active)},
    {"webhook", SPEC_URL, 0, 0, 64, NULL, AT(webhook)},
    {"phone", SPEC_PHONE, 0, 0, 0, NULL, AT(phone)},
    {"email", SPEC_EMAIL, 0, 0, 0, NULL, AT(email)},
    {"meta", SPEC_OBJECT, 0, 0, 0, NULL, AT(meta)},
    {"tags", SPEC_ARRAY, 0, 0, 0, NULL, AT(tags)},
};
#undef AT

#define ALL_FIELDS ((1u << N(body_fields)) - 1)
#define BIT(i) (1u << (i))
enum {
    I_NAME,
    I_ID,
    I_ROLE,
    I_STARTS,
    I_TTL,
    I_COUNT,
    I_ACTIVE,
    I_WEBHOOK,
    I_PHONE,
    I_EMAIL,
    I_META,
    I_TAGS
};

static const struct body defaults = {
    .name = "default", .count = -7, .active = 42, .starts_at = -9, .ttl = {"unset", -1}};

/* Each test decodes into these; the fixture releases them. */
static json_object *doc;
static struct problem prob;
static struct body out;
static uint32_t present;

static void setup(void)
{
    doc = NULL;
    memset(&prob, 0, sizeof(prob));
    out = defaults;
    present = 0xdeadbeef;
}

static void teardown(void)
{
    problem_clear(&prob);
    json_object_put(doc);
    doc = NULL;
}

/* Parses text (which must be valid JSON) and decodes it with body_fields. */
static enum status decode(const char *text)
{
    json_object_put(doc);
    problem_clear(&prob);
    out = defaults;
    doc = json_tokener_parse(text);
    ck_assert_msg(doc != NULL, "test JSON does not parse: %s", text);
    return spec_decode_json(body_fields, N(body_fields), doc, &out, &present, &prob);
}

static size_t invalid_count(void)
{
    return prob.invalid_params == NULL ? 0 : json_object_array_length(prob.invalid_params);
}

/* The reason given for name, or NULL when name was not reported. */
static const char *reason_for(const char *name)
{
    for (size_t i = 0; i < invalid_count(); i++) {
        json_object *item = json_object_array_get_idx(prob.invalid_params, i), *n, *r;
        if (json_object_object_get_ex(item, "name", &n) &&
            strcmp(json_object_get_string(n), name) == 0 &&
            json_object_object_get_ex(item, "reason", &r))
            return json_object_get_string(r);
    }
    return NULL;
}

/* Asserts that exactly one problem was reported, for name, with the given reason
 * (reason NULL: any). */
static void assert_only_invalid(const char *name, const char *reason)
{
    ck_assert_msg(invalid_count() == 1, "expected only '%s' reported, got %zu problems", name,
                  invalid_count());
    ck_assert_msg(reason_for(name) != NULL, "'%s' not reported", name);
    if (reason != NULL)
        ck_assert_str_eq(reason_for(name), reason);
}

/* Decodes {"name":"n", <field>: <json_value>} (just {"name": <json_value>} when field is
 * "name") and asserts that the value is accepted, or refused as the only problem. */
static void assert_field(const char *field, const char *json_value, int accepted)
{
    char text[2048];

    if (strcmp(field, "name") == 0)
        snprintf(text, sizeof(text), "{\"name\":%s}", json_value);
    else
        snprintf(text, sizeof(text), "{\"name\":\"n\",\"%s\":%s}", field, json_value);
    if (accepted) {
        ck_assert_msg(decode(text) == ST_OK, "%s refused: %s", text, prob.detail);
        ck_assert_int_eq(invalid_count(), 0);
    } else {
        ck_assert_msg(decode(text) == ST_INVALID, "%s accepted", text);
        assert_only_invalid(field, NULL);
    }
}

START_TEST(decodes_every_type)
{
    ck_assert_int_eq(
        decode("{\"name\":\"Alice\",\"id\":\"3fa85f64-5717-4562-b3fc-2c963f66afa6\","
               "\"role\":\"ADMIN\",\"startsAt\":\"2019-08-24T14:15:22Z\",\"ttl\":\"PT24H\","
               "\"count\":100,\"active\":false,\"webhook\":\"https://example.com/hook\","
               "\"phone\":\"+358401234567\",\"email\":\"alice@example.com\","
               "\"meta\":{\"k\":1},\"tags\":[\"a\",\"b\"]}"),
        ST_OK);
    ck_assert_int_eq(invalid_count(), 0);
    ck_assert_uint_eq(present, ALL_FIELDS);
    ck_assert_str_eq(out.name, "Alice");
    ck_assert_str_eq(out.id, "3fa85f64-5717-4562-b3fc-2c963f66afa6");
    ck_assert_str_eq(out.role, "ADMIN");
    ck_assert_int_eq(out.starts_at, 1566656122);
    ck_assert_str_eq(out.ttl.text, "PT24H");
    ck_assert_int_eq(out.ttl.seconds, 86400);
    ck_assert_int_eq(out.count, 100);
    ck_assert_int_eq(out.active, 0);
    ck_assert_str_eq(out.webhook, "https://example.com/hook");
    ck_assert_str_eq(out.phone, "+358401234567");
    ck_assert_str_eq(out.email, "alice@example.com");
    /* Strings and containers are borrowed from the document. */
    json_object *meta;
    ck_assert(json_object_object_get_ex(doc, "meta", &meta));
    ck_assert_ptr_eq(out.meta, meta);
    ck_assert_int_eq(json_object_array_length(out.tags), 2);
}
END_TEST

START_TEST(reports_every_bad_field)
{
    static const char *const names[] = {"name",   "id",      "role",  "startsAt", "ttl",  "count",
                                        "active", "webhook", "phone", "email",    "meta", "tags"};

    ck_assert_int_eq(decode("{\"name\":123,\"id\":\"not-a-uuid\",\"role\":\"GOD\","
                            "\"startsAt\":\"yesterday\",\"ttl\":\"PT1S\",\"count\":101,"
                            "\"active\":\"yes\",\"webhook\":\"ftp://example.com\","
                            "\"phone\":\"0401234567\",\"email\":\"nobody\",\"meta\":[],"
                            "\"tags\":{}}"),
                     ST_INVALID);
    ck_assert_int_eq(invalid_count(), N(names));
    for (size_t i = 0; i < N(names); i++)
        ck_assert_msg(reason_for(names[i]) != NULL, "'%s' not reported", names[i]);
    ck_assert_uint_eq(present, 0);
    ck_assert_str_ne(prob.detail, "");
    /* Nothing was written over the defaults. */
    ck_assert_str_eq(out.name, "default");
    ck_assert_int_eq(out.count, -7);
    ck_assert_int_eq(out.active, 42);
    ck_assert_int_eq(out.starts_at, -9);
    ck_assert_int_eq(out.ttl.seconds, -1);
    ck_assert_ptr_null(out.meta);
}
END_TEST

START_TEST(reasons_name_the_rule)
{
    ck_assert_int_eq(decode("{\"name\":\"\",\"count\":-1,\"role\":\"admin\",\"ttl\":\"P31D\","
                            "\"active\":1}"),
                     ST_INVALID);
    ck_assert_int_eq(invalid_count(), 5);
    ck_assert_str_eq(reason_for("name"), "must be 1 to 255 characters");
    ck_assert_str_eq(reason_for("count"), "must be between 0 and 100");
    ck_assert_str_eq(reason_for("role"), "must be one of ADMIN, USER");
    ck_assert_str_eq(reason_for("ttl"), "must be between 60 and 2592000 seconds");
    ck_assert_str_eq(reason_for("active"), "must be a boolean");
}
END_TEST

START_TEST(unknown_fields_are_refused)
{
    ck_assert_int_eq(decode("{\"name\":\"a\",\"x\":1}"), ST_INVALID);
    assert_only_invalid("x", "unknown field 'x'");
    ck_assert_uint_eq(present, BIT(I_NAME));

    ck_assert_int_eq(decode("{\"Name\":\"a\",\"x\":null,\"y\":{}}"), ST_INVALID);
    ck_assert_int_eq(invalid_count(), 4); /* Name, x, y unknown (case matters); name missing */
    ck_assert_str_eq(reason_for("Name"), "unknown field 'Name'");
    ck_assert_str_eq(reason_for("x"), "unknown field 'x'");
    ck_assert_str_eq(reason_for("y"), "unknown field 'y'");
    ck_assert_str_eq(reason_for("name"), "is required");
}
END_TEST

START_TEST(required_fields)
{
    ck_assert_int_eq(decode("{}"), ST_INVALID);
    assert_only_invalid("name", "is required");
    ck_assert_uint_eq(present, 0);

    /* null is the same as absent, so a required field given as null is missing. */
    ck_assert_int_eq(decode("{\"name\":null}"), ST_INVALID);
    assert_only_invalid("name", "is required");
}
END_TEST

START_TEST(null_counts_as_absent)
{
    ck_assert_int_eq(decode("{\"name\":\"a\",\"email\":null,\"count\":null,\"meta\":null}"), ST_OK);
    ck_assert_int_eq(invalid_count(), 0);
    ck_assert_uint_eq(present, BIT(I_NAME));
    ck_assert_ptr_null(out.email);
    ck_assert_int_eq(out.count, -7);
    ck_assert_ptr_null(out.meta);
}
END_TEST

START_TEST(body_must_be_an_object)
{
    static const char *const not_objects[] = {"[]", "[{\"name\":\"a\"}]", "\"name\"", "1", "true"};

    for (size_t i = 0; i < N(not_objects); i++) {
        ck_assert_int_eq(decode(not_objects[i]), ST_INVALID);
        ck_assert_str_eq(prob.detail, "request body must be a JSON object");
    }
    problem_clear(&prob);
    ck_assert_int_eq(spec_decode_json(body_fields, N(body_fields), NULL, &out, NULL, &prob),
                     ST_INVALID);
}
END_TEST

START_TEST(enum_values)
{
    assert_field("role", "\"ADMIN\"", 1);
    ck_assert_str_eq(out.role, "ADMIN");
    assert_field("role", "\"USER\"", 1);
    ck_assert_str_eq(out.role, "USER");
    assert_field("role", "\"admin\"", 0);
    assert_field("role", "\"ADMINS\"", 0);
    assert_field("role", "\"\"", 0);
    assert_field("role", "1", 0);
    ck_assert_str_eq(reason_for("role"), "must be a string");
}
END_TEST

/* A JSON string of count copies of the UTF-8 character ch. */
static void repeat(char *buf, size_t cap, const char *ch, size_t count)
{
    size_t len = strlen(ch), at = 0;

    buf[at++] = '"';
    for (size_t i = 0; i < count; i++, at += len) {
        ck_assert(at + len + 2 < cap);
        memcpy(buf + at, ch, len);
    }
    buf[at++] = '"';
    buf[at] = '\0';
}

START_TEST(string_length_counts_characters)
{
    static const char *const chars[] = {"a", "\xc3\xa9" /* é */, "\xe2\x82\xac" /* € */,
                                        "\xf0\x9f\x98\x80" /* 😀 */};
    char value[1200];

    for (size_t i = 0; i < N(chars); i++) {
        repeat(value, sizeof(value), chars[i], 255);
        assert_field("name", value, 1);
        ck_assert_int_eq(spec_utf8_length(out.name), 255);
        repeat(value, sizeof(value), chars[i], 256);
        assert_field("name", value, 0);
        ck_assert_str_eq(reason_for("name"), "must be 1 to 255 characters");
        ck_assert_str_eq(out.name, "default");
    }
    assert_field("name", "\"\"", 0);
    ck_assert_str_eq(reason_for("name"), "must be 1 to 255 characters");
}
END_TEST

START_TEST(utf8_length)
{
    ck_assert_uint_eq(spec_utf8_length(""), 0);
    ck_assert_uint_eq(spec_utf8_length("abc"), 3);
    ck_assert_uint_eq(spec_utf8_length("\xc3\xa9"), 1);
    ck_assert_uint_eq(spec_utf8_length("a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z"), 5);
}
END_TEST

START_TEST(duration_bounds)
{
    assert_field("ttl", "\"PT1M\"", 1); /* the minimum, 60 s */
    ck_assert_int_eq(out.ttl.seconds, 60);
    ck_assert_str_eq(out.ttl.text, "PT1M");
    assert_field("ttl", "\"PT60S\"", 1);
    ck_assert_str_eq(out.ttl.text, "PT60S"); /* kept as written */
    assert_field("ttl", "\"P30D\"", 1);      /* the maximum */
    ck_assert_int_eq(out.ttl.seconds, 30 * 86400);
    assert_field("ttl", "\"P4W2D\"", 1);
    ck_assert_int_eq(out.ttl.seconds, 30 * 86400);
    assert_field("ttl", "\"PT59S\"", 0);
    assert_field("ttl", "\"P30DT1S\"", 0);
    assert_field("ttl", "\"PT0S\"", 0);
    assert_field("ttl", "\"P1Y\"", 0);
    ck_assert_str_eq(reason_for("ttl"), "must be an ISO 8601 duration such as PT24H");
    assert_field("ttl", "86400", 0);
    ck_assert_int_eq(out.ttl.seconds, -1);
}
END_TEST

START_TEST(datetime_values)
{
    assert_field("startsAt", "\"2019-08-24T16:15:22+02:00\"", 1);
    ck_assert_int_eq(out.starts_at, 1566656122);
    assert_field("startsAt", "\"2019-08-24\"", 0);
    ck_assert_str_eq(reason_for("startsAt"), "must be an RFC 3339 date-time");
    assert_field("startsAt", "1566656122", 0);
}
END_TEST

struct int_case {
    const char *json;
    int accepted;
    int64_t value;
};

START_TEST(int_bounds_and_types)
{
    static const struct int_case cases[] = {
        {"0", 1, 0},
        {"100", 1, 100},
        {"42", 1, 42},
        {"-0", 1, 0},
        {"-1", 0, 0},
        {"101", 0, 0},
        {"1.5", 0, 0},
        {"1.0", 0, 0},
        {"1e3", 0, 0},
        {"\"5\"", 0, 0},
        {"true", 0, 0},
        {"[1]", 0, 0},
        {"99999999999999999999", 0, 0},
        {"-99999999999999999999", 0, 0},
        {"9223372036854775807", 0, 0},
        {"18446744073709551615", 0, 0},
    };

    for (size_t i = 0; i < N(cases); i++) {
        assert_field("count", cases[i].json, cases[i].accepted);
        ck_assert_msg(out.count == (cases[i].accepted ? cases[i].value : -7), "count %s -> %lld",
                      cases[i].json, (long long)out.count);
    }
}
END_TEST

START_TEST(bool_and_containers)
{
    assert_field("active", "true", 1);
    ck_assert_int_eq(out.active, 1);
    assert_field("active", "false", 1);
    ck_assert_int_eq(out.active, 0);
    assert_field("active", "\"true\"", 0);
    assert_field("active", "1", 0);
    assert_field("meta", "{}", 1);
    assert_field("meta", "[]", 0);
    ck_assert_str_eq(reason_for("meta"), "must be an object");
    assert_field("meta", "\"{}\"", 0);
    assert_field("tags", "[]", 1);
    assert_field("tags", "{}", 0);
    ck_assert_str_eq(reason_for("tags"), "must be an array");
}
END_TEST

START_TEST(url_length_bound)
{
    char value[128];

    /* "https://" + host padding to exactly 64 characters, then 65. */
    snprintf(value, sizeof(value), "\"https://%056d\"", 0);
    assert_field("webhook", value, 1);
    ck_assert_int_eq(strlen(out.webhook), 64);
    snprintf(value, sizeof(value), "\"https://%057d\"", 0);
    assert_field("webhook", value, 0);
    ck_assert_str_eq(reason_for("webhook"), "must be at most 64 characters");
}
END_TEST

START_TEST(present_bits_follow_table_order)
{
    ck_assert_int_eq(decode("{\"tags\":[],\"name\":\"a\",\"count\":3,\"phone\":\"+12025550123\"}"),
                     ST_OK);
    ck_assert_uint_eq(present, BIT(I_NAME) | BIT(I_COUNT) | BIT(I_PHONE) | BIT(I_TAGS));
    /* A field that fails does not count as present; present may also be NULL. */
    ck_assert_int_eq(decode("{\"name\":\"a\",\"count\":300}"), ST_INVALID);
    ck_assert_uint_eq(present, BIT(I_NAME));
    problem_clear(&prob);
    ck_assert_int_eq(spec_decode_json(body_fields, N(body_fields), doc, &out, NULL, &prob),
                     ST_INVALID);
}
END_TEST

/* ---- shape helpers ---- */

struct shape_case {
    int (*check)(const char *);
    const char *text;
    int expected;
};

static const struct shape_case shapes[] = {
    {spec_is_uuid, "3fa85f64-5717-4562-b3fc-2c963f66afa6", 1},
    {spec_is_uuid, "3FA85F64-5717-4562-B3FC-2C963F66AFA6", 1},
    {spec_is_uuid, "00000000-0000-0000-0000-000000000000", 1},
    {spec_is_uuid, "3fa85f64571745629b3fc2c963f66afa6", 0},
    {spec_is_uuid, "3fa85f64-5717-4562-b3fc-2c963f66afa", 0},
    {spec_is_uuid, "3fa85f64-5717-4562-b3fc-2c963f66afa67", 0},
    {spec_is_uuid, "3fa85f6-45717-4562-b3fc-2c963f66afa6", 0},
    {spec_is_uuid, "3fa85f64-5717-4562-b3fc-2c963f66afag", 0},
    {spec_is_uuid, "{fa85f64-5717-4562-b3fc-2c963f66afa}", 0},
    {spec_is_uuid, "", 0},
    {spec_is_uuid, NULL, 0},
    {spec_is_e164, "+358401234567", 1},
    {spec_is_e164, "+12025550123", 1},
    {spec_is_e164, "+123", 1},
    {spec_is_e164, "+123456789012345", 1}, /* 15 digits, the maximum */
    {spec_is_e164, "+1234567890123456", 0},
    {spec_is_e164, "+1", 0},
    {spec_is_e164, "+0401234567", 0},
    {spec_is_e164, "358401234567", 0},
    {spec_is_e164, "+358 40 1234567", 0},
    {spec_is_e164, "+358-401234567", 0},
    {spec_is_e164, "+", 0},
    {spec_is_e164, "", 0},
    {spec_is_e164, NULL, 0},
    {spec_is_email, "alice@example.com", 1},
    {spec_is_email, "a.b+tag@sub.example.fi", 1},
    {spec_is_email, "a@b.c", 1},
    {spec_is_email, "alice", 0},
    {spec_is_email, "alice@example", 0},
    {spec_is_email, "@example.com", 0},
    {spec_is_email, "alice@", 0},
    {spec_is_email, "alice@.com", 0},
    {spec_is_email, "alice@example.", 0},
    {spec_is_email, "a@b@example.com", 0},
    {spec_is_email, "alice smith@example.com", 0},
    {spec_is_email, "", 0},
    {spec_is_email, NULL, 0},
    {spec_is_http_url, "https://example.com", 1},
    {spec_is_http_url, "http://example.com/hook?x=1#f", 1},
    {spec_is_http_url, "https://127.0.0.1:8443/", 1},
    {spec_is_http_url, "ftp://example.com", 0},
    {spec_is_http_url, "https://", 0},
    {spec_is_http_url, "https:///path", 0},
    {spec_is_http_url, "https://?q", 0},
    {spec_is_http_url, "https://exa mple.com", 0},
    {spec_is_http_url, "https://example.com/\x7f", 0},
    {spec_is_http_url, "https://example.com/\xc3\xa9", 0},
    {spec_is_http_url, "HTTPS://example.com", 0},
    {spec_is_http_url, "example.com", 0},
    {spec_is_http_url, "", 0},
    {spec_is_http_url, NULL, 0},
};

START_TEST(shape_helpers)
{
    const struct shape_case *c = &shapes[_i];

    ck_assert_msg(c->check(c->text) == c->expected, "case %d: '%s' should be %s", _i,
                  c->text ? c->text : "(null)", c->expected ? "accepted" : "refused");
}
END_TEST

START_TEST(shape_fields_use_helpers)
{
    assert_field("id", "\"3fa85f64-5717-4562-b3fc-2c963f66afa6\"", 1);
    assert_field("id", "\"3fa85f64\"", 0);
    ck_assert_str_eq(reason_for("id"), "must be a UUID");
    assert_field("phone", "\"+358401234567\"", 1);
    assert_field("phone", "\"+0401234567\"", 0);
    ck_assert_str_eq(reason_for("phone"), "must be a phone number in E.164 format");
    assert_field("email", "\"a@b.c\"", 1);
    assert_field("email", "\"a@b\"", 0);
    ck_assert_str_eq(reason_for("email"), "must be an e-mail address");
    assert_field("webhook", "\"http://x.io\"", 1);
    assert_field("webhook", "\"javascript:alert(1)\"", 0);
    ck_assert_str_eq(reason_for("webhook"), "must be an http or https URL");
}
END_TEST

/* ---- query-style sources ---- */

struct query {
    int64_t limit;
    int64_t big;
    const char *sort;
    int active;
    struct spec_duration window;
};

static const char *const sorts[] = {"name", "-name", NULL};

#define AT(member) offsetof(struct query, member)
static const struct spec_field query_fields[] = {
    {"limit", SPEC_INT, 0, 0, 1000, NULL, AT(limit)},
    {"big", SPEC_INT, 0, 0, 0, NULL, AT(big)}, /* unbounded */
    {"sort", SPEC_ENUM, SPEC_REQUIRED, 0, 0, sorts, AT(sort)},
    {"active", SPEC_BOOL, 0, 0, 0, NULL, AT(active)},
    {"window", SPEC_DURATION, 0, 0, 0, NULL, AT(window)},
};
#undef AT

/* ctx is a NULL-terminated array of name, value pairs. */
static const char *pairs_get(void *ctx, const char *name)
{
    for (const char *const *kv = ctx; kv[0] != NULL; kv += 2)
        if (strcmp(kv[0], name) == 0)
            return kv[1];
    return NULL;
}

static const struct query query_defaults = {.limit = 50, .big = -3, .sort = "none", .active = 7};

static enum status decode_query(const char *const *pairs, struct query *q)
{
    problem_clear(&prob);
    *q = query_defaults;
    return spec_decode_strings(query_fields, N(query_fields), pairs_get, (void *)pairs, q, &present,
                               &prob);
}

struct query_int_case {
    const char *field;
    const char *text;
    int accepted;
    int64_t value;
};

static const struct query_int_case query_ints[] = {
    {"limit", "10", 1, 10},
    {"limit", "0", 1, 0},
    {"limit", "1000", 1, 1000},
    {"limit", "007", 1, 7},
    {"limit", "1001", 0, 0},
    {"limit", "-1", 0, 0}, /* below min 0 */
    {"limit", "1e3", 0, 0},
    {"limit", "1.0", 0, 0},
    {"limit", " 5", 0, 0},
    {"limit", "5 ", 0, 0},
    {"limit", "\t5", 0, 0},
    {"limit", "", 0, 0},
    {"limit", "-", 0, 0},
    {"limit", "0x10", 0, 0},
    {"limit", "ten", 0, 0},
    {"limit", "99999999999999999999", 0, 0},
    {"big", "99999999999999999999", 0, 0}, /* overflow is refused even without bounds */
    {"big", "-99999999999999999999", 0, 0},
    {"big", "9223372036854775808", 0, 0},
    {"big", "9223372036854775807", 1, INT64_MAX},
    {"big", "-9223372036854775808", 1, INT64_MIN},
    {"big", "-1", 1, -1},
};

START_TEST(query_integers)
{
    const struct query_int_case *c = &query_ints[_i];
    const char *pairs[] = {"sort", "name", c->field, c->text, NULL};
    struct query q;
    int64_t got;

    if (c->accepted) {
        ck_assert_msg(decode_query(pairs, &q) == ST_OK, "%s='%s' refused", c->field, c->text);
        ck_assert_int_eq(invalid_count(), 0);
        got = strcmp(c->field, "limit") == 0 ? q.limit : q.big;
        ck_assert_msg(got == c->value, "%s='%s' -> %lld", c->field, c->text, (long long)got);
    } else {
        ck_assert_msg(decode_query(pairs, &q) == ST_INVALID, "%s='%s' accepted", c->field, c->text);
        assert_only_invalid(c->field, NULL);
        ck_assert_int_eq(q.limit, 50);
        ck_assert_int_eq(q.big, -3);
    }
}
END_TEST

START_TEST(query_other_types)
{
    const char *good[] = {"sort", "-name", "active", "true", "window", "PT1H", NULL};
    const char *bad[] = {"sort", "age", "active", "1", "window", "1h", "limit", "x", NULL};
    struct query q;

    ck_assert_int_eq(decode_query(good, &q), ST_OK);
    ck_assert_str_eq(q.sort, "-name");
    ck_assert_int_eq(q.active, 1);
    ck_assert_int_eq(q.window.seconds, 3600);
    ck_assert_str_eq(q.window.text, "PT1H");
    ck_assert_uint_eq(present, BIT(2) | BIT(3) | BIT(4));

    good[3] = "false";
    ck_assert_int_eq(decode_query(good, &q), ST_OK);
    ck_assert_int_eq(q.active, 0);

    ck_assert_int_eq(decode_query(bad, &q), ST_INVALID);
    ck_assert_int_eq(invalid_count(), 4);
    ck_assert_str_eq(reason_for("sort"), "must be one of name, -name");
    ck_assert_str_eq(reason_for("active"), "must be true or false");
    ck_assert_ptr_nonnull(reason_for("window"));
    ck_assert_str_eq(reason_for("limit"), "must be an integer");
    ck_assert_uint_eq(present, 0);
}
END_TEST

START_TEST(query_required_and_unknown)
{
    const char *none[] = {NULL};
    const char *extra[] = {"sort", "name", "bogus", "1", NULL};
    struct query q;

    ck_assert_int_eq(decode_query(none, &q), ST_INVALID);
    assert_only_invalid("sort", "is required");
    ck_assert_uint_eq(present, 0);
    ck_assert_int_eq(q.limit, 50);

    /* The getter cannot list its names, so unknown parameters pass unreported. */
    ck_assert_int_eq(decode_query(extra, &q), ST_OK);
    ck_assert_int_eq(invalid_count(), 0);
    ck_assert_uint_eq(present, BIT(2));
}
END_TEST

START_TEST(uuid_lowered_only_when_needed)
{
    char out[37];

    ck_assert_int_eq(spec_uuid_lowered("0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D", out), 1);
    ck_assert_str_eq(out, "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
    ck_assert_int_eq(spec_uuid_lowered("0a1b2c3d-4e5F-4a6b-8c7d-9e0f1a2b3c4d", out), 1);
    ck_assert_str_eq(out, "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
    ck_assert_int_eq(spec_uuid_lowered("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", out), 0);
    ck_assert_int_eq(spec_uuid_lowered("NOT-A-UUID", out), 0);
    ck_assert_int_eq(spec_uuid_lowered("0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4DX", out), 0);
}
END_TEST

static Suite *json_spec_suite(void)
{
    Suite *s = suite_create("json_spec");
    TCase *body = tcase_create("json");
    TCase *helpers = tcase_create("helpers");
    TCase *query = tcase_create("strings");

    tcase_add_checked_fixture(body, setup, teardown);
    tcase_add_test(body, decodes_every_type);
    tcase_add_test(body, uuid_lowered_only_when_needed);
    tcase_add_test(body, reports_every_bad_field);
    tcase_add_test(body, reasons_name_the_rule);
    tcase_add_test(body, unknown_fields_are_refused);
    tcase_add_test(body, required_fields);
    tcase_add_test(body, null_counts_as_absent);
    tcase_add_test(body, body_must_be_an_object);
    tcase_add_test(body, enum_values);
    tcase_add_test(body, string_length_counts_characters);
    tcase_add_test(body, duration_bounds);
    tcase_add_test(body, datetime_values);
    tcase_add_test(body, int_bounds_and_types);
    tcase_add_test(body, bool_and_containers);
    tcase_add_test(body, url_length_bound);
    tcase_add_test(body, present_bits_follow_table_order);
    tcase_add_test(body, shape_fields_use_helpers);
    suite_add_tcase(s, body);

    tcase_add_test(helpers, utf8_length);
    tcase_add_loop_test(helpers, shape_helpers, 0, N(shapes));
    suite_add_tcase(s, helpers);

    tcase_add_checked_fixture(query, setup, teardown);
    tcase_add_loop_test(query, query_integers, 0, N(query_ints));
    tcase_add_test(query, query_other_types);
    tcase_add_test(query, query_required_and_unknown);
    suite_add_tcase(s, query);
    return s;
}

int main(void)
{
    return unit_run(json_spec_suite());
}
