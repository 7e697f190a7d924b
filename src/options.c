#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
    OPT_HOST = 256,
    OPT_PORT,
    OPT_DB,
    OPT_FIXTURES,
    OPT_SEED,
    OPT_READY_FILE,
    OPT_PRODUCTION,
    OPT_LENIENT_BODIES,
    OPT_CONTROL_TOKEN,
    OPT_ALLOWED_ORIGIN,
    OPT_LOG_FORMAT,
    OPT_THREADS,
    OPT_HELP
};

static const struct option long_options[] = {
    {"host", required_argument, NULL, OPT_HOST},
    {"port", required_argument, NULL, OPT_PORT},
    {"db", required_argument, NULL, OPT_DB},
    {"fixtures", required_argument, NULL, OPT_FIXTURES},
    {"seed", required_argument, NULL, OPT_SEED},
    {"ready-file", required_argument, NULL, OPT_READY_FILE},
    {"production", no_argument, NULL, OPT_PRODUCTION},
    {"lenient-bodies", no_argument, NULL, OPT_LENIENT_BODIES},
    {"control-token", required_argument, NULL, OPT_CONTROL_TOKEN},
    {"allowed-origin", required_argument, NULL, OPT_ALLOWED_ORIGIN},
    {"log-format", required_argument, NULL, OPT_LOG_FORMAT},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

void options_usage(FILE *out)
{
    fputs("usage: keyless-emulator [--host 127.0.0.1] [--port 8080] [--db keyless-emulator.db]\n"
          "                        [--fixtures FILE]... [--seed N] [--ready-file PATH]\n"
          "                        [--production] [--lenient-bodies]\n"
          "                        [--control-token T] [--allowed-origin O]...\n"
          "                        [--log-format text|json] [--threads N]\n"
          "       keyless-emulator exec [flags] -- CMD [ARGS...]\n"
          "       keyless-emulator trigger EVENT_TYPE [--url URL] [--system ID]"
          " [--control-token T]\n"
          "\n"
          "  --host H            address to listen on (default 127.0.0.1)\n"
          "  --port P            TCP port; 0 picks any free port (default 8080)\n"
          "  --db PATH           SQLite file, or :memory: (default keyless-emulator.db)\n"
          "  --fixtures FILE     load a fixture document at start (repeatable)\n"
          "  --seed N            make ids, keys and codes reproducible\n"
          "  --ready-file PATH   write the base URL there once connections are accepted\n"
          "  --production        behave like production: testing endpoints answer 403\n"
          "  --lenient-bodies    ignore unknown members of a request body (named in a\n"
          "                      Warning header and the log) instead of answering 400\n"
          "  --control-token T   require 'Authorization: Bearer T' on /_emulator/v1\n"
          "  --allowed-origin O  let pages of origin O (e.g. https://emu.example.com) change\n"
          "                      state through the control API; repeatable, or O,O2\n"
          "  --log-format F      access log as text or json lines on stderr (default text)\n"
          "  --threads N         HTTP worker threads (default: number of CPUs)\n"
          "\n"
          "Every flag can also be given as KEYLESS_EMULATOR_<FLAG>, e.g. KEYLESS_EMULATOR_PORT.\n"
          "\n"
          "exec starts the emulator (by default on any free port and :memory:), runs CMD with\n"
          "KEYLESS_EMULATOR_URL and, for the first fixture system, KEYLESS_EMULATOR_SYSTEM_ID,\n"
          "KEYLESS_EMULATOR_API_KEY, KEYLESS_EMULATOR_USER_ID and KEYLESS_EMULATOR_ACCESS_KEY\n"
          "in its environment, stops the emulator when CMD ends and exits with CMD's status\n"
          "(125 when exec itself fails: bad flags, the emulator or CMD cannot start).\n"
          "\n"
          "trigger asks a running emulator to make a system emit one of the vendor's events;\n"
          "keyless-emulator trigger --help says how.\n",
          out);
}

static int parse_unsigned(const char *text, unsigned max, unsigned *out)
{
    char *end;
    unsigned long v;

    if (text == NULL || *text < '0' || *text > '9')
        return -1;
    errno = 0;
    v = strtoul(text, &end, 10);
    if (errno != 0 || *end != '\0' || v > max)
        return -1;
    *out = (unsigned)v;
    return 0;
}

static int is_true(const char *v)
{
    return strcmp(v, "1") == 0 || strcmp(v, "true") == 0 || strcmp(v, "yes") == 0;
}

/* Applies one option value; returns 0 or prints why it is bad and returns -1. */
static int apply(struct options *o, int id, const char *value, const char *flag)
{
    switch (id) {
    case OPT_HOST:
        o->host = value;
        return 0;
    case OPT_PORT:
        if (parse_unsigned(value, 65535, &o->port) == 0)
            return 0;
        break;
    case OPT_DB:
        if (*value != '\0') {
            o->db_path = value;
            return 0;
        }
        break;
    case OPT_FIXTURES:
        if (o->nfixtures < OPTIONS_MAX_FIXTURES) {
            o->fixtures[o->nfixtures++] = value;
            return 0;
        }
        break;
    case OPT_SEED:
        o->seed = value;
        return 0;
    case OPT_READY_FILE:
        o->ready_file = value;
        return 0;
    case OPT_PRODUCTION:
        o->production = value == NULL || is_true(value);
        return 0;
    case OPT_LENIENT_BODIES:
        o->lenient_bodies = value == NULL || is_true(value);
        return 0;
    case OPT_CONTROL_TOKEN:
        o->control_token = *value != '\0' ? value : NULL;
        return 0;
    case OPT_ALLOWED_ORIGIN:
        if (*value != '\0' && o->norigins < OPTIONS_MAX_ORIGINS) {
            o->allowed_origins[o->norigins++] = value;
            return 0;
        }
        break;
    case OPT_LOG_FORMAT:
        if (strcmp(value, "text") == 0 || strcmp(value, "json") == 0) {
            o->log_format = strcmp(value, "json") == 0 ? LOG_JSON : LOG_TEXT;
            return 0;
        }
        break;
    case OPT_THREADS:
        if (parse_unsigned(value, 256, &o->threads) == 0 && o->threads > 0)
            return 0;
        break;
    }
    fprintf(stderr, "keyless-emulator: bad value '%s' for %s\n", value ? value : "", flag);
    return -1;
}

/* KEYLESS_EMULATOR_READY_FILE for --ready-file, and so on. */
static int apply_environment(struct options *o)
{
    for (const struct option *lo = long_options; lo->name != NULL; lo++) {
        char env[64] = "KEYLESS_EMULATOR_";
        size_t len = strlen(env);
        const char *value;

        if (lo->val == OPT_HELP)
            continue;
        for (const char *c = lo->name; *c != '\0' && len + 1 < sizeof(env); c++)
            env[len++] = *c == '-' ? '_' : (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
        env[len] = '\0';
        value = getenv(env);
        if (value != NULL && apply(o, lo->val, value, env) != 0)
            return -1;
    }
    return 0;
}

static void set_defaults(struct options *o, int exec_mode)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);

    memset(o, 0, sizeof(*o));
    o->host = "127.0.0.1";
    o->port = exec_mode ? 0 : 8080;
    o->db_path = exec_mode ? ":memory:" : "keyless-emulator.db";
    o->threads = cpus > 0 ? (unsigned)cpus : 2;
    o->test_disk_full_file = getenv("KEYLESS_EMULATOR_TEST_DISK_FULL_FILE");
}

/* What follows the flags: exec's command, or nothing at all. */
static int check_rest(int argc, char **argv, int exec_mode)
{
    if (exec_mode && optind >= argc) {
        fprintf(stderr, "keyless-emulator: exec needs a command after the flags and '--'\n");
        return -1;
    }
    if (!exec_mode && optind < argc) {
        fprintf(stderr, "keyless-emulator: unexpected argument '%s'\n", argv[optind]);
        return -1;
    }
    return 0;
}

/* Both command lines: exec_mode changes the defaults and stops at the first argument that
 * is not a flag (or after "--"), which starts the command; *command gets its index. */
static int parse(struct options *o, int argc, char **argv, int exec_mode, int *command)
{
    int c, index = 0, env_fixtures;
    char flag[64];

    set_defaults(o, exec_mode);
    if (apply_environment(o) != 0)
        goto bad;
    /* Fixtures named on the command line replace those of the environment. */
    env_fixtures = (int)o->nfixtures;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, exec_mode ? "+" : "", long_options, &index)) != -1) {
        if (c == OPT_HELP) {
            options_usage(stdout);
            return 1;
        }
        if (c == '?') {
            fprintf(stderr, "keyless-emulator: unknown or incomplete flag '%s'\n",
                    argv[optind - 1]);
            goto bad;
        }
        if (c == OPT_FIXTURES && env_fixtures > 0) {
            o->nfixtures = 0;
            env_fixtures = 0;
        }
        snprintf(flag, sizeof(flag), "--%s", long_options[index].name);
        if (apply(o, c, optarg, flag) != 0)
            goto bad;
    }
    if (check_rest(argc, argv, exec_mode) != 0)
        goto bad;
    if (command != NULL)
        *command = optind;
    return 0;
bad:
    options_usage(stderr);
    return 2;
}

int options_parse(struct options *o, int argc, char **argv)
{
    return parse(o, argc, argv, 0, NULL);
}

int options_parse_exec(struct options *o, int argc, char **argv, int *command)
{
    return parse(o, argc, argv, 1, command);
}
