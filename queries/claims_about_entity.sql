-- Claims where an entity is subject or object, found by id, name or ANY alias (鴻海 = Hon Hai = Foxconn).
-- kb_normalize() is registered by the kb Datasette plugin: the same NFKC/case folding ingest used.
WITH target AS (
    SELECT id AS entity_id FROM entities WHERE id = :entity
    UNION SELECT id FROM entities WHERE name = :entity COLLATE NOCASE
    UNION SELECT entity_id FROM entity_aliases WHERE alias = :entity
    UNION SELECT entity_id FROM entity_aliases WHERE normalized = kb_normalize(:entity)
),
hits AS (
    SELECT id FROM claims WHERE subject_id IN (SELECT entity_id FROM target)
    UNION SELECT id FROM claims WHERE object_id IN (SELECT entity_id FROM target)
)
SELECT c.id AS claim_id, c.type, c.summary, s.name AS subject, o.name AS object, c.subject_id, c.object_id,
       c.amount_usd,
       c.modality, c.polarity, c.sources, c.first_seen, c.last_seen, c.conflicts
FROM hits JOIN claims c ON c.id = hits.id
LEFT JOIN entities s ON s.id = c.subject_id
LEFT JOIN entities o ON o.id = c.object_id
WHERE coalesce(c.review_status, '') != 'wrong'  -- claims an analyst marked wrong (kb review) are hidden
ORDER BY c.sources DESC, c.last_seen DESC, c.id
LIMIT 1000
