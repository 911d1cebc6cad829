/* kernel/include/version.h - what uname(2) reports. */
#ifndef KERNEL_VERSION_H
#define KERNEL_VERSION_H
#define RAYOS_RELEASE "0.1.0"
#define RAYOS_VERSION_STRING "#1 RayOS 0.1.0 (" __DATE__ ")"
#endif
