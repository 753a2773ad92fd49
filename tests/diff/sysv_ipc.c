/* System V IPC: shared memory, semaphores and message queues. Keys are
 * derived from the PID, so the native run does not meet other programs'
 * objects, and every object is removed at the end. */
#include "check.h"
#include <stdint.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <time.h>

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

static key_t test_key(int n)
{
	return (key_t)(0x4d000000 | ((getpid() & 0xffff) << 4) | n);
}

/* Run fn in a child with uid and gid 65534 and print its exit. */
static void as_nobody(const char *what, void (*fn)(int), int id)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (setgid(65534) < 0 || setuid(65534) < 0)
			_exit(99);
		fn(id);
		fflush(stdout);
		_exit(0);
	}
	wait_and_print(pid, what);
}

/* ---- Shared memory ---- */

static void shm_nobody(int id)
{
	CHECK_PTR(shmat(id, NULL, 0), (void *)-1);
	CHECK_PTR(shmat(id, NULL, SHM_RDONLY), (void *)-1);
	CHECK(shmctl(id, IPC_RMID, NULL));
}

static void check_shm(void)
{
	key_t key = test_key(1);
	struct shmid_ds ds;

	CHECK(shmget(key, 4096, 0600));
	int id = CHECK_OK(shmget(key, 10000, IPC_CREAT | IPC_EXCL | 0640));
	CHECK(shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0600));
	EXPECT(shmget(key, 4096, 0) == id);
	CHECK(shmget(key, 20000, 0));
	CHECK(shmget(IPC_PRIVATE, 0, 0600));
	CHECK(shmctl(id, IPC_STAT, &ds));
	SAY("segsz = %zu mode = %o nattch = %lu key ok = %s\n", ds.shm_segsz,
	    ds.shm_perm.mode, (unsigned long)ds.shm_nattch,
	    ds.shm_perm.__key == key ? "yes" : "no");
	EXPECT(ds.shm_cpid == getpid());

	char *p = CHECK_PTR(shmat(id, NULL, 0), (void *)-1);
	CHECK(shmctl(id, IPC_STAT, &ds));
	SAY("nattch = %lu\n", (unsigned long)ds.shm_nattch);
	strcpy(p, "parent");
	strcpy(p + 8192, "third page");

	/* A second attach sees the same memory. */
	char *q = CHECK_PTR(shmat(id, NULL, SHM_RDONLY), (void *)-1);
	SAY("second attach = %s %s\n", q, q + 8192);
	CHECK(shmdt(q));

	/* A child shares the segment through fork and its own attach. */
	pid_t pid = fork();
	if (pid == 0) {
		char *c = shmat(id, NULL, 0);

		strcpy(p, "child via fork");
		strcpy(c + 100, "child via shmat");
		_exit(0);
	}
	wait_and_print(pid, "shm child");
	SAY("after child = %s | %s\n", p, p + 100);

	/* An address and SHM_RND. */
	char *fixed = (char *)0x300000000000UL;
	CHECK(shmat(id, fixed + 5, 0) == (void *)-1);
	SAY("errno = %s\n", errno_name(errno));
	EXPECT(shmat(id, fixed + 5, SHM_RND) == fixed);
	SAY("fixed = %s\n", fixed);
	CHECK(shmat(id, fixed, 0) == (void *)-1);
	SAY("overlap errno = %s\n", errno_name(errno));
	EXPECT(shmat(id, fixed, SHM_REMAP) == fixed);
	CHECK(shmdt(fixed));
	CHECK(shmdt(fixed));
	CHECK(shmdt(p + 4096));

	as_nobody("shm nobody", shm_nobody, id);

	/* IPC_SET changes the mode, IPC_RMID while attached defers. */
	ds.shm_perm.mode = 0604;
	CHECK(shmctl(id, IPC_SET, &ds));
	CHECK(shmctl(id, IPC_STAT, &ds));
	SAY("mode after set = %o\n", ds.shm_perm.mode);
	as_nobody("shm nobody read", shm_nobody, id);
	CHECK(shmctl(id, IPC_RMID, NULL));
	CHECK(shmctl(id, IPC_STAT, &ds));
	SAY("removed: dest = %s, key = %d, nattch = %lu\n",
	    ds.shm_perm.mode & SHM_DEST ? "yes" : "no", ds.shm_perm.__key,
	    (unsigned long)ds.shm_nattch);
	CHECK(shmget(key, 4096, 0));
	SAY("still mapped = %s\n", p);
	CHECK(shmdt(p));
	CHECK(shmctl(id, IPC_STAT, &ds));
	CHECK(shmat(12345678, NULL, 0) == (void *)-1);
	CHECK(shmctl(id, 12345, &ds));
}

/* ---- Semaphores ---- */

static void sem_nobody(int id)
{
	struct sembuf op = {0, 1, 0};

	CHECK(semop(id, &op, 1));
	CHECK(semctl(id, 0, GETVAL));
	CHECK(semctl(id, 0, IPC_RMID));
}

static void check_sem(void)
{
	key_t key = test_key(2);
	unsigned short values[3] = {1, 2, 3}, out[3];
	struct semid_ds ds;
	union semun arg;
	struct sembuf ops[2];

	CHECK(semget(key, 3, 0600));
	int id = CHECK_OK(semget(key, 3, IPC_CREAT | 0600));
	CHECK(semget(key, 4, 0));
	EXPECT(semget(key, 2, 0) == id);
	CHECK(semget(IPC_PRIVATE, 0, 0600));
	CHECK(semget(IPC_PRIVATE, 100000, 0600));

	arg.array = values;
	CHECK(semctl(id, 0, SETALL, arg));
	arg.array = out;
	CHECK(semctl(id, 0, GETALL, arg));
	SAY("values = %d %d %d\n", out[0], out[1], out[2]);
	arg.val = 5;
	CHECK(semctl(id, 1, SETVAL, arg));
	CHECK(semctl(id, 1, GETVAL));
	arg.val = 40000;
	CHECK(semctl(id, 1, SETVAL, arg));
	CHECK(semctl(id, 7, GETVAL));
	arg.buf = &ds;
	CHECK(semctl(id, 0, IPC_STAT, arg));
	SAY("nsems = %lu mode = %o\n", (unsigned long)ds.sem_nsems,
	    ds.sem_perm.mode);

	/* All or nothing. */
	ops[0] = (struct sembuf){0, -1, 0};
	ops[1] = (struct sembuf){2, -4, IPC_NOWAIT};
	CHECK(semop(id, ops, 2));
	CHECK(semctl(id, 0, GETVAL));
	ops[1].sem_op = -3;
	CHECK(semop(id, ops, 2));
	CHECK(semctl(id, 0, GETVAL));
	CHECK(semctl(id, 2, GETVAL));
	EXPECT(semctl(id, 0, GETPID) == getpid());
	ops[0] = (struct sembuf){9, 1, 0};
	CHECK(semop(id, ops, 1));
	CHECK(semop(id, ops, 0));
	ops[0] = (struct sembuf){0, 0, IPC_NOWAIT};
	CHECK(semop(id, ops, 1));

	/* A waiter blocks until a child posts. */
	pid_t pid = fork();
	if (pid == 0) {
		struct sembuf post = {0, 2, 0};

		usleep(50000);
		semop(id, &post, 1);
		_exit(0);
	}
	ops[0] = (struct sembuf){0, -2, 0};
	CHECK(semop(id, ops, 1));
	wait_and_print(pid, "sem poster");

	/* A wait for zero, and GETNCNT while a child waits. */
	pid = fork();
	if (pid == 0) {
		struct sembuf take = {0, -1, 0};

		semop(id, &take, 1);
		_exit(0);
	}
	for (int i = 0; i < 200 && semctl(id, 0, GETNCNT) == 0; i++)
		usleep(5000);
	CHECK(semctl(id, 0, GETNCNT));
	arg.val = 1;
	CHECK(semctl(id, 0, SETVAL, arg));
	wait_and_print(pid, "sem waiter");
	CHECK(semctl(id, 0, GETVAL));

	/* semtimedop times out. */
	struct timespec ts = {0, 50000000};
	ops[0] = (struct sembuf){0, -1, 0};
	CHECK(semtimedop(id, ops, 1, &ts));

	/* SEM_UNDO is reverted when the process exits. */
	pid = fork();
	if (pid == 0) {
		struct sembuf up = {1, 3, SEM_UNDO};

		semop(id, &up, 1);
		printf("child sees %d\n", semctl(id, 1, GETVAL));
		fflush(stdout);
		_exit(0);
	}
	wait_and_print(pid, "undo child");
	ops[0] = (struct sembuf){1, -6, 0};
	ts.tv_sec = 2;
	CHECK(semtimedop(id, ops, 1, &ts));
	CHECK(semctl(id, 1, GETVAL));
	ops[0] = (struct sembuf){1, -5, 0};
	CHECK(semtimedop(id, ops, 1, &ts));

	as_nobody("sem nobody", sem_nobody, id);

	/* Removal wakes a waiter with EIDRM. */
	pid = fork();
	if (pid == 0) {
		struct sembuf take = {2, -1, 0};

		int r = semop(id, &take, 1);

		printf("waiter: %d %s\n", r, errno_name(errno));
		fflush(stdout);
		_exit(0);
	}
	for (int i = 0; i < 200 && semctl(id, 2, GETNCNT) == 0; i++)
		usleep(5000);
	/* Print only after the waiter has (see the message queue case). */
	int rmid = semctl(id, 0, IPC_RMID);
	wait_and_print(pid, "removed waiter");
	SAY("semctl(id, 0, IPC_RMID) = %d\n", rmid);
	CHECK(semctl(id, 0, GETVAL));
}

/* ---- Message queues ---- */

struct message {
	long type;
	char text[64];
};

static void msg_nobody(int id)
{
	struct message m = {1, "x"};

	CHECK(msgsnd(id, &m, 2, IPC_NOWAIT));
	CHECK(msgrcv(id, &m, sizeof(m.text), 0, IPC_NOWAIT));
}

static int send_text(int id, long type, const char *text)
{
	struct message m = {.type = type};

	strcpy(m.text, text);
	return msgsnd(id, &m, strlen(text) + 1, IPC_NOWAIT);
}

static void receive(int id, long type, int flags, size_t size)
{
	struct message m = {0};
	long n = msgrcv(id, &m, size, type, flags | IPC_NOWAIT);

	if (n < 0)
		printf("msgrcv(type %ld) = -1 errno=%s\n", type,
		       errno_name(errno));
	else
		printf("msgrcv(type %ld) = %ld: type %ld \"%.*s\"\n", type, n,
		       m.type, (int)n, m.text);
}

static void check_msg(void)
{
	key_t key = test_key(3);
	struct msqid_ds ds;

	CHECK(msgget(key, 0600));
	int id = CHECK_OK(msgget(key, IPC_CREAT | 0600));
	CHECK(msgget(key, IPC_CREAT | IPC_EXCL | 0600));
	EXPECT(msgget(key, 0) == id);

	CHECK(send_text(id, 3, "three"));
	CHECK(send_text(id, 1, "one"));
	CHECK(send_text(id, 2, "two"));
	CHECK(send_text(id, 1, "one again"));
	CHECK(send_text(id, 0, "bad type"));
	CHECK(msgsnd(id, &(struct message){1, ""}, 9000, 0));
	CHECK(msgctl(id, IPC_STAT, &ds));
	SAY("qnum = %lu cbytes = %lu qbytes = %lu\n",
	    (unsigned long)ds.msg_qnum, (unsigned long)ds.__msg_cbytes,
	    (unsigned long)ds.msg_qbytes);
	EXPECT(ds.msg_lspid == getpid());

	receive(id, 2, 0, 64);
	receive(id, -2, 0, 64);
	receive(id, 1, MSG_EXCEPT, 64);
	receive(id, 1, 0, 3);
	receive(id, 1, MSG_NOERROR, 3);
	receive(id, 0, 0, 64);
	receive(id, 0, 0, 64);

	/* A receiver blocks until a child sends. */
	pid_t pid = fork();
	if (pid == 0) {
		usleep(50000);
		send_text(id, 7, "late");
		_exit(0);
	}
	struct message m;
	CHECK(msgrcv(id, &m, sizeof(m.text), 7, 0));
	SAY("blocking receive = %s\n", m.text);
	wait_and_print(pid, "msg sender");

	/* A full queue makes senders wait or fail. */
	ds.msg_qbytes = 10;
	CHECK(msgctl(id, IPC_SET, &ds));
	CHECK(send_text(id, 1, "123456789"));
	CHECK(send_text(id, 1, "x"));
	receive(id, 0, 0, 64);

	as_nobody("msg nobody", msg_nobody, id);

	/* Removal wakes a receiver with EIDRM. */
	pid = fork();
	if (pid == 0) {
		ssize_t n = msgrcv(id, &m, sizeof(m.text), 0, 0);

		printf("receiver: %zd %s\n", n, errno_name(errno));
		fflush(stdout);
		_exit(0);
	}
	usleep(100000);
	/* Print only after the receiver has, so the order never depends on
	 * which process runs first after the removal. */
	int rmid = msgctl(id, IPC_RMID, NULL);
	wait_and_print(pid, "removed receiver");
	SAY("msgctl(id, IPC_RMID, NULL) = %d\n", rmid);
	CHECK(msgctl(id, IPC_STAT, &ds));
	CHECK(msgget(key, 0));
}

int main(void)
{
	check_shm();
	check_sem();
	check_msg();
	return 0;
}
