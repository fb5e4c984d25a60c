# fish completion for newsgrep-index.
# Installed as fish/vendor_completions.d/newsgrep-index.fish.

set -l opt -c newsgrep-index
complete $opt -l db -x -a '(__fish_complete_directories)' -d 'the index'
complete $opt -l rebuild -d 'build the index afresh, then swap it in'
complete $opt -l forget -x -a '(__fish_complete_directories)' -d 'drop a folder from the index'
complete $opt -l compact -d 'copy the index into a compact one'
complete $opt -l status -d 'show the index and its folders'
complete $opt -l check -d 'check the index for damage'
complete $opt -l wait -d 'wait for another newsgrep-index to finish'
complete $opt -l batch -x -d 'commit every N changes'
complete $opt -l memory -x -d 'commit at about MIB mebibytes of changes'
complete $opt -s j -l jobs -x -d 'threads that write a new index'
complete $opt -l follow -d 'follow symbolic links to folders'
complete $opt -l shard -x -d 'index only shard K of N of the archive'
complete $opt -s q -l quiet -d 'print nothing unless something is wrong'
complete $opt -s h -l help -d 'show the help'
complete $opt -s V -l version -d 'show the version'
