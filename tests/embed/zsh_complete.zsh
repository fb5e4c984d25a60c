# zsh_complete.zsh DIR LINE: the words zsh's completion offers for the
# command line LINE (completed at its end) with the completion functions
# of DIR, one a line, sorted; run with zsh -f.
#
# An interactive zsh in a pseudo-terminal (zpty) types LINE and a TAB,
# bound to a widget that completes, then prints a marker and drops the
# line; compadd is wrapped so that every match it is given is also written
# to a file, one a line (what the terminal shows is redrawn, wrapped and
# escaped: only the marker is read from it, printed at the start of a
# line so that no wrapping cuts it).  The marker is typed split, "DO""NE",
# so that the terminal's echo of what was typed is not taken for it.
zmodload zsh/zpty || exit 2
matches=$(mktemp) || exit 2
zpty shell zsh -f -i
zpty -w shell "PROMPT= ; fpath=(${(q)1} \$fpath)"
zpty -w shell "autoload -Uz compinit; compinit -u -D"
zpty -w shell "ng_matches=${(q)matches}"
zpty -w shell 'compadd() { builtin compadd -O __ng_m "$@"; print -rl -- $__ng_m >>$ng_matches; builtin compadd "$@"; }'
zpty -w shell 'ng-complete() { zle complete-word; print -r -- $'"'"'\n<<DO'"'"'"NE>>"; zle send-break; }'
zpty -w shell "zle -N ng-complete; bindkey '^I' ng-complete; print RE''ADY"
zpty -r shell line '*READY*' || exit 2
zpty -n -w shell "$2"$'\t'
zpty -r shell line '*<<DONE>>*'
zpty -d shell
print -rl -- ${(ou)${(f)"$(<$matches)"}}
rm -f $matches
