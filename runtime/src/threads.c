//===- threads.c - The thread pool behind compiled models' parallel loops -===//
//
// Part of the cnnc project.
//
//===----------------------------------------------------------------------===//
//
// cnnc lowers parallel loops with MLIR's convert-scf-to-openmp, so a compiled
// model calls the LLVM OpenMP runtime ABI (__kmpc_*). This file implements
// the subset of that ABI that compiled models call, on a small pool of
// pthreads, so that a model needs no libomp: only libc, libm and libpthread.
//
// Semantics follow LLVM's openmp/runtime (kmp_csupport.cpp, kmp_sched.cpp):
//   __kmpc_fork_call            runs microtask(&gtid, &tid, args...) on every
//                               thread of a new team; the caller is thread 0
//   __kmpc_for_static_init_*    static schedules 34 (static, greedy split as
//                               libomp's default), 33 (static chunked) and 45
//                               (balanced chunked); inclusive bounds
//   __kmpc_barrier, __kmpc_reduce[_nowait], __kmpc_end_reduce[_nowait]
//   (reductions combine in thread order, so results are repeatable)
//
// The pool:
//   - Worker threads are created on the first parallel region that needs
//     them (and more when a later region asks for more threads) and are
//     parked between regions: they spin for a short while (CNNRT_SPIN_US,
//     default 200 us, at most 1000), then sleep on a futex. Waits inside a
//     region (barriers, the join) spin for up to 20 ms first. Spinning
//     yields the CPU about every 10 us, and there is none when a region has
//     more threads than there are CPUs. The calling thread is thread 0.
//   - One region uses the pool at a time: a mutex is held for the region.
//     A second thread that starts a region meanwhile (a library user calling
//     the model from several threads) runs its region alone, on its own
//     thread, with the same results. Nested regions run on the calling
//     thread.
//   - The thread count is cnnrt_set_num_threads's, else OMP_NUM_THREADS's
//     (its first entry), else cnnrt_default_num_threads().
//   - At exit (or when a shared library holding the pool is unloaded) the
//     workers are stopped and joined, unless a region is still running; a
//     forked child starts with no workers.
//
// Every ABI symbol has hidden visibility: a model built as a shared library
// uses this pool and neither exports these symbols nor takes another
// OpenMP runtime's in the same process.
//
//===----------------------------------------------------------------------===//

#ifndef _GNU_SOURCE
#define _GNU_SOURCE // sched_getaffinity, CPU_COUNT, syscall
#endif

#include "cnnrt/cnnrt.h"

#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/futex.h>
#include <sys/syscall.h>
#endif

#define CNNRT_API __attribute__((visibility("hidden")))

// Most threads of one region, and most arguments of a microtask.
#define MAX_THREADS 1024
#define MAX_ARGS 15
#define CACHE_LINE 64
// Stack size of a worker (libomp's default is 4 MiB on 64-bit targets).
#define WORKER_STACK_BYTES ((size_t)8 << 20)

typedef void (*microtask_fn)(int32_t *gtid, int32_t *tid, ...);
typedef void (*reduce_fn)(void *lhs, void *rhs);

static _Noreturn void fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static _Noreturn void fatal(const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  fputs("cnnrt: ", stderr);
  vfprintf(stderr, fmt, args);
  fputc('\n', stderr);
  va_end(args);
  abort();
}

//===----------------------------------------------------------------------===//
// Waiting: a short spin, then a futex
//===----------------------------------------------------------------------===//

// A word threads wait on, and how many of them sleep in the kernel (so that
// a waker makes the system call only when someone sleeps). One cache line.
typedef struct wait_word {
  _Alignas(CACHE_LINE) _Atomic uint32_t value;
  _Atomic uint32_t sleepers;
} wait_word;

#ifdef __linux__
static void os_wait(_Atomic uint32_t *word, uint32_t expected) {
  syscall(SYS_futex, (uint32_t *)word, FUTEX_WAIT_PRIVATE, expected, NULL, NULL,
          0);
}
static void os_wake_all(_Atomic uint32_t *word) {
  syscall(SYS_futex, (uint32_t *)word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL,
          0);
}
#else
static pthread_mutex_t os_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t os_cond = PTHREAD_COND_INITIALIZER;
static void os_wait(_Atomic uint32_t *word, uint32_t expected) {
  pthread_mutex_lock(&os_lock);
  if (atomic_load(word) == expected)
    pthread_cond_wait(&os_cond, &os_lock);
  pthread_mutex_unlock(&os_lock);
}
static void os_wake_all(_Atomic uint32_t *word) {
  (void)word;
  pthread_mutex_lock(&os_lock);
  pthread_cond_broadcast(&os_cond);
  pthread_mutex_unlock(&os_lock);
}
#endif

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

static int64_t now_ns(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

// How long a waiter spins before it sleeps. A worker waiting for the next
// region: the CNNRT_SPIN_US setting. A thread waiting inside a region (for
// the others' share of the work): up to 20 ms, as libomp's 200 ms: sleeping
// there costs a wake-up on the critical path, and when other programs load
// the CPUs, threads that sleep and wake often fare much worse than threads
// that keep their CPU. Both 0 while a region has more threads than there
// are CPUs (set per region).
#define REGION_SPIN_NS 20000000
static _Atomic int64_t idle_spin_ns = 200000;
static _Atomic int64_t region_spin_ns = REGION_SPIN_NS;

// CNNRT_SPIN_US (0 to 1000), else 200 us.
static int64_t read_spin_setting_ns(void) {
  const char *text = getenv("CNNRT_SPIN_US");
  if (text && *text) {
    char *end = NULL;
    long us = strtol(text, &end, 10);
    if (*end == '\0' && us >= 0)
      return (int64_t)(us > 1000 ? 1000 : us) * 1000;
  }
  return 200000;
}

// Waits until `w->value` differs from `value` (differ != 0) or equals it
// (differ == 0), spinning for at most *spin nanoseconds before sleeping. The
// store that ends the wait must be followed by wake().
static void wait_for(wait_word *w, uint32_t value, int differ,
                     _Atomic int64_t *spin) {
#define DONE(v) (differ ? (v) != value : (v) == value)
  uint32_t seen = atomic_load_explicit(&w->value, memory_order_acquire);
  if (DONE(seen))
    return;
  int64_t budget = atomic_load_explicit(spin, memory_order_relaxed);
  if (budget > 0) {
    int64_t deadline = now_ns() + budget;
    unsigned rounds = 0;
    do {
      for (int i = 0; i < 64; ++i) {
        cpu_relax();
        if (DONE(atomic_load_explicit(&w->value, memory_order_acquire)))
          return;
      }
      // Now and then (about every 10 us), let a thread waiting for this CPU
      // run: perhaps the one that will end this wait. As libomp does.
      if (++rounds % 8 == 0)
        sched_yield();
    } while (now_ns() < deadline);
  }
  // Sequentially consistent: either the waker sees us counted as a sleeper
  // or we see its new value before sleeping.
  atomic_fetch_add(&w->sleepers, 1);
  while (!DONE(seen = atomic_load(&w->value)))
    os_wait(&w->value, seen);
  atomic_fetch_sub(&w->sleepers, 1);
  atomic_thread_fence(memory_order_acquire);
#undef DONE
}

// Call after changing w->value with a sequentially consistent operation.
static void wake(wait_word *w) {
  if (atomic_load(&w->sleepers))
    os_wake_all(&w->value);
}

//===----------------------------------------------------------------------===//
// Teams, threads and the pool
//===----------------------------------------------------------------------===//

// The one team that runs on the pool (one pooled region at a time).
typedef struct team {
  int nth;
  microtask_fn fn;
  int argc;
  void *argv[MAX_ARGS];
  // Barrier: arrivals of threads 1..nth-1, and the release generation.
  wait_word arrived;
  wait_word generation;
  // __kmpc_reduce: every thread's reduce_data.
  void *reduce_data[MAX_THREADS];
} team;

typedef struct worker {
  wait_word go; // incremented to start a region
  pthread_t thread;
  int tid; // 1..
} worker;

// What this thread is doing. team == NULL: outside the pool (a serialized
// region, or no region): one thread.
typedef struct thread_state {
  team *team;
  int tid;
  int level;          // parallel regions this thread is in (pooled or not)
  int gtid;           // -1 until assigned
  int pushed_threads; // __kmpc_push_num_threads for the next region, or 0
  uint32_t barrier_generation;
} thread_state;

static _Thread_local thread_state self = {NULL, 0, 0, -1, 0, 0};

static struct {
  pthread_mutex_t lock; // held by the thread whose region uses the pool
  worker *workers;      // MAX_THREADS - 1, allocated with the first worker
  int nworkers;
  team team;
  _Atomic int shutdown;
  int initialized; // cpus, spin_setting_ns and the fork handler
  int cpus;        // cnnrt_default_num_threads() when the pool started
  int64_t spin_setting_ns;
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER};

static _Atomic int requested_threads; // 0: not set, use the default
static _Atomic int next_gtid;

static int current_gtid(void) {
  if (self.gtid < 0)
    self.gtid = atomic_fetch_add(&next_gtid, 1);
  return self.gtid;
}

static int parse_omp_num_threads(void) {
  const char *text = getenv("OMP_NUM_THREADS");
  if (!text)
    return 0;
  while (*text == ' ' || *text == '\t')
    ++text;
  char *end = NULL;
  long n = strtol(text, &end, 10);
  if (end == text)
    return 0;
  while (*end == ' ' || *end == '\t')
    ++end;
  // A nesting list "4,2" gives the outer level's count.
  if ((*end != '\0' && *end != ',') || n < 1)
    return 0;
  return n > MAX_THREADS ? MAX_THREADS : (int)n;
}

int cnnrt_default_num_threads(void) {
#ifdef __linux__
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    int count = CPU_COUNT(&set);
    if (count >= 1)
      return count;
  }
#endif
  long online = sysconf(_SC_NPROCESSORS_ONLN);
  if (online < 1)
    return 1;
  return online > INT32_MAX ? INT32_MAX : (int)online;
}

static int default_threads(void) {
  int n = parse_omp_num_threads();
  if (n == 0)
    n = cnnrt_default_num_threads();
  return n > MAX_THREADS ? MAX_THREADS : n;
}

void cnnrt_set_num_threads(int n) {
  if (n < 1)
    return;
  atomic_store(&requested_threads, n > MAX_THREADS ? MAX_THREADS : n);
}

int cnnrt_get_num_threads(void) {
  int n = atomic_load(&requested_threads);
  if (n == 0) {
    // Concurrent first calls compute the same value.
    n = default_threads();
    atomic_store(&requested_threads, n);
  }
  return n;
}

int cnnrt_openmp_available(void) { return 1; }

// The outlined functions are not variadic; like libomp's
// __kmp_invoke_microtask this calls them through the variadic type, which
// the x86-64 and Linux AArch64 calling conventions allow (UBSan's -fsanitize=
// function would object).
#if defined(__clang__)
#define NO_SANITIZE_FUNCTION __attribute__((no_sanitize("function")))
#else
#define NO_SANITIZE_FUNCTION
#endif
NO_SANITIZE_FUNCTION static void invoke(microtask_fn fn, int gtid, int tid,
                                        int argc, void **a) {
  int32_t g = gtid, t = tid;
  switch (argc) {
  // clang-format off
  case 0: fn(&g, &t); break;
  case 1: fn(&g, &t, a[0]); break;
  case 2: fn(&g, &t, a[0], a[1]); break;
  case 3: fn(&g, &t, a[0], a[1], a[2]); break;
  case 4: fn(&g, &t, a[0], a[1], a[2], a[3]); break;
  case 5: fn(&g, &t, a[0], a[1], a[2], a[3], a[4]); break;
  case 6: fn(&g, &t, a[0], a[1], a[2], a[3], a[4], a[5]); break;
  case 7: fn(&g, &t, a[0], a[1], a[2], a[3], a[4], a[5], a[6]); break;
  case 8: fn(&g, &t, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]); break;
  case 9: fn(&g, &t, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]);
    break;
  case 10: fn(&g, &t, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8],
              a[9]); break;
  case 11: fn(&g, &t, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8],
              a[9], a[10]); break;
  case 12: fn(&g, &t, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8],
              a[9], a[10], a[11]); break;
  case 13: fn(&g, &t, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8],
              a[9], a[10], a[11], a[12]); break;
  case 14: fn(&g, &t, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8],
              a[9], a[10], a[11], a[12], a[13]); break;
  case 15: fn(&g, &t, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8],
              a[9], a[10], a[11], a[12], a[13], a[14]); break;
  // clang-format on
  default:
    fatal("__kmpc_fork_call: microtask with %d arguments (at most %d "
          "supported)",
          argc, MAX_ARGS);
  }
}

static void *worker_main(void *arg) {
  worker *w = (worker *)arg;
  self.tid = w->tid;
  current_gtid();
  uint32_t seen = 0;
  for (;;) {
    wait_for(&w->go, seen, 1, &idle_spin_ns);
    seen = atomic_load_explicit(&w->go.value, memory_order_acquire);
    if (atomic_load(&pool.shutdown))
      break;
    team *t = &pool.team;
    // Read before joining: once all have joined, thread 0 may start the
    // next region and rewrite the team.
    int nth = t->nth;
    self.team = t;
    self.level = 1;
    invoke(t->fn, self.gtid, w->tid, t->argc, t->argv);
    self.team = NULL;
    self.level = 0;
    // Join: the last thread in wakes thread 0.
    if ((int)atomic_fetch_add(&t->arrived.value, 1) + 1 == nth - 1)
      wake(&t->arrived);
  }
  return NULL;
}

// Stops and joins the workers; the caller holds pool.lock.
static void stop_workers(void) {
  atomic_store(&pool.shutdown, 1);
  for (int i = 0; i < pool.nworkers; ++i) {
    atomic_fetch_add(&pool.workers[i].go.value, 1);
    wake(&pool.workers[i].go);
  }
  for (int i = 0; i < pool.nworkers; ++i)
    pthread_join(pool.workers[i].thread, NULL);
  pool.nworkers = 0;
  atomic_store(&pool.shutdown, 0);
}

__attribute__((destructor)) static void pool_shutdown(void) {
  // Not while a region runs (exit from inside one, or from another thread):
  // the workers then simply end with the process.
  if (pthread_mutex_trylock(&pool.lock) != 0)
    return;
  stop_workers();
  pthread_mutex_unlock(&pool.lock);
}

// In a child forked from a threaded process only the forking thread exists.
static void pool_after_fork_in_child(void) {
  pthread_mutex_t fresh = PTHREAD_MUTEX_INITIALIZER;
  memcpy(&pool.lock, &fresh, sizeof(fresh));
  pool.nworkers = 0;
  if (pool.workers)
    memset(pool.workers, 0, sizeof(worker) * (MAX_THREADS - 1));
  self.team = NULL;
  self.level = 0;
}

// Makes sure threads 1..nth-1 exist; returns how many threads the region
// gets (fewer if the system refuses new threads). Holds pool.lock.
static int ensure_workers(int nth) {
  if (nth - 1 <= pool.nworkers)
    return nth;
  if (!pool.workers) {
    void *memory = NULL;
    if (posix_memalign(&memory, CACHE_LINE,
                       sizeof(worker) * (MAX_THREADS - 1)) != 0)
      return 1;
    memset(memory, 0, sizeof(worker) * (MAX_THREADS - 1));
    pool.workers = (worker *)memory;
  }

  pthread_attr_t attr;
  pthread_attr_init(&attr);
  size_t stack = 0;
  if (pthread_attr_getstacksize(&attr, &stack) == 0 &&
      stack < WORKER_STACK_BYTES)
    pthread_attr_setstacksize(&attr, WORKER_STACK_BYTES);
  while (pool.nworkers < nth - 1) {
    worker *w = &pool.workers[pool.nworkers];
    atomic_store(&w->go.value, 0);
    atomic_store(&w->go.sleepers, 0);
    w->tid = pool.nworkers + 1;
    if (pthread_create(&w->thread, &attr, worker_main, w) != 0)
      break;
    ++pool.nworkers;
  }
  pthread_attr_destroy(&attr);
  return pool.nworkers + 1;
}

//===----------------------------------------------------------------------===//
// Barrier: threads 1..nth-1 arrive, thread 0 waits for them, may combine
// reductions, then releases them.
//===----------------------------------------------------------------------===//

// Arrival half. Thread 0 returns once all threads have arrived.
static void barrier_gather(team *t, int tid) {
  if (tid == 0) {
    wait_for(&t->arrived, (uint32_t)(t->nth - 1), 0, &region_spin_ns);
    atomic_store_explicit(&t->arrived.value, 0, memory_order_relaxed);
    return;
  }
  int nth = t->nth;
  self.barrier_generation =
      atomic_load_explicit(&t->generation.value, memory_order_acquire);
  if ((int)atomic_fetch_add(&t->arrived.value, 1) + 1 == nth - 1)
    wake(&t->arrived);
}

// Release half: thread 0 lets the others go; they wait for it.
static void barrier_release(team *t, int tid) {
  if (tid == 0) {
    atomic_fetch_add(&t->generation.value, 1);
    wake(&t->generation);
    return;
  }
  wait_for(&t->generation, self.barrier_generation, 1, &region_spin_ns);
}

//===----------------------------------------------------------------------===//
// The OpenMP runtime ABI (kmp.h)
//===----------------------------------------------------------------------===//

typedef struct ident ident_t; // source location; unused

CNNRT_API int32_t __kmpc_global_thread_num(ident_t *loc) {
  (void)loc;
  return current_gtid();
}

CNNRT_API void __kmpc_push_num_threads(ident_t *loc, int32_t gtid,
                                       int32_t num_threads) {
  (void)loc;
  (void)gtid;
  self.pushed_threads = num_threads > 0 ? num_threads : 0;
}

// A region on the calling thread alone (nested, pool busy, or 1 thread).
static void run_serialized(microtask_fn fn, int argc, void **argv) {
  team *saved_team = self.team;
  int saved_tid = self.tid;
  self.team = NULL;
  self.tid = 0;
  ++self.level;
  invoke(fn, current_gtid(), 0, argc, argv);
  --self.level;
  self.team = saved_team;
  self.tid = saved_tid;
}

static void fork_region(microtask_fn fn, int argc, void **argv) {
  int nth = self.pushed_threads ? self.pushed_threads : cnnrt_get_num_threads();
  self.pushed_threads = 0;
  if (nth > MAX_THREADS)
    nth = MAX_THREADS;
  if (nth <= 1 || self.level > 0 || pthread_mutex_trylock(&pool.lock) != 0) {
    run_serialized(fn, argc, argv);
    return;
  }
  if (!pool.initialized) {
    pool.cpus = cnnrt_default_num_threads();
    pool.spin_setting_ns = read_spin_setting_ns();
    pthread_atfork(NULL, NULL, pool_after_fork_in_child);
    pool.initialized = 1;
  }
  nth = ensure_workers(nth);
  // Spinning only pays when every thread has a CPU of its own.
  int oversubscribed = nth > pool.cpus;
  int64_t idle_spin = oversubscribed ? 0 : pool.spin_setting_ns;
  int64_t region_spin = oversubscribed ? 0 : REGION_SPIN_NS;
  if (atomic_load_explicit(&idle_spin_ns, memory_order_relaxed) != idle_spin)
    atomic_store_explicit(&idle_spin_ns, idle_spin, memory_order_relaxed);
  if (atomic_load_explicit(&region_spin_ns, memory_order_relaxed) !=
      region_spin)
    atomic_store_explicit(&region_spin_ns, region_spin, memory_order_relaxed);
  if (nth <= 1) {
    pthread_mutex_unlock(&pool.lock);
    run_serialized(fn, argc, argv);
    return;
  }
  team *t = &pool.team;
  t->nth = nth;
  t->fn = fn;
  t->argc = argc;
  for (int i = 0; i < argc; ++i)
    t->argv[i] = argv[i];
  atomic_store_explicit(&t->arrived.value, 0, memory_order_relaxed);
  for (int i = 0; i < nth - 1; ++i) {
    atomic_fetch_add(&pool.workers[i].go.value, 1);
    wake(&pool.workers[i].go);
  }
  self.team = t;
  self.tid = 0;
  ++self.level;
  invoke(fn, current_gtid(), 0, argc, argv);
  --self.level;
  // Join.
  wait_for(&t->arrived, (uint32_t)(nth - 1), 0, &region_spin_ns);
  self.team = NULL;
  pthread_mutex_unlock(&pool.lock);
}

CNNRT_API void __kmpc_fork_call(ident_t *loc, int32_t argc, microtask_fn fn,
                                ...) {
  (void)loc;
  if (argc < 0 || argc > MAX_ARGS)
    fatal("__kmpc_fork_call: microtask with %d arguments (at most %d "
          "supported)",
          (int)argc, MAX_ARGS);
  void *argv[MAX_ARGS];
  va_list args;
  va_start(args, fn);
  for (int i = 0; i < argc; ++i)
    argv[i] = va_arg(args, void *);
  va_end(args);
  fork_region(fn, argc, argv);
}

CNNRT_API void __kmpc_barrier(ident_t *loc, int32_t gtid) {
  (void)loc;
  (void)gtid;
  team *t = self.team;
  if (!t)
    return;
  barrier_gather(t, self.tid);
  barrier_release(t, self.tid);
}

//===----------------------------------------------------------------------===//
// Static loop schedules (kmp_sched.cpp)
//===----------------------------------------------------------------------===//

enum {
  sched_static_chunked = 33,
  sched_static = 34,
  sched_static_balanced_chunked = 45,
  sched_modifiers = (1 << 29) | (1 << 30), // monotonic, nonmonotonic
};

// Divides the inclusive range [*lower, *upper] step incr among the team as
// libomp does (its default static method is "greedy": ceil(trips / nth)
// iterations per thread). T: the iteration type; UT, ST: its unsigned and
// signed versions.
#define STATIC_INIT(NAME, T, UT, ST, T_MAX, T_MIN)                             \
  CNNRT_API void NAME(ident_t *loc, int32_t gtid, int32_t schedtype,           \
                      int32_t *plastiter, T *plower, T *pupper, ST *pstride,   \
                      ST incr, ST chunk) {                                     \
    (void)loc;                                                                 \
    (void)gtid;                                                                \
    /* Unsigned (wrapping) arithmetic on the bounds. */                        \
    schedtype &= ~sched_modifiers;                                             \
    if (incr == 0)                                                             \
      fatal(#NAME ": loop increment is zero");                                 \
    /* Zero-trip loop: bounds left as they are. */                             \
    if (incr > 0 ? (*pupper < *plower) : (*plower < *pupper)) {                \
      if (plastiter)                                                           \
        *plastiter = 0;                                                        \
      *pstride = incr;                                                         \
      return;                                                                  \
    }                                                                          \
    team *t = self.team;                                                       \
    UT nth = t ? (UT)t->nth : 1;                                               \
    UT tid = t ? (UT)self.tid : 0;                                             \
    if (nth == 1) {                                                            \
      if (plastiter)                                                           \
        *plastiter = 1;                                                        \
      *pstride = incr > 0 ? (ST)((UT)*pupper - (UT)*plower + 1)                \
                          : (ST)(0 - ((UT)*plower - (UT)*pupper + 1));         \
      return;                                                                  \
    }                                                                          \
    UT trips;                                                                  \
    if (incr == 1)                                                             \
      trips = (UT)*pupper - (UT)*plower + 1;                                   \
    else if (incr == -1)                                                       \
      trips = (UT)*plower - (UT)*pupper + 1;                                   \
    else if (incr > 0)                                                         \
      trips = ((UT)*pupper - (UT)*plower) / (UT)incr + 1;                      \
    else                                                                       \
      trips = ((UT)*plower - (UT)*pupper) / (0 - (UT)incr) + 1;                \
    switch (schedtype) {                                                       \
    case sched_static: {                                                       \
      if (trips < nth) {                                                       \
        if (tid < trips)                                                       \
          *pupper = *plower = (T)((UT)*plower + tid * (UT)incr);               \
        else                                                                   \
          *plower = (T)((UT)*pupper + (incr > 0 ? 1 : (UT)-1));                \
        if (plastiter)                                                         \
          *plastiter = tid == trips - 1;                                       \
      } else {                                                                 \
        UT big_chunk = (trips / nth + (trips % nth ? 1 : 0)) * (UT)incr;       \
        T old_upper = *pupper;                                                 \
        T last_start = (T)((UT)old_upper - (UT)incr);                          \
        *plower = (T)((UT)*plower + tid * big_chunk);                          \
        *pupper = (T)((UT)*plower + big_chunk - (UT)incr);                     \
        if (incr > 0) {                                                        \
          if (*pupper < *plower)                                               \
            *pupper = T_MAX;                                                   \
          if (plastiter)                                                       \
            *plastiter = *plower <= old_upper && *pupper > last_start;         \
          if (*pupper > old_upper)                                             \
            *pupper = old_upper;                                               \
        } else {                                                               \
          if (*pupper > *plower)                                               \
            *pupper = T_MIN;                                                   \
          if (plastiter)                                                       \
            *plastiter = *plower >= old_upper && *pupper < last_start;         \
          if (*pupper < old_upper)                                             \
            *pupper = old_upper;                                               \
        }                                                                      \
      }                                                                        \
      *pstride = (ST)trips;                                                    \
      break;                                                                   \
    }                                                                          \
    case sched_static_chunked: {                                               \
      if (chunk < 1)                                                           \
        chunk = 1;                                                             \
      else if ((UT)chunk > trips)                                              \
        chunk = (ST)trips;                                                     \
      UT nchunks = trips / (UT)chunk + (trips % (UT)chunk ? 1 : 0);            \
      UT span = (UT)chunk * (UT)incr;                                          \
      if (nchunks < nth) {                                                     \
        *pstride = (ST)(span * nchunks);                                       \
        if (tid < nchunks) {                                                   \
          *plower = (T)((UT)*plower + span * tid);                             \
          *pupper = (T)((UT)*plower + span - (UT)incr);                        \
        } else {                                                               \
          *plower = (T)((UT)*pupper + (incr > 0 ? 1 : (UT)-1));                \
        }                                                                      \
      } else {                                                                 \
        *pstride = (ST)(span * nth);                                           \
        *plower = (T)((UT)*plower + span * tid);                               \
        *pupper = (T)((UT)*plower + span - (UT)incr);                          \
      }                                                                        \
      if (plastiter)                                                           \
        *plastiter = tid == (nchunks - 1) % nth;                               \
      break;                                                                   \
    }                                                                          \
    case sched_static_balanced_chunked: {                                      \
      T old_upper = *pupper;                                                   \
      UT span = (trips + nth - 1) / nth;                                       \
      /* chunk is a power of two here (the simd width) */                      \
      UT rounded = (span + (UT)chunk - 1) & ~((UT)chunk - 1);                  \
      span = rounded * (UT)incr;                                               \
      *plower = (T)((UT)*plower + span * tid);                                 \
      *pupper = (T)((UT)*plower + span - (UT)incr);                            \
      if (incr > 0) {                                                          \
        if (*pupper > old_upper)                                               \
          *pupper = old_upper;                                                 \
      } else if (*pupper < old_upper) {                                        \
        *pupper = old_upper;                                                   \
      }                                                                        \
      if (plastiter)                                                           \
        *plastiter = tid == (trips - 1) / rounded;                             \
      break;                                                                   \
    }                                                                          \
    default:                                                                   \
      fatal(#NAME ": schedule kind %d is not supported (static kinds 33, "     \
                  "34 and 45 are)",                                            \
            (int)schedtype);                                                   \
    }                                                                          \
  }

STATIC_INIT(__kmpc_for_static_init_4, int32_t, uint32_t, int32_t, INT32_MAX,
            INT32_MIN)
STATIC_INIT(__kmpc_for_static_init_4u, uint32_t, uint32_t, int32_t, UINT32_MAX,
            0)
STATIC_INIT(__kmpc_for_static_init_8, int64_t, uint64_t, int64_t, INT64_MAX,
            INT64_MIN)
STATIC_INIT(__kmpc_for_static_init_8u, uint64_t, uint64_t, int64_t, UINT64_MAX,
            0)

CNNRT_API void __kmpc_for_static_fini(ident_t *loc, int32_t gtid) {
  (void)loc;
  (void)gtid;
}

//===----------------------------------------------------------------------===//
// Reductions: libomp's tree method, combined in thread order
//===----------------------------------------------------------------------===//

// Thread 0 combines every thread's reduce_data into its own (1, 2, ... in
// order) and gets 1: it then adds the result into the shared variables. The
// others get 0. `release` lets them go at once (the _nowait form) rather
// than at __kmpc_end_reduce.
static int32_t reduce_begin(void *reduce_data, reduce_fn fn, int release) {
  team *t = self.team;
  if (!t)
    return 1;
  int tid = self.tid;
  t->reduce_data[tid] = reduce_data;
  barrier_gather(t, tid);
  if (tid == 0) {
    for (int i = 1; i < t->nth; ++i)
      fn(t->reduce_data[0], t->reduce_data[i]);
    if (release)
      barrier_release(t, 0);
    return 1;
  }
  // Threads 1.. must not leave before their reduce_data has been read.
  barrier_release(t, tid);
  return 0;
}

CNNRT_API int32_t __kmpc_reduce_nowait(ident_t *loc, int32_t gtid,
                                       int32_t num_vars, size_t reduce_size,
                                       void *reduce_data, reduce_fn fn,
                                       void *lck) {
  (void)loc;
  (void)gtid;
  (void)num_vars;
  (void)reduce_size;
  (void)lck;
  return reduce_begin(reduce_data, fn, 1);
}

CNNRT_API void __kmpc_end_reduce_nowait(ident_t *loc, int32_t gtid, void *lck) {
  (void)loc;
  (void)gtid;
  (void)lck;
}

CNNRT_API int32_t __kmpc_reduce(ident_t *loc, int32_t gtid, int32_t num_vars,
                                size_t reduce_size, void *reduce_data,
                                reduce_fn fn, void *lck) {
  (void)loc;
  (void)gtid;
  (void)num_vars;
  (void)reduce_size;
  (void)lck;
  return reduce_begin(reduce_data, fn, 0);
}

// Called by the thread that got 1 from __kmpc_reduce, after it has updated
// the shared variables: the others may go.
CNNRT_API void __kmpc_end_reduce(ident_t *loc, int32_t gtid, void *lck) {
  (void)loc;
  (void)gtid;
  (void)lck;
  team *t = self.team;
  if (t && self.tid == 0)
    barrier_release(t, 0);
}
