/* monrun — command line: parse, set up the registry store, load the
 * monitor, run one sub-command, shut the monitor down. */
#include "monrun.h"

#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static const char usage_text[] =
    "usage: monrun [options] DLL COMMAND [args]\n"
    "\n"
    "commands:\n"
    "  ports                          EnumPorts levels 1 and 2 (-v: level 2 "
    "fields)\n"
    "  add-port NAME [CONFIG...]      Xcv AddPort (AddPortEx without Xcv)\n"
    "  set-port NAME CONFIG...        Xcv SetConfig\n"
    "  get-port NAME                  Xcv GetConfig\n"
    "  delete-port NAME               Xcv DeletePort\n"
    "  xcv [--user] OBJECT CMD [INPUT]  raw XcvOpenPort/XcvDataPort call\n"
    "  print PORT FILE|-              one job: OpenPort, StartDocPort, "
    "WritePort..., EndDocPort, ClosePort\n"
    "  print PORT --synthetic BYTES   same with generated data\n"
    "  print-many PORT[,PORT..] FILE --jobs N [--threads T]\n"
    "  print-many --ports P1,P2 FILE --jobs N [--threads T]\n"
    "  bench-jobs PORT --jobs N [--size 1024] [--warmup W] [--reopen]\n"
    "  get-data PORT NAME             GetPrinterDataFromPort(0, NAME): the "
    "answer as one line\n"
    "  bidi PORT SCHEMA...            SendRecvBidiDataFromPort Get: one line "
    "per answer\n"
    "  bidi --action A PORT [SCHEMA...]  EnumSchema, GetAll (default "
    "\\Printer), Set\n"
    "\n"
    "CONFIG: key=value arguments, joined by newlines; a literal \\n inside "
    "one argument is a newline too.\n"
    "\n"
    "options:\n"
    "  -v, -vv               verbose; -vv traces MONITORREG calls\n"
    "  --name NAME           monitor name (default: DLL file name without "
    "extension)\n"
    "  --reg working|stub    MONITORREG: working store (default) or Wine "
    "8.0's stubs\n"
    "  --chunk N             WritePort size (default 4096)\n"
    "  --doc NAME            DOC_INFO_1.pDocName ({job} = job number)\n"
    "  --output-file F       DOC_INFO_1.pOutputFile ({job} = job number)\n"
    "  --datatype T          DOC_INFO_1.pDatatype (default RAW)\n"
    "  --printer P --job N   StartDocPort printer name and job id (first; "
    "default NULL, 0)\n"
    "  --synthetic BYTES     generate job data (byte i = i % 251)\n"
    "  --mem                 print: report working-set growth\n"
    "  --user                xcv: open without SERVER_ACCESS_ADMINISTER\n"
    "  --input-hex HEX       xcv: raw input bytes\n"
    "  --out-size N          xcv: first cbOutputData (default 0 = probe)\n"
    "  --no-retry            xcv: no second call after "
    "ERROR_INSUFFICIENT_BUFFER\n"
    "  --action A            bidi: the Bidi action (default Get)\n"
    "  --pm DLL              the port monitor (instead of the DLL argument)\n"
    "  --lm DLL              a language monitor over it: ports opened with "
    "its OpenPortEx, jobs sent through it;\n"
    "                        its SetPort/SetJob calls are printed\n"
    "  --lm-name NAME        its name (default: its file name)\n"
    "  --lm-option K=V       its option for the port of the command "
    "(Ports\\PORT\\Options), repeatable\n"
    "sizes take K, M, G suffixes (binary). Exit: 0 ok, 1 failed, 2 usage, 3 "
    "load/init.\n";

typedef struct args {
  mr_opts o;
  mr_reg_mode reg_mode;
  const wchar_t *name;
  wchar_t **pos;
  int npos;
} args;

static int bad(const char *what, const wchar_t *w) {
  char u8[300];
  mr_err("%s %s", what, mr_u8(w, u8, sizeof u8));
  mr_err("try 'monrun --help'");
  return MR_EXIT_USAGE;
}

static int parse_num(const wchar_t *opt, const wchar_t *v, uint64_t max,
                     uint64_t *out) {
  if (!v || mr_parse_size(v, out) != 0 || *out > max)
    return bad("bad value for", opt);
  return MR_EXIT_OK;
}

/* Options may appear anywhere; "--opt=value" and "--opt value" both work;
 * "--" ends options; "-" alone is a positional (stdin). */
static int parse_args(int argc, wchar_t **argv, args *a) {
  int only_pos = 0;
  uint64_t n;
  a->pos = calloc((size_t)argc + 1, sizeof *a->pos);
  if (!a->pos)
    return MR_EXIT_FAILED;
  a->o.chunk = 4096;
  a->o.size = 1024;
  for (int i = 1; i < argc; i++) {
    wchar_t *arg = argv[i];
    if (only_pos || arg[0] != L'-' || arg[1] == 0) {
      a->pos[a->npos++] = arg;
      continue;
    }
    if (wcscmp(arg, L"--") == 0) {
      only_pos = 1;
      continue;
    }
    if (wcscmp(arg, L"-h") == 0 || wcscmp(arg, L"--help") == 0) {
      fputs(usage_text, stdout);
      exit(MR_EXIT_OK);
    }
    if (wcscmp(arg, L"-v") == 0 || wcscmp(arg, L"--verbose") == 0) {
      mr_verbose++;
      continue;
    }
    if (wcscmp(arg, L"-vv") == 0) {
      mr_verbose += 2;
      continue;
    }
    /* Flags without a value. */
    int *flag = wcscmp(arg, L"--user") == 0       ? &a->o.user
                : wcscmp(arg, L"--reopen") == 0   ? &a->o.reopen
                : wcscmp(arg, L"--mem") == 0      ? &a->o.mem
                : wcscmp(arg, L"--no-retry") == 0 ? &a->o.no_retry
                                                  : NULL;
    if (flag) {
      *flag = 1;
      continue;
    }
    /* Options with a value. */
    wchar_t key[32];
    const wchar_t *val;
    wchar_t *eq = wcschr(arg, L'=');
    size_t klen = eq ? (size_t)(eq - arg) : wcslen(arg);
    if (klen >= sizeof key / sizeof key[0])
      return bad("unknown option", arg);
    memcpy(key, arg, klen * sizeof *key);
    key[klen] = 0;
    if (eq)
      val = eq + 1;
    else if (i + 1 < argc)
      val = argv[++i];
    else
      return bad("a value is needed for", arg);

    if (wcscmp(key, L"--pm") == 0) { /* the port monitor: the DLL argument */
      memmove(a->pos + 1, a->pos, (size_t)a->npos * sizeof *a->pos);
      a->pos[0] = (wchar_t *)val;
      a->npos++;
    } else if (wcscmp(key, L"--lm") == 0)
      a->o.lm_dll = val;
    else if (wcscmp(key, L"--lm-name") == 0)
      a->o.lm_name = val;
    else if (wcscmp(key, L"--lm-option") == 0) {
      size_t have = a->o.lm_options ? wcslen(a->o.lm_options) : 0;
      size_t add = wcslen(val);
      wchar_t *joined =
          realloc(a->o.lm_options, (have + add + 2) * sizeof *joined);
      if (!joined)
        return MR_EXIT_FAILED;
      if (have)
        joined[have++] = L'\n';
      memcpy(joined + have, val, (add + 1) * sizeof *joined);
      a->o.lm_options = joined;
    } else if (wcscmp(key, L"--name") == 0)
      a->name = val;
    else if (wcscmp(key, L"--reg") == 0) {
      if (wcscmp(val, L"working") == 0)
        a->reg_mode = MR_REG_WORKING;
      else if (wcscmp(val, L"stub") == 0)
        a->reg_mode = MR_REG_STUB;
      else
        return bad("--reg takes working or stub, not", val);
    } else if (wcscmp(key, L"--doc") == 0)
      a->o.doc_name = val;
    else if (wcscmp(key, L"--printer") == 0)
      a->o.printer = val;
    else if (wcscmp(key, L"--output-file") == 0)
      a->o.output_file = val;
    else if (wcscmp(key, L"--datatype") == 0)
      a->o.datatype = val;
    else if (wcscmp(key, L"--ports") == 0)
      a->o.ports = val;
    else if (wcscmp(key, L"--input-hex") == 0)
      a->o.input_hex = val;
    else if (wcscmp(key, L"--action") == 0)
      a->o.action = val;
    else if (wcscmp(key, L"--job") == 0) {
      if (parse_num(key, val, 0xffffffffu, &n))
        return MR_EXIT_USAGE;
      a->o.job_id = (DWORD)n;
    } else if (wcscmp(key, L"--chunk") == 0) {
      if (parse_num(key, val, 16u * 1024 * 1024, &n))
        return MR_EXIT_USAGE;
      if (n == 0)
        return bad("bad value (1..16M) for", key);
      a->o.chunk = (DWORD)n;
    } else if (wcscmp(key, L"--jobs") == 0) {
      if (parse_num(key, val, 100000000u, &a->o.jobs))
        return MR_EXIT_USAGE;
    } else if (wcscmp(key, L"--threads") == 0) {
      if (parse_num(key, val, 64, &n))
        return MR_EXIT_USAGE;
      if (n == 0)
        return bad("bad value (1..64) for", key);
      a->o.threads = (unsigned)n;
    } else if (wcscmp(key, L"--size") == 0) {
      if (parse_num(key, val, UINT64_MAX, &a->o.size))
        return MR_EXIT_USAGE;
    } else if (wcscmp(key, L"--synthetic") == 0) {
      if (parse_num(key, val, UINT64_MAX, &a->o.synthetic))
        return MR_EXIT_USAGE;
      a->o.have_synthetic = 1;
    } else if (wcscmp(key, L"--warmup") == 0) {
      if (parse_num(key, val, 100000000u, &a->o.warmup))
        return MR_EXIT_USAGE;
    } else if (wcscmp(key, L"--out-size") == 0) {
      if (parse_num(key, val, 64u * 1024 * 1024, &a->o.out_size))
        return MR_EXIT_USAGE;
    } else
      return bad("unknown option", key);
  }
  return MR_EXIT_OK;
}

/* Default monitor name: the DLL's file name without directory and
 * extension ("C:\x\portway.dll" -> "portway"). */
static wchar_t *default_name(const wchar_t *dll) {
  const wchar_t *b = dll;
  for (const wchar_t *p = dll; *p; p++)
    if (*p == L'\\' || *p == L'/')
      b = p + 1;
  wchar_t *n = mr_wdup(b);
  if (n) {
    wchar_t *dot = wcsrchr(n, L'.');
    if (dot && dot != n)
      *dot = 0;
  }
  return n;
}

static int need(const args *a, int min, int max, const char *what) {
  int got = a->npos - 2;
  if (got < min || (max >= 0 && got > max)) {
    mr_err("usage: monrun DLL %s", what);
    return 0;
  }
  return 1;
}

static int run(mr_monitor *mon, args *a) {
  const wchar_t *cmd = a->pos[1];
  wchar_t **p = a->pos + 2;
  mr_opts *o = &a->o;
  int rc;

  if (wcscmp(cmd, L"ports") == 0) {
    return need(a, 0, 0, "ports") ? mr_cmd_ports(mon) : MR_EXIT_USAGE;
  }
  if (wcscmp(cmd, L"add-port") == 0 || wcscmp(cmd, L"set-port") == 0) {
    int add = cmd[0] == L'a';
    if (!need(a, add ? 1 : 2, -1,
              add ? "add-port NAME [CONFIG...]" : "set-port NAME CONFIG..."))
      return MR_EXIT_USAGE;
    wchar_t *config = mr_join_config(p + 1, a->npos - 3);
    if (a->npos > 3 && !config) {
      mr_err("out of memory");
      return MR_EXIT_FAILED;
    }
    rc = add ? mr_cmd_add_port(mon, p[0], config)
             : mr_cmd_set_port(mon, p[0], config);
    free(config);
    return rc;
  }
  if (wcscmp(cmd, L"get-port") == 0)
    return need(a, 1, 1, "get-port NAME") ? mr_cmd_get_port(mon, p[0])
                                          : MR_EXIT_USAGE;
  if (wcscmp(cmd, L"delete-port") == 0)
    return need(a, 1, 1, "delete-port NAME") ? mr_cmd_delete_port(mon, p[0])
                                             : MR_EXIT_USAGE;
  if (wcscmp(cmd, L"xcv") == 0) {
    if (!need(a, 2, 3, "xcv [--user] OBJECT CMD [INPUT]"))
      return MR_EXIT_USAGE;
    if (a->npos > 4 && o->input_hex) {
      mr_err("give INPUT or --input-hex, not both");
      return MR_EXIT_USAGE;
    }
    return mr_cmd_xcv(mon, o, p[0], p[1], a->npos > 4 ? p[2] : NULL);
  }
  if (wcscmp(cmd, L"print") == 0) {
    if (!need(a, o->have_synthetic ? 1 : 2, o->have_synthetic ? 1 : 2,
              "print PORT FILE | print PORT --synthetic BYTES"))
      return MR_EXIT_USAGE;
    return mr_cmd_print(mon, o, p[0], o->have_synthetic ? NULL : p[1]);
  }
  if (wcscmp(cmd, L"print-many") == 0) {
    int files = o->have_synthetic ? 0 : 1;
    int nports = o->ports ? 0 : 1;
    if (!need(a, files + nports, files + nports,
              "print-many PORT[,PORT...]|--ports LIST FILE|--synthetic N "
              "--jobs N [--threads T]"))
      return MR_EXIT_USAGE;
    return mr_cmd_print_many(mon, o, o->ports ? o->ports : p[0],
                             files ? p[nports] : NULL);
  }
  if (wcscmp(cmd, L"get-data") == 0)
    return need(a, 2, 2, "get-data PORT NAME")
               ? mr_cmd_get_data(mon, p[0], p[1])
               : MR_EXIT_USAGE;
  if (wcscmp(cmd, L"bidi") == 0)
    return need(a, 1, -1, "bidi [--action A] PORT [SCHEMA...]")
               ? mr_cmd_bidi(mon, o, p[0], p + 1, a->npos - 3)
               : MR_EXIT_USAGE;
  if (wcscmp(cmd, L"bench-jobs") == 0)
    return need(a, 1, 1, "bench-jobs PORT --jobs N [--size BYTES]")
               ? mr_cmd_bench_jobs(mon, o, p[0])
               : MR_EXIT_USAGE;
  return bad("unknown command", cmd);
}

/* --lm: the language monitor over mon, with its options for the command's
 * port written to its store first (--lm-option). */
static int load_lm(mr_monitor *mon, mr_monitor *lm, args *a) {
  char e[300];
  wchar_t *lm_name =
      a->o.lm_name ? mr_wdup(a->o.lm_name) : default_name(a->o.lm_dll);
  if (!lm_name)
    return MR_EXIT_FAILED;
  if (a->o.lm_options && a->npos >= 3) {
    DWORD code =
        mr_reg_set_port_value(lm_name, a->pos[2], L"Options", a->o.lm_options);
    if (code != ERROR_SUCCESS) {
      mr_err("cannot store the language monitor's options: %s",
             mr_errstr(code, e, sizeof e));
      free(lm_name);
      return MR_EXIT_FAILED;
    }
  }
  mon->lm_printer = a->o.printer;
  DWORD code = mr_lm_load(lm, mon, a->o.lm_dll, lm_name);
  free(lm_name);
  return code == ERROR_SUCCESS ? MR_EXIT_OK : MR_EXIT_LOAD;
}

int wmain(int argc, wchar_t **argv);
int wmain(int argc, wchar_t **argv) {
  args a;
  mr_monitor mon;
  char e[300];
  memset(&a, 0, sizeof a);
  /* Plain "\n" line ends: monrun's output is read by scripts, on Linux
   * under Wine as much as on Windows. */
  _setmode(_fileno(stdout), _O_BINARY);
  _setmode(_fileno(stderr), _O_BINARY);
  int rc = parse_args(argc, argv, &a);
  if (rc != MR_EXIT_OK) {
    free(a.pos);
    return rc;
  }
  if (a.npos < 2) {
    fputs(usage_text, stderr);
    free(a.pos);
    return MR_EXIT_USAGE;
  }
  wchar_t *name = a.name ? mr_wdup(a.name) : default_name(a.pos[0]);
  if (!name) {
    free(a.pos);
    return MR_EXIT_FAILED;
  }
  DWORD code = mr_reg_open(name, a.reg_mode);
  if (code != ERROR_SUCCESS) {
    char n8[300];
    mr_err("cannot open the registry store for monitor %s: %s",
           mr_u8(name, n8, sizeof n8), mr_errstr(code, e, sizeof e));
    mr_reg_close();
    free(name);
    free(a.pos);
    return MR_EXIT_LOAD;
  }
  mr_monitor lm;
  memset(&lm, 0, sizeof lm);
  if (mr_monitor_load(&mon, a.pos[0], name) != ERROR_SUCCESS) {
    rc = MR_EXIT_LOAD;
  } else if (a.o.lm_dll && (rc = load_lm(&mon, &lm, &a)) != MR_EXIT_OK) {
    mr_monitor_unload(&mon);
  } else {
    rc = run(&mon, &a);
    /* The language monitor first: its Shutdown closes the ports it opened
     * through the port monitor. */
    mr_monitor_unload(&lm);
    mr_monitor_unload(&mon);
  }
  free(a.o.lm_options);
  unsigned leaked = mr_reg_close();
  if (leaked)
    mr_warn_once("the monitor left %u MONITORREG key handle(s) open after "
                 "Shutdown",
                 leaked);
  free(name);
  free(a.pos);
  return rc;
}
