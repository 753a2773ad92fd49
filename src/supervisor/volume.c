/* Parsing of the host paths given on the command line: --volume and
 * --rootfs. */
#include "supervisor/cli.h"
#include "common/util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Normalize an absolute guest path into out: collapse repeated slashes
 * and drop a trailing one. Rejects "." and ".." components, because the
 * supervisor cannot resolve them against the guest's file system. */
static int normalize_guest_path(const char *path, char *out, size_t outlen)
{
	size_t n = 0;
	const char *p = path;

	if (path[0] != '/')
		return -EINVAL;
	while (*p) {
		const char *end;
		size_t len;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		end = strchrnul(p, '/');
		len = end - p;
		if ((len == 1 && p[0] == '.') ||
		    (len == 2 && p[0] == '.' && p[1] == '.'))
			return -EINVAL;
		if (n + 1 + len + 1 > outlen)
			return -ENAMETOOLONG;
		out[n++] = '/';
		memcpy(out + n, p, len);
		n += len;
		p = end;
	}
	if (n == 0)
		out[n++] = '/';
	out[n] = '\0';
	return 0;
}

static int resolve_host_path(const char *path, const char *what, char **out,
			     struct stat *st, char *err, size_t errlen)
{
	char *real = realpath(path, NULL);

	if (!real) {
		int e = errno;
		snprintf(err, errlen, "%s '%s' is not accessible: %s", what,
			 path, strerror(e));
		return -e;
	}
	if (stat(real, st) < 0) {
		int e = errno;
		snprintf(err, errlen, "cannot stat %s '%s': %s", what, path,
			 strerror(e));
		free(real);
		return -e;
	}
	*out = real;
	return 0;
}

int parse_volume(const char *spec, struct volume *out, char *err, size_t errlen)
{
	_cleanup_free_ char *copy = xstrdup(spec);
	char guest[PATH_MAX];
	char what[PATH_MAX + 64];
	char *host = copy, *guest_spec, *mode;
	struct stat st;
	bool readonly = false;
	int r;

	guest_spec = strchr(copy, ':');
	if (!guest_spec || guest_spec == copy) {
		snprintf(err, errlen,
			 "invalid --volume '%s': expected HOST:GUEST[:ro]",
			 spec);
		return -EINVAL;
	}
	*guest_spec++ = '\0';
	mode = strchr(guest_spec, ':');
	if (mode) {
		*mode++ = '\0';
		if (strcmp(mode, "ro") == 0) {
			readonly = true;
		} else if (strcmp(mode, "rw") != 0) {
			snprintf(err, errlen,
				 "invalid --volume '%s': unknown mode '%s' "
				 "(expected 'ro' or 'rw')",
				 spec, mode);
			return -EINVAL;
		}
	}
	if (guest_spec[0] != '/') {
		snprintf(err, errlen,
			 "invalid --volume '%s': guest path '%s' must be "
			 "absolute",
			 spec, guest_spec);
		return -EINVAL;
	}
	r = normalize_guest_path(guest_spec, guest, sizeof(guest));
	if (r < 0) {
		snprintf(err, errlen,
			 "invalid --volume '%s': guest path '%s' must not "
			 "contain '.' or '..' components",
			 spec, guest_spec);
		return r;
	}
	if (strcmp(guest, "/") == 0) {
		snprintf(err, errlen,
			 "invalid --volume '%s': cannot mount a volume on "
			 "'/'; use --rootfs to choose the root file system",
			 spec);
		return -EINVAL;
	}

	snprintf(what, sizeof(what), "invalid --volume '%s': host path", spec);
	r = resolve_host_path(host, what, &out->host, &st, err, errlen);
	if (r < 0)
		return r;
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
		snprintf(err, errlen,
			 "invalid --volume '%s': host path '%s' is neither a "
			 "directory nor a regular file",
			 spec, host);
		free(take_ptr(&out->host));
		return -EINVAL;
	}
	out->guest = xstrdup(guest);
	out->readonly = readonly;
	return 0;
}

void volume_free(struct volume *v)
{
	free(take_ptr(&v->host));
	free(take_ptr(&v->guest));
}

int parse_rootfs(const char *path, char **out, char *err, size_t errlen)
{
	struct stat st;
	char *real;
	int r;

	r = resolve_host_path(path, "--rootfs", &real, &st, err, errlen);
	if (r < 0)
		return r;
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen,
			 "--rootfs '%s' is not a directory; pass the "
			 "directory that holds the guest's root file system",
			 path);
		free(real);
		return -ENOTDIR;
	}
	*out = real;
	return 0;
}
