/* Advisory file locks: the hooks the FD table and file release call.
 *
 * POSIX record locks are owned by an FD table (Linux's files_struct), so
 * the threads of a process share them and a forked child starts without
 * any. flock(2) locks and OFD locks are owned by the open file
 * description. */
#ifndef MOAT_SENTRY_IO_LOCKS_H
#define MOAT_SENTRY_IO_LOCKS_H

struct fdtable;
struct file;

/* Release the POSIX record locks that the owner fdt holds on f's file,
 * because one of its FDs for that file is being closed. f may be NULL. */
void locks_remove_posix(struct fdtable *fdt, struct file *f);

/* Release the flock and OFD locks of f. Called when the last reference
 * to f goes away. */
void locks_remove_file(struct file *f);

#endif
