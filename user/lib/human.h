/* user/lib/human.h - sizes for people, as GNU's -h options print them. */
#ifndef USER_LIB_HUMAN_H
#define USER_LIB_HUMAN_H
#include <stddef.h>
/* bytes as "123", "4.0K", "12K", "1.5M" ... into buf. */
void human_size(unsigned long long bytes, char *buf, size_t len);
#endif
