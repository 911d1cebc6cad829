/* user/lib/slurp.h - read a whole descriptor into memory (head, tail). */
#ifndef USER_LIB_SLURP_H
#define USER_LIB_SLURP_H
#include <stddef.h>
/* All of fd in a malloc'd buffer, its length in *len; NULL on a read error
 * or when memory runs out (errno says which). */
char *slurp(int fd, size_t *len);
#endif
