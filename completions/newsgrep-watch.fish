# fish completion for newsgrep-watch.
# Installed as fish/vendor_completions.d/newsgrep-watch.fish.

set -l opt -c newsgrep-watch
set -l cmds add list rm run
# The names of the watches of the index --db names (or the default one).
function __newsgrep_watch_names
	set -l db (string replace -r -- '^--db=?' '' (commandline -opc | string match -r -- '^--db=.*'))
	newsgrep-watch (test -n "$db"; and echo --db=$db) list 2>/dev/null | string split -f1 \t
end
complete $opt -f
complete $opt -n "not __fish_seen_subcommand_from $cmds" -l db -x -a '(__fish_complete_directories)' -d 'the index'
complete $opt -n "not __fish_seen_subcommand_from $cmds" -s h -l help -d 'show the help'
complete $opt -n "not __fish_seen_subcommand_from $cmds" -s V -l version -d 'show the version'
complete $opt -n "not __fish_seen_subcommand_from $cmds" -a add -d 'add a watch of a query'
complete $opt -n "not __fish_seen_subcommand_from $cmds" -a list -d 'list the watches'
complete $opt -n "not __fish_seen_subcommand_from $cmds" -a rm -d 'remove a watch'
complete $opt -n "not __fish_seen_subcommand_from $cmds" -a run -d 'print what is new'
complete $opt -n "__fish_seen_subcommand_from rm run" -a '(__newsgrep_watch_names)'
complete $opt -n "__fish_seen_subcommand_from run" -s q -l quiet -d 'print nothing when nothing is new'
complete $opt -n "__fish_seen_subcommand_from run" -s n -l dry-run -d 'print what is new, record nothing'
complete $opt -n "__fish_seen_subcommand_from run" -l json -d 'JSON records'
complete $opt -n "__fish_seen_subcommand_from run" -l atom -x -a '(__fish_complete_directories)' -d 'keep an Atom feed per watch in DIR'
complete $opt -n "__fish_seen_subcommand_from run" -l atom-entries -x -d 'entries a feed holds (50)'
complete $opt -n "__fish_seen_subcommand_from add" -l since -x -a 'today yesterday 7d 2w 1m 1y' -d 'published on or after DATE'
complete $opt -n "__fish_seen_subcommand_from add" -l until -x -a 'today yesterday 7d 2w 1m 1y' -d 'published on or before DATE'
complete $opt -n "__fish_seen_subcommand_from add" -l like -r -F -d 'the story of this article (PATH or URL)'
complete $opt -n "__fish_seen_subcommand_from add" -s F -l fixed-strings -d 'the query is plain words'
complete $opt -n "__fish_seen_subcommand_from add" -s e -l exact -d 'no stemming'
complete $opt -n "__fish_seen_subcommand_from add" -l all-duplicates -d 'every article of a URL'
complete $opt -n "__fish_seen_subcommand_from add" -l changed -d 'deliver changed articles again'
complete $opt -n "__fish_seen_subcommand_from add" -l max-expansion -x -d 'words a wildcard stands for'
