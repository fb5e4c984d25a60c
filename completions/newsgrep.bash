# bash completion for newsgrep and newsgrep-index             -*- shell-script -*-
# Installed as bash-completion/completions/newsgrep and .../newsgrep-index.
# Needs nothing from the bash-completion package.

# The query's fields (core/qparse.c), the --facet fields, --sort orders.
_newsgrep_fields='title: excerpt: related: provider: site: topic: type: url: date: path: folder:'
_newsgrep_facets='provider site topic type year month'
_newsgrep_sorts='relevance newest oldest'
_newsgrep_colors='auto always never'

# _newsgrep_reply WORDS: COMPREPLY is the words that start with $cur.
_newsgrep_reply()
{
	local IFS=$'\n'
	COMPREPLY=($(IFS=$' \t\n' compgen -W "$1" -- "$cur"))
}

# _newsgrep_dirs: COMPREPLY is the folders that start with $cur.
_newsgrep_dirs()
{
	local IFS=$'\n'
	compopt -o filenames 2>/dev/null
	COMPREPLY=($(compgen -d -- "$cur"))
}

_newsgrep_files()
{
	local IFS=$'\n'
	compopt -o filenames 2>/dev/null
	COMPREPLY=($(compgen -f -- "$cur"))
}

# The word being completed and the one before it, with "--opt=value" read
# as "--opt" and "value" whether or not COMP_WORDBREAKS splits at '='.
# Sets cur, prev, and eq (the "--opt=" to put back before each reply).
_newsgrep_words()
{
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	eq=
	if [[ $cur == = ]]; then
		cur=
	elif [[ $prev == = && COMP_CWORD -gt 1 ]]; then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	elif [[ $cur == --*=* ]]; then
		prev=${cur%%=*}
		eq=$prev=
		cur=${cur#*=}
	fi
}

_newsgrep()
{
	local cur prev eq i word query=
	_newsgrep_words
	# The words before: does the query start before the word completed?
	local takes=' --db --since --until --sort -n --limit --offset --facet --format --color --colour --max-expansion -f --file --like --group --show '
	for ((i = 1; i < COMP_CWORD; i++)); do
		word=${COMP_WORDS[i]}
		if [[ $word == -- ]]; then
			query=1
			break
		elif [[ ${COMP_WORDS[i + 1]} == = ]]; then
			((i += 2)) # --opt = value
		elif [[ $takes == *" $word "* ]]; then
			((i++))
		elif [[ $word != -* || $word == - ]]; then
			query=1
			break
		fi
	done
	if [[ ! $query && -z $eq ]]; then
		case $prev in
		--db)
			_newsgrep_dirs
			return
			;;
		-f | --file | --like | --show)
			_newsgrep_files
			return
			;;
		--sort)
			_newsgrep_reply "$_newsgrep_sorts"
			return
			;;
		--color | --colour)
			_newsgrep_reply "$_newsgrep_colors"
			return
			;;
		--group)
			_newsgrep_reply 'provider site'
			return
			;;
		--facet) # a comma-separated list
			local done=
			[[ $cur == *,* ]] && done=${cur%,*},
			local IFS=$'\n'
			COMPREPLY=($(IFS=$' \t\n' compgen -P "$done" -W "$_newsgrep_facets" -- "${cur##*,}"))
			compopt -o nospace 2>/dev/null
			return
			;;
		--since | --until)
			_newsgrep_reply 'today yesterday 7d 2w 3m 1y'
			return
			;;
		--format) # a template, or the Atom feed
			_newsgrep_reply atom
			return
			;;
		-n | --limit | --offset | --max-expansion)
			return
			;;
		esac
	fi
	if [[ $eq ]]; then # --opt=value, as one word
		case $prev in
		--sort) _newsgrep_reply "$_newsgrep_sorts" ;;
		--color | --colour) _newsgrep_reply "$_newsgrep_colors" ;;
		--facet) _newsgrep_reply "$_newsgrep_facets" ;;
		--format) _newsgrep_reply atom ;;
		--db) _newsgrep_dirs ;;
		--file | --like | --show) _newsgrep_files ;;
		--group) _newsgrep_reply 'provider site' ;;
		esac
		COMPREPLY=("${COMPREPLY[@]/#/$eq}")
		return
	fi
	if [[ ! $query && $cur == -* ]]; then
		_newsgrep_reply '--db --since --until --sort --boost-recent --exact --no-stem
			--all-duplicates --require-all --like --group -n --limit --offset --json -l --files-with-matches -0
			--null -c --count --facet --format --color --max-expansion --explain
			-F --fixed-strings -f --file --show -h --help -V --version --'
		return
	fi
	# A word of the query: a field name (after a '-' that excludes, too).
	local minus=
	[[ $cur == -* ]] && minus=-
	local IFS=$'\n'
	COMPREPLY=($(IFS=$' \t\n' compgen -P "$minus" -W "$_newsgrep_fields" -- "${cur#-}"))
	compopt -o nospace 2>/dev/null
}

_newsgrep_index()
{
	local cur prev eq
	_newsgrep_words
	case $prev in
	--db | --forget)
		[[ $eq ]] || { _newsgrep_dirs; return; }
		;;
	--batch | --memory | -j | --jobs | --shard)
		[[ $eq ]] || return
		;;
	esac
	if [[ $eq ]]; then
		[[ $prev == --db || $prev == --forget ]] && _newsgrep_dirs
		COMPREPLY=("${COMPREPLY[@]/#/$eq}")
		return
	fi
	if [[ $cur == -* ]]; then
		_newsgrep_reply '--db --rebuild --forget --compact --status --check --wait --wait=
			--batch --memory -j --jobs --follow --shard -q --quiet -h --help -V --version'
		[[ ${COMPREPLY[*]} == --wait= ]] && compopt -o nospace 2>/dev/null
		return
	fi
	# The folders and files to index.
	local IFS=$'\n'
	compopt -o filenames 2>/dev/null
	COMPREPLY=($(compgen -f -- "$cur"))
}

complete -F _newsgrep newsgrep
complete -F _newsgrep_index newsgrep-index
