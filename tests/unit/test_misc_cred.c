/* The set*id() permission rules and capability effects of cred_rules.c,
 * checked against Linux's documented behaviour. */
#include "sentry/sys_misc/cred_rules.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int failures;

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
			printf(__VA_ARGS__);                                   \
			printf("\n");                                          \
			failures++;                                            \
		}                                                              \
	} while (0)

static struct cred_state root_state(void)
{
	struct cred_state s;

	memset(&s, 0, sizeof(s));
	s.cred.cap_effective = CAP_FULL_SET;
	s.cap_permitted = CAP_FULL_SET;
	return s;
}

static struct cred_state user_state(uid_t uid)
{
	struct cred_state s;

	memset(&s, 0, sizeof(s));
	s.cred.uid = s.cred.euid = s.cred.suid = s.cred.fsuid = uid;
	s.cred.gid = s.cred.egid = s.cred.sgid = s.cred.fsgid = uid;
	return s;
}

static void test_setuid_root_drops_caps(void)
{
	struct cred_state s = root_state();

	CHECK(cred_setuid(&s, 1000) == 0, "root may setuid");
	CHECK(s.cred.uid == 1000, "s.cred.uid == 1000");
	CHECK(s.cred.euid == 1000, "s.cred.euid == 1000");
	CHECK(s.cred.suid == 1000, "s.cred.suid == 1000");
	CHECK(s.cred.fsuid == 1000, "s.cred.fsuid == 1000");
	CHECK(s.cred.cap_effective == 0, "effective %llx",
	      (unsigned long long)s.cred.cap_effective);
	CHECK(s.cap_permitted == 0, "permitted %llx",
	      (unsigned long long)s.cap_permitted);
	CHECK(cred_setuid(&s, 0) == -EPERM, "no way back to root");
}

static void test_setuid_keep_caps(void)
{
	struct cred_state s = root_state();

	s.keep_caps = true;
	CHECK(cred_setuid(&s, 1000) == 0, "root may setuid");
	CHECK(s.cap_permitted == CAP_FULL_SET, "permitted kept");
	CHECK(s.cred.cap_effective == 0, "effective cleared with euid");
}

static void test_seteuid_round_trip(void)
{
	struct cred_state s = root_state();

	/* seteuid(1000) is setresuid(-1, 1000, -1) in glibc. */
	CHECK(cred_setresuid(&s, -1, 1000, -1) == 0, "drop euid");
	CHECK(s.cred.cap_effective == 0, "effective cleared");
	CHECK(s.cap_permitted == CAP_FULL_SET, "permitted kept: suid is 0");
	CHECK(cred_setresuid(&s, -1, 0, -1) == 0, "regain euid 0");
	CHECK(s.cred.cap_effective == CAP_FULL_SET, "effective restored");
}

static void test_unprivileged_setuid(void)
{
	struct cred_state s = user_state(1000);

	CHECK(cred_setuid(&s, 0) == -EPERM, "user may not become root");
	CHECK(cred_setuid(&s, 1000) == 0, "own uid is fine");
	CHECK(cred_setuid(&s, -1) == -EINVAL, "-1 is invalid");
	s.cred.suid = 2000;
	CHECK(cred_setuid(&s, 2000) == 0, "saved uid is allowed");
	CHECK(s.cred.euid == 2000, "s.cred.euid == 2000");
	CHECK(s.cred.uid == 1000, "s.cred.uid == 1000");
	CHECK(s.cred.suid == 2000, "s.cred.suid == 2000");
}

static void test_setreuid_saved_id(void)
{
	struct cred_state s = user_state(1000);

	s.cred.euid = 2000;
	s.cred.fsuid = 2000;
	/* Swapping real and effective IDs sets the saved ID to the new
	 * effective one, because the real ID is set. */
	CHECK(cred_setreuid(&s, 2000, 1000) == 0, "swap");
	CHECK(s.cred.uid == 2000, "s.cred.uid == 2000");
	CHECK(s.cred.euid == 1000, "s.cred.euid == 1000");
	CHECK(s.cred.suid == 1000, "s.cred.suid == 1000");
	CHECK(cred_setreuid(&s, 3000, -1) == -EPERM, "foreign ruid");
}

static void test_setresuid_noop_and_eperm(void)
{
	struct cred_state s = user_state(1000);

	CHECK(cred_setresuid(&s, -1, -1, -1) == 0, "no-op");
	CHECK(cred_setresuid(&s, 1000, 1000, 1000) == 0, "same ids");
	CHECK(cred_setresuid(&s, 1000, 0, 1000) == -EPERM, "foreign euid");
	CHECK(s.cred.euid == 1000, "unchanged on error");
}

static void test_setfsuid_caps(void)
{
	struct cred_state s = root_state();

	CHECK(cred_setfsuid(&s, 1000) == 0, "returns the old fsuid");
	CHECK(s.cred.fsuid == 1000, "fsuid %u", s.cred.fsuid);
	CHECK((s.cred.cap_effective & CAP_FS_SET) == 0, "fs caps dropped");
	CHECK(s.cred.cap_effective & CAP_BIT(CAP_SETUID), "others kept");
	CHECK(cred_setfsuid(&s, 0) == 1000, "returns the old fsuid");
	CHECK(s.cred.cap_effective == CAP_FULL_SET, "fs caps restored");

	s = user_state(1000);
	CHECK(cred_setfsuid(&s, 0) == 1000, "old value on failure too");
	CHECK(s.cred.fsuid == 1000, "unprivileged: unchanged");
}

static void test_gid_rules(void)
{
	struct cred_state s = user_state(1000);

	CHECK(cred_setgid(&s, 0) == -EPERM, "user may not take gid 0");
	CHECK(cred_setregid(&s, -1, 5) == -EPERM, "foreign egid");
	CHECK(cred_setresgid(&s, 1000, 1000, 1000) == 0, "same ids");
	CHECK(cred_setfsgid(&s, 5) == 1000, "old fsgid");
	CHECK(s.cred.fsgid == 1000, "unchanged");

	s = root_state();
	CHECK(cred_setgid(&s, 50) == 0, "root may setgid");
	CHECK(s.cred.gid == 50, "s.cred.gid == 50");
	CHECK(s.cred.egid == 50, "s.cred.egid == 50");
	CHECK(s.cred.sgid == 50, "s.cred.sgid == 50");
	CHECK(s.cred.fsgid == 50, "s.cred.fsgid == 50");
	CHECK(s.cred.cap_effective == CAP_FULL_SET, "gids keep caps");
}

static void test_capset_subsets(void)
{
	struct cred_state s = root_state();

	CHECK(cred_capset(&s, 0, CAP_BIT(CAP_SETUID), 0) == 0, "shrink");
	CHECK(s.cap_permitted == CAP_BIT(CAP_SETUID), "permitted shrunk");
	CHECK(cred_capset(&s, CAP_BIT(CAP_SETUID), CAP_FULL_SET, 0) == -EPERM,
	      "may not grow permitted");
	CHECK(cred_capset(&s, CAP_BIT(CAP_KILL), CAP_BIT(CAP_SETUID), 0) ==
		  -EPERM,
	      "effective must be within permitted");
	CHECK(cred_capset(&s, CAP_BIT(CAP_SETUID), CAP_BIT(CAP_SETUID), 0) == 0,
	      "raise effective from permitted");
}

int main(void)
{
	test_setuid_root_drops_caps();
	test_setuid_keep_caps();
	test_seteuid_round_trip();
	test_unprivileged_setuid();
	test_setreuid_saved_id();
	test_setresuid_noop_and_eperm();
	test_setfsuid_caps();
	test_gid_rules();
	test_capset_subsets();
	if (failures) {
		printf("%d check(s) failed\n", failures);
		return 1;
	}
	printf("test_misc_cred: all checks passed\n");
	return 0;
}
