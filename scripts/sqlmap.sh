#!/usr/bin/env bash
# SQL injection scan of a running Tiaki with sqlmap. Not part of the test suite (it takes minutes):
# run it by hand, `bash scripts/sqlmap.sh`, after changing how any route queries the database.
#
# Starts the server on 127.0.0.1 with embedded PGlite in a temporary DATA_DIR, seeded with the demo
# accounts only (DEMO_HISTORY_REFERRALS=0), signs in as the demo user each route needs, and runs
# sqlmap in batch mode (--level 3 --risk 2 --dbms PostgreSQL) against representative GET and POST
# routes, with the session cookie and the X-CSRF-Token header the API requires on state changes.
# 401 answers are expected (a wrong password at sign-in, a mangled session cookie) and do not stop
# sqlmap. Everything is written to a temporary folder, kept and printed at the end; the summary says, for
# each route, whether sqlmap found anything injectable.
#
# Options (environment): SQLMAP_PORT (default 18080), SQLMAP_LEVEL (3), SQLMAP_RISK (2),
# SQLMAP_THREADS (4), SQLMAP_ONLY (a substring of the target names to run only those).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v sqlmap >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "--- installing sqlmap (Debian package)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlmap
  else
    echo "sqlmap is not installed: sudo apt-get install -y sqlmap" >&2
    exit 1
  fi
fi

PORT=${SQLMAP_PORT:-18080}
LEVEL=${SQLMAP_LEVEL:-3}
RISK=${SQLMAP_RISK:-2}
THREADS=${SQLMAP_THREADS:-4}
BASE="http://127.0.0.1:${PORT}"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tiaki-sqlmap-XXXXXX")
mkdir -p "$WORK/data" "$WORK/sqlmap"
started=$(date +%s)

echo "--- starting Tiaki on 127.0.0.1:${PORT} (PGlite in $WORK/data, demo accounts, no history)"
env TIAKI_ENV=development TIAKI_DEMO=true DEMO_HISTORY_REFERRALS=0 DATA_DIR="$WORK/data" \
  HOST=127.0.0.1 PORT="$PORT" LOG_LEVEL=info \
  LOGIN_IP_LIMIT_PER_15_MINUTES=100000 LOGIN_MAX_FAILURES=100 SESSION_IDLE_MINUTES=240 \
  node apps/server/bin/tiaki.mjs serve >"$WORK/server.log" 2>&1 &
server=$!
stop() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
}
trap stop EXIT
for _ in $(seq 1 120); do
  curl -fs "$BASE/readyz" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$WORK/server.log"; exit 1; }
  sleep 0.5
done
curl -fs "$BASE/readyz" >/dev/null || { echo "server did not start" >&2; cat "$WORK/server.log"; exit 1; }

# The demo credentials are printed once, at first start: "  <email>  <password>  <role>".
password_of() { awk -v email="$1@demo.tiaki.test" '$1 == email { print $2 }' "$WORK/server.log"; }

# Signs in; prints "<session token> <csrf token>".
sign_in() {
  local email="$1@demo.tiaki.test" password
  password=$(password_of "$1")
  [ -n "$password" ] || { echo "no demo password for $1" >&2; exit 1; }
  local jar="$WORK/$1.cookies"
  local body
  body=$(curl -fs -c "$jar" -H 'content-type: application/json' \
    --data "{\"email\":\"$email\",\"password\":\"$password\"}" "$BASE/api/auth/sign-in")
  local csrf stage session
  csrf=$(node -e 'const s=JSON.parse(process.argv[1]); process.stdout.write(s.csrfToken)' "$body")
  stage=$(node -e 'const s=JSON.parse(process.argv[1]); process.stdout.write(s.stage)' "$body")
  [ "$stage" = active ] || { echo "demo user $1 is at stage $stage, not active" >&2; exit 1; }
  session=$(awk '$6 == "tiaki_session" { print $7 }' "$jar")
  echo "$session $csrf"
}

# A real id for path parameters.
first_id() {
  curl -fs -b "tiaki_session=$1" "$BASE$2" |
    node -e 'let t="";process.stdin.on("data",d=>t+=d).on("end",()=>{const j=JSON.parse(t);const l=Object.values(j).find(Array.isArray)||[];process.stdout.write(l[0]?.id??"")})'
}

summary="$WORK/summary.txt"
: >"$summary"

# scan NAME ROLE METHOD PATH [JSON BODY]
scan() {
  local name="$1" role="$2" method="$3" path="$4" data="${5:-}"
  if [ -n "${SQLMAP_ONLY:-}" ] && [[ "$name" != *"$SQLMAP_ONLY"* ]]; then return; fi
  local cookie="" csrf="" auth_args=()
  if [ "$role" != anonymous ]; then
    read -r cookie csrf < <(sign_in "$role")
    [ -n "$cookie" ] && [ -n "$csrf" ] || { echo "could not sign in as $role" >&2; exit 1; }
    auth_args=(--cookie "tiaki_session=$cookie" -H "X-CSRF-Token: $csrf")
  fi
  local data_args=()
  [ -n "$data" ] && data_args=(--data "$data" -H 'Content-Type: application/json')
  local before after t0 t1
  before=$(grep -c '"request completed"' "$WORK/server.log" || true)
  t0=$(date +%s)
  echo "--- sqlmap: $name ($role) $method $path"
  sqlmap -u "$BASE$path" --method "$method" "${data_args[@]}" "${auth_args[@]}" \
    --batch --level "$LEVEL" --risk "$RISK" --dbms PostgreSQL --threads "$THREADS" \
    --drop-set-cookie --ignore-code=401 --flush-session --disable-coloring --output-dir "$WORK/sqlmap" \
    >"$WORK/$name.log" 2>&1 || true
  t1=$(date +%s)
  after=$(grep -c '"request completed"' "$WORK/server.log" || true)
  # sqlmap's final word only: a provisional "appears to be injectable" that its own false-positive
  # check then rejects (answers that differ anyway, like a new reference per referral) is not one.
  local verdict rejected
  if grep -q "identified the following injection point" "$WORK/$name.log"; then
    verdict="INJECTABLE (see $WORK/$name.log)"
  elif grep -q "all tested parameters do not appear to be injectable" "$WORK/$name.log"; then
    verdict="not injectable"
  else
    verdict="no verdict (see $WORK/$name.log)"
  fi
  rejected=$(grep -c "false positive or unexploitable injection point detected" "$WORK/$name.log" || true)
  [ "$rejected" -gt 0 ] && verdict="$verdict ($rejected false positive(s) rejected by sqlmap)"
  local tested
  tested=$(grep -oE "testing for SQL injection on ([^']+ )?parameter '[^']+'" "$WORK/$name.log" |
    sed -E "s/testing for SQL injection on //; s/parameter //" | sort -u | paste -sd, - || true)
  printf '%-22s %-6s %-58s %-16s %5s requests %4ss  params: %s\n' "$name" "$method" "$path" "$verdict" \
    "$((after - before))" "$((t1 - t0))" "$tested" | tee -a "$summary"
  curl -fs "$BASE/readyz" >/dev/null || { echo "server stopped answering after $name" >&2; exit 1; }
}

# Ids to put in paths (demo data: organisations and users exist; no cases without history).
read -r admin_cookie _ < <(sign_in administrator)
organisation_id=$(first_id "$admin_cookie" /api/organisations)

referral='{"referrer":{"name":"Constable Test","role":"Youth Aid officer","phone":"+64 9 555 0101","email":"referrer@example.test"},"concern":{"date":"2026-07-01","region":"02"},"child":{"identified":true,"givenNames":"Tane","familyName":"Testchild","dateOfBirth":"2011-03-14","gender":"boy","safety":"unknown","currentLocation":"Staying with an aunt"},"manifestations":["online_sexual_exploitation"],"narrative":"Synthetic narrative for a scan.","immediateRisk":false,"childViews":"Not asked yet.","childAware":"unknown","lawfulBasis":"ota_66"}'

scan sign-in anonymous POST /api/auth/sign-in '{"email":"nobody@example.test","password":"not the password"}'
scan audit-filters auditor GET '/api/audit?action=auth.sign_in&subjectId=abc&limit=10'
scan triage-queue triage GET '/api/triage/queue?region=02&manifestation=online_sexual_exploitation'
scan services caseworker GET '/api/services?region=02&age=14'
scan statistics analyst GET '/api/statistics?from=2026-01-01&to=2026-06-30&region=02'
scan statistics-csv analyst GET '/api/statistics/tables/referrals_by_manifestation*/csv?from=2026-01-01&to=2026-06-30&region=02'
scan organisation administrator POST /api/organisations '{"kind":"ngo","name":"Scan test","regionsServed":["02"]}'
scan organisation-edit administrator PATCH "/api/organisations/${organisation_id}" '{"name":"Scan edit","version":1}'
scan referral frontline POST /api/referrals "$referral"

finished=$(date +%s)
echo
echo "=== sqlmap $(sqlmap --version 2>/dev/null | head -1) against Tiaki at $BASE: level $LEVEL, risk $RISK, PostgreSQL"
cat "$summary"
echo "total: $((finished - started)) s; logs and sqlmap output in $WORK"
if grep -q INJECTABLE "$summary"; then exit 1; fi
