#include "events/dispatcher.h"

enum status dispatcher_start(void)
{
    return ST_OK;
}

void dispatcher_stop(void)
{
}
