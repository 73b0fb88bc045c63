/* portway — internal to the POSIX child processes (process.c,
 * process_spawn.c); not part of the platform interface. */
#ifndef PORTWAY_POSIX_PROCESS_INTERNAL_H
#define PORTWAY_POSIX_PROCESS_INTERNAL_H

#include <sys/types.h>

#include "platform/platform.h"

/* Start sp's program with child_fds[0..2] (all >= 3, close-on-exec) as its
 * descriptors 0, 1 and 2 and nothing else, in a process group of its own
 * (pgid == pid), with an empty signal mask and the default action for the
 * signals a host may ignore (SIGPIPE above all). Returns only once the
 * program runs (exec done) or has failed: a missing program is PW_ENOENT,
 * one that is not executable PW_EACCES (the OS error is recorded), and no
 * child is left behind on failure. */
int pw_posix_spawn_child(const pw_spawn *sp, const int child_fds[3],
                         pid_t *pid);

#endif
