-- What an offer pays, as the agent saw it, on every pay model (#12, #16): the model of the rate card in force and, on
-- the hourly and hybrid models, the hourly rate (hourly: what an hour online and available pays; hybrid: the minimum an
-- hour online is guaranteed). pay_minor stays what resolving the conversation pays (0 on the hourly model).
ALTER TABLE offers
    ADD COLUMN pay_model text CHECK (pay_model IN ('per_resolution', 'hourly', 'hybrid')),
    ADD COLUMN pay_rate_per_hour_minor bigint CHECK (pay_rate_per_hour_minor > 0),
    ADD CONSTRAINT offers_pay_rate_with_time_model
        CHECK ((pay_rate_per_hour_minor IS NULL) = (pay_model IS NULL OR pay_model = 'per_resolution'));
