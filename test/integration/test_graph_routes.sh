#!/usr/bin/env bash
# Tags and routes (issue 9): two inputs routed to two outputs through different filters; an
# input no output matches is acknowledged, counted as unrouted and warned about by -check.
. "$(dirname "$0")/lib.sh"

mkdir -p "$TMP/in"
printf 'web1\n\nweb2\n' >"$TMP/in/web.log" # valid drops the empty line
printf 'db1\n\ndb2\n' >"$TMP/in/db.log"    # no filter on db: the empty line stays
cat >"$TMP/mafio.json" <<JSON
{
  "inputs": [
    {"plugin": "filereader:V2", "id": "web", "tag": "app.web", "path": "$TMP/in/web.log",
     "exit_on_eof": true},
    {"plugin": "filereader:V2", "id": "db", "tag": "db", "path": "$TMP/in/db.log",
     "exit_on_eof": true}
  ],
  "filters": [{"plugin": "valid", "id": "clean", "match": "app.*"}],
  "outputs": [
    {"plugin": "logr", "id": "apps", "match": "app.*", "path": "$TMP/out/apps.log"},
    {"plugin": "logr", "id": "dbs", "match": ["db", "nothing.*"], "path": "$TMP/out/dbs.log"}
  ]
}
JSON
mkdir -p "$TMP/out"

check "-check prints each input's route"
run "$MAFIO" -check -http-address off -data-dir "$TMP/data" -config "$TMP/mafio.json"
[ "$RC" -eq 0 ] || fail "-check failed: $(cat "$ERR")"
expect_stdout_contains "input  web [inputs[0]] filereader:V2 tag=app.web -> filters: clean -> outputs: apps"
expect_stdout_contains "input  db [inputs[1]] filereader:V2 tag=db -> filters: - -> outputs: dbs"

check "each output gets exactly its input's records, filtered only where matched"
run "$MAFIO" -http-address off -data-dir "$TMP/data" -config "$TMP/mafio.json"
[ "$RC" -eq 0 ] || fail "exit $(_describe_rc "$RC"): $(cat "$ERR")"
[ "$(cat "$TMP/out/apps.log")" = "$(printf 'web1\nweb2')" ] || fail "apps.log: $(cat -A "$TMP/out/apps.log")"
[ "$(cat "$TMP/out/dbs.log")" = "$(printf 'db1\n\ndb2')" ] || fail "dbs.log: $(cat -A "$TMP/out/dbs.log")"

check "an input no output matches: -check warns, the run acknowledges and counts its records"
sed 's/"tag": "db"/"tag": "audit"/' "$TMP/mafio.json" >"$TMP/unrouted.json"
run "$MAFIO" -check -http-address off -data-dir "$TMP/data2" -config "$TMP/unrouted.json"
[ "$RC" -eq 0 ] || fail "-check failed: $(cat "$ERR")"
expect_stderr_contains 'db (filereader:V2): no output matches its tag "audit"'
rm -f "$TMP/out/"*
run "$MAFIO" -http-address off -data-dir "$TMP/data2" -config "$TMP/unrouted.json"
[ "$RC" -eq 0 ] || fail "exit $(_describe_rc "$RC"): $(cat "$ERR")"
[ ! -s "$TMP/out/dbs.log" ] || fail "dbs.log got records of an unrouted input"
[ "$(cat "$TMP/out/apps.log")" = "$(printf 'web1\nweb2')" ] || fail "apps.log: $(cat "$TMP/out/apps.log")"
check "the unrouted input's records were acknowledged: its checkpoint was stored"
[ -s "$TMP/data2/checkpoints/db.ckpt" ] || fail "no checkpoint stored for db"
pass
