#include "events/event_types.h"

#include <string.h>

const char *const event_type_names[] = {
    "GatewayDeviceActivated",
    "GatewayDeviceAuditLogEntryReceived",
    "GatewayDeviceSystemLogEntryReceived",
    "LockingDeviceAuditLogEntryReceived",
    "LockingDeviceAuditLogEntryReceivedV2",
    "LockingDeviceCertificateEligibleForReKeying",
    "LockingDeviceCertificateIssued",
    "LockingDeviceCertificateReKeyingCompleted",
    "LockingDeviceCertificateSigningRequestCreated",
    "LockingDeviceClaimed",
    "LockingDeviceSystemLogEntryReceived",
    "OperatingDeviceActivated",
    "OperatingDeviceCreated",
    "OperatingDeviceDeleted",
    "RemoteCommandAcknowledged",
    "UserCreated",
    "UserDeleted",
    NULL,
};

int event_type_known(const char *name)
{
    for (size_t i = 0; name != NULL && event_type_names[i] != NULL; i++)
        if (strcmp(event_type_names[i], name) == 0)
            return 1;
    return 0;
}
