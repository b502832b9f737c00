-- The shared name-form table now also joins doubled-vowel spellings and names one typo apart
-- (issue 16, fourth round): children's keyed name and blocking indexes are recomputed so children
-- recorded before it are found as triage candidates under the new keys (as 0017 did).
INSERT INTO job (kind, payload)
SELECT 'child-record.reindex-names', '{"after": null}'::jsonb
WHERE EXISTS (SELECT 1 FROM child WHERE identified);
