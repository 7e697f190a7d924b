/*
 * array.h — the length of a fixed array, for every layer.
 */
#ifndef KE_LIB_ARRAY_H
#define KE_LIB_ARRAY_H

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

#endif
