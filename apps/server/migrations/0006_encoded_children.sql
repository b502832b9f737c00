-- Privacy-preserving referrals: a child not identified by name may carry Bloom-filter encodings
-- made by the referring agency. Encodings are still personal information: encrypted at rest.
ALTER TABLE child ADD COLUMN encoded_enc text;
CREATE INDEX child_encoded_idx ON child (created_at) WHERE encoded_enc IS NOT NULL;
