#!/usr/bin/env bash
# An article cannot drive the terminal of whoever reads what the programs
# print: ESC, OSC, C1 (U+009B), bidi overrides (U+202E), newlines and bytes
# that are not UTF-8 reach a person as escapes (\x1b, \u009b, \u202e, \n,
# \xff), from newsgrep's text output, -l and --format on a terminal,
# --facet, its messages and newsgrep-index's; --json, -0 and piped -l keep
# the exact bytes.
. "$(dirname "$0")/lib.sh"

E=$'\e' C1=$'\xc2\x9b' RLO=$'\xe2\x80\xae'
# bad FILE: the lines of FILE with a byte a terminal would obey: C0 (but
# for the newline), DEL, C1 as a byte or in UTF-8 (0x9b is CSI), U+202E.
bad() {
	LC_ALL=C grep -naP '[\x00-\x09\x0b-\x1f\x7f\x9b]|\xc2[\x80-\x9f]|\xe2\x80\xae' "$1"
}

# The folder and the file name are hostile too.
DIR=$TMP/news${E}[7m
NAME="evil${E}[31mred"$'\n'"line${RLO}.md"
mkdir -p "$DIR" || die "mkdir"
cat >"$DIR/$NAME" <<'YAML'
---
title: "Zorblax \e[31mred\e]0;pwned\a title \u009b2J \u202egnp.exe"
excerpt: "Zorblax excerpt \e[31m here \u009b1m and \u202e reversed"
publishedDateTime: "zorblax \e[31m bad \u009b date"
provider:
  name: "Prov\e[31mider\u202e"
  domain: example.com
originalUrl: "https://example.com/\u009bx"
---
Zorblax body.
YAML
# A name that is not UTF-8.
printf -- '---\ntitle: "Zorblax latin"\n---\n' >"$DIR/caf"$'\xe9'".md"
SDIR='news\x1b[7m' # $DIR's name as shown
SNAME='evil\x1b[31mred\nline\u202e.md'

# newsgrep-index: the warning names the file and quotes the value, escaped.
"$NEWSGREP_INDEX" -q --db "$TMP/db" "$DIR" 2>"$TMP/index.err"
expect_eq 0 "$?" "newsgrep-index exit status"
expect_eq "$TMP/$SDIR/$SNAME:4:20: warning: publishedDateTime: cannot read date 'zorblax \\x1b[31m bad \\u009b date' (expected ISO 8601); indexed without a date" \
	"$(cat "$TMP/index.err")" "newsgrep-index warning"
expect_eq "" "$(bad "$TMP/index.err")" "raw bytes in newsgrep-index's warning"
# ... and its errors.
expect_rc 2 "$NEWSGREP_INDEX" --db "$TMP/db" "$TMP/no${E}]0;x"$'\a'
expect_eq "newsgrep-index: '$TMP/no\\x1b]0;x\\x07' does not exist" "$err" "newsgrep-index error"
expect_rc 2 "$NEWSGREP_INDEX" --db "$TMP/db" --batch "1${C1}"
expect_eq "newsgrep-index: --batch wants a positive number, not '1\\u009b'" "$err" "--batch"
# --status names the folder as it reads.
expect_rc 0 "$NEWSGREP_INDEX" --db "$TMP/db" --status
expect_eq "  $TMP/$SDIR" "$(sed -n '/^folders:/,$p' <<<"$out" | sed -n 2p)" "--status"

# newsgrep's text output, on a terminal or not.
TEXT='(no date)    Prov\x1b[31mider\u202e  Zorblax \x1b[31mred\x1b]0;pwned\x07 title \u009b2J \u202egnp.exe
    https://example.com/\u009bx
    Zorblax excerpt \x1b[31m here \u009b1m and \u202e reversed'
"$NEWSGREP" --db "$TMP/db" zorblax excerpt >"$TMP/text.out" 2>"$TMP/text.err"
expect_eq "$TEXT" "$(cat "$TMP/text.out")" "text output"
expect_eq "" "$(bad "$TMP/text.out")" "raw bytes in the text output"
on_tty "$NEWSGREP" --db "$TMP/db" --color=never zorblax excerpt >"$TMP/tty.out"
expect_eq "showing 1 of 1 match
$TEXT" "$(cat "$TMP/tty.out")" "text output on a terminal"
# With colour, the escapes are newsgrep's own: the article's are shown.
"$NEWSGREP" --db "$TMP/db" --color=always zorblax excerpt | sed 's/\x1b\[[0-9;]*m//g' >"$TMP/color.out"
expect_eq "$TEXT" "$(cat "$TMP/color.out")" "text output in colour"

# -l: on a terminal, escaped; piped or with -0, exact.
on_tty "$NEWSGREP" --db "$TMP/db" -l zorblax >"$TMP/l.tty"
expect_eq "$TMP/$SDIR/caf\\xe9.md
$TMP/$SDIR/$SNAME" "$(sort "$TMP/l.tty")" "-l on a terminal"
expect_eq "" "$(bad "$TMP/l.tty")" "raw bytes in -l on a terminal"
"$NEWSGREP" --db "$TMP/db" -l excerpt >"$TMP/l.pipe"
printf '%s\n' "$DIR/$NAME" >"$TMP/l.want"
cmp "$TMP/l.pipe" "$TMP/l.want" || die "-l piped is not the exact path"
"$NEWSGREP" --db "$TMP/db" -l -0 excerpt >"$TMP/l0.pipe"
printf '%s\0' "$DIR/$NAME" >"$TMP/l0.want"
cmp "$TMP/l0.pipe" "$TMP/l0.want" || die "-l -0 is not the exact path"
on_tty "$NEWSGREP" --db "$TMP/db" -l -0 excerpt >"$TMP/l0.tty"
cmp "$TMP/l0.tty" "$TMP/l0.want" || die "-l -0 on a terminal is not the exact path"
checks=$((checks + 4))

# --format: escaped on a terminal; piped, exact but for control characters.
on_tty "$NEWSGREP" --db "$TMP/db" --format '{provider}|{title}|{url}' excerpt >"$TMP/f.tty"
expect_eq 'Prov\x1b[31mider\u202e|Zorblax \x1b[31mred\x1b]0;pwned\x07 title \u009b2J \u202egnp.exe|https://example.com/\u009bx' \
	"$(cat "$TMP/f.tty")" "--format on a terminal"
"$NEWSGREP" --db "$TMP/db" --format '{provider}|{url}' excerpt >"$TMP/f.pipe"
printf 'Prov [31mider%s|https://example.com/%sx\n' "$RLO" "$C1" >"$TMP/f.want"
cmp "$TMP/f.pipe" "$TMP/f.want" || die "--format piped changed more than controls"
checks=$((checks + 1))

# --facet is for people.
expect_rc 0 "$NEWSGREP" --db "$TMP/db" --facet provider excerpt
expect_eq 'provider:
  1  Prov\x1b[31mider\u202e' "$out" "--facet"

# --json is exact: every control a \u escape, which decodes to the bytes.
"$NEWSGREP" --db "$TMP/db" --json excerpt >"$TMP/json.out"
expect_eq "" "$(bad "$TMP/json.out")" "raw bytes in --json"
expect_eq "$DIR/$NAME" "$(jq -r 'select(.type == "hit").path' "$TMP/json.out")" "JSON path"
expect_eq "Zorblax ${E}[31mred${E}]0;pwned"$'\a'" title ${C1}2J ${RLO}gnp.exe" \
	"$(jq -r 'select(.type == "hit").title' "$TMP/json.out")" "JSON title"
expect_eq "Prov${E}[31mider${RLO}" "$(jq -r 'select(.type == "hit").provider' "$TMP/json.out")" "JSON provider"
expect_match '"url":"https://example.com/\\u009bx"' "$(cat "$TMP/json.out")" "JSON escapes C1"

# newsgrep's messages.
expect_rc 2 "$NEWSGREP" --db "$TMP/no${E}]0;x"$'\a' zorblax
expect_match "^newsgrep: no index at '$TMP/no\\\\x1b\]0;x\\\\x07'" "$err" "newsgrep error"
expect_eq "" "$(printf '%s' "$err" | od -An -c | grep -F '033')" "raw ESC in newsgrep's error"
expect_rc 2 "$NEWSGREP" --db "$TMP/db" --since "x${RLO}" zorblax
expect_match "^newsgrep: --since: cannot read date 'x\\\\u202e'" "$err" "--since"
expect_rc 2 "$NEWSGREP" --db "$TMP/db" --json --sort "${C1}" zorblax
expect_eq "newsgrep: --sort: '\\u009b' is not one of relevance, newest, oldest" "$err" "--sort"

done_testing
