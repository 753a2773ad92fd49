/* uname(2): only fields that are the same everywhere are printed. */
// build: -static
#include "check.h"
#include <sys/utsname.h>

int main(void)
{
	struct utsname u;

	CHECK(uname(&u));
	SAY("sysname = %s\n", u.sysname);
	SAY("machine = %s\n", u.machine);
	EXPECT(strlen(u.release) > 0);
	EXPECT(strlen(u.nodename) > 0);
	char host[HOST_NAME_MAX + 1];
	CHECK(gethostname(host, sizeof(host)));
	EXPECT(strcmp(host, u.nodename) == 0);
	CHECK(gethostname(host, 0));
	return 0;
}
