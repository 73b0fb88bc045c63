/* pwctl — entry point: command table, option parsing, usage.
 *
 * wmain (built with -municode) gets the command line as UTF-16, so port and
 * printer names outside the ANSI code page survive unchanged.
 */
#include "pwctl.h"

#include <stdlib.h>
#include <wchar.h>

enum {
  OPT_DLL = 1u << 0,
  OPT_DRIVER = 1u << 1,
  OPT_DOC = 1u << 2,
  OPT_MONITOR = 1u << 3,
  OPT_PURGE = 1u << 4
};

struct command {
  const wchar_t *name;
  int (*run)(struct pwctl_opts *o);
  unsigned opts; /* OPT_* accepted besides -v and --name */
  int min_args;
  int max_args; /* -1: unbounded */
  const wchar_t *synopsis;
};

static const struct command commands[] = {
    {L"install", pwctl_cmd_install, OPT_DLL, 0, 0, L"install [--dll FILE]"},
    {L"uninstall", pwctl_cmd_uninstall, OPT_PURGE, 0, 0,
     L"uninstall [--purge]"},
    {L"ports", pwctl_cmd_ports, OPT_MONITOR, 0, 0, L"ports [--monitor NAME]"},
    {L"add-port", pwctl_cmd_add_port, 0, 1, -1,
     L"add-port PORT [URI] [key=value...]"},
    {L"set-port", pwctl_cmd_set_port, 0, 2, -1,
     L"set-port PORT URI [key=value...]"},
    {L"get-port", pwctl_cmd_get_port, 0, 1, 1, L"get-port PORT"},
    {L"delete-port", pwctl_cmd_delete_port, 0, 1, 1, L"delete-port PORT"},
    {L"test-port", pwctl_cmd_test_port, 0, 1, 1, L"test-port PORT"},
    {L"add-tcpip-port", pwctl_cmd_add_tcpip_port, 0, 2, 4,
     L"add-tcpip-port PORT HOST [NUMBER] [LPR-QUEUE]"},
    {L"set-loglevel", pwctl_cmd_set_loglevel, 0, 1, 1,
     L"set-loglevel off|error|warn|info|debug"},
    {L"add-printer", pwctl_cmd_add_printer, OPT_DRIVER, 2, 2,
     L"add-printer PRINTER PORT [--driver NAME]"},
    {L"delete-printer", pwctl_cmd_delete_printer, 0, 1, 1,
     L"delete-printer PRINTER"},
    {L"print", pwctl_cmd_print, OPT_DOC, 2, 2,
     L"print PRINTER|PORT FILE|- [--doc NAME]"},
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(void) {
  pwctl_out(L"usage: pwctl [-v] [--name MONITOR] COMMAND [ARGS]\n"
            L"Administer the portway port monitor through the spooler.\n\n"
            L"commands:\n");
  for (size_t i = 0; i < NCOMMANDS; i++)
    pwctl_out(L"  pwctl %ls\n", commands[i].synopsis);
  pwctl_out(L"\n  -v, --verbose   say what was done (on stderr)\n"
            L"  --name MONITOR  monitor name (default %ls)\n"
            L"exit status: 0 success, 1 failure, 2 usage error\n",
            PWCTL_DEFAULT_MONITOR);
}

static const struct command *find_command(const wchar_t *name) {
  for (size_t i = 0; i < NCOMMANDS; i++)
    if (wcscmp(commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

/* Options that take a value: where the value goes and which OPT_ bit allows
 * the option (0 = allowed everywhere). */
static const wchar_t **value_slot(struct pwctl_opts *o, const wchar_t *arg,
                                  unsigned *needs) {
  *needs = 0;
  if (wcscmp(arg, L"--name") == 0)
    return &o->monitor;
  *needs = OPT_DLL;
  if (wcscmp(arg, L"--dll") == 0)
    return &o->dll;
  *needs = OPT_DRIVER;
  if (wcscmp(arg, L"--driver") == 0)
    return &o->driver;
  *needs = OPT_DOC;
  if (wcscmp(arg, L"--doc") == 0)
    return &o->doc;
  *needs = OPT_MONITOR;
  if (wcscmp(arg, L"--monitor") == 0)
    return &o->filter;
  return NULL;
}

/* Parses argv[1..] into o; commands see only their positionals. Options
 * may come before or after the command; "--" ends them. *cmd stays NULL
 * when there is nothing to run (help shown). */
static int parse(int argc, wchar_t **argv, struct pwctl_opts *o,
                 const struct command **cmd) {
  int only_positional = 0;
  *cmd = NULL;
  o->argv = calloc((size_t)argc + 1, sizeof(wchar_t *));
  if (o->argv == NULL)
    return pwctl_usage_error(o, L"out of memory");
  for (int i = 1; i < argc; i++) {
    const wchar_t *a = argv[i];
    unsigned needs;
    const wchar_t **slot;
    if (!only_positional && a[0] == L'-' && a[1] != L'\0') {
      if (wcscmp(a, L"--") == 0) {
        only_positional = 1;
        continue;
      }
      if (wcscmp(a, L"-v") == 0 || wcscmp(a, L"--verbose") == 0) {
        o->verbose = 1;
        continue;
      }
      if (wcscmp(a, L"-h") == 0 || wcscmp(a, L"--help") == 0) {
        usage();
        *cmd = NULL;
        return PWCTL_EXIT_OK;
      }
      if (wcscmp(a, L"--purge") == 0) {
        if (*cmd == NULL || !((*cmd)->opts & OPT_PURGE))
          return pwctl_usage_error(o, L"option --purge not accepted here");
        o->purge = 1;
        continue;
      }
      slot = value_slot(o, a, &needs);
      if (slot == NULL)
        return pwctl_usage_error(o, L"unknown option %ls (see pwctl --help)",
                                 a);
      if (needs != 0 && (*cmd == NULL || !((*cmd)->opts & needs)))
        return pwctl_usage_error(o, L"option %ls not accepted here", a);
      if (i + 1 >= argc || argv[i + 1][0] == L'\0')
        return pwctl_usage_error(o, L"option %ls needs a value", a);
      *slot = argv[++i];
      continue;
    }
    if (*cmd == NULL) {
      *cmd = find_command(a);
      if (*cmd == NULL)
        return pwctl_usage_error(o, L"unknown command '%ls' (see pwctl --help)",
                                 a);
      o->cmd = (*cmd)->name;
      continue;
    }
    o->argv[o->argc++] = argv[i];
  }
  if (*cmd == NULL)
    return pwctl_usage_error(o, L"no command given (see pwctl --help)");
  if (o->argc < (*cmd)->min_args ||
      ((*cmd)->max_args >= 0 && o->argc > (*cmd)->max_args))
    return pwctl_usage_error(o, L"wrong number of arguments; usage: pwctl %ls",
                             (*cmd)->synopsis);
  return PWCTL_EXIT_OK;
}

int wmain(int argc, wchar_t **argv); /* entry point selected by -municode */

int wmain(int argc, wchar_t **argv) {
  struct pwctl_opts o;
  const struct command *cmd;
  memset(&o, 0, sizeof(o));
  o.monitor = PWCTL_DEFAULT_MONITOR;
  o.dll = PWCTL_DEFAULT_DLL;

  int rc = parse(argc, argv, &o, &cmd);
  if (rc == PWCTL_EXIT_OK && cmd != NULL)
    rc = cmd->run(&o);
  free(o.argv);
  return rc;
}
