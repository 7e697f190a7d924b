#include "lib/json_spec.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "lib/timefmt.h"

int spec_is_uuid(const char *s)
{
    static const int dash_at[] = {8, 13, 18, 23};
    size_t d = 0;

    if (s == NULL || strlen(s) != 36)
        return 0;
    for (int i = 0; i < 36; i++) {
        if (d < 4 && i == dash_at[d]) {
            if (s[i] != '-')
                return 0;
            d++;
        } else if (!isxdigit((unsigned char)s[i])) {
            return 0;
        }
    }
    return 1;
}

int spec_uuid_lowered(const char *s, char out[37])
{
    int upper = 0;

    if (!spec_is_uuid(s))
        return 0;
    for (int i = 0; i < 36; i++) {
        upper |= isupper((unsigned char)s[i]) != 0;
        out[i] = (char)tolower((unsigned char)s[i]);
    }
    out[36] = '\0';
    return upper;
}

int spec_is_e164(const char *s)
{
    size_t n;

    if (s == NULL || s[0] != '+' || s[1] < '1' || s[1] > '9')
        return 0;
    n = strlen(s + 1);
    if (n < 2 || n > 15)
        return 0;
    for (size_t i = 1; i <= n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

int spec_is_email(const char *s)
{
    const char *at, *dot;

    if (s == NULL || strlen(s) > 254)
        return 0;
    for (const char *c = s; *c != '\0'; c++)
        if ((unsigned char)*c <= ' ' || *c == 0x7f)
            return 0;
    at = strchr(s, '@');
    if (at == NULL || at == s || strchr(at + 1, '@') != NULL)
        return 0;
    dot = strrchr(at + 1, '.');
    return dot != NULL && dot > at + 1 && dot[1] != '\0';
}

int spec_is_http_url(const char *s)
{
    const char *host;

    if (s == NULL)
        return 0;
    if (strncmp(s, "https://", 8) == 0)
        host = s + 8;
    else if (strncmp(s, "http://", 7) == 0)
        host = s + 7;
    else
        return 0;
    if (*host == '\0' || *host == '/' || *host == '?' || *host == '#')
        return 0;
    for (const char *c = s; *c != '\0'; c++)
        if ((unsigned char)*c <= ' ' || (unsigned char)*c >= 0x7f)
            return 0;
    return 1;
}

int spec_has_nul(json_object *string)
{
    return (size_t)json_object_get_string_len(string) != strlen(json_object_get_string(string));
}

/* The length of the well-formed sequence at s (at most n bytes), or 0 when ill-formed. */
static size_t utf8_sequence(const unsigned char *s, size_t n)
{
    unsigned c = s[0], need, min, cp;

    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        need = 1, min = 0x80, cp = c & 0x1f;
    else if (c >= 0xe0 && c <= 0xef)
        need = 2, min = 0x800, cp = c & 0x0f;
    else if (c >= 0xf0 && c <= 0xf4)
        need = 3, min = 0x10000, cp = c & 0x07;
    else
        return 0;
    for (unsigned k = 1; k <= need; k++) {
        if (k >= n || (s[k] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[k] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return need + 1;
}

int spec_utf8_valid(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;

    for (size_t i = 0, len; i < n; i += len)
        if ((len = utf8_sequence(u + i, n - i)) == 0)
            return 0;
    return 1;
}

void spec_utf8_sanitize(const char *s, char *out, size_t cap)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s), o = 0;

    for (size_t i = 0; i < n && o + 5 < cap;) {
        size_t len = utf8_sequence(u + i, n - i);
        if (len == 0) {
            out[o++] = '?';
            i++;
            continue;
        }
        memcpy(out + o, u + i, len);
        o += len;
        i += len;
    }
    if (cap > 0)
        out[o < cap ? o : cap - 1] = '\0';
}

size_t spec_utf8_length(const char *s)
{
    size_t n = 0;

    for (; *s != '\0'; s++)
        if (((unsigned char)*s & 0xc0) != 0x80)
            n++;
    return n;
}

static int bounded(const struct spec_field *f, int64_t v)
{
    if (f->min == 0 && f->max == 0)
        return 1;
    return v >= f->min && v <= f->max;
}

static enum status store_number(const struct spec_field *f, double v, void *out, struct problem *p)
{
    if (!(v == v) || ((f->min != 0 || f->max != 0) && (v < (double)f->min || v > (double)f->max)))
        return problem_invalid(p, f->name, "must be a number between %" PRId64 " and %" PRId64,
                               f->min, f->max);
    *(double *)((char *)out + f->offset) = v;
    return ST_OK;
}

/* Validates one string value against the field's type and stores it. */
static enum status decode_text(const struct spec_field *f, const char *v, void *out,
                               struct problem *p)
{
    char *target = (char *)out + f->offset;
    int64_t num;
    char *end;

    switch (f->type) {
    case SPEC_STRING:
        if (!bounded(f, (int64_t)spec_utf8_length(v)))
            return problem_invalid(p, f->name, "must be %" PRId64 " to %" PRId64 " characters",
                                   f->min, f->max);
        break;
    case SPEC_UUID:
        if (!spec_is_uuid(v))
            return problem_invalid(p, f->name, "must be a UUID");
        break;
    case SPEC_ENUM:
        for (const char *const *c = f->choices; *c != NULL; c++)
            if (strcmp(*c, v) == 0)
                goto store;
        {
            char list[768] = ""; /* the longest, the 17 event types, fits */
            for (const char *const *c = f->choices; *c != NULL; c++) {
                if (list[0] != '\0')
                    strncat(list, ", ", sizeof(list) - strlen(list) - 1);
                strncat(list, *c, sizeof(list) - strlen(list) - 1);
            }
            return problem_invalid(p, f->name, "must be one of %s", list);
        }
    case SPEC_URL:
        if (!spec_is_http_url(v))
            return problem_invalid(p, f->name, "must be an http or https URL");
        if (f->max > 0 && (int64_t)strlen(v) > f->max)
            return problem_invalid(p, f->name, "must be at most %" PRId64 " characters", f->max);
        break;
    case SPEC_PHONE:
        if (!spec_is_e164(v))
            return problem_invalid(p, f->name, "must be a phone number in E.164 format");
        break;
    case SPEC_EMAIL:
        if (!spec_is_email(v))
            return problem_invalid(p, f->name, "must be an e-mail address");
        break;
    case SPEC_DATETIME:
        if (timefmt_parse_datetime(v, &num) != ST_OK)
            return problem_invalid(p, f->name, "must be an RFC 3339 date-time");
        *(int64_t *)target = num;
        return ST_OK;
    case SPEC_DURATION:
        if (timefmt_parse_duration(v, &num) != ST_OK)
            return problem_invalid(p, f->name, "must be an ISO 8601 duration such as PT24H");
        if (!bounded(f, num))
            return problem_invalid(
                p, f->name, "must be between %" PRId64 " and %" PRId64 " seconds", f->min, f->max);
        ((struct spec_duration *)target)->text = v;
        ((struct spec_duration *)target)->seconds = num;
        return ST_OK;
    case SPEC_INT:
        errno = 0;
        num = strtoll(v, &end, 10);
        if (errno != 0 || end == v || *end != '\0' || !isdigit((unsigned char)v[strlen(v) - 1]) ||
            isspace((unsigned char)v[0]))
            return problem_invalid(p, f->name, "must be an integer");
        if (!bounded(f, num))
            return problem_invalid(p, f->name, "must be between %" PRId64 " and %" PRId64, f->min,
                                   f->max);
        *(int64_t *)target = num;
        return ST_OK;
    case SPEC_BOOL: /* reached from string sources only; JSON booleans are typed */
        if (strcmp(v, "true") != 0 && strcmp(v, "false") != 0)
            return problem_invalid(p, f->name, "must be true or false");
        *(int *)target = v[0] == 't';
        return ST_OK;
    case SPEC_NUMBER: {
        double d;
        errno = 0;
        d = strtod(v, &end);
        if (errno != 0 || end == v || *end != '\0' || isspace((unsigned char)v[0]))
            return problem_invalid(p, f->name, "must be a number");
        return store_number(f, d, out, p);
    }
    default:
        return problem_invalid(p, f->name, "has the wrong type");
    }
store:
    *(const char **)target = v;
    return ST_OK;
}

static enum status decode_value(const struct spec_field *f, json_object *v, void *out,
                                struct problem *p)
{
    char *target = (char *)out + f->offset;
    json_type t = json_object_get_type(v);

    switch (f->type) {
    case SPEC_INT:
        if (t != json_type_int)
            return problem_invalid(p, f->name, "must be an integer");
        {
            /* Range-check in text so that huge numbers cannot wrap. */
            return decode_text(f, json_object_get_string(v), out, p);
        }
    case SPEC_NUMBER:
        if (t != json_type_int && t != json_type_double)
            return problem_invalid(p, f->name, "must be a number");
        return store_number(f, json_object_get_double(v), out, p);
    case SPEC_BOOL:
        if (t != json_type_boolean)
            return problem_invalid(p, f->name, "must be a boolean");
        *(int *)target = json_object_get_boolean(v);
        return ST_OK;
    case SPEC_OBJECT:
        if (t != json_type_object)
            return problem_invalid(p, f->name, "must be an object");
        *(json_object **)target = v;
        return ST_OK;
    case SPEC_ARRAY:
        if (t != json_type_array)
            return problem_invalid(p, f->name, "must be an array");
        *(json_object **)target = v;
        return ST_OK;
    default: {
        char lowered[37];
        if (t != json_type_string)
            return problem_invalid(p, f->name, "must be a string");
        if (spec_has_nul(v))
            return problem_invalid(p, f->name, "must not contain NUL characters");
        /* Normalised in the document itself, so whatever reads the body later sees it too. */
        if (f->type == SPEC_UUID && spec_uuid_lowered(json_object_get_string(v), lowered) &&
            json_object_set_string(v, lowered) == 0)
            return ST_NOMEM;
        return decode_text(f, json_object_get_string(v), out, p);
    }
    }
}

const struct spec_field *spec_field_named(const struct spec_field *fields, size_t n,
                                          const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(fields[i].name, name) == 0)
            return &fields[i];
    return NULL;
}

enum status spec_decode_json(const struct spec_field *fields, size_t nfields, json_object *obj,
                             void *out, uint32_t *present, struct problem *p)
{
    enum status st = ST_OK;
    uint32_t seen = 0;

    if (!json_object_is_type(obj, json_type_object))
        return problem_set(p, ST_INVALID, "request body must be a JSON object");
    json_object_object_foreach(obj, key, val)
    {
        (void)val;
        if (spec_field_named(fields, nfields, key) == NULL)
            st = problem_invalid(p, key, "unknown field '%s'", key);
    }
    for (size_t i = 0; i < nfields && i < SPEC_MAX_FIELDS; i++) {
        json_object *v = NULL;
        int given = json_object_object_get_ex(obj, fields[i].name, &v) && v != NULL;
        if (!given) {
            if (fields[i].flags & SPEC_REQUIRED)
                st = problem_invalid(p, fields[i].name, "is required");
            continue;
        }
        enum status fst = decode_value(&fields[i], v, out, p);
        if (fst == ST_OK)
            seen |= 1u << i;
        else
            st = fst;
    }
    if (present != NULL)
        *present = seen;
    return st == ST_OK ? ST_OK : (st == ST_NOMEM ? ST_NOMEM : ST_INVALID);
}

enum status spec_decode_strings(const struct spec_field *fields, size_t nfields, spec_getter get,
                                void *ctx, void *out, uint32_t *present, struct problem *p)
{
    enum status st = ST_OK;
    uint32_t seen = 0;

    for (size_t i = 0; i < nfields && i < SPEC_MAX_FIELDS; i++) {
        const char *v = get(ctx, fields[i].name);
        if (v == NULL) {
            if (fields[i].flags & SPEC_REQUIRED)
                st = problem_invalid(p, fields[i].name, "is required");
            continue;
        }
        enum status fst = decode_text(&fields[i], v, out, p);
        if (fst == ST_OK)
            seen |= 1u << i;
        else
            st = fst;
    }
    if (present != NULL)
        *present = seen;
    return st == ST_OK ? ST_OK : (st == ST_NOMEM ? ST_NOMEM : ST_INVALID);
}
