/* portwayui.dll — the Add / Configure Port form (IDD_PORT). The fields are
 * core/ui_form.h's; this file moves text between them and the controls,
 * shows the rows of the chosen port type, the sample file name and the
 * exact configuration text, and talks to the server (PortIsValid,
 * PortExists, AddPort, GetConfig, SetConfig, TestPort). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "portway/error.h"
#include "resource.h"
#include "ui.h"

#include <commdlg.h> /* after windows.h (ui.h) */
#include <shlobj.h>

#define T_FILE (1u << PW_UI_FILE)
#define T_PIPE (1u << PW_UI_PIPE)
#define T_RAW (1u << PW_UI_RAW)
#define T_LPR (1u << PW_UI_LPR)
#define T_IPP (1u << PW_UI_IPP)
#define T_NET (T_RAW | T_LPR | T_IPP)

/* Which rows each port type shows. */
static const struct {
  int id;
  unsigned types;
} rows[] = {
    {IDC_L_DIR, T_FILE},
    {IDC_DIR, T_FILE},
    {IDC_BROWSE_DIR, T_FILE},
    {IDC_L_PATTERN, T_FILE},
    {IDC_PATTERN, T_FILE},
    {IDC_L_PREVIEW, T_FILE},
    {IDC_PREVIEW, T_FILE},
    {IDC_L_PROGRAM, T_PIPE},
    {IDC_PROGRAM, T_PIPE},
    {IDC_BROWSE_PROG, T_PIPE},
    {IDC_L_ARGS, T_PIPE},
    {IDC_ARGS, T_PIPE},
    {IDC_L_OUTPUT, T_PIPE},
    {IDC_OUTPUT, T_PIPE},
    {IDC_BROWSE_OUT, T_PIPE},
    {IDC_L_HOST, T_RAW | T_LPR},
    {IDC_HOST, T_RAW | T_LPR},
    {IDC_L_PORTNUM, T_RAW | T_LPR},
    {IDC_PORTNUM, T_RAW | T_LPR},
    {IDC_PORTNUM_HINT, T_RAW | T_LPR},
    {IDC_L_QUEUE, T_LPR},
    {IDC_QUEUE, T_LPR},
    {IDC_BYTECOUNT, T_LPR},
    {IDC_L_URL, T_IPP},
    {IDC_URL, T_IPP},
    {IDC_URL_HINT, T_IPP},
    {IDC_TEST, T_NET},
};

/* The edit control of each form field and its buffer. */
#define FIELD(id, member)                                                      \
  { id, offsetof(pw_ui_form, member), sizeof(((pw_ui_form *)0)->member) }
static const struct {
  int id;
  size_t off, cap;
} edits[] = {
    FIELD(IDC_DIR, dir),         FIELD(IDC_PATTERN, pattern),
    FIELD(IDC_PROGRAM, program), FIELD(IDC_ARGS, args),
    FIELD(IDC_OUTPUT, output),   FIELD(IDC_HOST, host),
    FIELD(IDC_PORTNUM, portnum), FIELD(IDC_QUEUE, queue),
    FIELD(IDC_URL, url),
};

static int field_control(pw_ui_field f, pw_ui_type type) {
  switch (f) {
  case PW_UI_F_NAME:
    return IDC_NAME;
  case PW_UI_F_DIR:
    return IDC_DIR;
  case PW_UI_F_PATTERN:
    return IDC_PATTERN;
  case PW_UI_F_PROGRAM:
    return IDC_PROGRAM;
  case PW_UI_F_ARGS:
    return IDC_ARGS;
  case PW_UI_F_OUTPUT:
    return IDC_OUTPUT;
  case PW_UI_F_HOST:
    return IDC_HOST;
  case PW_UI_F_PORTNUM:
    return IDC_PORTNUM;
  case PW_UI_F_QUEUE:
    return IDC_QUEUE;
  case PW_UI_F_URL:
    return IDC_URL;
  default: /* the first field of the type */
    return type == PW_UI_FILE   ? IDC_DIR
           : type == PW_UI_PIPE ? IDC_PROGRAM
           : type == PW_UI_IPP  ? IDC_URL
                                : IDC_HOST;
  }
}

static void set_status(HWND dlg, ui_ctx *c, const wchar_t *text, int kind) {
  c->status_kind = kind;
  SetDlgItemTextW(dlg, IDC_STATUS, text);
}

static void status_id(HWND dlg, ui_ctx *c, UINT id, int kind) {
  wchar_t buf[UI_TEXT_MAX];
  ui_string(buf, UI_TEXT_MAX, id, NULL, 0);
  set_status(dlg, c, buf, kind);
}

static void error_focus(HWND dlg, ui_ctx *c, const wchar_t *text, int id) {
  set_status(dlg, c, text, 1);
  HWND ctl = GetDlgItem(dlg, id);
  SendMessageW(dlg, WM_NEXTDLGCTL, (WPARAM)ctl, TRUE);
  SendMessageW(ctl, EM_SETSEL, 0, -1);
}

static void server_error(HWND dlg, ui_ctx *c, DWORD code, int id) {
  wchar_t buf[UI_TEXT_MAX];
  ui_error_text(code, buf, UI_TEXT_MAX);
  error_focus(dlg, c, buf, id);
}

static pw_ui_type current_type(HWND dlg) {
  LRESULT sel = SendDlgItemMessageW(dlg, IDC_TYPE, CB_GETCURSEL, 0, 0);
  return sel >= 0 && sel < PW_UI_NTYPES ? (pw_ui_type)sel : PW_UI_FILE;
}

/* Controls -> c->form (extra is not a control: kept as loaded). */
static void read_form(HWND dlg, ui_ctx *c) {
  c->form.type = current_type(dlg);
  wchar_t w[PW_MAX_URI];
  for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
    GetDlgItemTextW(dlg, edits[i].id, w, PW_MAX_URI);
    ui_to_utf8(w, (char *)&c->form + edits[i].off, edits[i].cap);
  }
  c->form.bytecount =
      IsDlgButtonChecked(dlg, IDC_BYTECOUNT) == BST_CHECKED ? 1 : 0;
}

static void write_form(HWND dlg, ui_ctx *c) {
  c->loading = 1;
  SendDlgItemMessageW(dlg, IDC_TYPE, CB_SETCURSEL, (WPARAM)c->form.type, 0);
  wchar_t w[PW_MAX_URI];
  for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
    ui_to_wide((const char *)&c->form + edits[i].off, w, PW_MAX_URI);
    SetDlgItemTextW(dlg, edits[i].id, w);
  }
  CheckDlgButton(dlg, IDC_BYTECOUNT,
                 c->form.bytecount ? BST_CHECKED : BST_UNCHECKED);
  c->loading = 0;
}

static void show_rows(HWND dlg, pw_ui_type type) {
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
    ShowWindow(GetDlgItem(dlg, rows[i].id),
               rows[i].types & (1u << type) ? SW_SHOW : SW_HIDE);
  wchar_t hint[100];
  ui_string(hint, 100,
            type == PW_UI_LPR ? IDS_HINT_LPR_PORT : IDS_HINT_RAW_PORT, NULL, 0);
  SetDlgItemTextW(dlg, IDC_PORTNUM_HINT, hint);
}

/* "\n" -> "\r\n" for a multi-line edit control. */
static void set_multiline(HWND dlg, int id, const char *text) {
  size_t n = strlen(text), lines = 0;
  for (size_t i = 0; i < n; i++)
    lines += text[i] == '\n';
  char *crlf = malloc(n + lines + 1);
  if (!crlf)
    return;
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    if (text[i] == '\n')
      crlf[o++] = '\r';
    crlf[o++] = text[i];
  }
  crlf[o] = '\0';
  size_t wcap = o + 1;
  wchar_t *w = calloc(wcap, sizeof *w);
  if (w && ui_to_wide(crlf, w, wcap))
    SetDlgItemTextW(dlg, id, w);
  free(w);
  free(crlf);
}

/* After any change: the sample name and the configuration text. */
static void refresh(HWND dlg, ui_ctx *c) {
  if (c->loading)
    return;
  read_form(dlg, c);
  char why[300], name[UI_NAME_MAX * 3];
  wchar_t wname[UI_NAME_MAX];
  GetDlgItemTextW(dlg, IDC_NAME, wname, UI_NAME_MAX);
  ui_to_utf8(wname, name, sizeof name);
  if (c->form.type == PW_UI_FILE) {
    SYSTEMTIME st;
    GetLocalTime(&st);
    const int when[6] = {st.wYear, st.wMonth,  st.wDay,
                         st.wHour, st.wMinute, st.wSecond};
    char sample[PW_MAX_FILENAME + 1];
    int rc = pw_ui_pattern_preview(c->form.pattern, name[0] ? name : NULL, when,
                                   sample, sizeof sample, why, sizeof why);
    wchar_t w[UI_TEXT_MAX];
    ui_to_wide(rc == PW_OK ? sample : why, w, UI_TEXT_MAX);
    SetDlgItemTextW(dlg, IDC_PREVIEW, w);
  }
  char *text = NULL;
  if (pw_ui_form_build(&c->form, &text, NULL, why, sizeof why) == PW_OK) {
    set_multiline(dlg, IDC_ADVANCED, text);
  } else {
    wchar_t wwhy[400], line[UI_TEXT_MAX];
    ui_to_wide(why, wwhy, 400);
    const wchar_t *args[] = {wwhy};
    ui_string(line, UI_TEXT_MAX, IDS_INCOMPLETE, args, 1);
    SetDlgItemTextW(dlg, IDC_ADVANCED, line);
  }
  free(text);
}

static void set_readonly(HWND dlg, ui_ctx *c) {
  c->xcv.readonly = 1;
  static const int edits_ro[] = {
      IDC_NAME,   IDC_DIR,  IDC_PATTERN, IDC_PROGRAM, IDC_ARGS,
      IDC_OUTPUT, IDC_HOST, IDC_PORTNUM, IDC_QUEUE,   IDC_URL};
  for (size_t i = 0; i < sizeof edits_ro / sizeof edits_ro[0]; i++)
    SendDlgItemMessageW(dlg, edits_ro[i], EM_SETREADONLY, TRUE, 0);
  static const int off[] = {IDC_TYPE, IDC_BYTECOUNT, IDC_BROWSE_DIR,
                            IDC_BROWSE_PROG, IDC_BROWSE_OUT};
  for (size_t i = 0; i < sizeof off / sizeof off[0]; i++)
    EnableWindow(GetDlgItem(dlg, off[i]), FALSE);
  ShowWindow(GetDlgItem(dlg, IDOK), SW_HIDE);
  wchar_t buf[UI_TEXT_MAX];
  ui_string(buf, UI_TEXT_MAX, IDS_CLOSE, NULL, 0);
  SetDlgItemTextW(dlg, IDCANCEL, buf);
  SendMessageW(dlg, DM_SETDEFID, IDCANCEL, 0);
  ui_string(buf, UI_TEXT_MAX, IDS_READONLY_NOTE, NULL, 0);
  SetDlgItemTextW(dlg, IDC_NOTE, buf);
}

/* Configure: the form from GetConfig. 0 when it could not be loaded. */
static int load_config(HWND dlg, ui_ctx *c) {
  BYTE *out = NULL;
  DWORD len = 0, status = 0;
  DWORD err =
      ui_xcv_call(&c->xcv, L"GetConfig", c->name, NULL, &out, &len, &status);
  wchar_t why[UI_TEXT_MAX], buf[UI_TEXT_MAX];
  if (err || status) {
    ui_error_text(err ? err : status, why, UI_TEXT_MAX);
    const wchar_t *args[] = {c->name, why};
    ui_string(buf, UI_TEXT_MAX, IDS_LOAD_FAILED, args, 2);
    set_status(dlg, c, buf, 1);
    free(out);
    return 0;
  }
  char *text = malloc((size_t)len * 2 + 4);
  int ok = text && ui_to_utf8((const wchar_t *)out, text, (size_t)len * 2 + 4);
  free(out);
  char reason[300] = "";
  if (ok && pw_ui_form_parse(text, &c->form, reason, sizeof reason) == PW_OK) {
    free(text);
    return 1;
  }
  free(text);
  ui_to_wide(reason, why, UI_TEXT_MAX);
  const wchar_t *args[] = {why};
  ui_string(buf, UI_TEXT_MAX, IDS_NOT_LOADED, args, 1);
  set_status(dlg, c, buf, 1);
  return 0;
}

static void init_dialog(HWND dlg, ui_ctx *c) {
  wchar_t buf[UI_TEXT_MAX];
  const wchar_t *args[] = {c->name};
  ui_string(buf, UI_TEXT_MAX,
            c->configure ? IDS_TITLE_CONFIGURE : IDS_TITLE_ADD, args, 1);
  SetWindowTextW(dlg, buf);
  for (int t = 0; t < PW_UI_NTYPES; t++) {
    ui_string(buf, UI_TEXT_MAX, (UINT)(IDS_TYPE_FILE + t), NULL, 0);
    SendDlgItemMessageW(dlg, IDC_TYPE, CB_ADDSTRING, 0, (LPARAM)buf);
  }
  SendDlgItemMessageW(dlg, IDC_NAME, EM_LIMITTEXT, UI_NAME_MAX - 1, 0);
  pw_ui_form_init(&c->form, PW_UI_FILE);
  int loaded = 1;
  if (c->configure) {
    SetDlgItemTextW(dlg, IDC_NAME, c->name);
    SendDlgItemMessageW(dlg, IDC_NAME, EM_SETREADONLY, TRUE, 0);
    loaded = load_config(dlg, c);
  }
  write_form(dlg, c);
  show_rows(dlg, c->form.type);
  refresh(dlg, c);
  if (!loaded)
    EnableWindow(GetDlgItem(dlg, IDOK), FALSE);
  if (c->xcv.readonly)
    set_readonly(dlg, c);
  HWND first = GetDlgItem(dlg, c->configure ? IDC_TYPE : IDC_NAME);
  SendMessageW(dlg, WM_NEXTDLGCTL, (WPARAM)first, TRUE);
}

/* The configuration text the form makes (newly allocated, UTF-16), or
 * NULL with the reason shown next to the field it concerns. */
static wchar_t *form_text(HWND dlg, ui_ctx *c) {
  wchar_t buf[UI_TEXT_MAX];
  char why[300];
  char *text = NULL;
  pw_ui_field field = PW_UI_F_NONE;
  if (pw_ui_form_build(&c->form, &text, &field, why, sizeof why) != PW_OK) {
    ui_to_wide(why, buf, UI_TEXT_MAX);
    error_focus(dlg, c, buf, field_control(field, c->form.type));
    return NULL;
  }
  size_t wcap = strlen(text) + 1;
  wchar_t *wtext = calloc(wcap, sizeof *wtext);
  int ok = wtext && ui_to_wide(text, wtext, wcap);
  free(text);
  if (!ok) {
    free(wtext);
    server_error(dlg, c, ERROR_NOT_ENOUGH_MEMORY, IDOK);
    return NULL;
  }
  return wtext;
}

static void on_ok(HWND dlg, ui_ctx *c) {
  read_form(dlg, c);
  wchar_t wname[UI_NAME_MAX], buf[UI_TEXT_MAX];
  char name[UI_NAME_MAX * 3], why[300];
  GetDlgItemTextW(dlg, IDC_NAME, wname, UI_NAME_MAX);
  ui_to_utf8(wname, name, sizeof name);
  if (!c->configure && pw_ui_check_port_name(name, why, sizeof why) != PW_OK) {
    ui_to_wide(why, buf, UI_TEXT_MAX);
    error_focus(dlg, c, buf, IDC_NAME);
    return;
  }
  wchar_t *wtext = form_text(dlg, c);
  if (!wtext)
    return;
  status_id(dlg, c, IDS_CHECKING, 0);
  DWORD status = 0, err;
  if (!c->configure) {
    /* The server's own name rule, then whether the name is taken. */
    err =
        ui_xcv_call(&c->xcv, L"PortIsValid", wname, NULL, NULL, NULL, &status);
    if (!err && !status) {
      BYTE *out = NULL;
      DWORD len = 0;
      err =
          ui_xcv_call(&c->xcv, L"PortExists", wname, NULL, &out, &len, &status);
      DWORD exists = 0;
      if (out && len >= sizeof exists)
        memcpy(&exists, out, sizeof exists);
      free(out);
      if (!err && !status && exists)
        status = ERROR_ALREADY_EXISTS;
    }
    if (!err && !status)
      err = ui_xcv_call(&c->xcv, L"AddPort", wname, wtext, NULL, NULL, &status);
  } else {
    err =
        ui_xcv_call(&c->xcv, L"SetConfig", c->name, wtext, NULL, NULL, &status);
  }
  free(wtext);
  DWORD code = err ? err : status;
  if (code == ERROR_SUCCESS) {
    if (!c->configure)
      wcscpy(c->name, wname);
    EndDialog(dlg, IDOK);
    return;
  }
  int focus = code == ERROR_INVALID_NAME || code == ERROR_ALREADY_EXISTS
                  ? IDC_NAME
                  : field_control(PW_UI_F_NONE, c->form.type);
  server_error(dlg, c, code, focus);
  if (code == ERROR_ACCESS_DENIED && c->configure)
    set_readonly(dlg, c);
}

/* Test what the form says now (Xcv TestPort with NAME and the text: the
 * port need not exist yet, and unsaved changes are what is tested); a
 * read-only form can only test the stored port (the text form needs the
 * administer right: it makes the server connect where the caller says). */
static void on_test(HWND dlg, ui_ctx *c) {
  read_form(dlg, c);
  wchar_t *wtext = c->xcv.readonly ? NULL : form_text(dlg, c);
  if (!c->xcv.readonly && !wtext)
    return;
  wchar_t wname[UI_NAME_MAX];
  if (c->configure)
    wcscpy(wname, c->name);
  else if (!GetDlgItemTextW(dlg, IDC_NAME, wname, UI_NAME_MAX))
    wcscpy(wname, L"new port");
  status_id(dlg, c, IDS_TESTING, 0);
  UpdateWindow(GetDlgItem(dlg, IDC_STATUS));
  BYTE *out = NULL;
  DWORD len = 0, status = 0;
  DWORD err =
      ui_xcv_call(&c->xcv, L"TestPort", wname, wtext, &out, &len, &status);
  free(wtext);
  wchar_t buf[UI_TEXT_MAX];
  if (!err && out && len >= sizeof(wchar_t) && ((wchar_t *)out)[0]) {
    /* The server's one line says what was found, on failure too. */
    lstrcpynW(buf, (const wchar_t *)out, UI_TEXT_MAX);
    set_status(dlg, c, buf, status ? 1 : 2);
  } else {
    ui_error_text(err ? err : status, buf, UI_TEXT_MAX);
    set_status(dlg, c, buf, err || status ? 1 : 2);
  }
  free(out);
}

static void browse_folder(HWND dlg, int id) {
  wchar_t title[UI_TEXT_MAX], path[MAX_PATH];
  ui_string(title, UI_TEXT_MAX, IDS_PICK_FOLDER, NULL, 0);
  BROWSEINFOW bi = {0};
  bi.hwndOwner = dlg;
  bi.lpszTitle = title;
  bi.ulFlags = BIF_RETURNONLYFSDIRS | BIF_EDITBOX;
  PIDLIST_ABSOLUTE pidl = SHBrowseForFolderW(&bi);
  if (!pidl)
    return;
  if (SHGetPathFromIDListW(pidl, path))
    SetDlgItemTextW(dlg, id, path);
  CoTaskMemFree(pidl);
}

static void browse_program(HWND dlg) {
  wchar_t title[UI_TEXT_MAX], filter[UI_TEXT_MAX], path[MAX_PATH] = L"";
  ui_string(title, UI_TEXT_MAX, IDS_PICK_PROGRAM, NULL, 0);
  ui_string(filter, UI_TEXT_MAX, IDS_PROGRAM_FILTER, NULL, 0);
  for (wchar_t *p = filter; *p; p++) /* '|' in the resource, NULs here */
    if (*p == L'|')
      *p = L'\0';
  OPENFILENAMEW of = {0};
  of.lStructSize = sizeof of;
  of.hwndOwner = dlg;
  of.lpstrFilter = filter;
  of.lpstrFile = path;
  of.nMaxFile = MAX_PATH;
  of.lpstrTitle = title;
  of.Flags = OFN_FILEMUSTEXIST | OFN_HIDEREADONLY | OFN_NOCHANGEDIR;
  if (GetOpenFileNameW(&of))
    SetDlgItemTextW(dlg, IDC_PROGRAM, path);
}

static INT_PTR on_command(HWND dlg, ui_ctx *c, int id, int code) {
  switch (id) {
  case IDOK:
    if (c->xcv.readonly)
      EndDialog(dlg, IDCANCEL); /* Enter closes a read-only form */
    else
      on_ok(dlg, c);
    return TRUE;
  case IDCANCEL:
    EndDialog(dlg, IDCANCEL);
    return TRUE;
  case IDC_TEST:
    on_test(dlg, c);
    return TRUE;
  case IDC_BROWSE_DIR:
    browse_folder(dlg, IDC_DIR);
    return TRUE;
  case IDC_BROWSE_OUT:
    browse_folder(dlg, IDC_OUTPUT);
    return TRUE;
  case IDC_BROWSE_PROG:
    browse_program(dlg);
    return TRUE;
  case IDC_TYPE:
    if (code == CBN_SELCHANGE) {
      show_rows(dlg, current_type(dlg));
      refresh(dlg, c);
    }
    return TRUE;
  case IDC_BYTECOUNT:
    refresh(dlg, c);
    return TRUE;
  default:
    if (code == EN_CHANGE && !c->loading) {
      if (c->status_kind == 1)
        set_status(dlg, c, L"", 0);
      refresh(dlg, c);
    }
    return FALSE;
  }
}

static INT_PTR CALLBACK form_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp) {
  ui_ctx *c = (ui_ctx *)GetWindowLongPtrW(dlg, DWLP_USER);
  switch (msg) {
  case WM_INITDIALOG:
    c = (ui_ctx *)lp;
    SetWindowLongPtrW(dlg, DWLP_USER, (LONG_PTR)c);
    init_dialog(dlg, c);
    return FALSE; /* focus set by init_dialog */
  case WM_COMMAND:
    return c ? on_command(dlg, c, LOWORD(wp), HIWORD(wp)) : FALSE;
  case WM_CTLCOLORSTATIC:
    if (c && GetDlgCtrlID((HWND)lp) == IDC_STATUS && c->status_kind) {
      HDC dc = (HDC)wp;
      SetTextColor(dc, c->status_kind == 1 ? RGB(176, 0, 0) : RGB(0, 112, 0));
      SetBkColor(dc, GetSysColor(COLOR_BTNFACE));
      return (INT_PTR)GetSysColorBrush(COLOR_BTNFACE);
    }
    return FALSE;
  default:
    return FALSE;
  }
}

INT_PTR ui_run_form(HWND parent, ui_ctx *ctx) {
  return DialogBoxParamW(ui_hinst, MAKEINTRESOURCEW(IDD_PORT), parent,
                         form_proc, (LPARAM)ctx);
}
