-- Entities ranked by PageRank in the claim graph (entity_metrics is written by the graph module).
SELECT e.id AS entity_id, e.name, e.type, m.pagerank, m.degree, m.weighted_degree, m.betweenness,
       m.community, e.mentions, e.claims
FROM entity_metrics m
JOIN entities e ON e.id = m.entity_id
WHERE (:type = '' OR e.type = :type)
ORDER BY m.pagerank DESC, e.name
LIMIT 200
