/*
 * test_json_patch.c — the restricted RFC 6902 JSON Patch (src/lib/json_patch.c).
 */
#include <check.h>
#include <string.h>

#include "lib/json_patch.h"
#include "unit_main.h"

static const char *const ORIGINAL =
    "{\"name\":\"Alice\",\"email\":\"alice@example.com\",\"role\":\"USER\","
    "\"nested\":{\"list\":[1,2,{\"k\":null},null]}}";
static const char *const replaceable[] = {"/name", "/email", NULL};

static json_object *doc;
static struct problem prob;

static void setup(void)
{
    doc = json_tokener_parse(ORIGINAL);
    memset(&prob, 0, sizeof(prob));
}

static void teardown(void)
{
    json_object_put(doc);
    problem_clear(&prob);
}

/* Applies the patch written as JSON text to the fixture's document. */
static enum status apply(const char *patch_text)
{
    json_object *patch = json_tokener_parse(patch_text);
    enum status st;

    ck_assert_msg(patch != NULL || strcmp(patch_text, "null") == 0, "test patch does not parse: %s",
                  patch_text);
    problem_clear(&prob);
    st = json_patch_apply(doc, patch, replaceable, &prob);
    json_object_put(patch);
    return st;
}

static size_t invalid_count(void)
{
    return prob.invalid_params == NULL ? 0 : json_object_array_length(prob.invalid_params);
}

static const char *invalid_name(size_t i)
{
    json_object *name;

    ck_assert(json_object_object_get_ex(json_object_array_get_idx(prob.invalid_params, i), "name",
                                        &name));
    return json_object_get_string(name);
}

static const char *invalid_reason(size_t i)
{
    json_object *reason;

    ck_assert(json_object_object_get_ex(json_object_array_get_idx(prob.invalid_params, i), "reason",
                                        &reason));
    return json_object_get_string(reason);
}

/* Asserts that the patch is refused as invalid with exactly the given names, in order. */
static void assert_invalid(const char *patch_text, const char *const *names, size_t n)
{
    ck_assert_msg(apply(patch_text) == ST_INVALID, "accepted: %s", patch_text);
    ck_assert_msg(invalid_count() == n, "%s: %zu problems, want %zu", patch_text, invalid_count(),
                  n);
    for (size_t i = 0; i < n; i++)
        ck_assert_str_eq(invalid_name(i), names[i]);
}

static void assert_unchanged(void)
{
    json_object *original = json_tokener_parse(ORIGINAL);

    ck_assert_msg(json_object_equal(doc, original), "document changed: %s",
                  json_object_to_json_string(doc));
    json_object_put(original);
}

static const char *member(const char *key)
{
    json_object *v;

    return json_object_object_get_ex(doc, key, &v) ? json_object_get_string(v) : NULL;
}

START_TEST(replace_allowed_path)
{
    ck_assert_int_eq(apply("[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"Bob\"}]"), ST_OK);
    ck_assert_int_eq(invalid_count(), 0);
    ck_assert_str_eq(member("name"), "Bob");
    ck_assert_str_eq(member("email"), "alice@example.com");
    ck_assert_str_eq(member("role"), "USER");
}
END_TEST

START_TEST(replace_several_and_null)
{
    json_object *email;

    ck_assert_int_eq(apply("[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"Bob\"},"
                           "{\"op\":\"replace\",\"path\":\"/email\",\"value\":null},"
                           "{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"Carol\"}]"),
                     ST_OK);
    ck_assert_str_eq(member("name"), "Carol");
    ck_assert(json_object_object_get_ex(doc, "email", &email));
    ck_assert_ptr_null(email);
}
END_TEST

START_TEST(replace_disallowed_path)
{
    static const char *const path0[] = {"[0].path"};

    assert_invalid("[{\"op\":\"replace\",\"path\":\"/role\",\"value\":\"ADMIN\"}]", path0, 1);
    ck_assert_str_eq(invalid_reason(0), "'/role' cannot be replaced");
    assert_unchanged();
    /* Prefixes, children and the whole document are other paths. */
    assert_invalid("[{\"op\":\"replace\",\"path\":\"/nam\",\"value\":1}]", path0, 1);
    assert_invalid("[{\"op\":\"replace\",\"path\":\"/name/x\",\"value\":1}]", path0, 1);
    assert_invalid("[{\"op\":\"replace\",\"path\":\"\",\"value\":{}}]", path0, 1);
    assert_unchanged();
}
END_TEST

START_TEST(nothing_replaceable)
{
    json_object *patch =
        json_tokener_parse("[{\"op\":\"replace\",\"path\":\"/name\",\"value\":1}]");

    ck_assert_int_eq(json_patch_apply(doc, patch, NULL, &prob), ST_INVALID);
    ck_assert_int_eq(invalid_count(), 1);
    ck_assert_str_eq(invalid_name(0), "[0].path");
    json_object_put(patch);
    assert_unchanged();
}
END_TEST

static const char *const refused_ops[] = {
    "[{\"op\":\"add\",\"path\":\"/name\",\"value\":\"Bob\"}]",
    "[{\"op\":\"remove\",\"path\":\"/name\"}]",
    "[{\"op\":\"move\",\"from\":\"/email\",\"path\":\"/name\"}]",
    "[{\"op\":\"copy\",\"from\":\"/email\",\"path\":\"/name\"}]",
};

START_TEST(other_operations_refused)
{
    static const char *const op0[] = {"[0].op"};

    assert_invalid(refused_ops[_i], op0, 1);
    ck_assert_ptr_nonnull(strstr(invalid_reason(0), "is not supported"));
    assert_unchanged();
}
END_TEST

START_TEST(unknown_or_missing_op)
{
    static const char *const op0[] = {"[0].op"};

    assert_invalid("[{\"op\":\"frobnicate\",\"path\":\"/name\",\"value\":1}]", op0, 1);
    ck_assert_str_eq(invalid_reason(0), "unknown operation 'frobnicate'");
    assert_invalid("[{\"op\":\"REPLACE\",\"path\":\"/name\",\"value\":1}]", op0, 1);
    assert_invalid("[{\"path\":\"/name\",\"value\":1}]", op0, 1);
    assert_invalid("[{\"op\":42,\"path\":\"/name\",\"value\":1}]", op0, 1);
    assert_invalid("[{\"op\":null,\"path\":\"/name\",\"value\":1}]", op0, 1);
    assert_unchanged();
}
END_TEST

START_TEST(bad_path_or_value)
{
    static const char *const path0[] = {"[0].path"}, *const value0[] = {"[0].value"};

    assert_invalid("[{\"op\":\"replace\",\"value\":1}]", path0, 1);
    assert_invalid("[{\"op\":\"test\",\"path\":7,\"value\":1}]", path0, 1);
    assert_invalid("[{\"op\":\"test\",\"path\":\"name\",\"value\":1}]", path0, 1);
    ck_assert_str_eq(invalid_reason(0), "must be a JSON Pointer");
    /* Not a pointer and not replaceable: one problem, not two. */
    assert_invalid("[{\"op\":\"replace\",\"path\":\"name\",\"value\":1}]", path0, 1);
    assert_invalid("[{\"op\":\"replace\",\"path\":\"/name\"}]", value0, 1);
    ck_assert_str_eq(invalid_reason(0), "is required");
    assert_invalid("[{\"op\":\"test\",\"path\":\"/name\"}]", value0, 1);
    assert_unchanged();
}
END_TEST

START_TEST(every_bad_operation_listed)
{
    static const char *const names[] = {"[1].op", "[2].path", "[3]", "[4].value"};

    assert_invalid("[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"Bob\"},"
                   "{\"op\":\"add\",\"path\":\"/x\",\"value\":1},"
                   "{\"op\":\"replace\",\"path\":\"/role\",\"value\":\"ADMIN\"},"
                   "\"replace\","
                   "{\"op\":\"test\",\"path\":\"/role\"}]",
                   names, N(names));
    /* Validation precedes application: the good first operation did not run. */
    assert_unchanged();
}
END_TEST

START_TEST(body_must_be_an_array)
{
    static const char *const bodies[] = {
        "{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"Bob\"}", "\"replace\"", "null"};

    for (size_t i = 0; i < N(bodies); i++) {
        ck_assert_msg(apply(bodies[i]) == ST_INVALID, "accepted %s", bodies[i]);
        ck_assert_str_eq(prob.detail, "request body must be a JSON Patch array");
        ck_assert_int_eq(invalid_count(), 0);
    }
    assert_unchanged();
}
END_TEST

/* RFC 6902 §3: a patch is an array of zero or more operations; none changes nothing. */
START_TEST(empty_patch_is_a_no_op)
{
    ck_assert_int_eq(apply("[]"), ST_OK);
    assert_unchanged();
}
END_TEST

static const char *const passing_tests[] = {
    "[{\"op\":\"test\",\"path\":\"/role\",\"value\":\"USER\"}]",
    "[{\"op\":\"test\",\"path\":\"/nested/list/1\",\"value\":2}]",
    "[{\"op\":\"test\",\"path\":\"/nested/list/2/k\",\"value\":null}]",
    "[{\"op\":\"test\",\"path\":\"/nested\",\"value\":{\"list\":[1,2,{\"k\":null},null]}}]",
    /* json-c alone reports an array element holding null as missing */
    "[{\"op\":\"test\",\"path\":\"/nested/list/3\",\"value\":null}]",
    "[{\"op\":\"test\",\"path\":\"/role\",\"value\":\"USER\"},"
    " {\"op\":\"test\",\"path\":\"/name\",\"value\":\"Alice\"}]",
};

START_TEST(test_succeeds)
{

    ck_assert_msg(apply(passing_tests[_i]) == ST_OK, "failed: %s (%s)", passing_tests[_i],
                  prob.detail);
    assert_unchanged();
}
END_TEST

static const char *const failing_tests[] = {
    "[{\"op\":\"test\",\"path\":\"/role\",\"value\":\"ADMIN\"}]",
    "[{\"op\":\"test\",\"path\":\"/role\",\"value\":\"user\"}]",
    "[{\"op\":\"test\",\"path\":\"/nested/list/1\",\"value\":\"2\"}]",
    "[{\"op\":\"test\",\"path\":\"/nested/list/1\",\"value\":2.5}]",
    "[{\"op\":\"test\",\"path\":\"/nested/list/9\",\"value\":2}]",
    "[{\"op\":\"test\",\"path\":\"/missing\",\"value\":null}]",
    "[{\"op\":\"test\",\"path\":\"/nested/list/3\",\"value\":0}]",
    "[{\"op\":\"test\",\"path\":\"/nested/list/4\",\"value\":null}]",
    "[{\"op\":\"test\",\"path\":\"/nested/list/03\",\"value\":null}]",
    "[{\"op\":\"test\",\"path\":\"/nested/list/-\",\"value\":null}]",
    "[{\"op\":\"test\",\"path\":\"/nested\",\"value\":{\"list\":[1,2]}}]",
    "[{\"op\":\"test\",\"path\":\"/role\",\"value\":\"USER\"},"
    " {\"op\":\"test\",\"path\":\"/name\",\"value\":\"Bob\"}]",
};

START_TEST(test_fails_with_conflict)
{

    ck_assert_msg(apply(failing_tests[_i]) == ST_CONFLICT, "did not conflict: %s",
                  failing_tests[_i]);
    ck_assert_int_eq(invalid_count(), 0);
    ck_assert_ptr_nonnull(strstr(prob.detail, "test operation"));
    assert_unchanged();
}
END_TEST

START_TEST(operations_apply_in_order)
{
    /* A test sees the result of the replace before it. */
    ck_assert_int_eq(apply("[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"Bob\"},"
                           "{\"op\":\"test\",\"path\":\"/name\",\"value\":\"Bob\"}]"),
                     ST_OK);
    ck_assert_str_eq(member("name"), "Bob");

    ck_assert_int_eq(apply("[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"Carol\"},"
                           "{\"op\":\"test\",\"path\":\"/name\",\"value\":\"Bob\"}]"),
                     ST_CONFLICT);
    ck_assert_ptr_nonnull(strstr(prob.detail, "[1]"));

    /* A test before a replace guards it. */
    ck_assert_int_eq(apply("[{\"op\":\"test\",\"path\":\"/email\",\"value\":\"nobody@x.io\"},"
                           "{\"op\":\"replace\",\"path\":\"/email\",\"value\":\"eve@x.io\"}]"),
                     ST_CONFLICT);
    ck_assert_str_eq(member("email"), "alice@example.com");
}
END_TEST

START_TEST(replaced_value_outlives_patch)
{
    /* apply() frees the patch; the document must keep its own reference to the value. */
    ck_assert_int_eq(apply("[{\"op\":\"replace\",\"path\":\"/email\",\"value\":\"b@x.io\"}]"),
                     ST_OK);
    ck_assert_str_eq(member("email"), "b@x.io");
    ck_assert_str_eq(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN),
                     "{\"name\":\"Alice\",\"email\":\"b@x.io\",\"role\":\"USER\","
                     "\"nested\":{\"list\":[1,2,{\"k\":null},null]}}");
}
END_TEST

static Suite *json_patch_suite(void)
{
    Suite *s = suite_create("json_patch");
    TCase *valid = tcase_create("validation");
    TCase *run = tcase_create("application");

    tcase_add_checked_fixture(valid, setup, teardown);
    tcase_add_test(valid, replace_disallowed_path);
    tcase_add_test(valid, nothing_replaceable);
    tcase_add_loop_test(valid, other_operations_refused, 0, N(refused_ops));
    tcase_add_test(valid, unknown_or_missing_op);
    tcase_add_test(valid, bad_path_or_value);
    tcase_add_test(valid, every_bad_operation_listed);
    tcase_add_test(valid, body_must_be_an_array);
    tcase_add_test(valid, empty_patch_is_a_no_op);
    suite_add_tcase(s, valid);

    tcase_add_checked_fixture(run, setup, teardown);
    tcase_add_test(run, replace_allowed_path);
    tcase_add_test(run, replace_several_and_null);
    tcase_add_loop_test(run, test_succeeds, 0, N(passing_tests));
    tcase_add_loop_test(run, test_fails_with_conflict, 0, N(failing_tests));
    tcase_add_test(run, operations_apply_in_order);
    tcase_add_test(run, replaced_value_outlives_patch);
    suite_add_tcase(s, run);
    return s;
}

int main(void)
{
    return unit_run(json_patch_suite());
}
