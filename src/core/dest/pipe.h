/* portway — the program port type (pipe:): each job is fed to a program's
 * stdin. Configuration in pipe.c, the command line and environment in
 * pipe_args.c, the destination in pipe_job.c; docs/pipe-port.md. */
#ifndef PORTWAY_DEST_PIPE_H
#define PORTWAY_DEST_PIPE_H

#include "portway/config.h"

/*   uri=pipe:///usr/bin/gs       (pipe:///C:/Tools/gs.exe)
 *   args=-q -sDEVICE=pdfwrite "-sOutputFile={output}" -   the argv template
 *   output=file:///C:/pdf        the folder {output} names a new file in
 *   pattern={doc}.pdf            {output}'s name (file-port pattern rules)
 *   cwd=file:///C:/work          the program's working folder
 *   env=NAME=VALUE "X=a b"       variables added to the child's environment
 *   runas=service|user           as the monitor, or as the job's user
 *                                (Windows: the spooler's impersonation)
 *   stdout=discard|output        the program's stdout dropped, or {output}
 *   stderr_lines=5               stderr lines a failure's log line keeps
 * (plus the common timeout: how long the program may run after the job's
 * last byte, and each write's bound; connect_timeout is not used). */
typedef struct pw_pipe_options {
  /* The program: an absolute local path in the form of pw_file_options'
   * dir ("C:/Tools/gs.exe", "/usr/bin/lpr"), never UNC. */
  char *command;
  char *args;            /* the template as given, NULL if none */
  char *output;          /* a folder ("C:/pdf", "/srv/pdf"), NULL if none */
  char *pattern;         /* NULL: PW_PIPE_DEFAULT_PATTERN */
  char *cwd;             /* a folder, NULL: the monitor's own */
  char *env;             /* the list as given, NULL if none */
  int runas_user;        /* runas=user */
  int stdout_to_output;  /* stdout=output (needs output=) */
  unsigned stderr_lines; /* 0..PW_PIPE_MAX_STDERR_LINES */
} pw_pipe_options;

#define PW_PIPE_DEFAULT_PATTERN "{date}-{time}-job{job}-{doc}.pdf"
#define PW_PIPE_DEFAULT_STDERR_LINES 5u
#define PW_PIPE_MAX_STDERR_LINES 50u

/* The options of a pipe port, NULL if cfg is not one. */
const pw_pipe_options *pw_pipe_opts(const pw_port_config *cfg);

#endif
