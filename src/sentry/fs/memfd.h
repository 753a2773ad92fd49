/* memfd_create(2) files and their seals. */
#ifndef MOAT_SENTRY_FS_MEMFD_H
#define MOAT_SENTRY_FS_MEMFD_H

#include <stdint.h>

struct file;

/* F_ADD_SEALS and F_GET_SEALS of fcntl(2). Seals live in the host memfd
 * behind a tmpfs-like memfs file (a memfd, or a file in /tmp or
 * /dev/shm), so the host kernel enforces them. Other files return
 * -EINVAL, as on Linux for file systems other than tmpfs. */
long memfd_fcntl_seals(struct file *f, int cmd, uint64_t arg);

#endif
