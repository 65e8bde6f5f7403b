-- One row per audit record, keyed by the record id. Columns hold what analysts
-- filter and group on; record keeps the whole record as it was read.
-- audit_topic, audit_partition and audit_offset say where the record was read
-- from the audit topic (not where its subject event was read: that is in
-- record->'subject').
create table audit_records (
    id text primary key,
    kind text not null,
    user_id text not null,
    event_id text not null,
    event_type text not null,
    action text,
    score double precision,
    level text,
    outcome text not null,
    challenge_id text,
    challenge text,
    policy_version text,
    occurred_at timestamptz not null,
    recorded_at timestamptz not null,
    reasons jsonb not null default '[]',
    record jsonb not null,
    audit_topic text not null,
    audit_partition integer not null,
    audit_offset bigint not null,
    projected_at timestamptz not null default now()
);

create index audit_records_user_id_occurred_at_idx on audit_records (user_id, occurred_at);
create index audit_records_occurred_at_idx on audit_records (occurred_at);

---- create above / drop below ----

drop table audit_records;
