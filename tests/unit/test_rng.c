/*
 * test_rng.c — seeded and unseeded randomness (src/lib/rng.c).
 */
#include <check.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/rng.h"
#include "unit_main.h"

/* Restarts the generator with seed and draws n bytes. */
static void draw_seeded(const char *seed, unsigned char *out, size_t n)
{
    rng_init(seed);
    rng_bytes(out, n);
}

START_TEST(same_seed_same_sequence)
{
    unsigned char a[200], b[200];
    char uuid_a[3][UUID_STR_LEN], uuid_b[3][UUID_STR_LEN];
    uint64_t below_a[5], below_b[5];

    for (int round = 0; round < 2; round++) {
        unsigned char *bytes = round == 0 ? a : b;
        char(*uuids)[UUID_STR_LEN] = round == 0 ? uuid_a : uuid_b;
        uint64_t *below = round == 0 ? below_a : below_b;

        draw_seeded("42", bytes, sizeof(a));
        ck_assert(rng_is_seeded());
        for (size_t i = 0; i < N(uuid_a); i++)
            rng_uuid(uuids[i]);
        for (size_t i = 0; i < N(below_a); i++)
            below[i] = rng_below(1000000);
    }
    ck_assert_mem_eq(a, b, sizeof(a));
    for (size_t i = 0; i < N(uuid_a); i++)
        ck_assert_str_eq(uuid_a[i], uuid_b[i]);
    ck_assert_mem_eq(below_a, below_b, sizeof(below_a));
    /* ...and the stream moves on: consecutive draws differ. */
    ck_assert_str_ne(uuid_a[0], uuid_a[1]);
    ck_assert_mem_ne(a, a + 100, 100);
}
END_TEST

START_TEST(different_seeds_differ)
{
    static const char *const seeds[] = {"42", "43", "", "042", "4", "42 "};
    unsigned char bytes[N(seeds)][32];

    for (size_t i = 0; i < N(seeds); i++)
        draw_seeded(seeds[i], bytes[i], sizeof(bytes[i]));
    for (size_t i = 0; i < N(seeds); i++)
        for (size_t j = i + 1; j < N(seeds); j++)
            ck_assert_msg(memcmp(bytes[i], bytes[j], sizeof(bytes[i])) != 0,
                          "seeds '%s' and '%s' gave the same bytes", seeds[i], seeds[j]);
}
END_TEST

/* Asserts the textual shape of a UUID of the given version, RFC 4122 variant. */
static void assert_uuid(const char *u, char version)
{
    ck_assert_uint_eq(strlen(u), 36);
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23)
            ck_assert_msg(u[i] == '-', "%s: no dash at %d", u, i);
        else
            ck_assert_msg(strchr("0123456789abcdef", u[i]) != NULL && u[i] != '\0',
                          "%s: not lower-case hex at %d", u, i);
    }
    ck_assert_msg(u[14] == version, "%s: version nibble is not %c", u, version);
    ck_assert_msg(strchr("89ab", u[19]) != NULL, "%s: variant nibble is not 8-b", u);
}

START_TEST(uuid_shape)
{
    /* Loop 0: seeded, loop 1: unseeded. */
    char u[UUID_STR_LEN], previous[UUID_STR_LEN] = "";
    int variants[4] = {0};

    rng_init(_i == 0 ? "uuid" : NULL);
    for (int i = 0; i < 2000; i++) {
        rng_uuid(u);
        assert_uuid(u, '4');
        ck_assert_str_ne(u, previous);
        strcpy(previous, u);
        variants[strchr("89ab", u[19]) - "89ab"]++;
    }
    /* All four variant nibbles occur: only the top two bits are fixed. */
    for (int v = 0; v < 4; v++)
        ck_assert_int_gt(variants[v], 0);
}
END_TEST

START_TEST(uuid_v7_orders_by_time)
{
    static const int64_t seconds[] = {0, 1, 1893456000, 1893456001, 4102444800};
    char u[UUID_STR_LEN], previous[UUID_STR_LEN] = "", same[UUID_STR_LEN];

    rng_init("v7");
    for (size_t i = 0; i < N(seconds); i++) {
        rng_uuid_v7(seconds[i], 1000 - i, u); /* time first: a later instant wins */
        assert_uuid(u, '7');
        ck_assert_msg(strcmp(previous, u) < 0, "%s sorts before %s", u, previous);
        strcpy(previous, u);
    }
    /* 2030-01-01T00:00:00Z is 0x1b8dac5b400 ms: the first twelve hex digits, never more. */
    rng_uuid_v7(1893456000, 1, u);
    ck_assert_int_eq(strncmp(u, "01b8dac5-b400-7", 15), 0);
    rng_uuid_v7(1893456000, 2, same);
    ck_assert_str_ne(u, same);
    ck_assert_int_eq(strncmp(u, same, 13), 0);
    rng_uuid_v7(-5, 1, u); /* before 1970: the earliest time, not a wrapped one */
    ck_assert_int_eq(strncmp(u, "00000000-0000-7", 15), 0);
}
END_TEST

/* Within one instant the order decides, across the counter's every byte and the variant
 * bits between them; the time prefix stays the instant's. */
START_TEST(uuid_v7_orders_within_an_instant)
{
    static const uint64_t orders[] = {1,
                                      2,
                                      255,
                                      256,
                                      65535,
                                      65536,
                                      (1u << 24) - 1,
                                      1u << 24,
                                      (UINT64_C(1) << 30) - 1,
                                      UINT64_C(1) << 30,
                                      (UINT64_C(1) << 38) + 5,
                                      (UINT64_C(1) << 42) - 1};
    char u[UUID_STR_LEN], previous[UUID_STR_LEN] = "";

    rng_init(NULL);
    for (size_t i = 0; i < N(orders); i++) {
        rng_uuid_v7(1893456000, orders[i], u);
        assert_uuid(u, '7');
        ck_assert_int_eq(strncmp(u, "01b8dac5-b400-7", 15), 0);
        ck_assert_msg(strcmp(previous, u) < 0, "order %" PRIu64 ": %s after %s", orders[i], u,
                      previous);
        strcpy(previous, u);
    }
}
END_TEST

/* A version-7 id draws as much as a version-4 one: what the seed gives later stays put. */
START_TEST(uuid_v7_keeps_the_seeded_stream)
{
    char v4[UUID_STR_LEN], v7[UUID_STR_LEN];
    uint64_t after_v4, after_v7;

    rng_init("stream");
    rng_uuid(v4);
    after_v4 = rng_below(UINT64_MAX);
    rng_init("stream");
    rng_uuid_v7(1893456000, 7, v7);
    after_v7 = rng_below(UINT64_MAX);
    ck_assert_str_eq(v4 + 28, v7 + 28); /* the same random bits after the counter */
    ck_assert_uint_eq(after_v4, after_v7);
}
END_TEST

START_TEST(below_bounds)
{
    static const uint64_t bounds[] = {1, 2, 3, 6, 10, 1000, (1ull << 63) + 1, UINT64_MAX};

    rng_init("below");
    for (size_t b = 0; b < N(bounds); b++)
        for (int i = 0; i < 500; i++) {
            uint64_t v = rng_below(bounds[b]);
            ck_assert_msg(v < bounds[b], "rng_below(%llu) gave %llu", (unsigned long long)bounds[b],
                          (unsigned long long)v);
        }
}
END_TEST

START_TEST(below_covers_the_range)
{
    /* 6000 draws of a die: every face shows, none wildly over- or under-represented. */
    int counts[6] = {0};

    rng_init("die");
    for (int i = 0; i < 6000; i++)
        counts[rng_below(6)]++;
    for (int face = 0; face < 6; face++)
        ck_assert_msg(counts[face] > 800 && counts[face] < 1200, "face %d: %d of 6000", face,
                      counts[face]);
    /* A bound of one has one answer. */
    for (int i = 0; i < 100; i++)
        ck_assert_uint_eq(rng_below(1), 0);
}
END_TEST

START_TEST(unseeded_differs)
{
    unsigned char a[32], b[32];
    char ua[UUID_STR_LEN], ub[UUID_STR_LEN];

    rng_init("42");
    ck_assert(rng_is_seeded());
    draw_seeded(NULL, a, sizeof(a));
    ck_assert(!rng_is_seeded());
    rng_bytes(b, sizeof(b));
    ck_assert_mem_ne(a, b, sizeof(a));
    /* Restarting an unseeded generator does not replay anything. */
    draw_seeded(NULL, b, sizeof(b));
    ck_assert_mem_ne(a, b, sizeof(a));
    rng_uuid(ua);
    rng_uuid(ub);
    ck_assert_str_ne(ua, ub);
    /* And it is not the seed-42 stream either. */
    draw_seeded("42", b, sizeof(b));
    ck_assert_mem_ne(a, b, sizeof(a));
}
END_TEST

START_TEST(zero_length_draw)
{
    unsigned char guard[4] = {1, 2, 3, 4}, first[8], second[8];

    rng_init("zero");
    rng_bytes(guard, 0);
    ck_assert_int_eq(guard[0], 1);
    ck_assert_int_eq(guard[3], 4);
    rng_bytes(first, sizeof(first));
    draw_seeded("zero", second, sizeof(second)); /* no bytes were consumed by the empty draw */
    ck_assert_mem_eq(first, second, sizeof(first));
}
END_TEST

#define THREADS 4
#define DRAWS 200
#define BLOCK 32

static unsigned char drawn[THREADS][DRAWS][BLOCK];

static void *draw_blocks(void *arg)
{
    unsigned char(*mine)[BLOCK] = arg;

    for (int i = 0; i < DRAWS; i++)
        rng_bytes(mine[i], BLOCK);
    return NULL;
}

static int compare_blocks(const void *a, const void *b)
{
    return memcmp(a, b, BLOCK);
}

START_TEST(seeded_threads_share_one_stream)
{
    /* Concurrent draws neither lose nor repeat bytes: together the threads read exactly the
     * blocks one thread making the same calls would have read, in some interleaving. */
    static unsigned char serial[THREADS * DRAWS][BLOCK];
    pthread_t threads[THREADS];

    rng_init("threads");
    for (int i = 0; i < THREADS * DRAWS; i++)
        rng_bytes(serial[i], BLOCK);
    rng_init("threads");
    for (int t = 0; t < THREADS; t++)
        ck_assert_int_eq(pthread_create(&threads[t], NULL, draw_blocks, drawn[t]), 0);
    for (int t = 0; t < THREADS; t++)
        ck_assert_int_eq(pthread_join(threads[t], NULL), 0);
    qsort(serial, THREADS * DRAWS, BLOCK, compare_blocks);
    qsort(drawn, THREADS * DRAWS, BLOCK, compare_blocks);
    ck_assert_mem_eq(serial, drawn, sizeof(serial));
}
END_TEST

static Suite *rng_suite(void)
{
    Suite *s = suite_create("rng");
    TCase *seeded = tcase_create("seeded");
    TCase *shape = tcase_create("shape");

    tcase_add_test(seeded, same_seed_same_sequence);
    tcase_add_test(seeded, different_seeds_differ);
    tcase_add_test(seeded, unseeded_differs);
    tcase_add_test(seeded, zero_length_draw);
    tcase_add_test(seeded, seeded_threads_share_one_stream);
    suite_add_tcase(s, seeded);

    tcase_add_loop_test(shape, uuid_shape, 0, 2);
    tcase_add_test(shape, uuid_v7_orders_by_time);
    tcase_add_test(shape, uuid_v7_orders_within_an_instant);
    tcase_add_test(shape, uuid_v7_keeps_the_seeded_stream);
    tcase_add_test(shape, below_bounds);
    tcase_add_test(shape, below_covers_the_range);
    suite_add_tcase(s, shape);
    return s;
}

int main(void)
{
    return unit_run(rng_suite());
}
