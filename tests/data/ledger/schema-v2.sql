-- A ledger of schema version 2 (issue 13's reasons, before reminders), as
-- leaselinectl wrote it: a payment, its reversal, a suspension (misuse), a
-- non-renewal notice and a termination (transit).  test_ledger migrates it.
CREATE TABLE transitions ( id INTEGER PRIMARY KEY, contract TEXT NOT NULL CHECK (contract <> ''), day INTEGER NOT NULL, what TEXT NOT NULL CHECK (what <> ''), from_state INTEGER NOT NULL, to_state INTEGER NOT NULL, recorded_at INTEGER NOT NULL, key TEXT UNIQUE);
CREATE TABLE outbox ( id INTEGER PRIMARY KEY, contract TEXT NOT NULL, notification TEXT NOT NULL, day INTEGER NOT NULL, payload TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL, sent_at INTEGER, key TEXT NOT NULL UNIQUE);
CREATE TABLE meta ( name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE entries ( id INTEGER PRIMARY KEY, kind INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 6), contract TEXT NOT NULL CHECK (typeof(contract) = 'text'  AND contract <> ''), day INTEGER NOT NULL CHECK (typeof(day) = 'integer'  AND day BETWEEN -2147483647 AND 2147483647), amount INTEGER NOT NULL DEFAULT 0 CHECK (typeof(amount) = 'integer'  AND amount >= 0), reverses INTEGER REFERENCES entries(id), reason INTEGER NOT NULL DEFAULT 0, note TEXT NOT NULL DEFAULT '' CHECK (typeof(note) = 'text'), recorded_at INTEGER NOT NULL CHECK (typeof(recorded_at) = 'integer'), CHECK ((kind = 1) = (amount > 0)), CHECK ((kind = 2) = (reverses IS NOT NULL)), CHECK (CASE WHEN kind IN (3, 5) THEN reason BETWEEN 1 AND 7  ELSE reason = 0 END));
INSERT INTO entries VALUES(1,1,'JSCZE2208138CGN00',19362,100000,NULL,0,'',1796213478);
INSERT INTO entries VALUES(2,2,'JSCZE2208138CGN00',19398,0,1,0,'typo',1796213478);
INSERT INTO entries VALUES(3,3,'JSCZE2208138CGN00',19389,0,NULL,7,'6.3 letter',1796213478);
INSERT INTO entries VALUES(4,6,'JSCZE2208138CGN00',19390,0,NULL,0,'written notice',1796213478);
INSERT INTO entries VALUES(5,5,'JSCZE2208138CGN00',19393,0,NULL,6,'3.1.11',1796213481);
CREATE INDEX transitions_by_contract ON transitions(contract, day, id);
CREATE INDEX outbox_unsent ON outbox(id) WHERE sent_at IS NULL;
CREATE INDEX outbox_by_contract ON outbox(contract, day, id);
CREATE INDEX entries_by_contract ON entries(contract, day, id);
CREATE UNIQUE INDEX entries_reversed_once ON entries(reverses) WHERE reverses IS NOT NULL;
CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries BEGIN SELECT RAISE(ABORT, 'ledger entries are never changed: record a reversal'); END;
CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries BEGIN SELECT RAISE(ABORT, 'ledger entries are never changed: record a reversal'); END;
CREATE TRIGGER entries_reversal_target BEFORE INSERT ON entries WHEN NEW.kind = 2 AND NOT EXISTS (SELECT 1 FROM entries  WHERE id = NEW.reverses AND kind = 1 AND contract = NEW.contract) BEGIN SELECT RAISE(ABORT, 'a reversal cancels a payment of the same contract'); END;
PRAGMA application_id = 1280066884;
PRAGMA user_version = 2;
