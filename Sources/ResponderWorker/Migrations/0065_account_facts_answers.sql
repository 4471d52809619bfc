-- 0065: account facts the AI answers more questions from (upstream systems fill them; `conciergectl seed` fills a demo
-- population). All three are optional: NULL means "not known" and the answer says nothing about it.
--   payments.next_retry_on       a failed collection: the day of the next automatic attempt (NULL: none scheduled)
--   purchases.cancelled_on       a cancelled order (status 'cancelled'): the day it was cancelled
--   instalments.original_due_on  an instalment whose due date was moved: the due date it had before (NULL: never
--                                moved); the responder's due-date rules allow one move per instalment
ALTER TABLE payments ADD COLUMN next_retry_on date;
ALTER TABLE purchases ADD COLUMN cancelled_on date;
ALTER TABLE instalments ADD COLUMN original_due_on date;
