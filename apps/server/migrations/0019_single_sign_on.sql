-- Single sign-on with an organisation's identity provider (OpenID Connect; issue 19).
--
-- Which account at an identity provider is which Tiaki account: the provider's issuer and its
-- subject (`sub`, the provider's stable id for the person). Linked the first time by the verified
-- email address matching an account of the provider's organisation, then by issuer and subject
-- only. A person has at most one account at each provider. Roles are never taken from the
-- provider: they are granted in Tiaki.
CREATE TABLE sso_identity (
  issuer text NOT NULL,
  subject text NOT NULL,
  user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  linked_at timestamptz NOT NULL DEFAULT now(),
  last_sign_in_at timestamptz,
  PRIMARY KEY (issuer, subject)
);
CREATE UNIQUE INDEX sso_identity_user_issuer_key ON sso_identity (user_id, issuer);

-- A sign-in sent to an identity provider and not yet back: its state, nonce and PKCE verifier.
-- Keyed by the SHA-256 of a random value in a short-lived cookie of the browser that started it,
-- so the answer is accepted only in that browser, once (the row is deleted when it is used), and
-- only for ten minutes.
CREATE TABLE sso_pending_sign_in (
  id text PRIMARY KEY,
  provider text NOT NULL,
  state text NOT NULL,
  nonce text NOT NULL,
  code_verifier text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sso_pending_sign_in_expiry_idx ON sso_pending_sign_in (expires_at);
