-- Entities most often mentioned in the same passage as a given entity (any alias).
WITH target AS (
    SELECT id AS entity_id FROM entities WHERE id = :entity
    UNION SELECT id FROM entities WHERE name = :entity COLLATE NOCASE
    UNION SELECT entity_id FROM entity_aliases WHERE alias = :entity
    UNION SELECT entity_id FROM entity_aliases WHERE normalized = kb_normalize(:entity)
),
own AS (
    -- The latest 20,000 mentions: exact for all but the most mentioned entities, and always fast.
    SELECT passage_id FROM mentions WHERE entity_id IN (SELECT entity_id FROM target)
    ORDER BY rowid DESC LIMIT 20000
),
co AS (
    SELECT m.entity_id, count(DISTINCT m.passage_id) AS passages, count(DISTINCT m.article_id) AS articles
    FROM own JOIN mentions m ON m.passage_id = own.passage_id
    WHERE m.entity_id NOT IN (SELECT entity_id FROM target)
    GROUP BY m.entity_id
    ORDER BY passages DESC, articles DESC
    LIMIT 100
)
SELECT e.id AS entity_id, e.name, e.type, co.passages, co.articles
FROM co JOIN entities e ON e.id = co.entity_id
ORDER BY co.passages DESC, co.articles DESC, e.name
