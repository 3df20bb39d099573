#!/usr/bin/env bash
# Run the README's tour commands and print what each prints (stdout, stderr, exit code), so
# that a refactoring can be checked to leave the CLI's output byte-identical:
#   bash scripts/tour_snapshot.sh > before.txt; ...; bash scripts/tour_snapshot.sh > after.txt
#   cmp before.txt after.txt
set -u
out=$(mktemp -d)
export KG_CACHE_DIR=off
export PYTHONHASHSEED=0  # kg stats orders ties by set order
cd "$out" || exit 1
run() {
    echo "== kg $*"
    kg "$@" 2>&1
    echo "-- exit $?"
}
run validate
run stats
run trace miR-21 apoptosis
run trace miR-21 apoptosis --limit 2
run trace miR-21 apoptosis --format json
run trace miR-21 apoptosis --format tsv
run trace "MSC-derived exosomes" IVDD
run upstream NLRP3
run downstream miR-21 --format json
run conflicts
run conflicts --format json
run coverage
run sparql --list
run sparql --named table3 --format table
run sparql --named entity-evidence --param entity=miR-21 --format csv
run sparql 'SELECT ?label (COUNT(?a) AS ?n) WHERE { ?a a kg:Assertion ; rdf:subject ?s . ?s a kg:MicroRNA ; rdfs:label ?label } GROUP BY ?label ORDER BY DESC(?n) LIMIT 3'
for fmt in ttl nt tsv graphml nodelink jsonld; do
    run export --format "$fmt" --out "export.$fmt"
    echo "sha256 $(sha256sum < "export.$fmt" | cut -c1-16)"
done
run viz --out review.html
echo "sha256 $(sha256sum < review.html | cut -c1-16)"
run trace miR-21 apoptosis --html trace.html --limit 1
echo "sha256 $(sha256sum < trace.html | cut -c1-16)"
run predict miR-21=up --outcome apoptosis --html predict.html
echo "sha256 $(sha256sum < predict.html | cut -c1-16)"
run trace nosuchthing apoptosis
run validate /nonexistent.ttl
cd / && rm -rf "$out"
