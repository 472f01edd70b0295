-- Masking fixture for tests/bats/80-mask.bats (MariaDB), loaded as root into
-- its own database (masktest).  Same rows as tests/data/mask-pg.sql; see
-- that file for how the values were chosen.

SET NAMES utf8mb4;

CREATE TABLE customers (
    id      INT NOT NULL PRIMARY KEY,
    name    VARCHAR(50) NOT NULL,
    email   VARCHAR(100),
    ssn     VARCHAR(20),
    phone   VARCHAR(30),
    card    VARCHAR(30),
    notes   TEXT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

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

CREATE TABLE detector_samples (
    id      INT NOT NULL PRIMARY KEY,
    kind    VARCHAR(20) NOT NULL,
    sample  VARCHAR(100) NOT NULL,
    n       BIGINT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

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

CREATE TABLE notes (
    id      INT NOT NULL PRIMARY KEY,
    body    TEXT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO notes VALUES (1, 'first note');

CREATE VIEW customer_contacts AS
    SELECT id, name, email, ssn, phone, card FROM customers;

-- A stored function returning a masked column: MariaDB reports no origin
-- for its result at all.
CREATE FUNCTION get_email(p INT) RETURNS VARCHAR(100)
    READS SQL DATA
    RETURN (SELECT email FROM customers WHERE id = p);

-- Engine-independent statistics keep raw minimum and maximum values.
ANALYZE TABLE customers PERSISTENT FOR ALL;
