/* Guest buffer lists: one segment for read/write, iovecs for readv/writev
 * and the socket calls. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "platform/platform.h"
#include "sentry/io/io_internal.h"
#include "sentry/mm.h"

bool user_range_ok(uint64_t addr, uint64_t len)
{
	return addr <= TASK_SIZE_MAX && len <= TASK_SIZE_MAX - addr;
}

void user_iter_init_single(struct user_iter *it, uint64_t buf, size_t len)
{
	memset(it, 0, sizeof(*it));
	it->single.iov_base = (void *)buf;
	it->single.iov_len = len;
	it->iov = &it->single;
	it->nr_segs = 1;
	it->count = len;
}

int user_iter_import(struct task *t, struct user_iter *it, uint64_t uiov,
		     uint64_t nr_segs)
{
	struct iovec *iov;
	size_t total = 0;

	memset(it, 0, sizeof(*it));
	if (nr_segs > IO_IOV_MAX)
		return -EINVAL;
	if (nr_segs == 0)
		return 0;
	iov = xcalloc(nr_segs, sizeof(*iov));
	if (copy_from_user(t, iov, uiov, nr_segs * sizeof(*iov)) < 0) {
		free(iov);
		return -EFAULT;
	}
	for (uint64_t i = 0; i < nr_segs; i++) {
		size_t len = iov[i].iov_len;

		if ((ssize_t)len < 0) {
			free(iov);
			return -EINVAL;
		}
		if (!user_range_ok((uint64_t)iov[i].iov_base, len)) {
			free(iov);
			return -EFAULT;
		}
		/* Linux shortens the request, it does not fail it. */
		if (len > MAX_RW_COUNT - total) {
			len = MAX_RW_COUNT - total;
			iov[i].iov_len = len;
		}
		total += len;
	}
	it->iov = iov;
	it->allocated = iov;
	it->nr_segs = nr_segs;
	it->count = total;
	return 0;
}

void user_iter_release(struct user_iter *it)
{
	free(it->allocated);
	it->allocated = NULL;
}

/* Copy len bytes between buf and guest address addr page by page, up to
 * the first page that faults. Returns the bytes copied, so a copy that
 * faults part way moves the accessible prefix, as Linux's copy_to_user
 * and copy_from_user do. */
static size_t copy_user_prefix(struct task *t, uint64_t addr, char *buf,
			       size_t len, bool to_user)
{
	size_t done = 0;

	while (done < len) {
		uint64_t at = addr + done;
		size_t n = MIN(len - done, PAGE_SIZE - (at % PAGE_SIZE));
		int err = to_user ? copy_to_user(t, at, buf + done, n)
				  : copy_from_user(t, buf + done, at, n);

		if (err < 0)
			break;
		done += n;
	}
	return done;
}

/* Copy to or from the guest segment by segment; stops at the first
 * fault. */
static size_t user_iter_copy(struct task *t, struct user_iter *it, void *buf,
			     size_t len, bool to_user)
{
	size_t done = 0;

	while (done < len && it->seg < it->nr_segs) {
		struct iovec *v = &it->iov[it->seg];
		size_t n = MIN(len - done, v->iov_len - it->offset);
		uint64_t addr = (uint64_t)v->iov_base + it->offset;
		int err;

		if (n > 0) {
			if (to_user)
				err = copy_to_user(t, addr, (char *)buf + done,
						   n);
			else
				err = copy_from_user(t, (char *)buf + done,
						     addr, n);
			if (err < 0) {
				n = copy_user_prefix(
				    t, addr, (char *)buf + done, n, to_user);
				done += n;
				it->offset += n;
				it->count -= n;
				break;
			}
		}
		done += n;
		it->offset += n;
		it->count -= n;
		if (it->offset == v->iov_len) {
			it->seg++;
			it->offset = 0;
		}
	}
	return done;
}

size_t user_iter_copy_out(struct task *t, struct user_iter *it, const void *buf,
			  size_t len)
{
	return user_iter_copy(t, it, (void *)buf, len, true);
}

size_t user_iter_copy_in(struct task *t, struct user_iter *it, void *buf,
			 size_t len)
{
	return user_iter_copy(t, it, buf, len, false);
}
