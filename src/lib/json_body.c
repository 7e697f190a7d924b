#include "lib/json_body.h"

#include <stdint.h>

#include "lib/json_spec.h"

enum status json_body_parse(const char *text, size_t len, json_object **out, struct problem *p)
{
    struct json_tokener *tok;
    enum json_tokener_error err;
    enum status st = ST_OK;

    *out = NULL;
    if (len > INT32_MAX)
        return problem_set(p, ST_INVALID, "malformed JSON: the body is too large");
    if (!spec_utf8_valid(text, len))
        return problem_set(p, ST_INVALID, "malformed JSON: the body is not well-formed UTF-8");
    tok = json_tokener_new_ex(JSON_BODY_MAX_DEPTH);
    if (tok == NULL)
        return ST_NOMEM;
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
    *out = json_tokener_parse_ex(tok, text, (int)len);
    err = json_tokener_get_error(tok);
    if (*out == NULL || err != json_tokener_success || json_tokener_get_parse_end(tok) != len) {
        st = problem_set(p, ST_INVALID, "malformed JSON: %s",
                         err == json_tokener_continue || err == json_tokener_success
                             ? "unexpected end of input or trailing data"
                             : json_tokener_error_desc(err));
        json_object_put(*out);
        *out = NULL;
    }
    json_tokener_free(tok);
    return st;
}
