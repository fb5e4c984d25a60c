# fish completion for newsgrep.
# Installed as fish/vendor_completions.d/newsgrep.fish.

# Whether the word being completed is a word of the query: options end at
# its first word (or after --), as newsgrep reads them.
function __newsgrep_in_query
    set -l words (commandline -opc)
    set -e words[1]
    set -l takes --db --since --until --sort -n --limit --offset --facet --format --color --colour --max-expansion
    while set -q words[1]
        switch $words[1]
            case --
                return 0
            case '-?*'
                if contains -- $words[1] $takes
                    set -q words[2]; or return 1 # its value
                    set -e words[1]
                end
            case '*'
                return 0
        end
        set -e words[1]
    end
    not string match -q -- '-*' (commandline -ct)
end

# A word of the query: the fields (core/qparse.c), after a '-' that
# excludes, too.
function __newsgrep_fields
    set -l minus ''
    string match -q -- '-*' (commandline -ct); and set minus -
    for f in title: excerpt: related: provider: site: topic: type: url: date: path: folder:
        echo $minus$f
    end
end

complete -c newsgrep -f
complete -c newsgrep -n __newsgrep_in_query -a '(__newsgrep_fields)'

set -l opt -c newsgrep -n 'not __newsgrep_in_query'
complete $opt -l db -x -a '(__fish_complete_directories)' -d 'the index'
complete $opt -l since -x -a 'today yesterday 7d 2w 3m 1y' -d 'published on or after DATE'
complete $opt -l until -x -a 'today yesterday 7d 2w 3m 1y' -d 'published on or before DATE'
complete $opt -l sort -x -a 'relevance newest oldest' -d 'the order of the hits'
complete $opt -l boost-recent -d 'in relevance order, favour fresher articles'
complete $opt -l exact -d 'no stemming'
complete $opt -l no-stem -d 'no stemming'
complete $opt -l all-duplicates -d 'every file of an article, not one per URL'
complete $opt -l like -r -F -d 'the articles most like one: its file or URL'
complete $opt -l group -x -a 'provider site' -d 'one hit per provider or site'
complete $opt -l require-all -d 'an index of the set that cannot be reached is an error'
complete $opt -s n -l limit -x -d 'show N articles'
complete $opt -l offset -x -d 'skip the first N'
complete $opt -l json -d 'one JSON object per article per line'
complete $opt -s l -l files-with-matches -d 'only the paths of the files'
complete $opt -s 0 -l null -d 'end each path with NUL'
complete $opt -s c -l count -d 'the number of matching articles'
complete $opt -l facet -x -a '(__fish_complete_list , "string split \' \' -- provider site topic type year month")' -d 'counts per field'
complete $opt -l format -x -a atom -d 'a template for each article, or atom for a feed'
complete $opt -l color -l colour -x -a 'auto always never' -d 'when to colour'
complete $opt -l max-expansion -x -d 'words a wildcard may stand for'
complete $opt -l explain -d 'show how the query is understood'
complete $opt -s F -l fixed-strings -d 'the query is plain words, no operators'
complete $opt -s f -l file -r -F -d 'read the query from FILE (- for standard input)'
complete $opt -l show -r -F -d 'one article in full, by its path or URL'
complete $opt -s h -l help -d 'show the help'
complete $opt -s V -l version -d 'show the version'
