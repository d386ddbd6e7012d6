// mainthread.c: the OS thread that initializes CPython, which CPython then
// treats as its main thread (threading.main_thread(), signal handlers,
// joining non-daemon threads at exit).
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "gilkit.h"
#include "_cgo_export.h"

static pthread_t main_thread;
static pid_t main_tid;
static int main_thread_known;

void gk_mark_main_thread(void) {
	main_thread = pthread_self();
	main_tid = (pid_t)syscall(SYS_gettid);
	__atomic_store_n(&main_thread_known, 1, __ATOMIC_RELEASE);
}

int gk_main_thread_known(void) { return __atomic_load_n(&main_thread_known, __ATOMIC_ACQUIRE); }

pthread_t gk_main_thread(void) { return main_thread; }

int gk_main_thread_tid(void) { return (int)main_tid; }

int gk_on_main_thread(void) { return gk_main_thread_known() && pthread_equal(pthread_self(), main_thread); }

int gk_is_process_main_thread(void) { return (pid_t)syscall(SYS_gettid) == getpid(); }

static void *main_thread_entry(void *handle) {
	gkRunMainThread((uintptr_t)handle);
	return NULL;
}

int gk_spawn_main_thread(uintptr_t handle, size_t stack_size) {
	pthread_attr_t attr;
	int rc = pthread_attr_init(&attr);
	if (rc != 0) return rc;
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	rc = pthread_attr_setstacksize(&attr, stack_size);
	if (rc == 0) {
		pthread_t t;
		rc = pthread_create(&t, &attr, main_thread_entry, (void *)handle);
	}
	pthread_attr_destroy(&attr);
	return rc;
}
