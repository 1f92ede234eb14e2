#!/usr/bin/env bash
# Keeps one service running for deploy/local/up.sh: runs COMMAND with its output appended to LOG
# and starts it again whenever it exits without being asked to (a crash, a SIGKILL), after 0.2 s
# doubling up to 5 s for repeated crashes (back to 0.2 s once it has run for 30 s), with a JSON
# log line naming the exit. SIGTERM or SIGINT to this script stops the service (SIGTERM, then
# waits) and ends the supervision. The service's own PID is in PID_FILE while it runs.
# Usage: supervise.sh NAME LOG PID_FILE COMMAND [ARGS...]
set -uo pipefail
name="$1"; log="$2"; pid_file="$3"; shift 3

child=0
stopping=0
stop() {
  stopping=1
  [ "$child" -gt 0 ] && kill -TERM "$child" 2>/dev/null
}
trap stop TERM INT

note() {
  printf '{"ts":"%s","level":"%s","service":"supervise","supervised":"%s","msg":"%s"%s}\n' \
    "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)" "$1" "$name" "$2" "${3:-}" >>"$log"
}

delay_ms=200
while :; do
  started=$(date +%s)
  "$@" >>"$log" 2>&1 &
  child=$!
  echo "$child" >"$pid_file"
  wait "$child"
  status=$?
  # A trapped signal interrupts `wait`: wait again for the service to finish stopping.
  while kill -0 "$child" 2>/dev/null; do wait "$child"; status=$?; done
  rm -f "$pid_file"
  if [ "$stopping" = 1 ]; then
    exit 0
  fi
  if [ $(( $(date +%s) - started )) -ge 30 ]; then delay_ms=200; fi
  note warn "service exited; starting it again" ",\"exit_status\":$status,\"restart_in_ms\":$delay_ms"
  sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
  [ "$stopping" = 1 ] && exit 0
  delay_ms=$(( delay_ms * 2 > 5000 ? 5000 : delay_ms * 2 ))
done
