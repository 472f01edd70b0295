-- Demo schema for dbgate's tests, demo and benchmarks (MariaDB/MySQL).
--
-- Same rows as tests/data/demo-schema.sql; see that file for what the
-- made-up data looks like.  Times are UTC (DATETIME has no zone).
--
-- tests/lib/servers.sh loads this into database app.  Loading it again drops
-- and recreates both tables, which resets the data.

SET NAMES utf8mb4;

DROP TABLE IF EXISTS orders;
DROP TABLE IF EXISTS customers;

CREATE TABLE customers (
    id      INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name    VARCHAR(100) NOT NULL,
    email   VARCHAR(200) NOT NULL,
    ssn     VARCHAR(11),
    phone   VARCHAR(20),
    card    VARCHAR(25)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE orders (
    id          INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    customer_id INT NOT NULL,
    amount      DECIMAL(10,2) NOT NULL,
    status      VARCHAR(20) NOT NULL,
    created_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (customer_id) REFERENCES customers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO customers (id, name, email, ssn, phone, card) VALUES
    (1, 'Alice Example', 'alice.example@example.com', '914-14-1377', '+1-555-0101', '4242 4242 4242 4242'),
    (2, 'Bob Sample', 'bob.sample@example.com', '918-17-1754', '+1-555-0102', '4000 0566 5566 5556'),
    (3, 'Carol Placeholder', 'carol.placeholder@example.com', '922-20-2131', '+1-555-0103', '5555 5555 5555 4444'),
    (4, 'Dave Dummy', 'dave.dummy@example.com', '926-23-2508', '+1-555-0104', '2223 0031 2200 3222'),
    (5, 'Erin Fakename', 'erin.fakename@example.com', '930-26-2885', '+1-555-0105', '5200 8282 8282 8210'),
    (6, 'Frank Testman', 'frank.testman@example.com', '934-29-3262', '+1-555-0106', '5105 1051 0510 5100'),
    (7, 'Grace Mockup', 'grace.mockup@example.com', '938-32-3639', '+1-555-0107', '3782 822463 10005'),
    (8, 'Heidi Specimen', 'heidi.specimen@example.com', '942-35-4016', '+1-555-0108', '3714 496353 98431'),
    (9, 'Ivan Notreal', 'ivan.notreal@example.com', '946-38-4393', '+1-555-0109', '6011 1111 1111 1117'),
    (10, 'Judy Madeup', 'judy.madeup@example.com', '950-41-4770', '+1-555-0110', '6011 0009 9013 9424'),
    (11, 'Mallory Fictional', 'mallory.fictional@example.com', '954-44-5147', '+1-555-0111', '3056-9300-0902-0004'),
    (12, 'Niaj Pretend', 'niaj.pretend@example.com', '958-47-5524', '+1-555-0112', '3622-720627-1667'),
    (13, 'Olivia Invented', 'olivia.invented@example.com', '962-50-5901', '+1-555-0113', '3566-0020-2036-0505'),
    (14, 'Peggy Imaginary', 'peggy.imaginary@example.com', '966-53-6278', '+1-555-0114', '6200-0000-0000-0005'),
    (15, 'Rupert Testcase', 'rupert.testcase@example.com', '970-56-6655', '+1-555-0115', '4111-1111-1111-1111'),
    (16, 'Sybil Standin', 'sybil.standin@example.com', '974-59-7032', '+1-555-0116', '4012888888881881'),
    (17, 'Trent Fixture', 'trent.fixture@example.com', '978-62-7409', '+1-555-0117', '5454545454545454'),
    (18, 'Uma Lorem', 'uma.lorem@example.com', '982-65-7786', '+1-555-0118', '4000002500003155'),
    (19, 'Victor Ipsum', 'victor.ipsum@example.com', '986-68-8163', NULL, '4000000000003220'),
    (20, 'Zoë Façade', 'zoe.facade@example.com', '990-71-8540', '+1-555-0120', '4000000000000077');

INSERT INTO orders (id, customer_id, amount, status, created_at) VALUES
    (1, 8, 384.37, 'cancelled', '2024-01-04 10:13:00'),
    (2, 15, 263.74, 'paid', '2024-01-07 11:26:00'),
    (3, 2, 142.11, 'refunded', '2024-01-10 12:39:00'),
    (4, 9, 21.48, 'shipped', '2024-01-13 13:52:00'),
    (5, 16, 400.85, 'new', '2024-01-16 14:05:00'),
    (6, 3, 279.22, 'cancelled', '2024-01-19 15:18:00'),
    (7, 10, 158.59, 'paid', '2024-01-22 16:31:00'),
    (8, 17, 37.96, 'refunded', '2024-01-25 17:44:00'),
    (9, 4, 416.33, 'shipped', '2024-01-28 18:57:00'),
    (10, 11, 295.70, 'new', '2024-01-31 19:10:00'),
    (11, 18, 174.07, 'cancelled', '2024-02-03 20:23:00'),
    (12, 5, 53.44, 'paid', '2024-02-06 09:36:00'),
    (13, 12, 432.81, 'refunded', '2024-02-09 10:49:00'),
    (14, 19, 311.18, 'shipped', '2024-02-12 11:02:00'),
    (15, 6, 190.55, 'new', '2024-02-15 12:15:00'),
    (16, 13, 69.92, 'cancelled', '2024-02-18 13:28:00'),
    (17, 20, 448.29, 'paid', '2024-02-21 14:41:00'),
    (18, 7, 327.66, 'refunded', '2024-02-24 15:54:00'),
    (19, 14, 206.03, 'shipped', '2024-02-27 16:07:00'),
    (20, 1, 85.40, 'new', '2024-03-01 17:20:00'),
    (21, 8, 464.77, 'cancelled', '2024-03-04 18:33:00'),
    (22, 15, 343.14, 'paid', '2024-03-07 19:46:00'),
    (23, 2, 222.51, 'refunded', '2024-03-10 20:59:00'),
    (24, 9, 101.88, 'shipped', '2024-03-13 09:12:00'),
    (25, 16, 480.25, 'new', '2024-03-16 10:25:00'),
    (26, 3, 359.62, 'cancelled', '2024-03-19 11:38:00'),
    (27, 10, 238.99, 'paid', '2024-03-22 12:51:00'),
    (28, 17, 117.36, 'refunded', '2024-03-25 13:04:00'),
    (29, 4, 496.73, 'shipped', '2024-03-28 14:17:00'),
    (30, 11, 375.10, 'new', '2024-03-31 15:30:00'),
    (31, 18, 254.47, 'cancelled', '2024-04-03 16:43:00'),
    (32, 5, 133.84, 'paid', '2024-04-06 17:56:00'),
    (33, 12, 12.21, 'refunded', '2024-04-09 18:09:00'),
    (34, 19, 391.58, 'shipped', '2024-04-12 19:22:00'),
    (35, 6, 270.95, 'new', '2024-04-15 20:35:00'),
    (36, 13, 149.32, 'cancelled', '2024-04-18 09:48:00'),
    (37, 20, 28.69, 'paid', '2024-04-21 10:01:00'),
    (38, 7, 407.06, 'refunded', '2024-04-24 11:14:00'),
    (39, 14, 286.43, 'shipped', '2024-04-27 12:27:00'),
    (40, 1, 165.80, 'new', '2024-04-30 13:40:00'),
    (41, 8, 44.17, 'cancelled', '2024-05-03 14:53:00'),
    (42, 15, 423.54, 'paid', '2024-05-06 15:06:00'),
    (43, 2, 302.91, 'refunded', '2024-05-09 16:19:00'),
    (44, 9, 181.28, 'shipped', '2024-05-12 17:32:00'),
    (45, 16, 60.65, 'new', '2024-05-15 18:45:00'),
    (46, 3, 439.02, 'cancelled', '2024-05-18 19:58:00'),
    (47, 10, 318.39, 'paid', '2024-05-21 20:11:00'),
    (48, 17, 197.76, 'refunded', '2024-05-24 09:24:00'),
    (49, 4, 76.13, 'shipped', '2024-05-27 10:37:00'),
    (50, 11, 455.50, 'new', '2024-05-30 11:50:00');
