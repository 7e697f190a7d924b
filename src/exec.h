/*
 * exec.h — running the emulator: in the foreground until SIGINT or SIGTERM, or around a
 * command for CI (`keyless-emulator exec [flags] -- CMD ARGS...`).
 *
 * exec forks the server from this same binary before any thread exists, waits until it
 * accepts connections, runs CMD with KEYLESS_EMULATOR_URL (and, for the first fixture
 * system, KEYLESS_EMULATOR_SYSTEM_ID, _API_KEY, _USER_ID, _ACCESS_KEY) in its environment,
 * stops the server when CMD ends and exits with CMD's status: its exit code, or 128 + the
 * signal that killed it. Its own failures exit 125 (bad flags, the server did not start,
 * CMD could not be run), as env(1) and timeout(1) do. The server runs in its own process
 * group, so a terminal's Ctrl-C reaches CMD but not the server, and dies with the wrapper.
 */
#ifndef KE_EXEC_H
#define KE_EXEC_H

#include "options.h"

#define EXEC_FAILED 125

/* Serves until SIGINT or SIGTERM; returns the process exit status (0, or 1 when it could
 * not start). When ready_fd >= 0, once connections are accepted it writes there the lines
 * "NAME=VALUE" of the variables exec exports, then an empty line, and closes it; the
 * banner then goes to stderr so that CMD's output stays its own. */
int exec_serve(const struct options *opts, int ready_fd);

/* The exec subcommand; argv[0] is "exec". Returns the exit status. */
int exec_main(int argc, char **argv);

#endif
