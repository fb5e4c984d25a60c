# bash completion for newsgrep-watch                          -*- shell-script -*-
# Installed as bash-completion/completions/newsgrep-watch.
# Needs nothing from the bash-completion package.

_newsgrep_watch()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local IFS=$'\n' i cmd='' db=()
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--db) db=(--db "${COMP_WORDS[i + 1]}") ;;
		--db=*) db=("${COMP_WORDS[i]}") ;;
		add | list | rm | run) [[ -z $cmd ]] && cmd=${COMP_WORDS[i]} ;;
		esac
	done
	case $prev in
	--db | --atom)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -d -- "$cur"))
		return
		;;
	--like)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	--since | --until)
		COMPREPLY=($(compgen -W $'today\nyesterday\n7d\n2w\n1m\n1y' -- "$cur"))
		return
		;;
	--max-expansion | --atom-entries) return ;;
	esac
	local words
	case $cmd in
	'') words=$'--db\n--help\n--version\nadd\nlist\nrm\nrun' ;;
	add) words=$'--since\n--until\n--like\n--fixed-strings\n--exact\n--all-duplicates\n--changed\n--max-expansion' ;;
	run) words=$'--quiet\n--dry-run\n--json\n--atom\n--atom-entries' ;;
	esac
	if [[ $cmd == rm || $cmd == run ]] && [[ $cur != -* ]]; then
		words+=$'\n'$(newsgrep-watch "${db[@]}" list 2>/dev/null | cut -f1)
	fi
	COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _newsgrep_watch newsgrep-watch
