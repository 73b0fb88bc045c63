# ui_steps.sh — the steps of tests/e2e/ui_xvfb.sh (sourced by it; uses its
# helpers: pw, drive, drive_done, drive_expect, find_window, keys, typed,
# shot, config_has, port_listed, port_absent, check).
# shellcheck shell=bash disable=SC2317,SC2154,SC2034

FILE_PORT=PWUI1:
RAW_PORT=PWRAW1:
RAW_HOST=127.0.0.1
RAW_NUMBER=9 # nothing listens there (checked below): TestPort is refused
PRINTER="portway UI test"

check "install: AddMonitor(portway)" pw install

# ---- Add Port: a file port (the thin path) -------------------------------

add_file_port() {
  drive add portway
  find_window '^Add a portway port$' || return 1
  shot add-empty || return 1
  if ! { typed "$FILE_PORT" && keys Tab Tab && typed 'C:\pwui-out'; }; then
    why="xdotool failed"
    return 1
  fi
  # Browse... opens the folder picker (SHBrowseForFolder); Esc leaves the
  # folder as typed.
  keys Tab space || return 1
  find_window '^Browse for Folder$' || {
    why="no folder picker after Browse"
    return 1
  }
  shot add-file-browse || return 1
  keys Escape || return 1
  find_window '^Add a portway port$' || return 1
  if ! { keys Tab && typed '{printer}-{job}.prn'; }; then
    why="xdotool failed"
    return 1
  fi
  shot add-file || return 1
  keys Return
  drive_expect 0 'AddPortW -> 1'
}
check "AddPortW: file port $FILE_PORT typed into the dialog (Browse opens the folder picker), OK" add_file_port
check "EnumPorts lists $FILE_PORT" port_listed "$FILE_PORT"
check "GetConfig $FILE_PORT: the folder typed" config_has "$FILE_PORT" \
  'uri=file:///C:/pwui-out'
check "GetConfig $FILE_PORT: the pattern typed" config_has "$FILE_PORT" \
  'pattern={printer}-{job}.prn'

nothing_listens() {
  command -v ss >/dev/null || return 0
  ss -ltnH "sport = :$RAW_NUMBER" 2>/dev/null | grep -q . || return 0
  why="something listens on port $RAW_NUMBER"
  return 1
}
# ---- Add Port: errors in words, then a RAW port --------------------------

add_errors_then_raw() {
  drive add portway
  find_window '^Add a portway port$' || return 1
  # A name that exists: the server's answer, in words, next to the form.
  typed "$FILE_PORT" && keys Return || return 1
  shot add-error-exists || return 1
  kill -0 "$drive_pid" 2>/dev/null || {
    why="the dialog closed on a name that exists"
    return 1
  }
  # The name is selected again: an invalid one is refused before sending.
  typed 'PW/BAD' && keys Return || return 1
  shot add-error-name || return 1
  # RAW, with a port number out of range first.
  typed "$RAW_PORT" && keys Tab Down Down Tab && typed "$RAW_HOST" &&
    keys Tab && typed 70000 && keys Return || return 1
  shot add-raw-error-number || return 1
  kill -0 "$drive_pid" 2>/dev/null || {
    why="the dialog closed on port number 70000"
    return 1
  }
  typed "$RAW_NUMBER" || return 1
  shot add-raw || return 1
  # Test before the port exists: the form's text is tried (Xcv TestPort
  # NAME + CONFIG), nothing is added.
  nothing_listens || return 1
  keys alt+s || return 1
  sleep 2 # one connect attempt to a closed port on loopback
  shot add-raw-test-refused || return 1
  grep -aq "port=$RAW_PORT test: connection refused" \
    "$prefix/drive_c/ProgramData/portway/portway.log" || {
    why="no 'port=$RAW_PORT test: connection refused' line in portway.log"
    return 1
  }
  port_absent "$RAW_PORT" || return 1
  keys Return
  drive_expect 0 'AddPortW -> 1'
}
check "AddPortW: 'already exists' and 'invalid name' shown, Test of the unsaved RAW form refused, then RAW port $RAW_PORT" \
  add_errors_then_raw
check "EnumPorts lists $RAW_PORT" port_listed "$RAW_PORT"
check "GetConfig $RAW_PORT: socket://$RAW_HOST:$RAW_NUMBER" config_has "$RAW_PORT" \
  "uri=socket://$RAW_HOST:$RAW_NUMBER"

# ---- Configure Port --------------------------------------------------------

configure_pattern() {
  drive configure "$FILE_PORT"
  find_window "^Configure portway port $FILE_PORT\$" || return 1
  shot configure-file-loaded || return 1
  # Type (focused) -> Folder -> Browse -> Pattern (selected on Tab).
  keys Tab Tab Tab && typed '{doc}-{n}.prn' || return 1
  shot configure-file-changed || return 1
  keys Return
  drive_expect 0 'ConfigurePortW -> 1'
}
check "ConfigurePortW: $FILE_PORT loaded from GetConfig, pattern changed" \
  configure_pattern
check "GetConfig $FILE_PORT: the new pattern" config_has "$FILE_PORT" \
  'pattern={doc}-{n}.prn'
check "GetConfig $FILE_PORT: the folder kept" config_has "$FILE_PORT" \
  'uri=file:///C:/pwui-out'

configure_test() {
  nothing_listens || return 1
  drive configure "$RAW_PORT"
  find_window "^Configure portway port $RAW_PORT\$" || return 1
  keys alt+s || return 1
  sleep 2 # one connect attempt to a closed port on loopback
  shot configure-raw-test-refused || return 1
  keys Escape
  drive_expect 1 'ConfigurePortW -> 0'
}
check "ConfigurePortW: Test (Xcv TestPort) on $RAW_PORT shows the refusal; Esc cancels" \
  configure_test

configure_readonly() {
  drive configure-readonly "$FILE_PORT"
  find_window "^Configure portway port $FILE_PORT\$" || return 1
  shot configure-readonly || return 1
  keys Tab Tab && typed 'changed' && keys Return || return 1
  drive_expect 1 'ConfigurePortW(no admin right) -> 0'
}
check "ConfigurePortW without the admin right: read-only form, Enter closes" \
  configure_readonly
check "GetConfig $FILE_PORT: unchanged by the read-only form" config_has \
  "$FILE_PORT" 'pattern={doc}-{n}.prn'

# ---- Delete Port -----------------------------------------------------------

delete_in_use() {
  pw add-printer "$PRINTER" "$RAW_PORT" || return 1
  drive delete "$RAW_PORT"
  find_window '^Delete portway port$' || return 1
  shot delete-confirm || return 1
  keys alt+y || return 1
  sleep 1
  find_window '^Delete portway port$' || return 1
  shot delete-in-use || return 1
  keys Return
  drive_expect 1 'DeletePortW -> 0'
}
check "DeletePortW: confirmation, then 'in use by printer' in words" delete_in_use
check "EnumPorts still lists $RAW_PORT (in use)" port_listed "$RAW_PORT"

delete_cancel() {
  drive delete "$FILE_PORT"
  find_window '^Delete portway port$' || return 1
  keys alt+n
  drive_expect 1 'DeletePortW -> 0'
}
check "DeletePortW: No at the confirmation keeps $FILE_PORT" delete_cancel
check "EnumPorts still lists $FILE_PORT" port_listed "$FILE_PORT"

delete_for_real() {
  pw delete-printer "$PRINTER" || return 1
  drive delete "$RAW_PORT"
  find_window '^Delete portway port$' || return 1
  keys alt+y
  drive_expect 0 'DeletePortW -> 1'
}
check "DeletePortW: $RAW_PORT deleted after its printer went" delete_for_real
check "EnumPorts no longer lists $RAW_PORT" port_absent "$RAW_PORT"

# ---- hWnd NULL and the port name out ---------------------------------------

null_hwnd() {
  local before after
  before=$(timeout 5 xdotool search --onlyvisible --name . 2>/dev/null | sort)
  drive null-hwnd "$FILE_PORT"
  drive_expect 0 'DeletePortUI(hWnd NULL) -> 0 error 1223' || return 1
  after=$(timeout 5 xdotool search --onlyvisible --name . 2>/dev/null | sort)
  [ "$before" = "$after" ] && return 0
  why="a window appeared: $(comm -13 <(echo "$before") <(echo "$after") | tr '\n' ' ')"
  return 1
}
check "hWnd NULL: FALSE through Wine, ERROR_CANCELLED from the DLL, no window" \
  null_hwnd

direct_add() {
  drive direct-add portway
  find_window '^Add a portway port$' || return 1
  typed PWUI2: && keys Return || return 1
  drive_expect 0 'port name out: PWUI2:'
}
check "AddPortUI called directly: the new name comes back (LocalAlloc)" direct_add
check "EnumPorts lists PWUI2:" port_listed PWUI2:
