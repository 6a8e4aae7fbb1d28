-- Syndication groups: one story republished by several outlets (counted as one source of its claims).
SELECT g.id AS group_id, g.members, round(g.similarity, 2) AS min_similarity,
       a.id AS article_id, a.title, s.outlet, a.published, m.is_canonical, round(m.similarity, 2) AS similarity,
       a.source_path
FROM syndication_groups g
JOIN syndication_members m ON m.group_id = g.id
JOIN articles a ON a.id = m.article_id
LEFT JOIN article_syndication s ON s.article_id = a.id
WHERE (:outlet = '' OR g.outlets LIKE '%' || :outlet || '%')
ORDER BY g.members DESC, g.id, m.is_canonical DESC, coalesce(a.published, a.ingested_at), a.source_key
LIMIT 500
