-- Masking fixture for tests/bats/80-mask.bats (PostgreSQL), loaded as role
-- app into its own database (masktest), so the demo schema in app stays as
-- the other tests expect it.  tests/data/mask-mariadb.sql holds the same
-- rows for MariaDB.
--
-- Every value is made up and chosen to be unlikely anywhere else, in any
-- form the tests scan for (raw, digits only, reversed, hex, base64): SSNs
-- in valid-looking ranges (so the SSN detector may fire on them), Luhn-valid
-- card numbers written with spaces, dashes and as plain digits, phones in
-- the 555-01xx range, e-mail addresses under .example.  The tests read the
-- sensitive values back from the table, so this file is their one source.
--
-- customers.notes holds one or two values for each detector; the same
-- values, and near misses that no detector may touch, are rows of
-- detector_samples (80-mask.bats checks that the two agree).

SET client_min_messages = warning;

CREATE TABLE customers (
    id      integer PRIMARY KEY,
    name    text NOT NULL,
    email   text,
    ssn     text,
    phone   text,
    card    text,
    notes   text
);

INSERT INTO customers (id, name, email, ssn, phone, card, notes) VALUES
    (1, 'alice', 'quill.harrowgate@maskfixture.example', '287-41-9063',
     '+1-206-555-0173', '4539 1488 0343 6467',
     'please write to zed.riverton@detectfixture.example after five'),
    (2, 'bob', 'tamsin.oakhurst@oakmail.example', '518-26-3970',
     '+1 (312) 555-0148', '5425-2334-3010-9903',
     'card on file 4929 7612 0583 4416, iban DE82 3704 0044 0532 0139 99'),
    (3, 'carol', 'pbx.wendlebury@carolmail.example', '346-72-1858',
     '+1-415-555-0192', '4916338506082832',
     'ssn 412-68-2057 and key AKIAZ7QH3MRT5XWL2NEB'),
    (4, 'dora', 'dora.lookup@lookup.example', '603-19-4725',
     '(617) 555-0125', '3759 876543 21004',
     'call +1 646 555 0139 tomorrow');

-- What the detectors must find (kind not near-*) and must leave alone.
CREATE TABLE detector_samples (
    id      integer PRIMARY KEY,
    kind    text NOT NULL,
    sample  text NOT NULL,
    n       bigint
);

INSERT INTO detector_samples (id, kind, sample, n) VALUES
    (1, 'email', 'zed.riverton@detectfixture.example', NULL),
    (2, 'card', '4929 7612 0583 4416', NULL),
    (3, 'iban', 'DE82 3704 0044 0532 0139 99', NULL),
    (4, 'ssn', '412-68-2057', NULL),
    (5, 'secret', 'AKIAZ7QH3MRT5XWL2NEB', NULL),
    (6, 'phone', '+1 646 555 0139', NULL),
    (11, 'near-luhn', '4929 7612 0583 4417', 377204118),
    (12, 'near-order', 'order 482917365', 4012888888881881),
    (13, 'near-date', '2024-03-15', 20240315),
    (14, 'near-version', 'version 10.11.6', 101106),
    (15, 'near-iban', 'GB82 WEST 1234 5698 7654 33', NULL);

-- A plain table to copy into (INSERT ... SELECT must not fill it).
CREATE TABLE notes (
    id      integer PRIMARY KEY,
    body    text
);
INSERT INTO notes VALUES (1, 'first note');

-- A view, a materialized view, a partition and an inheritance child: each
-- carries the rules of what it is built on.
CREATE VIEW customer_contacts AS
    SELECT id, name, email, ssn, phone, card FROM customers;

CREATE MATERIALIZED VIEW customer_mv AS
    SELECT id, name, email, ssn, phone, card FROM customers;

CREATE TABLE accounts (
    id      integer NOT NULL,
    name    text,
    email   text,
    ssn     text,
    phone   text,
    card    text
) PARTITION BY RANGE (id);
CREATE TABLE accounts_p1 PARTITION OF accounts FOR VALUES FROM (1) TO (1000);
INSERT INTO accounts SELECT id, name, email, ssn, phone, card FROM customers;

CREATE TABLE legacy (
    id      integer,
    name    text,
    email   text,
    ssn     text,
    phone   text,
    card    text
);
CREATE TABLE legacy_child () INHERITS (legacy);
INSERT INTO legacy_child SELECT id, name, email, ssn, phone, card FROM customers;

-- A function that returns a masked column, and two that put their argument
-- into a notice and into an error (primary message, DETAIL and HINT).
CREATE FUNCTION get_email(integer) RETURNS text
    LANGUAGE sql STABLE
    AS $$ SELECT email FROM customers WHERE id = $1 $$;

CREATE FUNCTION noisy(text) RETURNS integer
    LANGUAGE plpgsql
    AS $$ BEGIN RAISE NOTICE 'noisy "%" %', $1, $1; RETURN 1; END $$;

CREATE FUNCTION loud(text) RETURNS integer
    LANGUAGE plpgsql
    AS $$ BEGIN
        RAISE EXCEPTION 'loud "%"', $1
            USING DETAIL = 'detail ' || $1, HINT = 'hint ' || $1;
    END $$;

-- Statistics that hold raw values: pg_stats (histogram_bounds) and
-- pg_stats_ext (most_common_vals).
CREATE STATISTICS customers_mcv (mcv) ON email, ssn FROM customers;
ANALYZE customers;
ANALYZE accounts;
