/* Socket addresses for the AF_UNIX differential tests. */
#ifndef MOAT_TESTS_DIFF_UNIX_ADDR_H
#define MOAT_TESTS_DIFF_UNIX_ADDR_H

#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

/* Fill addr with the path name and return its length, trailing NUL
 * included, as bind(2) and connect(2) take it. */
static inline socklen_t make_addr(struct sockaddr_un *addr, const char *path)
{
	memset(addr, 0, sizeof(*addr));
	addr->sun_family = AF_UNIX;
	strcpy(addr->sun_path, path);
	return offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
}

#endif
