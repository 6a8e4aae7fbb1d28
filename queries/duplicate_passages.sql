-- Passages dropped as repeats (within an article or of an earlier article), with their first copy.
SELECT a.title AS article, a.published, p.idx, p.duplicate_kind, substr(p.text, 1, 200) AS text,
       p.article_id, oa.title AS first_copy_in, o.article_id AS first_copy_article_id, p.duplicate_of
FROM passages p
JOIN articles a ON a.id = p.article_id
LEFT JOIN passages o ON o.id = p.duplicate_of
LEFT JOIN articles oa ON oa.id = o.article_id
WHERE p.duplicate_of > ''  -- same as IS NOT NULL for ids, and uses idx_passages_dup
ORDER BY a.published DESC, p.article_id, p.idx
LIMIT 1000
