/*
 * trigger_cli.h — `keyless-emulator trigger EVENT_TYPE --url URL --system ID
 * [--control-token T]`: asks a running emulator to make one of its systems emit a vendor
 * event (POST /_emulator/v1/systems/{id}/trigger) and prints the story and the events.
 *
 * URL, ID and T default to $KEYLESS_EMULATOR_URL, $KEYLESS_EMULATOR_SYSTEM_ID and
 * $KEYLESS_EMULATOR_CONTROL_TOKEN (`exec` exports the first two to its command). The answer
 * goes to stdout; exit status 0 when the event was emitted, 1 when the emulator refused
 * (its problem's detail on stderr), 2 for bad usage (the usage on stderr), 125 when it
 * cannot be reached. libcurl is loaded as the webhook dispatcher loads it
 * (events/curl_api.h).
 */
#ifndef KE_TRIGGER_CLI_H
#define KE_TRIGGER_CLI_H

#define TRIGGER_EMITTED 0
#define TRIGGER_REFUSED 1
#define TRIGGER_USAGE 2
#define TRIGGER_UNREACHABLE 125

/* The trigger subcommand; argv[0] is "trigger". Returns the exit status. */
int trigger_main(int argc, char **argv);

#endif
