-- Sign-in through the office's identity provider: a person is linked to the provider's account
-- ("<issuer> <sub>") the first time they sign in that way, and only that account signs them in after.
ALTER TABLE users ADD COLUMN oidc_subject text UNIQUE;
