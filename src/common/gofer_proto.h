/* Wire format of the gofer protocol, shared by the gofer and the sentry.
 *
 * One message is one datagram on an AF_UNIX SOCK_SEQPACKET socket, so a
 * message can never be split or merged with the next one. Every message
 * starts with a 16-byte header; every field is a fixed-size little-endian
 * integer. Strings are a u16 length followed by that many bytes, without a
 * terminating NUL. docs/gofer-protocol.md describes every message.
 *
 * The gofer treats every request as hostile: the decoders below check
 * every length against the bytes received and every string for NUL, '/'
 * and its maximum length, and reject trailing bytes.
 */
#ifndef MOAT_COMMON_GOFER_PROTO_H
#define MOAT_COMMON_GOFER_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <sys/statfs.h>

/* The decoded forms of stat, setattr and dirent are the client API types. */
#include "sentry/gofer_client.h"

#define GOFER_MAGIC	  0x52464f47u /* "GOFR" in little-endian byte order */
#define GOFER_VERSION	  1
#define GOFER_HEADER_SIZE 16
#define GOFER_MAX_MESSAGE 65536 /* header included */
#define GOFER_MAX_PAYLOAD (GOFER_MAX_MESSAGE - GOFER_HEADER_SIZE)
/* Set in a reply's type: the reply to request type T has type T|REPLY. */
#define GOFER_REPLY 0x8000
/* Max entries in one getdents reply, also bounded by the message size. */
#define GOFER_MAX_DIRENTS 1024
/* Max length of a symlink target, without a terminating NUL. */
#define GOFER_MAX_TARGET (PATH_MAX - 1)

enum gofer_type {
	GOFER_ATTACH = 1,
	GOFER_WALK,
	GOFER_CLUNK,
	GOFER_GETATTR,
	GOFER_OPEN,
	GOFER_CREATE,
	GOFER_MKDIR,
	GOFER_MKNOD,
	GOFER_SYMLINK,
	GOFER_LINK,
	GOFER_UNLINK,
	GOFER_RENAME,
	GOFER_READLINK,
	GOFER_GETDENTS,
	GOFER_SETATTR,
	GOFER_STATFS,
	GOFER_TYPE_END, /* one past the last valid type */
};

struct gofer_header {
	uint32_t magic;
	uint16_t version;
	uint16_t type;
	uint32_t tag;	 /* request id, copied into the reply */
	uint32_t length; /* payload bytes after the header */
};

/* A decoded request. Each type uses only some fields; the encoder and
 * decoder in gofer_proto.c list which, in the same order as the wire. */
struct gofer_request {
	uint16_t type;
	uint32_t tag;
	uint32_t fid;	/* the node the request acts on, or the directory */
	uint32_t fid2;	/* link: the target; rename: the new directory */
	uint32_t index; /* attach: the mount index */
	uint32_t flags; /* open/create: open flags; unlink: AT_REMOVEDIR */
	uint32_t mode;
	uint32_t uid, gid;
	uint64_t offset; /* getdents: the offset to continue from */
	uint32_t count;	 /* getdents: max entries */
	char name[NAME_MAX + 1];
	char name2[NAME_MAX + 1];	   /* rename: the new name */
	char target[GOFER_MAX_TARGET + 1]; /* symlink: the target */
	struct gofer_setattr attr;
};

/* A decoded reply. error is a positive errno, or 0 on success; an error
 * reply carries no other field. */
struct gofer_reply {
	uint16_t type; /* the request type, without GOFER_REPLY */
	uint32_t tag;
	uint32_t error;
	uint32_t fid;
	struct gofer_stat stat;
	struct statfs statfs;
	uint32_t target_len; /* readlink */
	char target[GOFER_MAX_TARGET + 1];
	/* getdents: the decoder stores up to max_ents entries in ents. */
	struct gofer_dirent *ents;
	uint32_t max_ents;
	uint32_t nents;
};

/* Message builder: bytes are appended to a fixed GOFER_MAX_MESSAGE buffer.
 * overflow is set, and the message must be dropped, when it does not
 * fit. */
struct gofer_writer {
	uint8_t *data;
	size_t len;
	bool overflow;
};

/* Cursor over received bytes. error is set by the first get past the end
 * or the first invalid value; every later get returns zeros. */
struct gofer_reader {
	const uint8_t *data;
	size_t len;
	size_t pos;
	bool error;
};

void gofer_put_u8(struct gofer_writer *w, uint8_t v);
void gofer_put_u16(struct gofer_writer *w, uint16_t v);
void gofer_put_u32(struct gofer_writer *w, uint32_t v);
void gofer_put_u64(struct gofer_writer *w, uint64_t v);
void gofer_put_bytes(struct gofer_writer *w, const void *p, size_t n);
void gofer_put_string(struct gofer_writer *w, const char *s, size_t n);
uint8_t gofer_get_u8(struct gofer_reader *r);
uint16_t gofer_get_u16(struct gofer_reader *r);
uint32_t gofer_get_u32(struct gofer_reader *r);
uint64_t gofer_get_u64(struct gofer_reader *r);
/* Copy a string of at most max bytes into out (size max + 1) with a
 * terminating NUL; a NUL byte inside the string is an error. Returns the
 * length. */
size_t gofer_get_string(struct gofer_reader *r, char *out, size_t max);

/* Return true if name is one valid path component: not "", "." or "..",
 * no '/' or NUL, at most NAME_MAX bytes. len is the byte count. */
bool gofer_name_valid(const char *name, size_t len);

/* Start a message: write the header with a zero length, patched by
 * gofer_finish_message. */
void gofer_begin_message(struct gofer_writer *w, uint8_t *buf, uint16_t type,
			 uint32_t tag);
/* Store the payload length in the header. Returns the message size, or
 * -EMSGSIZE if the message overflowed the buffer. */
int gofer_finish_message(struct gofer_writer *w);

/* Parse and validate a header from a received message of len bytes:
 * magic, version and that length matches the payload length exactly.
 * Returns 0 or -EBADMSG (short, bad magic or length), -EPROTO (bad
 * version). On -EPROTO and a length mismatch, *h is still filled so the
 * caller can send an error reply with the tag. */
int gofer_decode_header(const uint8_t *msg, size_t len, struct gofer_header *h);

/* Encode a request into buf (GOFER_MAX_MESSAGE bytes). Returns the message
 * size or a negative errno (-EINVAL for an unknown type or invalid
 * string, -EMSGSIZE). */
int gofer_encode_request(const struct gofer_request *req, uint8_t *buf);
/* Decode a whole request message. Returns 0, or a negative errno:
 * -EBADMSG (framing, truncated, trailing bytes), -EPROTO (version),
 * -EOPNOTSUPP (unknown type), -EINVAL (invalid name), -ENAMETOOLONG.
 * req->type and req->tag are set whenever the header could be parsed, so
 * the gofer can address an error reply. */
int gofer_decode_request(const uint8_t *msg, size_t len,
			 struct gofer_request *req);

/* Encode a reply for request type rep->type. An error reply (rep->error !=
 * 0) carries only the errno. Returns the size or a negative errno. */
int gofer_encode_reply(const struct gofer_reply *rep, uint8_t *buf);
/* Decode a reply message. The caller sets rep->ents and rep->max_ents
 * before a getdents reply. Returns 0 or a negative errno (-EBADMSG for any
 * malformed reply, -EPROTO for a wrong version). */
int gofer_decode_reply(const uint8_t *msg, size_t len, struct gofer_reply *rep);

/* The fixed size of one encoded getdents entry before its name. */
#define GOFER_DIRENT_FIXED (8 + 8 + 1 + 2)

#endif
