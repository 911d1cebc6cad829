/*
 * user/coreutils/false.c - false: do nothing, unsuccessfully (exit status
 * 1): true.c built with RAYOS_FALSE. Arguments are ignored.
 */
#define RAYOS_FALSE 1
#include "true.c"
