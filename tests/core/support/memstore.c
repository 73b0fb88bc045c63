/* portway tests — in-memory configuration store and scratch directories. */
#define _DEFAULT_SOURCE /* mkdtemp, strcasecmp, lstat under -std=c11 */
#include "memstore.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static char *dup_str(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d)
    memcpy(d, s, n);
  return d;
}

static memstore_entry *find(memstore *ms, const char *name) {
  for (size_t i = 0; i < ms->nports; i++)
    if (strcasecmp(ms->ports[i].name, name) == 0)
      return &ms->ports[i];
  return NULL;
}

/* Calls cb without holding the lock: the core reads each listed port from
 * inside the callback (pw_store contract). */
static int ms_list(void *ctx, int (*cb)(void *, const char *), void *arg) {
  memstore *ms = ctx;
  char *names[64];
  size_t n = 0;
  pw_mutex_lock(&ms->lock);
  for (size_t i = 0; i < ms->nports; i++)
    if ((names[n] = dup_str(ms->ports[i].name)) != NULL)
      n++;
  pw_mutex_unlock(&ms->lock);
  int stop = 0;
  for (size_t i = 0; i < n; i++) {
    if (!stop)
      stop = cb(arg, names[i]);
    free(names[i]);
  }
  return PW_OK;
}

static int ms_read(void *ctx, const char *name, char **text) {
  memstore *ms = ctx;
  pw_mutex_lock(&ms->lock);
  ms->reads++;
  memstore_entry *e = find(ms, name);
  *text = e ? dup_str(e->text) : NULL;
  pw_mutex_unlock(&ms->lock);
  return e ? (*text ? PW_OK : PW_ENOMEM) : PW_ENOENT;
}

static int ms_write(void *ctx, const char *name, const char *text) {
  memstore *ms = ctx;
  if (ms->fail_writes)
    return ms->fail_writes;
  memstore_put(ms, name, text);
  pw_mutex_lock(&ms->lock);
  ms->writes++;
  pw_mutex_unlock(&ms->lock);
  return PW_OK;
}

static int ms_delete(void *ctx, const char *name) {
  memstore *ms = ctx;
  if (ms->fail_writes)
    return ms->fail_writes;
  pw_mutex_lock(&ms->lock);
  memstore_entry *e = find(ms, name);
  if (e) {
    free(e->name);
    free(e->text);
    *e = ms->ports[--ms->nports];
    ms->deletes++;
    ms->stamp++;
  }
  pw_mutex_unlock(&ms->lock);
  return e ? PW_OK : PW_ENOENT;
}

static int ms_read_setting(void *ctx, const char *key, char **value) {
  memstore *ms = ctx;
  if (strcmp(key, "LogLevel") != 0 || !ms->log_level)
    return PW_ENOENT;
  *value = dup_str(ms->log_level);
  return *value ? PW_OK : PW_ENOMEM;
}

static int ms_write_setting(void *ctx, const char *key, const char *value) {
  memstore *ms = ctx;
  if (strcmp(key, "LogLevel") != 0)
    return PW_EINVAL;
  free(ms->log_level);
  ms->log_level = dup_str(value);
  return PW_OK;
}

static int ms_read_stamp(void *ctx, uint64_t *stamp) {
  memstore *ms = ctx;
  pw_mutex_lock(&ms->lock);
  *stamp = ms->stamp;
  pw_mutex_unlock(&ms->lock);
  return PW_OK;
}

void memstore_init(memstore *ms) {
  memset(ms, 0, sizeof *ms);
  pw_mutex_init(&ms->lock);
  ms->store.ctx = ms;
  ms->store.list_ports = ms_list;
  ms->store.read_port = ms_read;
  ms->store.write_port = ms_write;
  ms->store.delete_port = ms_delete;
  ms->store.read_stamp = ms_read_stamp;
  ms->stamp = 1;
  ms->store.read_setting = ms_read_setting;
  ms->store.write_setting = ms_write_setting;
}

void memstore_free(memstore *ms) {
  for (size_t i = 0; i < ms->nports; i++) {
    free(ms->ports[i].name);
    free(ms->ports[i].text);
  }
  free(ms->log_level);
  pw_mutex_destroy(&ms->lock);
}

void memstore_put(memstore *ms, const char *name, const char *text) {
  pw_mutex_lock(&ms->lock);
  memstore_entry *e = find(ms, name);
  if (!e && ms->nports < sizeof ms->ports / sizeof ms->ports[0]) {
    e = &ms->ports[ms->nports++];
    e->name = dup_str(name);
    e->text = NULL;
  }
  if (e) {
    free(e->text);
    e->text = dup_str(text);
  }
  ms->stamp++; /* whoever writes, this process or "another" */
  pw_mutex_unlock(&ms->lock);
}

const char *memstore_get(memstore *ms, const char *name) {
  memstore_entry *e = find(ms, name);
  return e ? e->text : NULL;
}

char *test_tmpdir(const char *tag) {
  const char *base = getenv("PW_TEST_TMP");
  char path[1024];
  if (!base || !*base)
    base = "/tmp";
  mkdir(base, 0755);
  snprintf(path, sizeof path, "%s/%s-%ld-XXXXXX", base, tag, (long)getpid());
  if (!mkdtemp(path))
    return NULL;
  /* Absolute, so it can be written into file:// URIs. */
  char *abs = realpath(path, NULL);
  return abs;
}

void test_rmtree(const char *dir) {
  DIR *d = opendir(dir);
  if (d) {
    struct dirent *e;
    while ((e = readdir(d))) {
      if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
        continue;
      char p[2048];
      snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
      struct stat st;
      if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
        test_rmtree(p);
      else
        unlink(p);
    }
    closedir(d);
  }
  rmdir(dir);
}

int test_count_files(const char *dir) {
  DIR *d = opendir(dir);
  int n = 0;
  if (!d)
    return -1;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
      continue;
    char sub[2048];
    struct stat st;
    snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name);
    /* The file port's temporary folder counts by what is inside it. */
    if (!strcmp(e->d_name, ".portway") && lstat(sub, &st) == 0 &&
        S_ISDIR(st.st_mode)) {
      int inside = test_count_files(sub);
      n += inside > 0 ? inside : 0;
      continue;
    }
    n++;
  }
  closedir(d);
  return n;
}

long test_read_file(const char *path, char **data) {
  FILE *f = fopen(path, "rb");
  *data = NULL;
  if (!f)
    return -1;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  *data = malloc((size_t)n + 1);
  if (!*data || fread(*data, 1, (size_t)n, f) != (size_t)n) {
    free(*data);
    *data = NULL;
    n = -1;
  } else {
    (*data)[n] = '\0'; /* callers search text files with strstr */
  }
  fclose(f);
  return n;
}
