# zsh_complete.zsh DIR LINE: the words zsh's completion offers for the
# command line LINE (completed at its end) with the completion functions
# of DIR, one a line, sorted; run with zsh -f.
#
# An interactive zsh in a pseudo-terminal (zpty) types LINE and a TAB,
# bound to a widget that completes, then prints a marker and drops the
# line; compadd is wrapped so that every match it is given is printed
# between < and > too.  (The markers are typed split, "RE""ADY", so that
# the terminal's echo of what was typed is not taken for them.)
zmodload zsh/zpty || exit 2
zpty shell zsh -f -i
zpty -w shell "PROMPT= ; fpath=(${(q)1} \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w shell 'compadd() { builtin compadd -O __ng_m "$@"; local m; for m in $__ng_m; do print -r -- "<$m>"; done; builtin compadd "$@"; }'
zpty -w shell 'ng-complete() { zle complete-word; print -r -- "<<DO""NE>>"; zle send-break; }'
zpty -w shell "zle -N ng-complete; bindkey '^I' ng-complete; print RE''ADY"
zpty -r shell line '*READY*' || exit 2
zpty -n -w shell "$2"$'\t'
matches=()
while zpty -r shell line; do
	[[ $line == *'<<DONE>>'* ]] && break
	[[ $line == *'<'*'>'* ]] && matches+=("${${line#*<}%>*}")
done
zpty -d shell
print -rl -- ${(ou)matches}
