-- Places with coordinates (states, prefectures, cities…): shown on a map by datasette-cluster-map.
SELECT e.id AS entity_id, e.name, e.type, e.name_ja, e.usps, e.iso, e.mentions, e.claims, e.latitude, e.longitude
FROM entities e
WHERE e.latitude IS NOT NULL AND e.longitude IS NOT NULL
ORDER BY e.claims DESC, e.mentions DESC, e.name
LIMIT 2000
