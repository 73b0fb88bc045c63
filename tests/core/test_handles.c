/* Handle table: generation-checked handles, stale and garbage handles. */
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/handle_table.h"
#include "platform/platform.h"
#include "test.h"

typedef struct test_obj {
  pw_ref ref;
  int *destroyed;
} test_obj;

static void obj_destroy(pw_ref *ref) {
  test_obj *o = PW_CONTAINER_OF(ref, test_obj, ref);
  if (o->destroyed)
    (*o->destroyed)++;
  free(o);
}

/* The close function handles carry: drop the handle's reference. */
static void obj_close(pw_ref *obj) {
  pw_ref_release(obj);
}

static test_obj *obj_new(int *destroyed) {
  test_obj *o = calloc(1, sizeof *o);
  if (o) {
    pw_ref_init(&o->ref, obj_destroy);
    o->destroyed = destroyed;
  }
  return o;
}

TEST(alloc_get_free_round_trip) {
  int destroyed = 0;
  test_obj *o = obj_new(&destroyed);
  pw_handle h = 0;
  pw_ref *r = NULL;
  ASSERT_EQ(pw_handle_alloc(PW_HANDLE_PORT, &o->ref, NULL, obj_close, &h),
            PW_OK);
  ASSERT_NE(h, 0);
  ASSERT_EQ(pw_handle_get(h, PW_HANDLE_PORT, &r), PW_OK);
  ASSERT(r == &o->ref);
  pw_ref_release(r);
  ASSERT_EQ(destroyed, 0);
  ASSERT_EQ(pw_handle_free(h, PW_HANDLE_PORT, &r), PW_OK);
  pw_ref_release(r);
  ASSERT_EQ(destroyed, 1);
  ASSERT_EQ(pw_handle_count(), 0);
}

TEST(freeing_twice_fails_with_bad_handle) {
  test_obj *o = obj_new(NULL);
  pw_handle h;
  pw_ref *r;
  ASSERT_EQ(pw_handle_alloc(PW_HANDLE_PORT, &o->ref, NULL, obj_close, &h),
            PW_OK);
  ASSERT_EQ(pw_handle_free(h, PW_HANDLE_PORT, &r), PW_OK);
  pw_ref_release(r);
  ASSERT_EQ(pw_handle_free(h, PW_HANDLE_PORT, &r), PW_EBADHANDLE);
  ASSERT_EQ(pw_handle_get(h, PW_HANDLE_PORT, &r), PW_EBADHANDLE);
}

TEST(null_and_garbage_handles_are_rejected) {
  pw_ref *r;
  int local;
  ASSERT_EQ(pw_handle_get(0, PW_HANDLE_PORT, &r), PW_EBADHANDLE);
  ASSERT_EQ(pw_handle_get(0x1234, PW_HANDLE_PORT, &r), PW_EBADHANDLE);
  ASSERT_EQ(pw_handle_get((pw_handle)(uintptr_t)&local, PW_HANDLE_PORT, &r),
            PW_EBADHANDLE);
  ASSERT_EQ(pw_handle_get(UINT64_MAX, PW_HANDLE_PORT, &r), PW_EBADHANDLE);
  /* Right magic and kind, never-issued slot. */
  ASSERT_EQ(pw_handle_get(0xA50000000101FFFFull, PW_HANDLE_PORT, &r),
            PW_EBADHANDLE);
  ASSERT_EQ(pw_handle_free(0xA500000001010000ull, PW_HANDLE_PORT, &r),
            PW_EBADHANDLE);
}

TEST(handle_of_other_kind_is_rejected) {
  test_obj *o = obj_new(NULL);
  pw_handle h;
  pw_ref *r;
  ASSERT_EQ(pw_handle_alloc(PW_HANDLE_XCV, &o->ref, NULL, obj_close, &h),
            PW_OK);
  ASSERT_EQ(pw_handle_get(h, PW_HANDLE_PORT, &r), PW_EBADHANDLE);
  ASSERT_EQ(pw_handle_free(h, PW_HANDLE_PORT, &r), PW_EBADHANDLE);
  ASSERT_EQ(pw_handle_free(h, PW_HANDLE_XCV, &r), PW_OK);
  pw_ref_release(r);
}

TEST(stale_handle_never_matches_the_slots_next_occupant) {
  test_obj *a = obj_new(NULL), *b = obj_new(NULL);
  pw_handle ha, hb;
  pw_ref *r;
  ASSERT_EQ(pw_handle_alloc(PW_HANDLE_PORT, &a->ref, NULL, obj_close, &ha),
            PW_OK);
  ASSERT_EQ(pw_handle_free(ha, PW_HANDLE_PORT, &r), PW_OK);
  pw_ref_release(r);
  ASSERT_EQ(pw_handle_alloc(PW_HANDLE_PORT, &b->ref, NULL, obj_close, &hb),
            PW_OK);
  ASSERT_EQ(ha & 0xFFFF, hb & 0xFFFF); /* same slot reused ... */
  ASSERT_NE(ha, hb);                   /* ... under a different handle */
  ASSERT_EQ(pw_handle_get(ha, PW_HANDLE_PORT, &r), PW_EBADHANDLE);
  ASSERT_EQ(pw_handle_free(ha, PW_HANDLE_PORT, &r), PW_EBADHANDLE);
  ASSERT_EQ(pw_handle_free(hb, PW_HANDLE_PORT, &r), PW_OK);
  pw_ref_release(r);
}

static int closed_count;
static void count_close(pw_ref *obj) {
  closed_count++;
  pw_ref_release(obj);
}

TEST(free_owner_closes_only_that_owners_handles) {
  int owner_a, owner_b;
  pw_handle h[6];
  pw_ref *r;
  for (int i = 0; i < 6; i++) {
    test_obj *o = obj_new(NULL);
    ASSERT_EQ(pw_handle_alloc(PW_HANDLE_PORT, &o->ref,
                              i % 2 ? &owner_a : &owner_b, count_close, &h[i]),
              PW_OK);
  }
  closed_count = 0;
  pw_handle_free_owner(&owner_a);
  ASSERT_EQ(closed_count, 3);
  for (int i = 0; i < 6; i++) {
    int rc = pw_handle_get(h[i], PW_HANDLE_PORT, &r);
    ASSERT_EQ(rc, i % 2 ? PW_EBADHANDLE : PW_OK);
    if (rc == PW_OK)
      pw_ref_release(r);
  }
  pw_handle_free_owner(&owner_b);
  ASSERT_EQ(closed_count, 6);
  ASSERT_EQ(pw_handle_count(), 0);
}

TEST(cleanup_refuses_while_handles_live_and_keeps_serials_unique) {
  test_obj *o = obj_new(NULL);
  pw_handle h1, h2;
  pw_ref *r;
  ASSERT_EQ(pw_handle_alloc(PW_HANDLE_PORT, &o->ref, NULL, obj_close, &h1),
            PW_OK);
  ASSERT_EQ(pw_handle_table_cleanup(), PW_EBUSY);
  ASSERT_EQ(pw_handle_free(h1, PW_HANDLE_PORT, &r), PW_OK);
  pw_ref_release(r);
  ASSERT_EQ(pw_handle_table_cleanup(), PW_OK);
  o = obj_new(NULL);
  ASSERT_EQ(pw_handle_alloc(PW_HANDLE_PORT, &o->ref, NULL, obj_close, &h2),
            PW_OK);
  ASSERT_NE(h1, h2);
  ASSERT_EQ(pw_handle_get(h1, PW_HANDLE_PORT, &r), PW_EBADHANDLE);
  ASSERT_EQ(pw_handle_free(h2, PW_HANDLE_PORT, &r), PW_OK);
  pw_ref_release(r);
}

/* Many threads open and close handles while checking that every handle they
 * closed stays dead, whatever the others allocate into the same slots. */
#define STRESS_THREADS 4
#define STRESS_ROUNDS 20000
static atomic_int stress_errors;

static void stress_thread(void *arg) {
  (void)arg;
  pw_handle stale[16] = {0};
  for (int i = 0; i < STRESS_ROUNDS; i++) {
    test_obj *o = obj_new(NULL);
    pw_handle h;
    pw_ref *r;
    if (!o || pw_handle_alloc(PW_HANDLE_PORT, &o->ref, NULL, obj_close, &h) !=
                  PW_OK) {
      atomic_fetch_add(&stress_errors, 1);
      free(o);
      continue;
    }
    if (pw_handle_get(h, PW_HANDLE_PORT, &r) != PW_OK || r != &o->ref)
      atomic_fetch_add(&stress_errors, 1);
    else
      pw_ref_release(r);
    if (pw_handle_free(h, PW_HANDLE_PORT, &r) != PW_OK)
      atomic_fetch_add(&stress_errors, 1);
    else
      pw_ref_release(r);
    stale[i % 16] = h;
    for (int k = 0; k < 16; k++)
      if (stale[k] && pw_handle_get(stale[k], PW_HANDLE_PORT, &r) == PW_OK) {
        atomic_fetch_add(&stress_errors, 1);
        pw_ref_release(r);
      }
  }
}

TEST(stale_handles_stay_invalid_under_concurrent_open_close) {
  pw_thread *t[STRESS_THREADS];
  atomic_store(&stress_errors, 0);
  for (int i = 0; i < STRESS_THREADS; i++)
    ASSERT_EQ(pw_thread_start(&t[i], stress_thread, NULL), PW_OK);
  for (int i = 0; i < STRESS_THREADS; i++)
    ASSERT_EQ(pw_thread_join(t[i]), PW_OK);
  ASSERT_EQ(atomic_load(&stress_errors), 0);
  ASSERT_EQ(pw_handle_count(), 0);
}

/* pw_core_cleanup may run while another thread still calls with a handle
 * it kept: the lookup must fail cleanly, never lock a freed slot. (Under
 * ASan the old table freed the chunk under the lookup: use-after-free.) */
#define CLEANUP_RACE_ROUNDS 20000
static atomic_int race_stop;
static atomic_int race_bad;
static _Atomic pw_handle race_stale;

static void stale_lookup_thread(void *arg) {
  (void)arg;
  while (!atomic_load(&race_stop)) {
    pw_ref *r;
    if (pw_handle_get(atomic_load(&race_stale), PW_HANDLE_PORT, &r) == PW_OK) {
      atomic_fetch_add(&race_bad, 1);
      pw_ref_release(r);
    }
    /* Outside a lookup now and then, so cleanups can win too (under
     * valgrind, which runs one thread at a time, they otherwise never
     * would). */
    sched_yield();
  }
}

TEST(cleanup_racing_stale_handle_lookups_never_touches_freed_slots) {
  pw_thread *t;
  atomic_store(&race_stop, 0);
  atomic_store(&race_bad, 0);
  test_obj *o = obj_new(NULL);
  pw_handle h;
  pw_ref *r;
  ASSERT_EQ(pw_handle_alloc(PW_HANDLE_PORT, &o->ref, NULL, obj_close, &h),
            PW_OK);
  ASSERT_EQ(pw_handle_free(h, PW_HANDLE_PORT, &r), PW_OK);
  pw_ref_release(r);
  atomic_store(&race_stale, h);
  ASSERT_EQ(pw_thread_start(&t, stale_lookup_thread, NULL), PW_OK);
  int cleaned = 0;
  for (int i = 0; i < CLEANUP_RACE_ROUNDS; i++) {
    /* Re-create the chunk, then free it again under the lookups. */
    o = obj_new(NULL);
    if (pw_handle_alloc(PW_HANDLE_PORT, &o->ref, NULL, obj_close, &h) ==
        PW_OK) {
      (void)pw_handle_free(h, PW_HANDLE_PORT, &r);
      pw_ref_release(r);
    }
    cleaned += pw_handle_table_cleanup() == PW_OK;
  }
  atomic_store(&race_stop, 1);
  ASSERT_EQ(pw_thread_join(t), PW_OK);
  ASSERT_EQ(atomic_load(&race_bad), 0);
  ASSERT(cleaned > 0); /* the race was really run */
  ASSERT_EQ(pw_handle_count(), 0);
}

TEST(final_cleanup_frees_the_table) {
  ASSERT_EQ(pw_handle_table_cleanup(), PW_OK);
}

TEST_MAIN(
    TEST_ENTRY(alloc_get_free_round_trip),
    TEST_ENTRY(freeing_twice_fails_with_bad_handle),
    TEST_ENTRY(null_and_garbage_handles_are_rejected),
    TEST_ENTRY(handle_of_other_kind_is_rejected),
    TEST_ENTRY(stale_handle_never_matches_the_slots_next_occupant),
    TEST_ENTRY(free_owner_closes_only_that_owners_handles),
    TEST_ENTRY(cleanup_refuses_while_handles_live_and_keeps_serials_unique),
    TEST_ENTRY(stale_handles_stay_invalid_under_concurrent_open_close),
    TEST_ENTRY(cleanup_racing_stale_handle_lookups_never_touches_freed_slots),
    TEST_ENTRY(final_cleanup_frees_the_table))
