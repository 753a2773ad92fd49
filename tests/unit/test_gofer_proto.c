/* Unit tests of the gofer wire format: encode/decode round trips and
 * rejection of malformed messages. */
#include "common/gofer_proto.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "unit_check.h"

static uint8_t buf[GOFER_MAX_MESSAGE + 64];
static struct gofer_request in, out;

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static void test_request_round_trips(void)
{
	int len;

	memset(&in, 0, sizeof(in));
	in.type = GOFER_RENAME;
	in.tag = 77;
	in.fid = 5;
	in.fid2 = 9;
	strcpy(in.name, "old");
	strcpy(in.name2, "new name");
	len = gofer_encode_request(&in, buf);
	CHECK(len > GOFER_HEADER_SIZE);
	CHECK(gofer_decode_request(buf, len, &out) == 0);
	CHECK(out.type == GOFER_RENAME);
	CHECK(out.tag == 77);
	CHECK(out.fid == 5);
	CHECK(out.fid2 == 9);
	CHECK(strcmp(out.name, "old") == 0);
	CHECK(strcmp(out.name2, "new name") == 0);

	memset(&in, 0, sizeof(in));
	in.type = GOFER_SETATTR;
	in.fid = 3;
	in.attr = (struct gofer_setattr){.mask = GOFER_SETATTR_SIZE |
						 GOFER_SETATTR_MTIME,
					 .size = -2,
					 .mtime_sec = 1234567890123LL,
					 .mtime_nsec = 999999999};
	len = gofer_encode_request(&in, buf);
	CHECK(gofer_decode_request(buf, len, &out) == 0);
	CHECK(out.attr.mask == in.attr.mask);
	CHECK(out.attr.size == -2);
	CHECK(out.attr.mtime_sec == 1234567890123LL);
	CHECK(out.attr.mtime_nsec == 999999999);

	memset(&in, 0, sizeof(in));
	in.type = GOFER_SYMLINK;
	in.fid = 1;
	strcpy(in.name, "l");
	memset(in.target, 'x', GOFER_MAX_TARGET);
	in.uid = 1000;
	in.gid = 1001;
	len = gofer_encode_request(&in, buf);
	CHECK(gofer_decode_request(buf, len, &out) == 0);
	CHECK(strlen(out.target) == GOFER_MAX_TARGET);
	CHECK(out.uid == 1000);
	CHECK(out.gid == 1001);

	memset(&in, 0, sizeof(in));
	in.type = GOFER_GETDENTS;
	in.fid = 4;
	in.offset = 0xfedcba9876543210ULL;
	in.count = 17;
	len = gofer_encode_request(&in, buf);
	CHECK(gofer_decode_request(buf, len, &out) == 0);
	CHECK(out.offset == 0xfedcba9876543210ULL);
	CHECK(out.count == 17);
}

/* Encode a walk of name (bypassing the encoder's own checks) and return
 * what the decoder says about it. */
static int decode_walk_of(const char *name, size_t len)
{
	struct gofer_writer w;
	int n;

	gofer_begin_message(&w, buf, GOFER_WALK, 1);
	gofer_put_u32(&w, 0);
	gofer_put_u16(&w, len);
	gofer_put_bytes(&w, name, len);
	n = gofer_finish_message(&w);
	return gofer_decode_request(buf, n, &out);
}

static void test_bad_names(void)
{
	char long_name[NAME_MAX + 2];

	memset(long_name, 'a', sizeof(long_name));
	CHECK(decode_walk_of("ok", 2) == 0);
	CHECK(decode_walk_of("", 0) == -EINVAL);
	CHECK(decode_walk_of(".", 1) == -EINVAL);
	CHECK(decode_walk_of("..", 2) == -EINVAL);
	CHECK(decode_walk_of("a/b", 3) == -EINVAL);
	CHECK(decode_walk_of("a\0b", 3) == -EBADMSG);
	CHECK(decode_walk_of(long_name, NAME_MAX) == 0);
	CHECK(decode_walk_of(long_name, NAME_MAX + 1) == -ENAMETOOLONG);
	CHECK(decode_walk_of("...", 3) == 0);
}

static void test_bad_framing(void)
{
	int len;

	memset(&in, 0, sizeof(in));
	in.type = GOFER_WALK;
	in.tag = 9;
	strcpy(in.name, "file");
	len = gofer_encode_request(&in, buf);

	/* Every truncation fails, and the tag survives when the header is
	 * whole. */
	for (int cut = 0; cut < len; cut++) {
		int err = gofer_decode_request(buf, cut, &out);

		CHECK(err == -EBADMSG);
		if (cut >= GOFER_HEADER_SIZE)
			CHECK(out.tag == 9);
	}
	/* A trailing byte the length field does not cover. */
	CHECK(gofer_decode_request(buf, len + 1, &out) == -EBADMSG);
	/* A length field that covers the trailing byte: trailing data. */
	put_le32(buf + 12, len + 1 - GOFER_HEADER_SIZE);
	CHECK(gofer_decode_request(buf, len + 1, &out) == -EBADMSG);
	put_le32(buf + 12, len - GOFER_HEADER_SIZE);
	CHECK(gofer_decode_request(buf, len, &out) == 0);
	/* A length larger than the message. */
	put_le32(buf + 12, 0xffffffff);
	CHECK(gofer_decode_request(buf, len, &out) == -EBADMSG);
	put_le32(buf + 12, len - GOFER_HEADER_SIZE);

	buf[0] ^= 1;
	CHECK(gofer_decode_request(buf, len, &out) == -EBADMSG);
	buf[0] ^= 1;
	buf[4] = 2;
	CHECK(gofer_decode_request(buf, len, &out) == -EPROTO);
	buf[4] = GOFER_VERSION;
	buf[6] = 0;
	CHECK(gofer_decode_request(buf, len, &out) == -EOPNOTSUPP);
	buf[6] = GOFER_TYPE_END;
	CHECK(gofer_decode_request(buf, len, &out) == -EOPNOTSUPP);
	buf[6] = GOFER_WALK;
	/* A string length that runs past the payload. */
	buf[GOFER_HEADER_SIZE + 4] = 200;
	CHECK(gofer_decode_request(buf, len, &out) == -EBADMSG);

	/* An oversized message is rejected even with a matching length. */
	memset(buf, 0, sizeof(buf));
	put_le32(buf, GOFER_MAGIC);
	buf[4] = GOFER_VERSION;
	buf[6] = GOFER_CLUNK;
	put_le32(buf + 12, GOFER_MAX_MESSAGE + 1 - GOFER_HEADER_SIZE);
	CHECK(gofer_decode_request(buf, GOFER_MAX_MESSAGE + 1, &out) ==
	      -EBADMSG);
}

static void test_encoder_rejects(void)
{
	memset(&in, 0, sizeof(in));
	in.type = 0;
	CHECK(gofer_encode_request(&in, buf) == -EINVAL);
	in.type = GOFER_TYPE_END;
	CHECK(gofer_encode_request(&in, buf) == -EINVAL);
}

static void test_reply_round_trips(void)
{
	static struct gofer_reply rep, got;
	static struct gofer_dirent ents[3], got_ents[3];
	int len;

	memset(&rep, 0, sizeof(rep));
	rep.type = GOFER_WALK;
	rep.tag = 4;
	rep.fid = 12;
	rep.stat = (struct gofer_stat){
	    .dev = 1, .ino = 2, .mode = 0100644, .size = -1, .mtime_nsec = 5};
	len = gofer_encode_reply(&rep, buf);
	CHECK(gofer_decode_reply(buf, len, &got) == 0);
	CHECK(got.type == GOFER_WALK);
	CHECK(got.tag == 4);
	CHECK(got.fid == 12);
	CHECK(got.stat.mode == 0100644);
	CHECK(got.stat.size == -1);
	CHECK(got.stat.mtime_nsec == 5);
	CHECK(got.stat.ino == 2);

	/* An error reply carries only the errno. */
	rep.error = ENOENT;
	len = gofer_encode_reply(&rep, buf);
	CHECK(len == GOFER_HEADER_SIZE + 4);
	CHECK(gofer_decode_reply(buf, len, &got) == 0);
	CHECK(got.error == ENOENT);

	memset(&rep, 0, sizeof(rep));
	rep.type = GOFER_GETDENTS;
	rep.ents = ents;
	rep.nents = 3;
	for (int i = 0; i < 3; i++) {
		ents[i].ino = 100 + i;
		ents[i].next_offset = 1000 + i;
		ents[i].type = 8;
		snprintf(ents[i].name, sizeof(ents[i].name), "entry%d", i);
	}
	len = gofer_encode_reply(&rep, buf);
	memset(&got, 0, sizeof(got));
	got.ents = got_ents;
	got.max_ents = 3;
	CHECK(gofer_decode_reply(buf, len, &got) == 0);
	CHECK(got.nents == 3);
	CHECK(strcmp(got_ents[2].name, "entry2") == 0);
	CHECK(got_ents[1].next_offset == 1001);
	CHECK(got_ents[0].ino == 100);
	/* More entries than the caller has room for. */
	got.max_ents = 2;
	CHECK(gofer_decode_reply(buf, len, &got) == -EBADMSG);

	memset(&rep, 0, sizeof(rep));
	rep.type = GOFER_READLINK;
	rep.target_len = 5;
	memcpy(rep.target, "a/b/c", 5);
	len = gofer_encode_reply(&rep, buf);
	CHECK(gofer_decode_reply(buf, len, &got) == 0);
	CHECK(got.target_len == 5);
	CHECK(memcmp(got.target, "a/b/c", 5) == 0);

	/* A request is not a reply. */
	memset(&in, 0, sizeof(in));
	in.type = GOFER_CLUNK;
	len = gofer_encode_request(&in, buf);
	CHECK(gofer_decode_reply(buf, len, &got) == -EBADMSG);
}

int main(void)
{
	test_request_round_trips();
	test_bad_names();
	test_bad_framing();
	test_encoder_rejects();
	test_reply_round_trips();
	if (failures)
		fprintf(stderr, "test_gofer_proto: %d checks failed\n",
			failures);
	return failures ? 1 : 0;
}
