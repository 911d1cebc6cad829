/*
 * user/coreutils/reboot.c - reboot [-f]: poweroff.c built with
 * RAYOS_REBOOT (SIGTERM to init, or reboot(RB_AUTOBOOT) with -f).
 */
#define RAYOS_REBOOT 1
#include "poweroff.c"
