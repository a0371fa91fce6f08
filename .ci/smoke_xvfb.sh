#!/usr/bin/env bash
# Run inside xvfb-run: start the app on the xcb platform, wait for its window, then close it.
# Usage: smoke_xvfb.sh [COMMAND...]   (default: python main.py; .ci/run also passes the
# standalone build's executable)
set -uo pipefail
export QT_QPA_PLATFORM=xcb
[ $# -gt 0 ] || set -- python main.py
log=$(mktemp)
"$@" >"$log" 2>&1 &
pid=$!
found=""
for _ in $(seq 1 60); do
  if xwininfo -root -tree 2>/dev/null | grep -q "Cross-Entropy Explorer"; then found=yes; break; fi
  if ! kill -0 "$pid" 2>/dev/null; then break; fi
  sleep 0.5
done
sleep 2   # let it repaint for a while: a crash here would show in the log
alive=no; kill -0 "$pid" 2>/dev/null && alive=yes
kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
if [ -n "$found" ] && [ "$alive" = yes ]; then
  echo "smoke: $* — window 'Cross-Entropy Explorer' appeared on $DISPLAY and stayed up"
  exit 0
fi
echo "smoke: $* FAILED (window found: ${found:-no}, alive: $alive)"; cat "$log"
exit 1
