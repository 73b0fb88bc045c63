/* portway — the file destination.
 *
 * A job is streamed straight into a new temporary file
 * ".portway-<16 hex>.tmp" in the destination directory (constant memory for
 * any job size). Commit flushes and closes it, then gives it its final name
 * with a no-replace rename, trying pattern attempts 1, 2, 3... until a name
 * is free: an existing file is never overwritten, and a file under a final
 * name is always complete. Every failure and abort removes the temporary
 * file. A missing destination directory is created (with its parents) at
 * job start, so a fresh port works without setup.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/errbuf.h"
#include "core/dest.h"
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

/* Copy an optional string; 0 on success (NULL stays NULL), -1 if out of
 * memory. */
static int copy_opt(const char *s, char **out) {
  *out = NULL;
  if (!s)
    return 0;
  size_t n = strlen(s) + 1;
  *out = malloc(n);
  if (!*out)
    return -1;
  memcpy(*out, s, n);
  return 0;
}

/* "dir/name", without doubling a separator the directory already ends with
 * ("C:/", "/"). Newly allocated, NULL if out of memory. */
static char *join_path(const char *dir, const char *name) {
  size_t dlen = strlen(dir), nlen = strlen(name);
  int sep = dlen > 0 && dir[dlen - 1] != '/' && dir[dlen - 1] != '\\';
  char *path = malloc(dlen + (size_t)sep + nlen + 1);
  if (!path)
    return NULL;
  memcpy(path, dir, dlen);
  if (sep)
    path[dlen] = '/';
  memcpy(path + dlen + (size_t)sep, name, nlen + 1);
  return path;
}

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
      pw_errbuf_printf(errbuf, errlen, "cannot create directory '%s': %s", dir,
                       pw_strerror(err));
    return err;
  }
  if (err == PW_ENOTSUP) {
    /* PW_ENOTSUP would read as "port type not supported" to the caller. */
    pw_errbuf_printf(errbuf, errlen, "'%s' is not a directory", dir);
    return PW_ENOENT;
  }
  if (err != PW_OK)
    pw_errbuf_printf(errbuf, errlen, "cannot access directory '%s': %s", dir,
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
    job->temp = join_path(folder, name);
    if (!job->temp) {
      pw_errbuf_printf(errbuf, errlen, "out of memory");
      return PW_ENOMEM;
    }
    err = pw_file_create_new(job->temp, &job->f);
  }
  if (err != PW_OK)
    pw_errbuf_printf(errbuf, errlen, "cannot create temporary file in '%s': %s",
                     folder, pw_strerror(err));
  return err;
}

/* The common case costs one file creation: directories are checked and
 * created only when that fails. */
static int create_temp(pw_dest_job *job, char *errbuf, size_t errlen) {
  char *folder = join_path(job->dir, PW_TEMP_FOLDER);
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
  const pw_port_config *cfg = st->cfg;
  if (!cfg->dir || !*cfg->dir || !cfg->pattern || !*cfg->pattern) {
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
  if (copy_opt(cfg->dir, &job->dir) || copy_opt(cfg->pattern, &job->pattern) ||
      copy_opt(st->port, &job->port) ||
      (doc &&
       (copy_opt(doc->doc_name, &job->doc) || copy_opt(doc->user, &job->user) ||
        copy_opt(doc->machine, &job->machine) ||
        copy_opt(doc->printer, &job->printer)))) {
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

/* Try final names until one is free; PW_OK with *final_path set. */
static int rename_to_final(pw_dest_job *job, char **final_path, char *errbuf,
                           size_t errlen) {
  char name[PW_MAX_FILENAME + 1];
  for (unsigned attempt = 1; attempt <= PW_FILE_MAX_ATTEMPTS; attempt++) {
    int err =
        pw_pattern_expand(job->pattern, &job->vars, attempt, name, sizeof name);
    if (err != PW_OK) {
      pw_errbuf_printf(errbuf, errlen,
                       "cannot expand file name pattern '%s': %s", job->pattern,
                       pw_strerror(err));
      return err;
    }
    char *path = join_path(job->dir, name);
    if (!path) {
      pw_errbuf_printf(errbuf, errlen, "out of memory");
      return PW_ENOMEM;
    }
    err = pw_file_rename_open_noreplace(job->f, job->temp, path);
    if (err == PW_OK) {
      *final_path = path;
      return PW_OK;
    }
    if (err != PW_EEXIST) {
      pw_errbuf_printf(errbuf, errlen, "cannot move '%s' to '%s': %s",
                       job->temp, path, pw_strerror(err));
      free(path);
      return err;
    }
    free(path); /* taken: try the next name */
  }
  pw_errbuf_printf(
      errbuf, errlen,
      "no free file name for pattern '%s' in '%s' after %u attempts",
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
    pw_errbuf_printf(errbuf, errlen, "cannot write '%s': %s", job->temp,
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

const pw_dest_ops pw_dest_file = {
    .kind = PW_DEST_FILE,
    .start = file_start,
    .write = file_write,
    .read = NULL, /* no back channel */
    .commit = file_commit,
    .abort = file_abort,
};
