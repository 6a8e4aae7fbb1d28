-- Claims in the order they first appeared, optionally only those about one entity (any alias).
WITH target AS (
    SELECT id AS entity_id FROM entities WHERE id = :entity
    UNION SELECT id FROM entities WHERE name = :entity COLLATE NOCASE
    UNION SELECT entity_id FROM entity_aliases WHERE alias = :entity
    UNION SELECT entity_id FROM entity_aliases WHERE normalized = kb_normalize(:entity)
)
SELECT c.first_seen, c.last_seen, c.id AS claim_id, c.type, c.summary, s.name AS subject,
       o.name AS object, c.modality, c.polarity, c.sources
FROM claims c
LEFT JOIN entities s ON s.id = c.subject_id
LEFT JOIN entities o ON o.id = c.object_id
WHERE c.first_seen IS NOT NULL
  AND coalesce(c.review_status, '') != 'wrong'
  AND (:entity = '' OR c.subject_id IN (SELECT entity_id FROM target)
       OR c.object_id IN (SELECT entity_id FROM target))
ORDER BY c.first_seen, c.last_seen, c.id
LIMIT 1000
