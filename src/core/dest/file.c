/* portway — the file destination.
 *
 * A job is streamed into a new temporary file ".portway/.portway-<16
 * hex>.tmp" in the destination directory (constant memory for any job
 * size). Commit flushes it, then gives it its final name with a no-replace
 * rename: the pattern's plain name if free, else the next collision number
 * (remembered per name family, see "collision hints"). An existing file is
 * never overwritten, and a file under a final name is always complete.
 * Every failure and abort removes the temporary file. A missing destination
 * directory is created (with its parents) at job start, so a fresh port
 * works without setup.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errbuf.h"
#include "core/dest.h"
#include "core/strutil.h"
#include "core/dest/file.h"
#include "portway/error.h"
#include "portway/pattern.h"

/* Bounds the collision search: a directory with 10000 files of one name
 * family is a configuration problem, not something to loop on. */
#define PW_FILE_MAX_ATTEMPTS 10000u
#define PW_TEMP_ATTEMPTS 8 /* random names colliding means something is odd */
#define PW_TEMP_FOLDER ".portway"
#define PW_FILE_BUFFER ((size_t)64 * 1024)

struct pw_dest_job {
  pw_file *f; /* NULL once closed */
  char *dir;
  char *pattern;
  char *temp; /* full path of the temporary file */
  /* Copies of the document fields: the caller's strings end with start. */
  char *doc, *user, *machine, *printer, *port;
  pw_pattern_vars vars; /* points into the copies above */
  /* Small writes are gathered here and written PW_FILE_BUFFER bytes at a
   * time: winprint sends 4 KB chunks, and one system call per 64 KB instead
   * of per 4 KB is most of the file port's throughput. Memory per job stays
   * constant. A write error surfaces at the next write or at commit; either
   * way the job fails before anything carries a final name. */
  unsigned char *buf; /* allocated at the first small write */
  size_t buf_len;
};

static void free_job(pw_dest_job *job) {
  free(job->buf);
  free(job->dir);
  free(job->pattern);
  free(job->temp);
  free(job->doc);
  free(job->user);
  free(job->machine);
  free(job->printer);
  free(job->port);
  free(job);
}

/* Make sure the destination directory exists, creating it if it does not. */
static int prepare_dir(const char *dir, char *errbuf, size_t errlen) {
  int err = pw_dir_check(dir);
  if (err == PW_ENOENT) {
    err = pw_dir_create_all(dir);
    if (err == PW_ENOTSUP) {
      pw_errbuf_printf(errbuf, errlen,
                       "cannot create directory '%s': a file is in the way",
                       dir);
      return PW_ENOENT;
    }
    if (err != PW_OK)
      pw_errbuf_os(errbuf, errlen, err, "cannot create directory '%s': %s", dir,
                   pw_strerror(err));
    return err;
  }
  if (err == PW_ENOTSUP) {
    /* PW_ENOTSUP would read as "port type not supported" to the caller. */
    pw_errbuf_printf(errbuf, errlen, "'%s' is not a directory", dir);
    return PW_ENOENT;
  }
  if (err != PW_OK)
    pw_errbuf_os(errbuf, errlen, err, "cannot access directory '%s': %s", dir,
                 pw_strerror(err));
  return err;
}

/* Create the temporary file in `folder`. */
static int create_temp_in(pw_dest_job *job, const char *folder, char *errbuf,
                          size_t errlen) {
  static const char hex[] = "0123456789abcdef";
  int err = PW_EEXIST;
  for (int i = 0; i < PW_TEMP_ATTEMPTS && err == PW_EEXIST; i++) {
    unsigned char rnd[8];
    err = pw_random_bytes(rnd, sizeof rnd);
    if (err != PW_OK) {
      pw_errbuf_printf(errbuf, errlen,
                       "cannot get random bytes for a file name: %s",
                       pw_strerror(err));
      return err;
    }
    char name[sizeof ".portway-" - 1 + 2 * sizeof rnd + sizeof ".tmp"];
    memcpy(name, ".portway-", sizeof ".portway-" - 1);
    char *p = name + sizeof ".portway-" - 1;
    for (size_t k = 0; k < sizeof rnd; k++) {
      *p++ = hex[rnd[k] >> 4];
      *p++ = hex[rnd[k] & 15];
    }
    memcpy(p, ".tmp", sizeof ".tmp");
    free(job->temp);
    job->temp = pw_path_join(folder, name, '/');
    if (!job->temp) {
      pw_errbuf_printf(errbuf, errlen, "out of memory");
      return PW_ENOMEM;
    }
    err = pw_file_create_new(job->temp, &job->f);
  }
  if (err != PW_OK)
    pw_errbuf_os(errbuf, errlen, err,
                 "cannot create temporary file in '%s': %s", folder,
                 pw_strerror(err));
  return err;
}

/* The common case costs one file creation: directories are checked and
 * created only when that fails. */
static int create_temp(pw_dest_job *job, char *errbuf, size_t errlen) {
  char *folder = pw_path_join(job->dir, PW_TEMP_FOLDER, '/');
  if (!folder) {
    pw_errbuf_printf(errbuf, errlen, "out of memory");
    return PW_ENOMEM;
  }
  int err = create_temp_in(job, folder, errbuf, errlen);
  if (err == PW_ENOENT) {
    /* First job, or someone removed the folders: make the destination
     * (reporting why it cannot be made), then the sub-folder. */
    err = prepare_dir(job->dir, errbuf, errlen);
    if (err == PW_OK && pw_dir_create_all(folder) == PW_OK)
      err = create_temp_in(job, folder, errbuf, errlen);
    else if (err == PW_OK)
      err = PW_ENOENT;
  }
  free(folder);
  if (err != PW_OK && err != PW_ENOMEM && pw_dir_check(job->dir) == PW_OK)
    err = create_temp_in(job, job->dir, errbuf, errlen); /* no sub-folder */
  return err;
}

static int file_start(const pw_dest_start *st, pw_dest_job **out, char *errbuf,
                      size_t errlen) {
  if (errbuf && errlen)
    errbuf[0] = '\0';
  if (out)
    *out = NULL;
  if (!st || !out || !st->cfg || st->cfg->kind != PW_DEST_FILE) {
    pw_errbuf_printf(errbuf, errlen, "not a file port configuration");
    return PW_EINVAL;
  }
  const pw_file_options *cfg = pw_file_opts(st->cfg);
  if (!cfg || !cfg->dir || !*cfg->dir || !cfg->pattern || !*cfg->pattern) {
    pw_errbuf_printf(errbuf, errlen, "file port has no directory or pattern");
    return PW_EINVAL;
  }
  /* The config parser validated the pattern already; checking again costs
   * nothing and turns a bad one into a StartDocPort failure instead of a
   * failure after the whole job was spooled. */
  char reason[160] = "";
  int err = pw_pattern_validate(cfg->pattern, reason, sizeof reason);
  if (err != PW_OK) {
    pw_errbuf_printf(errbuf, errlen, "bad file name pattern '%s': %s",
                     cfg->pattern, reason);
    return err;
  }
  pw_dest_job *job = calloc(1, sizeof *job);
  if (!job) {
    pw_errbuf_printf(errbuf, errlen, "out of memory");
    return PW_ENOMEM;
  }
  const pw_doc_info *doc = st->doc;
  if (pw_strdup_to(cfg->dir, &job->dir) ||
      pw_strdup_to(cfg->pattern, &job->pattern) ||
      pw_strdup_to(st->port, &job->port) ||
      (doc && (pw_strdup_to(doc->doc_name, &job->doc) ||
               pw_strdup_to(doc->user, &job->user) ||
               pw_strdup_to(doc->machine, &job->machine) ||
               pw_strdup_to(doc->printer, &job->printer)))) {
    free_job(job);
    pw_errbuf_printf(errbuf, errlen, "out of memory");
    return PW_ENOMEM;
  }
  job->vars = (pw_pattern_vars){
      .job_id = doc ? doc->job_id : 0,
      .doc = job->doc,
      .user = job->user,
      .machine = job->machine,
      .printer = job->printer,
      .port = job->port,
      .year = st->when.year,
      .month = st->when.month,
      .day = st->when.day,
      .hour = st->when.hour,
      .minute = st->when.minute,
      .second = st->when.second,
  };

  err = create_temp(job, errbuf, errlen);
  if (err != PW_OK) {
    free_job(job);
    return err;
  }
  *out = job;
  return PW_OK;
}

static int flush_buffer(pw_dest_job *job) {
  if (job->buf_len == 0)
    return PW_OK;
  int err = pw_file_write_all(job->f, job->buf, job->buf_len);
  job->buf_len = 0;
  return err;
}

static int file_write(pw_dest_job *job, const void *buf, size_t len) {
  if (!job || !job->f)
    return PW_EINVAL;
  if (len == 0)
    return PW_OK;
  if (job->buf_len + len > PW_FILE_BUFFER) {
    int err = flush_buffer(job);
    if (err != PW_OK)
      return err;
  }
  if (len >= PW_FILE_BUFFER)
    return pw_file_write_all(job->f, buf, len); /* big writes go straight */
  if (!job->buf && !(job->buf = malloc(PW_FILE_BUFFER)))
    return pw_file_write_all(job->f, buf, len); /* unbuffered, still right */
  memcpy(job->buf + job->buf_len, buf, len);
  job->buf_len += len;
  return PW_OK;
}

/* ---- collision hints ----
 *
 * Many jobs share one name (same document in the same second; under Wine
 * every job id is 0), and trying -2, -3, ... one by one made the n-th such
 * job cost n renames. So the file port remembers, per name family, the
 * number after the last one it handed out: the next job of that family
 * tries its plain name, then goes straight to that number. The hint is only
 * a hint. The no-replace rename decides, so a file another process (or a
 * person) created under a hinted name is never overwritten: the job probes
 * forward from there.
 *
 * A family is (directory, pattern, name of attempt 1), stored as a 64-bit
 * hash: a false match can only make a job skip numbers, never overwrite.
 * The table is process-wide, fixed-size (PW_HINT_SLOTS entries, the least
 * recently used one is replaced) and allocates nothing, so it needs no
 * cleanup; a DLL unload simply forgets it. Without a hint (a fresh process,
 * as under Wine's spooler, which loads the monitor for every job), the next
 * number is found with O(log n) existence checks: gallop 2, 3, 5, 9, ...
 * to the first free number, then bisect back to the first free one after
 * the run of taken names. */
#define PW_HINT_SLOTS 64

typedef struct name_hint {
  uint64_t key;  /* 0: empty slot */
  uint64_t used; /* LRU stamp */
  unsigned next; /* first number to try after the plain name */
} name_hint;

static pw_mutex hint_lock = PW_MUTEX_INIT;
static name_hint hints[PW_HINT_SLOTS]; /* guarded by hint_lock */
static uint64_t hint_clock;            /* guarded by hint_lock */

static uint64_t fnv1a(uint64_t h, const char *s) {
  /* The terminating NUL is hashed too, so "ab"+"c" differs from "a"+"bc". */
  do {
    h ^= (unsigned char)*s;
    h *= 0x100000001b3u;
  } while (*s++);
  return h;
}

static uint64_t family_key(const pw_dest_job *job, const char *first) {
  uint64_t h = 0xcbf29ce484222325u;
  h = fnv1a(fnv1a(fnv1a(h, job->dir), job->pattern), first);
  return h ? h : 1; /* 0 marks an empty slot */
}

static name_hint *find_hint(uint64_t key) {
  for (size_t i = 0; i < PW_HINT_SLOTS; i++) {
    if (hints[i].key == key)
      return &hints[i];
  }
  return NULL;
}

/* The hinted number for `key` (0 if none), which is then reserved: a
 * concurrent job of the same family gets the number after it. */
static unsigned take_hint(uint64_t key) {
  pw_mutex_lock(&hint_lock);
  name_hint *h = find_hint(key);
  unsigned n = 0;
  if (h && h->next <= PW_FILE_MAX_ATTEMPTS) {
    n = h->next++;
    h->used = ++hint_clock;
  }
  pw_mutex_unlock(&hint_lock);
  return n;
}

/* Number `used` was just given to a job: the family continues after it. */
static void store_hint(uint64_t key, unsigned used) {
  pw_mutex_lock(&hint_lock);
  name_hint *h = find_hint(key);
  if (!h) {
    h = &hints[0];
    for (size_t i = 1; i < PW_HINT_SLOTS && h->key != 0; i++) {
      if (hints[i].key == 0 || hints[i].used < h->used)
        h = &hints[i];
    }
    h->key = key;
    h->next = 0;
  }
  if (h->next < used + 1)
    h->next = used + 1;
  h->used = ++hint_clock;
  pw_mutex_unlock(&hint_lock);
}

/* The name of collision attempt `attempt`, as a full path (NULL + errbuf on
 * failure, *err set). */
static char *attempt_path(pw_dest_job *job, unsigned attempt, char *name,
                          int *err, char *errbuf, size_t errlen) {
  *err = pw_pattern_expand(job->pattern, &job->vars, attempt, name,
                           PW_MAX_FILENAME + 1);
  if (*err != PW_OK) {
    pw_errbuf_printf(errbuf, errlen, "cannot expand file name pattern '%s': %s",
                     job->pattern, pw_strerror(*err));
    return NULL;
  }
  char *path = pw_path_join(job->dir, name, '/');
  if (!path) {
    *err = PW_ENOMEM;
    pw_errbuf_printf(errbuf, errlen, "out of memory");
  }
  return path;
}

enum { NAME_FREE, NAME_TAKEN, NAME_UNKNOWN };

/* Whether the name of `attempt` exists (NAME_*, into *state): PW_OK, or an
 * expansion / memory error with errbuf set. */
static int attempt_state(pw_dest_job *job, unsigned attempt, int *state,
                         char *errbuf, size_t errlen) {
  char name[PW_MAX_FILENAME + 1];
  int err;
  char *path = attempt_path(job, attempt, name, &err, errbuf, errlen);
  if (!path)
    return err;
  int st = pw_dir_check(path); /* a file gives PW_ENOTSUP */
  free(path);
  *state = st == PW_ENOENT                   ? NAME_FREE
           : st == PW_OK || st == PW_ENOTSUP ? NAME_TAKEN
                                             : NAME_UNKNOWN;
  return PW_OK;
}

/* No hint, and attempt 1 is taken: find the first free number after the
 * run of taken ones that starts at 1 in O(log n) existence checks. *out
 * may be PW_FILE_MAX_ATTEMPTS + 1 (all taken). An unanswerable check counts
 * as free: the rename that follows decides. */
static int search_free(pw_dest_job *job, unsigned *out, char *errbuf,
                       size_t errlen) {
  unsigned lo = 1, hi = PW_FILE_MAX_ATTEMPTS + 1, step = 1; /* lo is taken */
  int state = NAME_TAKEN, err;
  while (lo + step <= PW_FILE_MAX_ATTEMPTS) {
    if ((err = attempt_state(job, lo + step, &state, errbuf, errlen)) != PW_OK)
      return err;
    if (state != NAME_TAKEN) {
      hi = lo + step;
      break;
    }
    lo += step;
    step *= 2;
  }
  while (hi - lo > 1) {
    unsigned mid = lo + (hi - lo) / 2;
    if ((err = attempt_state(job, mid, &state, errbuf, errlen)) != PW_OK)
      return err;
    if (state == NAME_TAKEN)
      lo = mid;
    else
      hi = mid;
  }
  *out = hi;
  return PW_OK;
}

/* Rename the temporary file to the name of `attempt`: PW_OK with
 * *final_path set, PW_EEXIST if that name is taken, else an error (errbuf
 * set). */
static int try_name(pw_dest_job *job, unsigned attempt, char **final_path,
                    char *errbuf, size_t errlen) {
  char name[PW_MAX_FILENAME + 1];
  int err;
  char *path = attempt_path(job, attempt, name, &err, errbuf, errlen);
  if (!path)
    return err;
  err = pw_file_rename_open_noreplace(job->f, job->temp, path);
  if (err == PW_OK) {
    *final_path = path;
    return PW_OK;
  }
  if (err != PW_EEXIST)
    pw_errbuf_os(errbuf, errlen, err, "cannot move '%s' to '%s': %s", job->temp,
                 path, pw_strerror(err));
  free(path);
  return err;
}

/* Give the job the first free name: the plain name (attempt 1), else the
 * family's hinted number or the searched one, probing forward from there.
 * PW_OK with *final_path set. */
static int rename_to_final(pw_dest_job *job, char **final_path, char *errbuf,
                           size_t errlen) {
  char first[PW_MAX_FILENAME + 1];
  int err = pw_pattern_expand(job->pattern, &job->vars, 1, first, sizeof first);
  if (err != PW_OK) {
    pw_errbuf_printf(errbuf, errlen, "cannot expand file name pattern '%s': %s",
                     job->pattern, pw_strerror(err));
    return err;
  }
  err = try_name(job, 1, final_path, errbuf, errlen);
  if (err != PW_EEXIST)
    return err;
  uint64_t key = family_key(job, first);
  unsigned hinted = take_hint(key), attempt = hinted;
  if (hinted < 2 && (err = search_free(job, &attempt, errbuf, errlen)) != PW_OK)
    return err;
  for (;;) {
    for (; attempt <= PW_FILE_MAX_ATTEMPTS; attempt++) {
      err = try_name(job, attempt, final_path, errbuf, errlen);
      if (err == PW_OK)
        store_hint(key, attempt);
      if (err != PW_EEXIST)
        return err;
    }
    /* A hint near the end may skip names freed since: search once. */
    if (hinted < 2)
      break;
    hinted = 0;
    if ((err = search_free(job, &attempt, errbuf, errlen)) != PW_OK)
      return err;
  }
  pw_errbuf_printf(errbuf, errlen,
                   "no free file name for pattern '%s' in '%s' among the "
                   "first %u",
                   job->pattern, job->dir, PW_FILE_MAX_ATTEMPTS);
  return PW_EEXIST;
}

static int file_commit(pw_dest_job *job, char *final, size_t cap, char *errbuf,
                       size_t errlen) {
  if (errbuf && errlen)
    errbuf[0] = '\0';
  if (final && cap)
    final[0] = '\0';
  if (!job)
    return PW_EINVAL;
  /* Flush before the rename: once the job has a final name and EndDocPort
   * reported success, its bytes must be on disk, and late write errors
   * (disk full on a network share) must fail the job, not vanish. The file
   * is renamed while still open (one call less on Windows), then closed. */
  int err = job->f ? flush_buffer(job) : PW_EINVAL;
  if (err == PW_OK)
    err = pw_file_sync(job->f);
  if (err != PW_OK) {
    pw_errbuf_os(errbuf, errlen, err, "cannot write '%s': %s", job->temp,
                 pw_strerror(err));
  } else {
    char *path = NULL;
    err = rename_to_final(job, &path, errbuf, errlen);
    if (err == PW_OK) {
      /* Flushed and named: a close error cannot lose bytes any more. */
      (void)pw_file_close(job->f);
      job->f = NULL;
      /* The job is delivered whatever the buffer size: an empty string is
       * honest, a truncated path would name the wrong file. */
      if (final && cap > strlen(path))
        memcpy(final, path, strlen(path) + 1);
      free(path);
      free_job(job);
      return PW_OK;
    }
  }
  pw_file_close(job->f);
  job->f = NULL;
  pw_file_remove(job->temp);
  free_job(job);
  return err;
}

static void file_abort(pw_dest_job *job) {
  if (!job)
    return;
  pw_file_close(job->f);
  pw_file_remove(job->temp);
  free_job(job);
}

/* Test without printing: the directory exists (or can be made) and a file
 * can be created in it (a nameless temporary file, gone at once). */
static int file_probe(const pw_dest_start *st, char *verdict, size_t len) {
  const pw_file_options *o = pw_file_opts(st->cfg);
  if (!o || !o->dir)
    return PW_EINVAL;
  int rc = prepare_dir(o->dir, verdict, len);
  pw_file *f = NULL;
  if (rc == PW_OK) {
    rc = pw_file_open_temp(o->dir, &f);
    if (rc != PW_OK)
      pw_errbuf_os(verdict, len, rc, "cannot create a file in '%s': %s", o->dir,
                   pw_strerror(rc));
  }
  (void)pw_file_close(f);
  if (rc == PW_OK)
    pw_errbuf_printf(verdict, len, "directory '%s' is writable", o->dir);
  return rc;
}

const pw_dest_ops pw_dest_file = {
    .kind = PW_DEST_FILE,
    .flags = 0, /* no back channel */
    .start = file_start,
    .write = file_write,
    .read = NULL, /* no back channel */
    .commit = file_commit,
    .abort = file_abort,
    /* Local and SMB file I/O is bounded by the OS (the SMB client's own
     * time-outs): nothing to interrupt, no time-outs to apply. */
    .cancel = NULL,
    .set_timeouts = NULL,
    .probe = file_probe,
};
