/*
 * options.h — the command line and its KEYLESS_EMULATOR_<FLAG> environment twins.
 *
 * Flags win over the environment; the environment wins over defaults. Parsing is pure
 * apart from reading getenv().
 */
#ifndef KE_OPTIONS_H
#define KE_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

#define OPTIONS_MAX_FIXTURES 16
#define OPTIONS_MAX_ORIGINS 8

enum log_format { LOG_TEXT, LOG_JSON };

struct options {
    const char *host;
    unsigned port; /* 0: any free port */
    const char *db_path;
    const char *fixtures[OPTIONS_MAX_FIXTURES];
    size_t nfixtures;
    const char *seed; /* NULL: unseeded */
    const char *ready_file;
    int production;
    /* Unknown members of a request body are dropped and named (a Warning header, the log)
     * instead of refused: for clients that send a GET's answer back with PUT. */
    int lenient_bodies;
    const char *control_token;
    /* Origins besides the emulator's own whose pages may change state through the control
     * API (a deployment behind another host name); each value may list several, separated
     * by commas; "*" allows any. */
    const char *allowed_origins[OPTIONS_MAX_ORIGINS];
    size_t norigins;
    enum log_format log_format;
    /* Test hook, from the environment only: writes fail as on a full disk while this file
     * exists (store/faulty_disk.h). */
    const char *test_disk_full_file;
    unsigned threads;
};

/* Fills opts from argv and the environment. Returns 0, or prints what is wrong and the
 * usage to stderr and returns 2 (the exit status for bad flags); 1 means --help was asked
 * and the usage went to stdout. */
int options_parse(struct options *opts, int argc, char **argv);

/* The flags of `keyless-emulator exec [flags] -- CMD ARGS...`, argv[0] being "exec": the
 * same flags, but the port defaults to 0 (any free one) and the database to :memory:.
 * *command receives the index in argv of CMD. Returns as options_parse() does; a missing
 * CMD is a bad flag. */
int options_parse_exec(struct options *opts, int argc, char **argv, int *command);

void options_usage(FILE *out);

#endif
