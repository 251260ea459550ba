#!/usr/bin/env bash
# multiline:V1 through the real agent: Java and Python traces interleaved across two tailed
# files come out as one record per trace, per file, exactly; a Go panic and start/continue
# regexes; flush_after emits a held record while its input stays open; and the records a
# filter holds (mafio.hold.v1) are neither lost by SIGKILL (read again) nor repeated after a
# clean stop (released before the last checkpoint).
. "$(dirname "$0")/lib.sh"

# to_json_lines OUT: the records of a format:json output, one Python repr per line, in order.
records_of() { python3 -c '
import json, sys
for l in open(sys.argv[1]):
    print(repr(json.loads(l)["log"]))' "$1"; }

# --- interleaved traces in two files -----------------------------------------------------------
cat >"$TMP/java.log" <<'EOF'
2026-11-30 10:00:00 INFO start
java.lang.IllegalStateException: bad
	at com.x.A.f(A.java:10)
	at com.x.B.g(B.java:20)
Caused by: java.io.IOException: io
	at com.x.C.h(C.java:30)
	... 5 more
2026-11-30 10:00:02 INFO after
EOF
cat >"$TMP/py.log" <<'EOF'
INFO worker up
Traceback (most recent call last):
  File "app.py", line 3, in <module>
    main()
ValueError: bad value

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "app.py", line 5, in <module>
KeyError: 'k'
INFO worker down
EOF
check "Java traces from one file, Python from another, each joined, neither mixed with the other"
for preset in java python; do
    expect_exit 0 "$MAFIO" -http-address=off "-data-dir=$TMP/state-$preset" -log-level=warn -f "{
      \"inputs\": [{\"plugin\": \"filereader:V2\", \"path\": \"$TMP/$([ $preset = java ] && echo java || echo py).log\",
                   \"exit_on_eof\": true}],
      \"filters\": [{\"plugin\": \"multiline:V1\", \"preset\": \"$preset\"}],
      \"outputs\": [{\"plugin\": \"logr:V1\", \"path\": \"$TMP/$preset.out\", \"format\": \"json\"}]}"
done
records_of "$TMP/java.out" >"$TMP/java.got"
cat >"$TMP/java.want" <<'EOF'
'2026-11-30 10:00:00 INFO start'
'java.lang.IllegalStateException: bad\n\tat com.x.A.f(A.java:10)\n\tat com.x.B.g(B.java:20)\nCaused by: java.io.IOException: io\n\tat com.x.C.h(C.java:30)\n\t... 5 more'
'2026-11-30 10:00:02 INFO after'
EOF
expect_same_file "$TMP/java.want" "$TMP/java.got"
records_of "$TMP/python.out" >"$TMP/py.got"
cat >"$TMP/py.want" <<'EOF'
'INFO worker up'
'Traceback (most recent call last):\n  File "app.py", line 3, in <module>\n    main()\nValueError: bad value'
''
'During handling of the above exception, another exception occurred:'
''
'Traceback (most recent call last):\n  File "app.py", line 5, in <module>\nKeyError: \'k\''
'INFO worker down'
EOF
expect_same_file "$TMP/py.want" "$TMP/py.got"

check "two files through one multiline filter, written alternately: traces stay per file"
mkdir -p "$TMP/two"
python3 - "$TMP/two" <<'PY'
import sys
d = sys.argv[1]
a = open(d + '/a.log', 'w'); b = open(d + '/b.log', 'w')
for n in range(200):
    # each file gets a trace of n % 4 + 1 lines; the two files' lines alternate in time
    for f, name in ((a, 'a'), (b, 'b')):
        f.write('%s event %d\n' % (name, n))
        for k in range(n % 4):
            f.write('\tat %s.frame%d_%d\n' % (name, n, k))
        f.flush()
PY
expect_exit 0 "$MAFIO" -http-address=off "-data-dir=$TMP/state-two" -log-level=warn -f "{
  \"inputs\": [{\"plugin\": \"filereader:V2\", \"path\": \"$TMP/two/*.log\", \"exit_on_eof\": true}],
  \"filters\": [{\"plugin\": \"multiline:V1\", \"preset\": \"java\"}],
  \"outputs\": [{\"plugin\": \"logr:V1\", \"path\": \"$TMP/two.out\", \"format\": \"json\"}]}"
python3 - "$TMP/two.out" <<'PY' || fail "the two files' traces were not joined per file"
import json, sys
recs = [json.loads(l)['log'] for l in open(sys.argv[1])]
want = {}
for name in 'ab':
    for n in range(200):
        want['%s event %d' % (name, n)] = '\n'.join(['%s event %d' % (name, n)] + ['\tat %s.frame%d_%d' % (name, n, k) for k in range(n % 4)])
got = {r.split('\n')[0]: r for r in recs}
assert len(recs) == 400, len(recs)
assert got == want, [k for k in want if got.get(k) != want[k]][:5]
print('ok: 400 records, each trace whole and in its own file\'s record')
PY

check "a Go panic, and start/continue regexes"
printf 'starting\npanic: runtime error: index out of range [3] with length 3\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:8 +0x1d\nexit status 2\nnext line\n' >"$TMP/go.log"
printf 'BEGIN 1\n  more\n  more\nBEGIN 2\nBEGIN 3\n  x\n' >"$TMP/re.log"
expect_exit 0 "$MAFIO" -http-address=off "-data-dir=$TMP/state-go" -log-level=warn -f "{
  \"inputs\": [{\"plugin\": \"filereader:V2\", \"path\": \"$TMP/go.log\", \"exit_on_eof\": true, \"tag\": \"go\"},
              {\"plugin\": \"filereader:V2\", \"path\": \"$TMP/re.log\", \"exit_on_eof\": true, \"tag\": \"re\"}],
  \"filters\": [{\"plugin\": \"multiline:V1\", \"preset\": \"go\", \"match\": \"go\"},
               {\"plugin\": \"multiline:V1\", \"start\": \"^BEGIN\", \"match\": \"re\"}],
  \"outputs\": [{\"plugin\": \"logr:V1\", \"path\": \"$TMP/go.out\", \"format\": \"json\", \"match\": \"go\"},
               {\"plugin\": \"logr:V1\", \"path\": \"$TMP/re.out\", \"format\": \"json\", \"match\": \"re\"}]}"
records_of "$TMP/go.out" >"$TMP/go.got"
printf '%s\n' "'starting'" "'panic: runtime error: index out of range [3] with length 3\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:8 +0x1d\nexit status 2'" "'next line'" >"$TMP/go.want"
expect_same_file "$TMP/go.want" "$TMP/go.got"
records_of "$TMP/re.out" >"$TMP/re.got"
printf '%s\n' "'BEGIN 1\n  more\n  more'" "'BEGIN 2'" "'BEGIN 3\n  x'" >"$TMP/re.want"
expect_same_file "$TMP/re.want" "$TMP/re.got"

check "max_lines: a record reaching it is emitted and the next line starts another"
printf 'BEGIN\n a\n b\n c\n d\n' >"$TMP/long.log"
expect_exit 0 "$MAFIO" -http-address=off "-data-dir=$TMP/state-long" -log-level=warn -f "{
  \"inputs\": [{\"plugin\": \"filereader:V2\", \"path\": \"$TMP/long.log\", \"exit_on_eof\": true}],
  \"filters\": [{\"plugin\": \"multiline:V1\", \"start\": \"^BEGIN\", \"max_lines\": 3}],
  \"outputs\": [{\"plugin\": \"logr:V1\", \"path\": \"$TMP/long.out\", \"format\": \"json\"}]}"
records_of "$TMP/long.out" >"$TMP/long.got"
printf '%s\n' "'BEGIN\n a\n b'" "' c\n d'" >"$TMP/long.want"
expect_same_file "$TMP/long.want" "$TMP/long.got"

# --- held records: flush_after, SIGKILL, clean stop ---------------------------------------------
start() { # start NAME FLUSH_AFTER: tails $TMP/live.log into $TMP/live.out in the background
    "$MAFIO" -http-address=off "-data-dir=$TMP/state-live" -log-level=warn -f "{
      \"inputs\": [{\"plugin\": \"filereader:V2\", \"path\": \"$TMP/live.log\", \"id\": \"live\"}],
      \"filters\": [{\"plugin\": \"multiline:V1\", \"preset\": \"java\", \"flush_after\": \"$2\"}],
      \"outputs\": [{\"plugin\": \"logr:V1\", \"path\": \"$TMP/live.out\", \"format\": \"json\"}]}" \
        >"$TMP/$1.stdout" 2>"$TMP/$1.stderr" &
    AGENT=$!
    BG_PIDS+=("$AGENT")
}
count_records() { [ -f "$TMP/live.out" ] && wc -l <"$TMP/live.out" || echo 0; }
has_records() { [ "$(count_records)" -ge "$1" ]; }

check "flush_after: a trace with no next line is emitted while the file stays open"
printf 'first\nboom\n\tat x.Y.z(Y.java:1)\n' >"$TMP/live.log"
start flush 200ms
wait_until "both records are written" has_records 2
records_of "$TMP/live.out" >"$TMP/flush.got"
printf '%s\n' "'first'" "'boom\n\tat x.Y.z(Y.java:1)'" >"$TMP/flush.want"
expect_same_file "$TMP/flush.want" "$TMP/flush.got"
kill -TERM "$AGENT"
wait_exit "$AGENT"
[ "$RC" -eq 0 ] || fail "the agent exited $RC after SIGTERM"

check "SIGKILL while a record is held: it is read again at the next start, not lost"
rm -rf "$TMP/state-live" "$TMP/live.out"
printf 'one\ntwo\nheld\n\tat held.Frame(F.java:2)\n' >"$TMP/live.log"
start kill 1h # nothing idle is flushed: the last trace stays held
wait_until "the records before the held one are written" has_records 2
kill -KILL "$AGENT"
wait "$AGENT" 2>/dev/null
expect_exit 0 "$MAFIO" -http-address=off "-data-dir=$TMP/state-live" -log-level=warn -f "{
  \"inputs\": [{\"plugin\": \"filereader:V2\", \"path\": \"$TMP/live.log\", \"id\": \"live\", \"exit_on_eof\": true}],
  \"filters\": [{\"plugin\": \"multiline:V1\", \"preset\": \"java\", \"flush_after\": \"1h\"}],
  \"outputs\": [{\"plugin\": \"logr:V1\", \"path\": \"$TMP/live.out\", \"format\": \"json\"}]}"
records_of "$TMP/live.out" | sort -u >"$TMP/kill.got"
printf '%s\n' "'held\n\tat held.Frame(F.java:2)'" "'one'" "'two'" >"$TMP/kill.want"
expect_same_file "$TMP/kill.want" "$TMP/kill.got"
grep -q "held" "$TMP/live.out" || fail "the held trace was lost"

check "SIGTERM while a record is held: it is delivered, and the next start repeats nothing"
rm -rf "$TMP/state-live" "$TMP/live.out"
printf 'one\ntwo\nheld\n\tat held.Frame(F.java:2)\n' >"$TMP/live.log"
start term 1h
wait_until "the records before the held one are written" has_records 2
kill -TERM "$AGENT"
wait_exit "$AGENT"
[ "$RC" -eq 0 ] || fail "the agent exited $RC after SIGTERM"
records_of "$TMP/live.out" >"$TMP/term.got"
printf '%s\n' "'one'" "'two'" "'held\n\tat held.Frame(F.java:2)'" >"$TMP/term.want"
expect_same_file "$TMP/term.want" "$TMP/term.got"
printf 'after\n' >>"$TMP/live.log"
expect_exit 0 "$MAFIO" -http-address=off "-data-dir=$TMP/state-live" -log-level=warn -f "{
  \"inputs\": [{\"plugin\": \"filereader:V2\", \"path\": \"$TMP/live.log\", \"id\": \"live\", \"exit_on_eof\": true}],
  \"filters\": [{\"plugin\": \"multiline:V1\", \"preset\": \"java\"}],
  \"outputs\": [{\"plugin\": \"logr:V1\", \"path\": \"$TMP/live.out\", \"format\": \"json\"}]}"
records_of "$TMP/live.out" >"$TMP/term2.got"
printf '%s\n' "'one'" "'two'" "'held\n\tat held.Frame(F.java:2)'" "'after'" >"$TMP/term2.want"
expect_same_file "$TMP/term2.want" "$TMP/term2.got"

check "bad options are refused, naming the option and what is accepted"
for bad in '"preset":"ruby"|filters[0].preset|"java"' '"start":"("|filters[0].start|offset' \
    '"preset":"java","start":"x"|exclude each other|' '"preset":"java","max_lines":0|filters[0].max_lines|from 1' \
    '|a preset|start and/or continue'; do
    IFS='|' read -r opt want1 want2 <<<"$bad"
    expect_exit 1 "$MAFIO" -check -http-address=off "-data-dir=$TMP/state-bad" \
        -f "{\"inputs\":[{\"plugin\":\"stdin:V1\"}],\"filters\":[{\"plugin\":\"multiline:V1\"${opt:+,$opt}}],\"outputs\":[{\"plugin\":\"stdout:V1\"}]}"
    expect_stderr_contains "$want1"
    [ -z "$want2" ] || expect_stderr_contains "$want2"
done
pass
