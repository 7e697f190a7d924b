/*
 * faulty_disk.h — a test hook: a disk that fills up on command.
 *
 * With KEYLESS_EMULATOR_TEST_DISK_FULL_FILE=<path> in the environment the store opens its
 * database through a VFS that fails every write with SQLITE_FULL while <path> exists, so
 * that a test can fill the disk and free it again, portably and at exact moments, and
 * check that the emulator says so, loses nothing it acknowledged, and recovers by itself.
 * Nothing else changes; without the variable the hook is not installed.
 */
#ifndef KE_STORE_FAULTY_DISK_H
#define KE_STORE_FAULTY_DISK_H

#include "lib/problem.h"

/* Makes the faulty VFS SQLite's default. Call before db_open(); trigger must outlive it. */
enum status faulty_disk_install(const char *trigger);

#endif
