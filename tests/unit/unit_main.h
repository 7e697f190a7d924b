/*
 * unit_main.h — what every unit test's main() does: runs its one Check suite and exits 1 if
 * any test failed. (The API tests have run_suite() in tests/api/harness.c.)
 */
#ifndef KE_TESTS_UNIT_MAIN_H
#define KE_TESTS_UNIT_MAIN_H

#include <check.h>

/* The number of elements of a fixed array. */
#define N(a) (sizeof(a) / sizeof((a)[0]))

static inline int unit_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}

#endif
