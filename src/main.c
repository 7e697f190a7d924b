/*
 * main.c — picks the command: the server (flags and environment, see options.h), the exec
 * wrapper for CI, or the trigger client. Serving and wrapping live in exec.c, the client in
 * trigger_cli.c; no business logic lives here.
 */
#include <string.h>

#include "exec.h"
#include "options.h"
#include "trigger_cli.h"

int main(int argc, char **argv)
{
    struct options opts;
    int rc;

    if (argc > 1 && strcmp(argv[1], "exec") == 0)
        return exec_main(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "trigger") == 0)
        return trigger_main(argc - 1, argv + 1);
    rc = options_parse(&opts, argc, argv);
    if (rc != 0)
        return rc == 1 ? 0 : rc;
    return exec_serve(&opts, -1);
}
