/* getrandom(2) and /dev/urandom: lengths only, plus a sanity check that
 * two draws differ. */
#include "check.h"
#include <sys/random.h>

int main(void)
{
	unsigned char a[64], b[64];

	CHECK(getrandom(a, sizeof(a), 0));
	CHECK(getrandom(b, sizeof(b), GRND_NONBLOCK));
	EXPECT(memcmp(a, b, sizeof(a)) != 0);
	CHECK(getrandom(a, 0, 0));
	CHECK(getrandom(a, sizeof(a), 0x1000));
	CHECK(getrandom(a, 16, GRND_RANDOM | GRND_NONBLOCK) > 0 || errno == EAGAIN);
	static unsigned char big[1 << 20];
	long got = CHECK(getrandom(big, sizeof(big), 0));
	EXPECT(got > 0);
	CHECK(getentropy(a, 32));
	CHECK(getentropy(a, 257));

	int fd = CHECK(open("/dev/urandom", O_RDONLY));
	CHECK(read(fd, a, sizeof(a)));
	CHECK(read(fd, b, sizeof(b)));
	EXPECT(memcmp(a, b, sizeof(a)) != 0);
	CHECK(close(fd));
	fd = CHECK(open("/dev/random", O_RDONLY));
	CHECK(read(fd, a, 16));
	return 0;
}
