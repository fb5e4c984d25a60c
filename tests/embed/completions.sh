#!/usr/bin/env bash
# The shell completions as installed: where bash, zsh and fish look; every
# option --help lists, every field of the query language and every value
# of --sort, --facet and --color in each; bash's completing for real (zsh's
# and fish's too when they are there).
#   NEWSGREP_BUILD_DIR  the build tree to install;  CMAKE  the cmake to use
. "$(dirname "$0")/../e2e/lib.sh"
: "${NEWSGREP_BUILD_DIR:?}" "${CMAKE:?}"

P=$TMP/prefix
"$CMAKE" --install "$NEWSGREP_BUILD_DIR" --prefix "$P" >/dev/null || die "install failed"
BASH_NG=$P/share/bash-completion/completions/newsgrep
BASH_NGI=$P/share/bash-completion/completions/newsgrep-index
ZSH=$P/share/zsh/vendor-completions/_newsgrep
FISH_NG=$P/share/fish/vendor_completions.d/newsgrep.fish
FISH_NGI=$P/share/fish/vendor_completions.d/newsgrep-index.fish
for f in "$BASH_NG" "$BASH_NGI" "$ZSH" "$FISH_NG" "$FISH_NGI"; do
	[[ -f $f ]] || die "not installed: ${f#"$P"/}"
	checks=$((checks + 1))
done

# has FILE WORD...: each WORD is in FILE, not as part of a longer one.
has() {
	local file=$1 w
	shift
	for w in "$@"; do
		grep -qE -- "(^|[^a-z0-9-])$w([^a-z0-9-]|$)" "$file" ||
			die "${file#"$P"/} lacks $w"
		checks=$((checks + 1))
	done
}
# The options a program's --help lists: long ones, and short ones alone.
long_opts() { "$1" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u; }
short_opts() { "$1" --help | grep -oE -- '(^|[ ,])-[a-zA-Z0-9]([ ,]|$)' | tr -d ' ,' | sort -u; }

ng_long=$(long_opts "$NEWSGREP")
ngi_long=$(long_opts "$NEWSGREP_INDEX")
[[ $(wc -l <<<"$ng_long") -ge 20 && $(wc -l <<<"$ngi_long") -ge 12 ]] ||
	die "too few options in --help: $ng_long / $ngi_long"
expect_eq "-0 -F -V -c -f -h -l -n" "$(short_opts "$NEWSGREP" | xargs)" "newsgrep's short options"
expect_eq "-V -h -j -q" "$(short_opts "$NEWSGREP_INDEX" | xargs)" "newsgrep-index's short options"
for f in "$BASH_NG" "$ZSH"; do
	has "$f" $ng_long $(short_opts "$NEWSGREP") $ngi_long $(short_opts "$NEWSGREP_INDEX")
done
# fish names them "-l name" and "-s n".
mapfile -t fish_ng < <(sed 's/^--/-l /' <<<"$ng_long"; short_opts "$NEWSGREP" | sed 's/^-/-s /')
mapfile -t fish_ngi < <(sed 's/^--/-l /' <<<"$ngi_long"; short_opts "$NEWSGREP_INDEX" | sed 's/^-/-s /')
has "$FISH_NG" "${fish_ng[@]}"
has "$FISH_NGI" "${fish_ngi[@]}"

# The fields of the query language, from the schema's table: each row
# with a query syntax, by its name and alias.
fields=$(sed -n '/^static const ng_schema_row rows/,/^};/p' "$SRC/core/schema.c" | tr -s ' \t\n' ' ' |
	grep -oE '\{NG_FIELD_[A-Z]+, "[a-z]+", NG_QF_[A-Z]+, (NULL|"[a-z]+"), NG_QS_(WORDS|FOLDED|SITE|DATE|PATH)' |
	grep -oE '"[a-z]+"' | tr -d '"' | sed 's/$/:/')
[[ $(wc -l <<<"$fields") -ge 9 ]] || die "cannot read the fields in core/schema.c: $fields"
for f in "$BASH_NG" "$ZSH" "$FISH_NG"; do has "$f" $fields; done

# The values of --sort, --facet and --color, as newsgrep lists them.
values() { "$NEWSGREP" "$1" no-such-value x 2>&1 | sed -n "s/.* is not one of //p" | tr -d ','; }
sorts=$(values --sort) facets=$(values --facet) colors=$(values --color)
expect_eq "relevance newest oldest|provider site topic type year month|auto always never" \
	"$sorts|$facets|$colors" "values"
for f in "$BASH_NG" "$ZSH" "$FISH_NG"; do has "$f" $sorts $facets $colors; done

# bash completes: COMP_WORDS as bash splits them (at '=' and ':' too).
complete_bash() { # complete_bash FILE FUNCTION WORD...: COMPREPLY, one per line
	bash --norc --noprofile -c '. "$1" || exit 1; f=$2; shift 2
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); $f; printf "%s\n" "${COMPREPLY[@]}"' \
		complete "$@"
}
comp() { complete_bash "$BASH_NG" _newsgrep newsgrep "$@" | sort | xargs; }
icomp() { complete_bash "$BASH_NGI" _newsgrep_index newsgrep-index "$@" | sort | xargs; }
expect_eq "--sort" "$(comp --so)" "bash: --so"
expect_eq "newest" "$(comp --sort ne)" "bash: --sort ne"
expect_eq "newest oldest relevance" "$(comp --sort = '')" "bash: --sort="
expect_eq "--sort=newest" "$(comp --sort=ne)" "bash: --sort=ne, one word"
expect_eq "provider,site" "$(comp --facet provider,s)" "bash: --facet list"
expect_eq "always auto" "$(comp --color a)" "bash: --color a"
expect_eq "title: topic: type:" "$(comp t)" "bash: a field"
expect_eq "-provider:" "$(comp chips -pro)" "bash: an excluded field"
expect_eq "" "$(comp chips --js)" "bash: no option after the query"
expect_eq "--json" "$(comp --sort = newest --js)" "bash: an option after --sort = newest"
expect_eq "provider:" "$(comp --sort newest -n 3 pr)" "bash: the query after options"
expect_eq "-title:" "$(comp -- -ti)" "bash: after --"
mkdir -p "$TMP/dirs/index-a" "$TMP/dirs/index-b"
: >"$TMP/dirs/index-file"
expect_eq "$TMP/dirs/index-a $TMP/dirs/index-b" "$(comp --db "$TMP/dirs/ind")" "bash: --db folders"
expect_eq "--status" "$(icomp --sta)" "bash: newsgrep-index --sta"
expect_eq "$TMP/dirs/index-a $TMP/dirs/index-b" "$(icomp --forget "$TMP/dirs/ind")" "bash: --forget"
expect_eq "$TMP/dirs/index-a $TMP/dirs/index-b $TMP/dirs/index-file" "$(icomp "$TMP/dirs/ind")" "bash: files"
# The file registers both programs, under whichever name it was loaded.
expect_eq "complete -F _newsgrep newsgrep
complete -F _newsgrep_index newsgrep-index" \
	"$(bash --norc --noprofile -c '. "$1"; complete -p newsgrep newsgrep-index' x "$BASH_NGI")" "bash: complete -p"

# newsgrep-watch: every option its --help lists, in both; bash's completing.
BASH_NGW=$P/share/bash-completion/completions/newsgrep-watch
FISH_NGW=$P/share/fish/vendor_completions.d/newsgrep-watch.fish
ngw_long=$(long_opts "$NEWSGREP_WATCH")
[[ $(wc -l <<<"$ngw_long") -ge 14 ]] || die "too few options in newsgrep-watch --help: $ngw_long"
mapfile -t fish_ngw < <(sed 's/^--/-l /' <<<"$ngw_long")
has "$FISH_NGW" "${fish_ngw[@]}"
wcomp() { complete_bash "$BASH_NGW" _newsgrep_watch newsgrep-watch "$@" | sort | xargs; }
expect_eq "$(xargs <<<"$ngw_long")" \
	"$( (wcomp --; wcomp add x --; wcomp run --) | tr ' ' '\n' | sort -u | xargs)" \
	"bash: newsgrep-watch's options"
expect_eq "--atom --atom-entries" "$(wcomp run --at)" "bash: newsgrep-watch run --at"
expect_eq "$TMP/dirs/index-a $TMP/dirs/index-b" "$(wcomp run --atom "$TMP/dirs/ind")" \
	"bash: --atom folders"
expect_eq "--like" "$(wcomp add x --li)" "bash: newsgrep-watch add --li"
expect_eq "$TMP/dirs/index-a $TMP/dirs/index-b $TMP/dirs/index-file" \
	"$(wcomp add x --like "$TMP/dirs/ind")" "bash: --like files"
expect_eq "7d" "$(wcomp add x --since 7)" "bash: --since 7"

has "$ZSH" $ngw_long

# zsh and fish, when installed (they are not needed to build; install-deps
# installs zsh for the tests): zsh completes for real in a pseudo-terminal.
if command -v zsh >/dev/null; then
	expect_rc 0 zsh -n "$ZSH"
	expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/zdb" "$CORPUS/seeds"
	expect_rc 0 "$NEWSGREP_WATCH" --db "$TMP/zdb" add gpu GPU
	expect_rc 0 "$NEWSGREP_WATCH" --db "$TMP/zdb" add chips chips
	mkdir -p "$TMP/bin"
	ln -sf "$NEWSGREP_WATCH" "$TMP/bin/newsgrep-watch"
	zcomp() {
		PATH=$TMP/bin:$PATH timeout 60 zsh -f "$SRC/tests/embed/zsh_complete.zsh" "${ZSH%/*}" "$1" | xargs
	}
	expect_eq "--sort" "$(zcomp 'newsgrep --so')" "zsh: --so"
	expect_eq "newest oldest relevance" "$(zcomp 'newsgrep --sort ')" "zsh: --sort"
	expect_eq "title: topic: type:" "$(zcomp 'newsgrep chips t')" "zsh: a field"
	expect_eq "--status" "$(zcomp 'newsgrep-index --sta')" "zsh: newsgrep-index --sta"
	expect_eq "add list rm run" "$(zcomp 'newsgrep-watch ')" "zsh: newsgrep-watch's commands"
	expect_eq "chips gpu" "$(zcomp "newsgrep-watch --db $TMP/zdb rm ")" "zsh: the watches"
	expect_eq "chips gpu" "$(zcomp "newsgrep-watch --db=$TMP/zdb run -q ")" "zsh: run's watches"
	expect_eq "--atom --atom-entries" "$(zcomp 'newsgrep-watch run --at')" "zsh: run --at"
	expect_eq "--like" "$(zcomp 'newsgrep-watch add x --li')" "zsh: add NAME --li"
	expect_eq "7d" "$(zcomp 'newsgrep-watch add x --since 7')" "zsh: add --since 7"
	expect_eq "title: topic: type:" "$(zcomp 'newsgrep-watch add x chips t')" "zsh: a watch's field"
fi
if command -v fish >/dev/null; then
	expect_rc 0 fish -n "$FISH_NG"
	expect_rc 0 fish -n "$FISH_NGI"
	expect_rc 0 fish -n "$FISH_NGW"
	fcomp() { fish --no-config -c "source '$FISH_NG'; source '$FISH_NGI'; complete -C'$1'" | cut -f1 | sort | xargs; }
	expect_eq "--sort" "$(fcomp 'newsgrep --so')" "fish: --so"
	expect_eq "newest oldest relevance" "$(fcomp 'newsgrep --sort ')" "fish: --sort"
	expect_eq "title: topic: type:" "$(fcomp 'newsgrep chips t')" "fish: a field"
	expect_eq "-provider:" "$(fcomp 'newsgrep chips -pro')" "fish: an excluded field"
	expect_eq "" "$(fcomp 'newsgrep chips --js')" "fish: no option after the query"
	expect_eq "--status" "$(fcomp 'newsgrep-index --sta')" "fish: newsgrep-index --sta"
fi

done_testing
