# sets.sh - what the tests of sets of indexes share, sourced after lib.sh:
# the corpus split into three folders, and the queries a set must answer
# as one index of the same articles does.

# split_corpus DIR: the corpus in DIR/p1, DIR/p2 and DIR/p3; its two
# articles of one URL go to different folders ($DUP is one of them).
DUP=2023-07-07-announcing-public-preview-of-ip-firewall-in-dataverse.md
split_corpus() {
	mkdir -p "$1/p1" "$1/p2" "$1/p3"
	cp "$CORPUS"/ai/* "$1/p1/"
	cp "$CORPUS"/powerapps/* "$1/p2/" && mv "$1/p2/$DUP" "$1/p3/"
	cp "$CORPUS"/seeds/00[012]_* "$1/p2/"
	cp "$CORPUS"/seeds/00[34]_* "$1/p3/"
}

# Ranked queries without ties in their first ten, counted queries, facets.
set_ranked_queries=('sanctions GPU' 'chip' 'nvidia OR intel' 'power apps' 'dataverse firewall'
	'"artificial intelligence"' 'microsoft NOT copilot' 'title:ai')
set_count_queries=('*' ai chips dataverse 'date:2023' 'type:news OR gpu')
set_facets=(provider site topic type year month)

# The members of a set number their articles each its own way
# (sequence.c): --json's "arrival" and "change" are left out when a set's
# output is compared with one index's.
unnumbered() { sed -E 's/,"arrival":[0-9]+,"change":[0-9]+\}$/}/'; }
