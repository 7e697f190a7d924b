/*
 * fuzz_json_spec.c — spec_decode_json() on any JSON text the server would parse.
 *
 * The input is parsed by the server's own body parser (lib/json_body.h: depth 32, strict,
 * UTF-8 validated), then decoded against a table that uses every field type with and without
 * bounds. A success must have stored only values that obey the table; a failure must say
 * why. The nested "obj" member is decoded against the same table, as fixtures do with their
 * sub-objects, and the raw input also goes through the shape checks handlers call directly.
 */
#include <inttypes.h>
#include <json-c/json.h>

#include "fuzz.h"
#include "lib/json_body.h"
#include "lib/json_spec.h"
#include "lib/timefmt.h"

static const char *const colours[] = {"RED", "GREEN", "BLUE", NULL};

struct sample {
    const char *text, *uuid, *colour, *url, *phone, *email;
    int64_t when, count, big;
    struct spec_duration span;
    int flag;
    double ratio;
    json_object *obj, *arr;
};

static const struct spec_field fields[] = {
    {"text", SPEC_STRING, 0, 1, 10, NULL, offsetof(struct sample, text)},
    {"uuid", SPEC_UUID, SPEC_REQUIRED, 0, 0, NULL, offsetof(struct sample, uuid)},
    {"colour", SPEC_ENUM, 0, 0, 0, colours, offsetof(struct sample, colour)},
    {"when", SPEC_DATETIME, 0, 0, 0, NULL, offsetof(struct sample, when)},
    {"span", SPEC_DURATION, 0, 60, 30 * 86400, NULL, offsetof(struct sample, span)},
    {"count", SPEC_INT, 0, -5, 1000, NULL, offsetof(struct sample, count)},
    {"big", SPEC_INT, 0, 0, 0, NULL, offsetof(struct sample, big)},
    {"flag", SPEC_BOOL, 0, 0, 0, NULL, offsetof(struct sample, flag)},
    {"ratio", SPEC_NUMBER, 0, -1, 1, NULL, offsetof(struct sample, ratio)},
    {"url", SPEC_URL, 0, 0, 64, NULL, offsetof(struct sample, url)},
    {"phone", SPEC_PHONE, 0, 0, 0, NULL, offsetof(struct sample, phone)},
    {"email", SPEC_EMAIL, 0, 0, 0, NULL, offsetof(struct sample, email)},
    {"obj", SPEC_OBJECT, 0, 0, 0, NULL, offsetof(struct sample, obj)},
    {"arr", SPEC_ARRAY, 0, 0, 0, NULL, offsetof(struct sample, arr)},
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))
#define GIVEN(i) (present & (1u << (i)))

static json_object *parse_like_server(const uint8_t *data, size_t size)
{
    json_object *obj;

    /* The server's own parser (lib/json_body.h), not a copy of its settings. */
    return json_body_parse((const char *)data, size, &obj, NULL) == ST_OK ? obj : NULL;
}

/* What a successful decode promises about the values it stored. */
static void check_success(const struct sample *s, uint32_t present)
{
    FUZZ_CHECK(GIVEN(1) && spec_is_uuid(s->uuid), "uuid '%s'", s->uuid ? s->uuid : "(null)");
    if (GIVEN(0))
        FUZZ_CHECK(spec_utf8_length(s->text) >= 1 && spec_utf8_length(s->text) <= 10, "text");
    if (GIVEN(2))
        FUZZ_CHECK(strcmp(s->colour, "RED") == 0 || strcmp(s->colour, "GREEN") == 0 ||
                       strcmp(s->colour, "BLUE") == 0,
                   "colour '%s'", s->colour);
    if (GIVEN(3)) {
        char text[TIMEFMT_DATETIME_LEN];
        int64_t again;
        timefmt_format_datetime(s->when, text);
        FUZZ_CHECK(timefmt_parse_datetime(text, &again) == ST_OK && again == s->when,
                   "when %" PRId64, s->when);
    }
    if (GIVEN(4))
        FUZZ_CHECK(s->span.seconds >= 60 && s->span.seconds <= 30 * 86400 && s->span.text,
                   "span %" PRId64, s->span.seconds);
    if (GIVEN(5))
        FUZZ_CHECK(s->count >= -5 && s->count <= 1000, "count %" PRId64, s->count);
    if (GIVEN(7))
        FUZZ_CHECK(s->flag == 0 || s->flag == 1, "flag %d", s->flag);
    if (GIVEN(8))
        FUZZ_CHECK(s->ratio >= -1 && s->ratio <= 1, "ratio %g", s->ratio);
    if (GIVEN(9))
        FUZZ_CHECK(spec_is_http_url(s->url) && strlen(s->url) <= 64, "url");
    if (GIVEN(10))
        FUZZ_CHECK(spec_is_e164(s->phone), "phone");
    if (GIVEN(11))
        FUZZ_CHECK(spec_is_email(s->email), "email");
    if (GIVEN(12))
        FUZZ_CHECK(json_object_is_type(s->obj, json_type_object), "obj");
    if (GIVEN(13))
        FUZZ_CHECK(json_object_is_type(s->arr, json_type_array), "arr");
}

static void decode(json_object *obj, int depth)
{
    struct sample s = {0};
    struct problem p = {0};
    uint32_t present = 0;
    enum status st = spec_decode_json(fields, NFIELDS, obj, &s, &present, &p);

    FUZZ_CHECK(st == ST_OK || st == ST_INVALID, "status %d", (int)st);
    if (st == ST_OK) {
        check_success(&s, present);
        FUZZ_CHECK(!problem_has_invalid(&p), "success with invalidParams");
    } else {
        FUZZ_CHECK(problem_has_invalid(&p) || p.detail[0] != '\0', "failure without a reason");
        /* The problem must render: this is what reaches the client. */
        if (p.invalid_params != NULL)
            FUZZ_CHECK(json_object_to_json_string(p.invalid_params) != NULL, "render");
    }
    if (depth == 0 && s.obj != NULL)
        decode(s.obj, 1);
    problem_clear(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_object *obj = parse_like_server(data, size);
    char *text = fuzz_text(data, size);

    if (obj != NULL)
        decode(obj, 0);
    json_object_put(obj);
    /* The shape checks alone, on whatever bytes came (handlers call them on query text). */
    (void)spec_is_uuid(text);
    (void)spec_is_e164(text);
    (void)spec_is_email(text);
    (void)spec_is_http_url(text);
    free(text);
    return 0;
}
