/* Encoders and decoders for the gofer protocol (see gofer_proto.h). Each
 * message type has one encode and one decode function per direction that
 * list the same fields in the same order, so the two sides cannot drift. */
#include "common/gofer_proto.h"

#include <errno.h>
#include <string.h>

void gofer_put_bytes(struct gofer_writer *w, const void *p, size_t n)
{
	if (w->overflow || n > GOFER_MAX_MESSAGE - w->len) {
		w->overflow = true;
		return;
	}
	memcpy(w->data + w->len, p, n);
	w->len += n;
}

void gofer_put_u8(struct gofer_writer *w, uint8_t v)
{
	gofer_put_bytes(w, &v, 1);
}

void gofer_put_u16(struct gofer_writer *w, uint16_t v)
{
	uint8_t b[2] = {v, v >> 8};
	gofer_put_bytes(w, b, sizeof(b));
}

void gofer_put_u32(struct gofer_writer *w, uint32_t v)
{
	uint8_t b[4] = {v, v >> 8, v >> 16, v >> 24};
	gofer_put_bytes(w, b, sizeof(b));
}

void gofer_put_u64(struct gofer_writer *w, uint64_t v)
{
	gofer_put_u32(w, (uint32_t)v);
	gofer_put_u32(w, (uint32_t)(v >> 32));
}

void gofer_put_string(struct gofer_writer *w, const char *s, size_t n)
{
	if (n > UINT16_MAX) {
		w->overflow = true;
		return;
	}
	gofer_put_u16(w, n);
	gofer_put_bytes(w, s, n);
}

static const uint8_t *take(struct gofer_reader *r, size_t n)
{
	const uint8_t *p;

	if (r->error || n > r->len - r->pos) {
		r->error = true;
		return NULL;
	}
	p = r->data + r->pos;
	r->pos += n;
	return p;
}

uint8_t gofer_get_u8(struct gofer_reader *r)
{
	const uint8_t *p = take(r, 1);
	return p ? p[0] : 0;
}

uint16_t gofer_get_u16(struct gofer_reader *r)
{
	const uint8_t *p = take(r, 2);
	return p ? (uint16_t)(p[0] | p[1] << 8) : 0;
}

uint32_t gofer_get_u32(struct gofer_reader *r)
{
	const uint8_t *p = take(r, 4);
	if (!p)
		return 0;
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

uint64_t gofer_get_u64(struct gofer_reader *r)
{
	uint64_t lo = gofer_get_u32(r);
	uint64_t hi = gofer_get_u32(r);
	return lo | hi << 32;
}

size_t gofer_get_string(struct gofer_reader *r, char *out, size_t max)
{
	uint16_t n = gofer_get_u16(r);
	const uint8_t *p;

	out[0] = '\0';
	if (r->error)
		return 0;
	if (n > max) {
		r->error = true;
		return 0;
	}
	p = take(r, n);
	if (!p)
		return 0;
	if (memchr(p, '\0', n)) {
		r->error = true;
		return 0;
	}
	memcpy(out, p, n);
	out[n] = '\0';
	return n;
}

bool gofer_name_valid(const char *name, size_t len)
{
	if (len == 0 || len > NAME_MAX)
		return false;
	if (name[0] == '.' && (len == 1 || (len == 2 && name[1] == '.')))
		return false;
	return memchr(name, '/', len) == NULL &&
	       memchr(name, '\0', len) == NULL;
}

void gofer_begin_message(struct gofer_writer *w, uint8_t *buf, uint16_t type,
			 uint32_t tag)
{
	w->data = buf;
	w->len = 0;
	w->overflow = false;
	gofer_put_u32(w, GOFER_MAGIC);
	gofer_put_u16(w, GOFER_VERSION);
	gofer_put_u16(w, type);
	gofer_put_u32(w, tag);
	gofer_put_u32(w, 0);
}

int gofer_finish_message(struct gofer_writer *w)
{
	uint32_t payload;

	if (w->overflow)
		return -EMSGSIZE;
	payload = w->len - GOFER_HEADER_SIZE;
	w->data[12] = payload;
	w->data[13] = payload >> 8;
	w->data[14] = payload >> 16;
	w->data[15] = payload >> 24;
	return (int)w->len;
}

int gofer_decode_header(const uint8_t *msg, size_t len, struct gofer_header *h)
{
	struct gofer_reader r = {.data = msg, .len = len};

	memset(h, 0, sizeof(*h));
	if (len < GOFER_HEADER_SIZE)
		return -EBADMSG;
	h->magic = gofer_get_u32(&r);
	h->version = gofer_get_u16(&r);
	h->type = gofer_get_u16(&r);
	h->tag = gofer_get_u32(&r);
	h->length = gofer_get_u32(&r);
	if (h->magic != GOFER_MAGIC)
		return -EBADMSG;
	if (h->version != GOFER_VERSION)
		return -EPROTO;
	if (len > GOFER_MAX_MESSAGE || h->length != len - GOFER_HEADER_SIZE)
		return -EBADMSG;
	return 0;
}

/* Read one path component; a bad one fails the whole message. */
static int get_name(struct gofer_reader *r, char *out)
{
	uint16_t n;
	struct gofer_reader peek = *r;

	n = gofer_get_u16(&peek);
	if (!peek.error && n > NAME_MAX && n <= peek.len - peek.pos)
		return -ENAMETOOLONG;
	n = gofer_get_string(r, out, NAME_MAX);
	if (r->error)
		return -EBADMSG;
	if (!gofer_name_valid(out, n))
		return -EINVAL;
	return 0;
}

static void put_name(struct gofer_writer *w, const char *name)
{
	gofer_put_string(w, name, strnlen(name, NAME_MAX + 1));
}

static void put_request_fields(struct gofer_writer *w,
			       const struct gofer_request *q)
{
	const struct gofer_setattr *a = &q->attr;

	switch (q->type) {
	case GOFER_ATTACH:
		gofer_put_u32(w, q->index);
		break;
	case GOFER_WALK:
		gofer_put_u32(w, q->fid);
		put_name(w, q->name);
		break;
	case GOFER_CLUNK:
	case GOFER_GETATTR:
	case GOFER_READLINK:
	case GOFER_STATFS:
		gofer_put_u32(w, q->fid);
		break;
	case GOFER_OPEN:
		gofer_put_u32(w, q->fid);
		gofer_put_u32(w, q->flags);
		break;
	case GOFER_CREATE:
		gofer_put_u32(w, q->fid);
		put_name(w, q->name);
		gofer_put_u32(w, q->flags);
		gofer_put_u32(w, q->mode);
		gofer_put_u32(w, q->uid);
		gofer_put_u32(w, q->gid);
		break;
	case GOFER_MKDIR:
	case GOFER_MKNOD:
		gofer_put_u32(w, q->fid);
		put_name(w, q->name);
		gofer_put_u32(w, q->mode);
		gofer_put_u32(w, q->uid);
		gofer_put_u32(w, q->gid);
		break;
	case GOFER_SYMLINK:
		gofer_put_u32(w, q->fid);
		put_name(w, q->name);
		gofer_put_string(w, q->target,
				 strnlen(q->target, sizeof(q->target)));
		gofer_put_u32(w, q->uid);
		gofer_put_u32(w, q->gid);
		break;
	case GOFER_LINK:
		gofer_put_u32(w, q->fid);
		put_name(w, q->name);
		gofer_put_u32(w, q->fid2);
		break;
	case GOFER_UNLINK:
		gofer_put_u32(w, q->fid);
		put_name(w, q->name);
		gofer_put_u32(w, q->flags);
		break;
	case GOFER_RENAME:
		gofer_put_u32(w, q->fid);
		put_name(w, q->name);
		gofer_put_u32(w, q->fid2);
		put_name(w, q->name2);
		break;
	case GOFER_GETDENTS:
		gofer_put_u32(w, q->fid);
		gofer_put_u64(w, q->offset);
		gofer_put_u32(w, q->count);
		break;
	case GOFER_SETATTR:
		gofer_put_u32(w, q->fid);
		gofer_put_u32(w, a->mask);
		gofer_put_u32(w, a->mode);
		gofer_put_u32(w, a->uid);
		gofer_put_u32(w, a->gid);
		gofer_put_u64(w, a->size);
		gofer_put_u64(w, a->atime_sec);
		gofer_put_u64(w, a->atime_nsec);
		gofer_put_u64(w, a->mtime_sec);
		gofer_put_u64(w, a->mtime_nsec);
		break;
	}
}

int gofer_encode_request(const struct gofer_request *req, uint8_t *buf)
{
	struct gofer_writer w;

	if (req->type == 0 || req->type >= GOFER_TYPE_END)
		return -EINVAL;
	gofer_begin_message(&w, buf, req->type, req->tag);
	put_request_fields(&w, req);
	return gofer_finish_message(&w);
}

static int get_request_fields(struct gofer_reader *r, struct gofer_request *q)
{
	struct gofer_setattr *a = &q->attr;
	int err = 0;

	switch (q->type) {
	case GOFER_ATTACH:
		q->index = gofer_get_u32(r);
		break;
	case GOFER_WALK:
		q->fid = gofer_get_u32(r);
		err = get_name(r, q->name);
		break;
	case GOFER_CLUNK:
	case GOFER_GETATTR:
	case GOFER_READLINK:
	case GOFER_STATFS:
		q->fid = gofer_get_u32(r);
		break;
	case GOFER_OPEN:
		q->fid = gofer_get_u32(r);
		q->flags = gofer_get_u32(r);
		break;
	case GOFER_CREATE:
		q->fid = gofer_get_u32(r);
		err = get_name(r, q->name);
		q->flags = gofer_get_u32(r);
		q->mode = gofer_get_u32(r);
		q->uid = gofer_get_u32(r);
		q->gid = gofer_get_u32(r);
		break;
	case GOFER_MKDIR:
	case GOFER_MKNOD:
		q->fid = gofer_get_u32(r);
		err = get_name(r, q->name);
		q->mode = gofer_get_u32(r);
		q->uid = gofer_get_u32(r);
		q->gid = gofer_get_u32(r);
		break;
	case GOFER_SYMLINK:
		q->fid = gofer_get_u32(r);
		err = get_name(r, q->name);
		gofer_get_string(r, q->target, GOFER_MAX_TARGET);
		q->uid = gofer_get_u32(r);
		q->gid = gofer_get_u32(r);
		break;
	case GOFER_LINK:
		q->fid = gofer_get_u32(r);
		err = get_name(r, q->name);
		q->fid2 = gofer_get_u32(r);
		break;
	case GOFER_UNLINK:
		q->fid = gofer_get_u32(r);
		err = get_name(r, q->name);
		q->flags = gofer_get_u32(r);
		break;
	case GOFER_RENAME:
		q->fid = gofer_get_u32(r);
		err = get_name(r, q->name);
		q->fid2 = gofer_get_u32(r);
		if (!err)
			err = get_name(r, q->name2);
		break;
	case GOFER_GETDENTS:
		q->fid = gofer_get_u32(r);
		q->offset = gofer_get_u64(r);
		q->count = gofer_get_u32(r);
		break;
	case GOFER_SETATTR:
		q->fid = gofer_get_u32(r);
		a->mask = gofer_get_u32(r);
		a->mode = gofer_get_u32(r);
		a->uid = gofer_get_u32(r);
		a->gid = gofer_get_u32(r);
		a->size = (int64_t)gofer_get_u64(r);
		a->atime_sec = (int64_t)gofer_get_u64(r);
		a->atime_nsec = (int64_t)gofer_get_u64(r);
		a->mtime_sec = (int64_t)gofer_get_u64(r);
		a->mtime_nsec = (int64_t)gofer_get_u64(r);
		break;
	default:
		return -EOPNOTSUPP;
	}
	if (err)
		return err;
	/* Trailing bytes mean the two sides disagree on the layout. */
	if (r->error || r->pos != r->len)
		return -EBADMSG;
	return 0;
}

int gofer_decode_request(const uint8_t *msg, size_t len,
			 struct gofer_request *req)
{
	struct gofer_header h;
	struct gofer_reader r;
	int err;

	memset(req, 0, sizeof(*req));
	err = gofer_decode_header(msg, len, &h);
	req->type = h.type;
	req->tag = h.tag;
	if (err)
		return err;
	r = (struct gofer_reader){.data = msg + GOFER_HEADER_SIZE,
				  .len = h.length};
	return get_request_fields(&r, req);
}

static void put_stat(struct gofer_writer *w, const struct gofer_stat *st)
{
	gofer_put_u64(w, st->dev);
	gofer_put_u64(w, st->ino);
	gofer_put_u32(w, st->mode);
	gofer_put_u32(w, st->nlink);
	gofer_put_u32(w, st->uid);
	gofer_put_u32(w, st->gid);
	gofer_put_u64(w, st->rdev);
	gofer_put_u64(w, st->size);
	gofer_put_u64(w, st->blocks);
	gofer_put_u32(w, st->blksize);
	gofer_put_u64(w, st->atime_sec);
	gofer_put_u64(w, st->atime_nsec);
	gofer_put_u64(w, st->mtime_sec);
	gofer_put_u64(w, st->mtime_nsec);
	gofer_put_u64(w, st->ctime_sec);
	gofer_put_u64(w, st->ctime_nsec);
}

static void get_stat(struct gofer_reader *r, struct gofer_stat *st)
{
	st->dev = gofer_get_u64(r);
	st->ino = gofer_get_u64(r);
	st->mode = gofer_get_u32(r);
	st->nlink = gofer_get_u32(r);
	st->uid = gofer_get_u32(r);
	st->gid = gofer_get_u32(r);
	st->rdev = gofer_get_u64(r);
	st->size = (int64_t)gofer_get_u64(r);
	st->blocks = (int64_t)gofer_get_u64(r);
	st->blksize = (int32_t)gofer_get_u32(r);
	st->atime_sec = (int64_t)gofer_get_u64(r);
	st->atime_nsec = (int64_t)gofer_get_u64(r);
	st->mtime_sec = (int64_t)gofer_get_u64(r);
	st->mtime_nsec = (int64_t)gofer_get_u64(r);
	st->ctime_sec = (int64_t)gofer_get_u64(r);
	st->ctime_nsec = (int64_t)gofer_get_u64(r);
}

static void put_statfs(struct gofer_writer *w, const struct statfs *s)
{
	int fsid[2];

	memcpy(fsid, &s->f_fsid, sizeof(fsid));
	gofer_put_u64(w, s->f_type);
	gofer_put_u64(w, s->f_bsize);
	gofer_put_u64(w, s->f_blocks);
	gofer_put_u64(w, s->f_bfree);
	gofer_put_u64(w, s->f_bavail);
	gofer_put_u64(w, s->f_files);
	gofer_put_u64(w, s->f_ffree);
	gofer_put_u32(w, fsid[0]);
	gofer_put_u32(w, fsid[1]);
	gofer_put_u64(w, s->f_namelen);
	gofer_put_u64(w, s->f_frsize);
	gofer_put_u64(w, s->f_flags);
}

static void get_statfs(struct gofer_reader *r, struct statfs *s)
{
	int fsid[2];

	memset(s, 0, sizeof(*s));
	s->f_type = gofer_get_u64(r);
	s->f_bsize = gofer_get_u64(r);
	s->f_blocks = gofer_get_u64(r);
	s->f_bfree = gofer_get_u64(r);
	s->f_bavail = gofer_get_u64(r);
	s->f_files = gofer_get_u64(r);
	s->f_ffree = gofer_get_u64(r);
	fsid[0] = gofer_get_u32(r);
	fsid[1] = gofer_get_u32(r);
	memcpy(&s->f_fsid, fsid, sizeof(fsid));
	s->f_namelen = gofer_get_u64(r);
	s->f_frsize = gofer_get_u64(r);
	s->f_flags = gofer_get_u64(r);
}

static void put_dirent(struct gofer_writer *w, const struct gofer_dirent *d)
{
	gofer_put_u64(w, d->ino);
	gofer_put_u64(w, d->next_offset);
	gofer_put_u8(w, d->type);
	put_name(w, d->name);
}

static int get_dirent(struct gofer_reader *r, struct gofer_dirent *d)
{
	d->ino = gofer_get_u64(r);
	d->next_offset = gofer_get_u64(r);
	d->type = gofer_get_u8(r);
	return get_name(r, d->name);
}

static void put_reply_fields(struct gofer_writer *w,
			     const struct gofer_reply *p)
{
	switch (p->type) {
	case GOFER_ATTACH:
	case GOFER_WALK:
	case GOFER_CREATE:
	case GOFER_MKDIR:
	case GOFER_MKNOD:
	case GOFER_SYMLINK:
		gofer_put_u32(w, p->fid);
		put_stat(w, &p->stat);
		break;
	case GOFER_GETATTR:
		put_stat(w, &p->stat);
		break;
	case GOFER_READLINK:
		gofer_put_string(w, p->target, p->target_len);
		break;
	case GOFER_GETDENTS:
		gofer_put_u32(w, p->nents);
		for (uint32_t i = 0; i < p->nents; i++)
			put_dirent(w, &p->ents[i]);
		break;
	case GOFER_STATFS:
		put_statfs(w, &p->statfs);
		break;
	default:
		/* clunk, open, link, unlink, rename, setattr: no fields */
		break;
	}
}

int gofer_encode_reply(const struct gofer_reply *rep, uint8_t *buf)
{
	struct gofer_writer w;

	/* An error reply may answer a request of unknown type. */
	if (rep->error == 0 && (rep->type == 0 || rep->type >= GOFER_TYPE_END))
		return -EINVAL;
	if (rep->type & GOFER_REPLY)
		return -EINVAL;
	if (rep->type == GOFER_READLINK && rep->target_len > GOFER_MAX_TARGET)
		return -EINVAL;
	gofer_begin_message(&w, buf, rep->type | GOFER_REPLY, rep->tag);
	gofer_put_u32(&w, rep->error);
	if (rep->error == 0)
		put_reply_fields(&w, rep);
	return gofer_finish_message(&w);
}

static int get_dirents(struct gofer_reader *r, struct gofer_reply *p)
{
	uint32_t n = gofer_get_u32(r);

	if (r->error || n > p->max_ents)
		return -EBADMSG;
	for (uint32_t i = 0; i < n; i++) {
		if (get_dirent(r, &p->ents[i]))
			return -EBADMSG;
	}
	p->nents = n;
	return 0;
}

static int get_reply_fields(struct gofer_reader *r, struct gofer_reply *p)
{
	switch (p->type) {
	case GOFER_ATTACH:
	case GOFER_WALK:
	case GOFER_CREATE:
	case GOFER_MKDIR:
	case GOFER_MKNOD:
	case GOFER_SYMLINK:
		p->fid = gofer_get_u32(r);
		get_stat(r, &p->stat);
		return 0;
	case GOFER_GETATTR:
		get_stat(r, &p->stat);
		return 0;
	case GOFER_READLINK:
		p->target_len =
		    gofer_get_string(r, p->target, GOFER_MAX_TARGET);
		return 0;
	case GOFER_GETDENTS:
		return get_dirents(r, p);
	case GOFER_STATFS:
		get_statfs(r, &p->statfs);
		return 0;
	default:
		return 0;
	}
}

int gofer_decode_reply(const uint8_t *msg, size_t len, struct gofer_reply *rep)
{
	struct gofer_header h;
	struct gofer_reader r;
	int err;

	rep->nents = 0;
	rep->target_len = 0;
	err = gofer_decode_header(msg, len, &h);
	if (err)
		return err;
	if (!(h.type & GOFER_REPLY))
		return -EBADMSG;
	rep->type = h.type & ~GOFER_REPLY;
	rep->tag = h.tag;
	r = (struct gofer_reader){.data = msg + GOFER_HEADER_SIZE,
				  .len = h.length};
	rep->error = gofer_get_u32(&r);
	if (r.error)
		return -EBADMSG;
	if (rep->error == 0 && (rep->type == 0 || rep->type >= GOFER_TYPE_END))
		return -EBADMSG;
	if (rep->error == 0 && get_reply_fields(&r, rep))
		return -EBADMSG;
	if (r.error || r.pos != r.len)
		return -EBADMSG;
	return 0;
}
