-- The name matcher changed (one normaliser, phonetic key and name-form table for blocking, the
-- engine and the encoder): children's keyed name and blocking indexes are recomputed. They are
-- keyed hashes only the application can make, so this queues a background job that re-indexes
-- identified children in batches, each batch queueing the next.
INSERT INTO job (kind, payload)
SELECT 'child-record.reindex-names', '{"after": null}'::jsonb
WHERE EXISTS (SELECT 1 FROM child WHERE identified);
