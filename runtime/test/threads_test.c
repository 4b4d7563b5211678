//===- threads_test.c - The OpenMP runtime ABI of runtime/src/threads.c ---===//
//
// Part of the cnnc project.
//
//===----------------------------------------------------------------------===//
//
// Calls the __kmpc_* entry points the way compiled models (MLIR's OpenMP
// translation, like clang's) do, and checks libomp's semantics: every
// iteration of a statically scheduled loop runs exactly once, on the thread
// libomp would give it, with the last-iteration flag on the right thread;
// barriers, reductions, nested and concurrent regions, microtasks with 0 to
// 15 arguments (and a loud failure beyond), OMP_NUM_THREADS, idle workers
// that sleep, and fork(). Prints "threads_test: ok" and exits 0 on success.
//
// ctest: runtime.threads_abi.
//
//===----------------------------------------------------------------------===//

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "cnnrt/cnnrt.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

// The ABI, as kmp.h declares it.
typedef struct ident ident_t;
typedef void (*kmpc_micro)(int32_t *, int32_t *, ...);
void __kmpc_fork_call(ident_t *, int32_t, kmpc_micro, ...);
int32_t __kmpc_global_thread_num(ident_t *);
void __kmpc_push_num_threads(ident_t *, int32_t, int32_t);
void __kmpc_barrier(ident_t *, int32_t);
void __kmpc_for_static_init_4(ident_t *, int32_t, int32_t, int32_t *, int32_t *,
                              int32_t *, int32_t *, int32_t, int32_t);
void __kmpc_for_static_init_4u(ident_t *, int32_t, int32_t, int32_t *,
                               uint32_t *, uint32_t *, int32_t *, int32_t,
                               int32_t);
void __kmpc_for_static_init_8(ident_t *, int32_t, int32_t, int32_t *, int64_t *,
                              int64_t *, int64_t *, int64_t, int64_t);
void __kmpc_for_static_init_8u(ident_t *, int32_t, int32_t, int32_t *,
                               uint64_t *, uint64_t *, int64_t *, int64_t,
                               int64_t);
void __kmpc_for_static_fini(ident_t *, int32_t);
int32_t __kmpc_reduce(ident_t *, int32_t, int32_t, size_t, void *,
                      void (*)(void *, void *), void *);
void __kmpc_end_reduce(ident_t *, int32_t, void *);
int32_t __kmpc_reduce_nowait(ident_t *, int32_t, int32_t, size_t, void *,
                             void (*)(void *, void *), void *);
void __kmpc_end_reduce_nowait(ident_t *, int32_t, void *);

static _Atomic int failures;
#define CHECK(cond, ...)                                                       \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "threads_test:%d: %s: ", __LINE__, #cond);               \
      fprintf(stderr, __VA_ARGS__);                                            \
      fputc('\n', stderr);                                                     \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

//===----------------------------------------------------------------------===//
// Static schedules
//===----------------------------------------------------------------------===//

// One loop: for (i = lb; incr > 0 ? i <= ub : i >= ub; i += incr).
typedef struct loop {
  int type; // 4, 5 (4u), 8, 9 (8u)
  int sched;
  int64_t lb, ub, incr, chunk;
  int64_t trips;
  _Atomic int *hits;      // per iteration index
  _Atomic int *hit_by;    // thread id + 1 that ran it
  _Atomic int last_count; // threads told "you have the last iteration"
  _Atomic int last_ran_last;
  _Atomic int nth_seen;
} loop;

// Runs this thread's share of the loop, the way compiled code does: one
// range for schedule 34 (and 45), a chunk loop with `stride` for 33.
static void run_share(loop *l, int tid) {
  int32_t gtid = __kmpc_global_thread_num(NULL);
  int32_t last = 0;
  int64_t lower, upper, stride;
#define INIT(T, ST, FN)                                                        \
  do {                                                                         \
    T lo = (T)l->lb, hi = (T)l->ub;                                            \
    ST st = 0;                                                                 \
    FN(NULL, gtid, l->sched, &last, &lo, &hi, &st, (ST)l->incr, (ST)l->chunk); \
    lower = (int64_t)lo;                                                       \
    upper = (int64_t)hi;                                                       \
    stride = (int64_t)st;                                                      \
  } while (0)
  switch (l->type) {
  case 4:
    INIT(int32_t, int32_t, __kmpc_for_static_init_4);
    break;
  case 5:
    INIT(uint32_t, int32_t, __kmpc_for_static_init_4u);
    break;
  case 8:
    INIT(int64_t, int64_t, __kmpc_for_static_init_8);
    break;
  default:
    INIT(uint64_t, int64_t, __kmpc_for_static_init_8u);
    break;
  }
#undef INIT
  int ran_last = 0;
  int64_t last_index = l->trips - 1;
  // Unsigned arithmetic: bounds may sit at the ends of the type.
  for (int chunk = 0; chunk < 100000; ++chunk) {
    int64_t hi = upper;
    if (l->incr > 0 ? hi > l->ub : hi < l->ub)
      hi = l->ub;
    if (l->incr > 0 ? lower > hi : lower < hi)
      break;
    uint64_t count = l->incr > 0
                         ? ((uint64_t)hi - (uint64_t)lower) / l->incr + 1
                         : ((uint64_t)lower - (uint64_t)hi) / -l->incr + 1;
    for (uint64_t k = 0; k < count; ++k) {
      int64_t i = (int64_t)((uint64_t)lower + k * (uint64_t)l->incr);
      int64_t index =
          (int64_t)(((uint64_t)i - (uint64_t)l->lb) / (uint64_t)l->incr);
      if (l->incr < 0)
        index = (int64_t)(((uint64_t)l->lb - (uint64_t)i) / -l->incr);
      if (index < 0 || index >= l->trips) {
        atomic_fetch_add(&l->hits[0], 1000); // out of range: fail
        continue;
      }
      atomic_fetch_add(&l->hits[index], 1);
      atomic_store(&l->hit_by[index], tid + 1);
      if (index == last_index)
        ran_last = 1;
    }
    if (l->sched != 33)
      break;
    // The next chunk; stop where it would pass the end of the type.
    int64_t next = (int64_t)((uint64_t)lower + (uint64_t)stride);
    if (l->incr > 0 ? next < lower : next > lower)
      break;
    lower = next;
    upper = (int64_t)((uint64_t)upper + (uint64_t)stride);
    if (l->incr > 0 ? upper < lower : upper > lower)
      upper = l->incr > 0 ? INT64_MAX : INT64_MIN;
  }
  __kmpc_for_static_fini(NULL, gtid);
  if (last) {
    atomic_fetch_add(&l->last_count, 1);
    if (ran_last)
      atomic_store(&l->last_ran_last, 1);
  }
}

static _Atomic int team_size; // threads that entered the current region

static void loop_task(int32_t *gtid, int32_t *tid, loop *l) {
  (void)gtid;
  atomic_fetch_add(&team_size, 1);
  run_share(l, *tid);
  __kmpc_barrier(NULL, __kmpc_global_thread_num(NULL));
}

static void check_loop(int type, int sched, int64_t lb, int64_t ub,
                       int64_t incr, int64_t chunk, int nth) {
  loop l = {.type = type,
            .sched = sched,
            .lb = lb,
            .ub = ub,
            .incr = incr,
            .chunk = chunk};
  int64_t trips = incr > 0 ? (ub >= lb ? (ub - lb) / incr + 1 : 0)
                           : (lb >= ub ? (lb - ub) / -incr + 1 : 0);
  l.trips = trips;
  l.hits = calloc((size_t)trips + 1, sizeof(int));
  l.hit_by = calloc((size_t)trips + 1, sizeof(int));
  cnnrt_set_num_threads(nth);
  atomic_store(&team_size, 0);
  __kmpc_fork_call(NULL, 1, (kmpc_micro)loop_task, &l);
  CHECK(atomic_load(&team_size) == nth, "team of %d, expected %d",
        atomic_load(&team_size), nth);
  for (int64_t i = 0; i < trips; ++i)
    CHECK(atomic_load(&l.hits[i]) == 1,
          "type %d sched %d [%lld, %lld] step %lld chunk %lld, %d threads: "
          "iteration %lld ran %d times",
          type, sched, (long long)lb, (long long)ub, (long long)incr,
          (long long)chunk, nth, (long long)i, atomic_load(&l.hits[i]));
  if (trips > 0) {
    CHECK(atomic_load(&l.last_count) == 1 && atomic_load(&l.last_ran_last),
          "type %d sched %d trips %lld chunk %lld, %d threads: last flag on "
          "%d threads",
          type, sched, (long long)trips, (long long)chunk, nth,
          atomic_load(&l.last_count));
  }
  // libomp's split for schedule 34 (greedy): thread t runs iterations
  // [t * ceil(trips / nth), ...) when trips >= nth, else iteration t.
  if (sched == 34 && trips > 0) {
    int64_t per = trips >= nth ? (trips + nth - 1) / nth : 1;
    for (int64_t i = 0; i < trips; ++i)
      CHECK(atomic_load(&l.hit_by[i]) == (int)(i / per) + 1,
            "trips %lld, %d threads: iteration %lld on thread %d",
            (long long)trips, nth, (long long)i, atomic_load(&l.hit_by[i]) - 1);
  }
  // Schedule 33: chunk c goes to thread c % nth.
  if (sched == 33 && trips > 0) {
    int64_t c = chunk < 1 ? 1 : chunk;
    for (int64_t i = 0; i < trips; ++i)
      CHECK(atomic_load(&l.hit_by[i]) == (int)((i / c) % nth) + 1,
            "trips %lld chunk %lld, %d threads: iteration %lld on thread %d",
            (long long)trips, (long long)c, nth, (long long)i,
            atomic_load(&l.hit_by[i]) - 1);
  }
  free(l.hits);
  free(l.hit_by);
}

static void test_static_schedules(void) {
  static const int64_t trip_counts[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 31, 100};
  static const int64_t incrs[] = {1, 2, 3, -1, -4};
  static const int64_t chunks[] = {1, 2, 3, 8, 200};
  for (int nth = 1; nth <= 5; ++nth)
    for (int type_index = 0; type_index < 4; ++type_index) {
      int type = (int[]){4, 5, 8, 9}[type_index];
      for (size_t t = 0; t < sizeof(trip_counts) / sizeof(*trip_counts); ++t)
        for (size_t s = 0; s < sizeof(incrs) / sizeof(*incrs); ++s) {
          int64_t incr = incrs[s], trips = trip_counts[t];
          int is_unsigned = type == 5 || type == 9;
          int64_t lb = incr > 0 ? (is_unsigned ? 5 : -7) : 1000;
          // ub as compiled code passes it: the last value, inclusive.
          int64_t ub = trips > 0 ? lb + (trips - 1) * incr : lb - incr;
          if (is_unsigned && incr < 0)
            continue; // unsigned loops count up
          check_loop(type, 34, lb, ub, incr, 0, nth);
          check_loop(type, 34 | (1 << 29), lb, ub, incr, 0, nth); // monotonic
          for (size_t c = 0; c < sizeof(chunks) / sizeof(*chunks); ++c)
            check_loop(type, 33, lb, ub, incr, chunks[c], nth);
          if (incr > 0)
            for (int64_t c = 1; c <= 8; c *= 2)
              check_loop(type, 45, lb, ub, incr, c, nth);
        }
    }
  // Bounds near the ends of the types (trip counts that overflow a naive
  // upper - lower).
  for (int nth = 1; nth <= 3; ++nth) {
    check_loop(4, 34, INT32_MAX - 20, INT32_MAX, 1, 0, nth);
    check_loop(4, 34, INT32_MIN, INT32_MIN + 9, 1, 0, nth);
    check_loop(4, 34, INT32_MAX - 1, INT32_MAX - 7, -3, 0, nth);
    check_loop(5, 34, UINT32_MAX - 10, UINT32_MAX, 1, 0, nth);
    check_loop(8, 34, INT64_MAX - 30, INT64_MAX, 2, 0, nth);
    check_loop(8, 33, INT64_MAX - 30, INT64_MAX, 2, 4, nth);
  }
}

// Exact bounds libomp gives (worked out from kmp_sched.cpp) for 10
// iterations 0..9 on 4 threads: greedy 3, 3, 3, 1.
static _Atomic int64_t exact_lower[8], exact_upper[8], exact_stride[8];
static _Atomic int exact_last[8];
static void exact_task(int32_t *gtid, int32_t *tid) {
  int64_t lo = 0, hi = 9, st = 0;
  int32_t last = 0;
  __kmpc_for_static_init_8(NULL, *gtid, 34, &last, &lo, &hi, &st, 1, 0);
  exact_lower[*tid] = lo;
  exact_upper[*tid] = hi;
  exact_stride[*tid] = st;
  exact_last[*tid] = last;
}

static void test_exact_bounds(void) {
  cnnrt_set_num_threads(4);
  __kmpc_fork_call(NULL, 0, (kmpc_micro)exact_task);
  static const int64_t lower[] = {0, 3, 6, 9}, upper[] = {2, 5, 8, 9};
  for (int t = 0; t < 4; ++t) {
    CHECK(exact_lower[t] == lower[t] && exact_upper[t] == upper[t] &&
              exact_stride[t] == 10 && exact_last[t] == (t == 3),
          "thread %d: [%lld, %lld] stride %lld last %d", t,
          (long long)exact_lower[t], (long long)exact_upper[t],
          (long long)exact_stride[t], exact_last[t]);
  }
  // Outside any region (one thread): the whole range, stride = trip count.
  int64_t lo = 10, hi = 1, st = 0;
  int32_t last = 0;
  __kmpc_for_static_init_8(NULL, 0, 34, &last, &lo, &hi, &st, -3, 0);
  CHECK(lo == 10 && hi == 1 && st == -10 && last == 1,
        "serial: [%lld, %lld] stride %lld last %d", (long long)lo,
        (long long)hi, (long long)st, last);
  // A zero-trip loop: bounds untouched, last 0, stride = incr.
  lo = 5, hi = 4, st = 0, last = 7;
  __kmpc_for_static_init_8(NULL, 0, 34, &last, &lo, &hi, &st, 1, 0);
  CHECK(lo == 5 && hi == 4 && st == 1 && last == 0, "zero trip");
}

//===----------------------------------------------------------------------===//
// Arguments
//===----------------------------------------------------------------------===//

static _Atomic int args_ok, args_calls;

// Argument i of a call with n arguments.
#define A(i, n) (void *)(uintptr_t)(0x1000 * (i) + (n))

static void check_args(int n, void **got) {
  int ok = 1;
  for (int i = 1; i <= n; ++i)
    ok &= got[i] == A(i, n);
  atomic_fetch_add(&args_calls, 1);
  if (ok)
    atomic_fetch_add(&args_ok, 1);
}

// PARAMS_n: ", void *p1, ..., void *pn"; NAMES_n: ", p1, ..., pn";
// ARGS_n(n): ", A(1, n), ..., A(n, n)".
#define PARAMS_0
#define NAMES_0
#define ARGS_0(n)
#define PARAMS_1 PARAMS_0, void *p1
#define NAMES_1 NAMES_0, p1
#define ARGS_1(n) ARGS_0(n), A(1, n)
#define PARAMS_2 PARAMS_1, void *p2
#define NAMES_2 NAMES_1, p2
#define ARGS_2(n) ARGS_1(n), A(2, n)
#define PARAMS_3 PARAMS_2, void *p3
#define NAMES_3 NAMES_2, p3
#define ARGS_3(n) ARGS_2(n), A(3, n)
#define PARAMS_4 PARAMS_3, void *p4
#define NAMES_4 NAMES_3, p4
#define ARGS_4(n) ARGS_3(n), A(4, n)
#define PARAMS_5 PARAMS_4, void *p5
#define NAMES_5 NAMES_4, p5
#define ARGS_5(n) ARGS_4(n), A(5, n)
#define PARAMS_6 PARAMS_5, void *p6
#define NAMES_6 NAMES_5, p6
#define ARGS_6(n) ARGS_5(n), A(6, n)
#define PARAMS_7 PARAMS_6, void *p7
#define NAMES_7 NAMES_6, p7
#define ARGS_7(n) ARGS_6(n), A(7, n)
#define PARAMS_8 PARAMS_7, void *p8
#define NAMES_8 NAMES_7, p8
#define ARGS_8(n) ARGS_7(n), A(8, n)
#define PARAMS_9 PARAMS_8, void *p9
#define NAMES_9 NAMES_8, p9
#define ARGS_9(n) ARGS_8(n), A(9, n)
#define PARAMS_10 PARAMS_9, void *p10
#define NAMES_10 NAMES_9, p10
#define ARGS_10(n) ARGS_9(n), A(10, n)
#define PARAMS_11 PARAMS_10, void *p11
#define NAMES_11 NAMES_10, p11
#define ARGS_11(n) ARGS_10(n), A(11, n)
#define PARAMS_12 PARAMS_11, void *p12
#define NAMES_12 NAMES_11, p12
#define ARGS_12(n) ARGS_11(n), A(12, n)
#define PARAMS_13 PARAMS_12, void *p13
#define NAMES_13 NAMES_12, p13
#define ARGS_13(n) ARGS_12(n), A(13, n)
#define PARAMS_14 PARAMS_13, void *p14
#define NAMES_14 NAMES_13, p14
#define ARGS_14(n) ARGS_13(n), A(14, n)
#define PARAMS_15 PARAMS_14, void *p15
#define NAMES_15 NAMES_14, p15
#define ARGS_15(n) ARGS_14(n), A(15, n)
#define PARAMS_16 PARAMS_15, void *p16
#define NAMES_16 NAMES_15, p16
#define ARGS_16(n) ARGS_15(n), A(16, n)

// tn: a microtask of n arguments, like the ones the compiler outlines.
#define TASK(n)                                                                \
  static void t##n(int32_t *gtid, int32_t *tid PARAMS_##n) {                   \
    (void)gtid;                                                                \
    (void)tid;                                                                 \
    void *got[] = {NULL NAMES_##n};                                            \
    check_args(n, got);                                                        \
  }
TASK(0)
TASK(1)
TASK(2)
TASK(3)
TASK(4)
TASK(5)
TASK(6)
TASK(7)
TASK(8)
TASK(9)
TASK(10)
TASK(11)
TASK(12)
TASK(13)
TASK(14)
TASK(15)
#define FORK(n) __kmpc_fork_call(NULL, n, (kmpc_micro)t##n ARGS_##n(n))

static void test_arguments(void) {
  cnnrt_set_num_threads(3);
  atomic_store(&args_ok, 0);
  atomic_store(&args_calls, 0);
  FORK(0);
  FORK(1);
  FORK(2);
  FORK(3);
  FORK(4);
  FORK(5);
  FORK(6);
  FORK(7);
  FORK(8);
  FORK(9);
  FORK(10);
  FORK(11);
  FORK(12);
  FORK(13);
  FORK(14);
  FORK(15);
  CHECK(atomic_load(&args_calls) == 16 * 3 && atomic_load(&args_ok) == 16 * 3,
        "%d of %d microtask calls got their arguments", atomic_load(&args_ok),
        atomic_load(&args_calls));
}

// Runs `body` in a child process; returns its wait status and its stderr.
static int in_child(void (*body)(void), char *err, size_t errlen) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0)
    return -1;
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    failures = 0;
    dup2(pipe_fds[1], 2);
    close(pipe_fds[0]);
    body();
    fflush(NULL);
    _exit(failures ? 1 : 0);
  }
  close(pipe_fds[1]);
  size_t used = 0;
  ssize_t n;
  while (used + 1 < errlen &&
         (n = read(pipe_fds[0], err + used, errlen - 1 - used)) > 0)
    used += (size_t)n;
  err[used] = '\0';
  close(pipe_fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

static void sixteen_arguments(void) {
  cnnrt_set_num_threads(2);
  __kmpc_fork_call(NULL, 16, (kmpc_micro)t15 ARGS_16(15));
}

static void test_too_many_arguments(void) {
  char err[1024];
  int status = in_child(sixteen_arguments, err, sizeof(err));
  CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
        "16 arguments: status %d", status);
  CHECK(strstr(err, "cnnrt: __kmpc_fork_call: microtask with 16 arguments") &&
            strchr(err, '\n') == err + strlen(err) - 1,
        "16 arguments: stderr \"%s\"", err);
}

//===----------------------------------------------------------------------===//
// Barriers, reductions, nesting, concurrency
//===----------------------------------------------------------------------===//

#define ROUNDS 300
static _Atomic int slots[16];
static _Atomic int barrier_errors;
static void barrier_task(int32_t *gtid, int32_t *tid, int *nth) {
  for (int round = 1; round <= ROUNDS; ++round) {
    atomic_store(&slots[*tid], round);
    __kmpc_barrier(NULL, *gtid);
    for (int t = 0; t < *nth; ++t)
      if (atomic_load(&slots[t]) != round)
        atomic_fetch_add(&barrier_errors, 1);
    __kmpc_barrier(NULL, *gtid);
  }
}

static void add_longs(void *lhs, void *rhs) { *(long *)lhs += *(long *)rhs; }

// Like the compiler's, the reduce function gets arrays of pointers.
static void add_longs_array(void *lhs, void *rhs) {
  add_longs(((void **)lhs)[0], ((void **)rhs)[0]);
}

static _Atomic long reduced;
static _Atomic int reduce_order_errors;
static void reduce_task(int32_t *gtid, int32_t *tid, long *shared) {
  for (int round = 0; round < ROUNDS; ++round) {
    long mine = *tid + 1;
    void *data[1] = {&mine};
    int32_t r = __kmpc_reduce(NULL, *gtid, 1, sizeof(data), data,
                              add_longs_array, NULL);
    if (r == 1) {
      *shared += mine;
      __kmpc_end_reduce(NULL, *gtid, NULL);
    } else if (r != 0) {
      atomic_fetch_add(&reduce_order_errors, 1);
    }
    __kmpc_barrier(NULL, *gtid);
    long mine2 = 2 * (*tid + 1);
    void *data2[1] = {&mine2};
    r = __kmpc_reduce_nowait(NULL, *gtid, 1, sizeof(data2), data2,
                             add_longs_array, NULL);
    if (r == 1) {
      *shared += mine2;
      __kmpc_end_reduce_nowait(NULL, *gtid, NULL);
    }
    __kmpc_barrier(NULL, *gtid);
  }
}

static void test_barrier_and_reduce(void) {
  for (int nth = 1; nth <= 6; ++nth) {
    cnnrt_set_num_threads(nth);
    atomic_store(&barrier_errors, 0);
    __kmpc_fork_call(NULL, 1, (kmpc_micro)barrier_task, &nth);
    CHECK(atomic_load(&barrier_errors) == 0, "%d threads: %d barrier errors",
          nth, atomic_load(&barrier_errors));
    (void)reduced;
    long shared = 0;
    __kmpc_fork_call(NULL, 1, (kmpc_micro)reduce_task, &shared);
    long expected = (long)ROUNDS * 3 * nth * (nth + 1) / 2;
    CHECK(shared == expected && atomic_load(&reduce_order_errors) == 0,
          "%d threads: reduced %ld, expected %ld", nth, shared, expected);
  }
}

static _Atomic int inner_threads, inner_whole;
static void inner_task(int32_t *gtid, int32_t *tid) {
  atomic_fetch_add(&inner_threads, 1);
  int64_t lo = 0, hi = 99, st = 0;
  int32_t last = 0;
  __kmpc_for_static_init_8(NULL, *gtid, 34, &last, &lo, &hi, &st, 1, 0);
  if (*tid == 0 && lo == 0 && hi == 99 && last == 1)
    atomic_fetch_add(&inner_whole, 1);
  __kmpc_barrier(NULL, *gtid); // a no-op on a team of one
}
static _Atomic int outer_threads;
static void outer_task(int32_t *gtid, int32_t *tid) {
  (void)tid;
  atomic_fetch_add(&outer_threads, 1);
  __kmpc_fork_call(NULL, 0, (kmpc_micro)inner_task);
  __kmpc_barrier(NULL, *gtid);
}

static void test_nested(void) {
  cnnrt_set_num_threads(3);
  __kmpc_fork_call(NULL, 0, (kmpc_micro)outer_task);
  CHECK(outer_threads == 3 && inner_threads == 3 && inner_whole == 3,
        "nested: %d outer, %d inner threads, %d whole inner loops",
        outer_threads, inner_threads, inner_whole);
}

static _Atomic int pushed_team;
static void count_task(int32_t *gtid, int32_t *tid) {
  (void)gtid;
  (void)tid;
  atomic_fetch_add(&pushed_team, 1);
}

static void test_push_num_threads(void) {
  cnnrt_set_num_threads(2);
  __kmpc_push_num_threads(NULL, __kmpc_global_thread_num(NULL), 4);
  __kmpc_fork_call(NULL, 0, (kmpc_micro)count_task);
  CHECK(pushed_team == 4, "pushed 4 threads, got %d", pushed_team);
  atomic_store(&pushed_team, 0);
  __kmpc_fork_call(NULL, 0, (kmpc_micro)count_task); // back to 2
  CHECK(pushed_team == 2, "after the pushed region: %d threads", pushed_team);
}

// Several program threads run regions at once.
static void *concurrent_caller(void *arg) {
  int id = (int)(intptr_t)arg;
  for (int i = 0; i < 150; ++i) {
    loop l = {.type = 8,
              .sched = i % 2 ? 34 : 33,
              .lb = id,
              .ub = id + 3 * (40 + i % 7),
              .incr = 3,
              .chunk = 2};
    l.trips = (l.ub - l.lb) / 3 + 1;
    l.hits = calloc((size_t)l.trips, sizeof(int));
    l.hit_by = calloc((size_t)l.trips, sizeof(int));
    __kmpc_fork_call(NULL, 1, (kmpc_micro)loop_task, &l);
    for (int64_t k = 0; k < l.trips; ++k)
      if (atomic_load(&l.hits[k]) != 1)
        ++failures;
    if (atomic_load(&l.last_count) != 1)
      ++failures;
    free(l.hits);
    free(l.hit_by);
  }
  return NULL;
}

static void test_concurrent_callers(void) {
  cnnrt_set_num_threads(3);
  int before = failures;
  pthread_t callers[3];
  for (int i = 0; i < 3; ++i)
    pthread_create(&callers[i], NULL, concurrent_caller, (void *)(intptr_t)i);
  for (int i = 0; i < 3; ++i)
    pthread_join(callers[i], NULL);
  CHECK(failures == before, "concurrent callers: %d failures",
        failures - before);
}

static _Atomic int gtids[8];
static void gtid_task(int32_t *gtid, int32_t *tid) {
  CHECK(*gtid == __kmpc_global_thread_num(NULL), "gtid argument");
  gtids[*tid] = *gtid;
}

static void test_gtids(void) {
  cnnrt_set_num_threads(4);
  __kmpc_fork_call(NULL, 0, (kmpc_micro)gtid_task);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < i; ++j)
      CHECK(gtids[i] != gtids[j], "threads %d and %d share gtid %d", i, j,
            gtids[i]);
}

//===----------------------------------------------------------------------===//
// Thread count, idle workers, fork
//===----------------------------------------------------------------------===//

static const char *env_value;
static int env_expected;
static void check_env_threads(void) {
  setenv("OMP_NUM_THREADS", env_value, 1);
  int got = cnnrt_get_num_threads();
  CHECK(got == env_expected, "OMP_NUM_THREADS=\"%s\": %d threads, expected %d",
        env_value, got, env_expected);
  atomic_store(&pushed_team, 0);
  __kmpc_fork_call(NULL, 0, (kmpc_micro)count_task);
  CHECK(pushed_team == env_expected, "OMP_NUM_THREADS=\"%s\": team of %d",
        env_value, pushed_team);
}

// Must run before anything sets the thread count: the children inherit it.
static void test_omp_num_threads(void) {
  static const struct {
    const char *value;
    int expected; // 0: the default
  } cases[] = {{"3", 3},   {" 2 ", 2}, {"5,2,1", 5}, {"0", 0},        {"-2", 0},
               {"abc", 0}, {"", 0},    {"2x", 0},    {"100000", 1024}};
  for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); ++i) {
    env_value = cases[i].value;
    env_expected =
        cases[i].expected ? cases[i].expected : cnnrt_default_num_threads();
    char err[1024];
    int status = in_child(check_env_threads, err, sizeof(err));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s", err);
  }
}

static double cpu_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec * 1e-6;
}

static void test_idle_workers_sleep(void) {
  cnnrt_set_num_threads(cnnrt_default_num_threads() > 1 ? 2 : 1);
  __kmpc_fork_call(NULL, 0, (kmpc_micro)count_task);
  double before = cpu_ms();
  struct timespec pause = {0, 200 * 1000000};
  nanosleep(&pause, NULL);
  double used = cpu_ms() - before;
  // One worker may spin for at most 1 ms after the region.
  CHECK(used < 20.0, "idle pool used %.1f ms of CPU in 200 ms", used);
}

static void region_in_child(void) {
  cnnrt_set_num_threads(3);
  check_loop(8, 34, 0, 999, 1, 0, 3);
}

static void test_fork(void) {
  cnnrt_set_num_threads(3);
  check_loop(8, 34, 0, 999, 1, 0, 3); // the parent's pool exists
  char err[1024];
  int status = in_child(region_in_child, err, sizeof(err));
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "forked child: %s", err);
}

int main(void) {
  test_omp_num_threads();
  CHECK(cnnrt_openmp_available() == 1, "cnnrt_openmp_available");
  cnnrt_set_num_threads(3);
  CHECK(cnnrt_get_num_threads() == 3, "set 3");
  cnnrt_set_num_threads(0);
  CHECK(cnnrt_get_num_threads() == 3, "0 is ignored");
  cnnrt_set_num_threads(5000);
  CHECK(cnnrt_get_num_threads() == 1024, "5000 is taken as 1024");
  test_exact_bounds();
  test_static_schedules();
  test_arguments();
  test_too_many_arguments();
  test_barrier_and_reduce();
  test_nested();
  test_push_num_threads();
  test_concurrent_callers();
  test_gtids();
  test_idle_workers_sleep();
  test_fork();
  if (failures) {
    fprintf(stderr, "threads_test: %d failures\n", failures);
    return 1;
  }
  printf("threads_test: ok\n");
  return 0;
}
