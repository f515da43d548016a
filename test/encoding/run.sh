#!/usr/bin/env bash
# Search in a multibyte database encoding other than UTF-8 (EUC_JP): a
# match must start on a character boundary.  In EUC_JP the name "xあいy"
# holds the bytes 78 A4A2 A4A4 79, so a byte search for "△" (A2A4) would
# find it across the two characters; SQL does not.  The in-memory index is
# off in such encodings: every search must equal SQL's, and "△" must match
# nothing.  Runs against the cluster in the libpq environment.
set -euo pipefail
db=ed_encoding_euc_jp
passed=0 failed=0
check() {
	if [ "$2" == "$3" ]; then passed=$((passed + 1)); echo "ok - $1"
	else failed=$((failed + 1)); echo "FAIL: $1"; echo "  expected: $2"; echo "  got:      $3"; fi
}
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" \
	-c "CREATE DATABASE $db TEMPLATE template0 ENCODING 'EUC_JP' LC_COLLATE 'C' LC_CTYPE 'C'"
q() { PGCLIENTENCODING=UTF8 psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -c "$1"; }
q "CREATE EXTENSION event_definitions CASCADE" >/dev/null 2>&1
q "SELECT event_definitions.ingest(1, ARRAY['xあいy', 'あい', 'いあ', 'x△y', 'plain', 'ＡＢ']
     || (SELECT array_agg('name_' || g || CASE WHEN g % 3 = 0 THEN 'あ' ELSE 'い' END) FROM generate_series(1, 3000) g))" >/dev/null
check "the index is off in EUC_JP" "off" "$(q "SELECT event_definitions.name_index_status(1)->>'mode'")"
check "'△' matches only the name that has it" "1 x△y" \
	"$(q "SELECT (l->>'count') || ' ' || (l->'results'->0->>'name') FROM event_definitions.list(1, search => '△') l")"
for term in 'あ' 'い' 'x' 'あい' 'name_1' 'Ｂ' 'y'; do
	got=$(q "SELECT event_definitions.list(1, search => '$term')::text")
	want=$(q "SET event_definitions.name_index_memory = 0; SELECT event_definitions.list(1, search => '$term')::text")
	check "search '$term' equals SQL's" "$want" "$got"
done
psql -X -q -d postgres -c "DROP DATABASE $db"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
