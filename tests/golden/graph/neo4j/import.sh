#!/bin/sh
# Bulk-import this folder into the Neo4j 5 database 'neo4j' (stop it first; the import needs an
# empty database: add --overwrite-destination to replace one).
set -e
cd "$(dirname "$0")"
neo4j-admin database import full --nodes=Entity=nodes.csv --relationships=relationships.csv --multiline-fields=true neo4j
