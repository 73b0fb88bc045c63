# bench/lib.sh — the figures' arithmetic and report rows, shared by
# bench/run.sh and bench/raw.sh (sourced; needs $OUT for field_before).

# Value before a unit in monrun/writeloop's last output line:
#   "... 1414.6 MB/s"  -> field "MB/s";  "... 684.1 us/job, ..." -> "us/job,"
field_before() {
  tail -n 1 "$OUT" | tr -d '\r' | awk -v unit="$1" \
    '{ for (i = 2; i <= NF; i++) if ($i == unit) { print $(i - 1); exit } }'
}
# Paired ratios: the i-th number of list A over the i-th of list B (runs
# made back to back, so a burst of load from elsewhere hits both sides).
pair_ratios() { # pair_ratios "A1 A2 ..." "B1 B2 ..."
  printf '%s\n%s\n' "$1" "$2" | awk '
    NR == 1 { n = split($0, a, " ") }
    NR == 2 { split($0, b, " "); for (i = 1; i <= n; i++) printf "%.4f ", a[i] / b[i] }'
}
# median / min / max of the numbers in $@
stats() { printf '%s\n' "$@" | sort -g | awk '
  { v[NR] = $1 }
  END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%s %s %s\n", m, v[1], v[NR] }'; }


# Each row: median, best (highest MB/s, lowest us/job: the run least disturbed
# by other load on the machine) and the range. Ratio rows: the median of the
# ratios of back-to-back runs, and the ratio of the two bests.
row() { # row LABEL "VALUES" best=max|min [TARGET]
  set -- "$1" "$(stats $2)" "$3" "${4:-}"
  printf '%s\n' "$2" | awk -v label="$1" -v best="$3" -v target="$4" '{
    b = (best == "max") ? $3 : $2
    printf "%-50s %10.1f %10.1f  %s..%s %s\n", label, $1, b, $2, $3, target }'
}
best_of() { # best_of "VALUES" max|min
  stats $1 | awk -v best="$2" '{ print (best == "max") ? $3 : $2 }'
}
verdict() { # verdict VALUE OP LIMIT
  awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN {
    ok = (op == ">=") ? (v >= l) : (op == "<=") ? (v <= l) : (v < l)
    print ok ? "met" : "MISSED" }'
}
ratio_row() { # ratio_row LABEL "A" "B" best=max|min OP LIMIT
  set -- "$1" "$(stats $(pair_ratios "$2" "$3"))" \
    "$(awk -v a="$(best_of "$2" "$4")" -v b="$(best_of "$3" "$4")" 'BEGIN { print a / b }')" \
    "${5:-}" "${6:-}"
  med=$(echo "$2" | cut -d' ' -f1)
  tgt=""
  [ -n "$4" ] && tgt="$4 $5: median $(verdict "$med" "$4" "$5"), best $(verdict "$3" "$4" "$5")"
  printf '%s\n' "$2" | awk -v label="$1" -v b="$3" -v target="$tgt" '{
    printf "%-50s %10.3f %10.3f  %.3f..%.3f %s\n", label, $1, b, $2, $3, target }'
}

