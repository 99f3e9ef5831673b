use rusqlite::Connection;

use crate::error::ServerError;

/// Each entry moves the schema one version up; `PRAGMA user_version` says where a file is.
/// Never edit a released entry: add a new one.
const MIGRATIONS: &[&str] = &[
    // 1: accounts, the registry, documents and the audit trail.
    r#"
CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('coordinator_office', 'care_service', 'housing_company')),
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE people (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    login TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role TEXT NOT NULL CHECK (role IN ('coordinator', 'service_admin', 'carer', 'volunteer', 'housing_staff')),
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX people_org ON people(org_id);
CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people(id),
    name TEXT NOT NULL,
    enrolled_at INTEGER NOT NULL,
    last_seen_at INTEGER,
    revoked_at INTEGER
);
CREATE INDEX devices_person ON devices(person_id);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    device_id TEXT NOT NULL REFERENCES devices(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX sessions_device ON sessions(device_id);
CREATE TABLE safe_models (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    definition TEXT NOT NULL
);
CREATE TABLE buildings (
    id TEXT PRIMARY KEY,
    street TEXT NOT NULL,
    numbers TEXT NOT NULL,
    postcode TEXT NOT NULL,
    city TEXT NOT NULL,
    district TEXT NOT NULL,
    apartments INTEGER NOT NULL CHECK (apartments >= 0),
    owner_org_id TEXT NOT NULL REFERENCES organisations(id)
);
CREATE TABLE safes (
    id TEXT PRIMARY KEY,
    building_id TEXT NOT NULL REFERENCES buildings(id),
    model_id TEXT NOT NULL REFERENCES safe_models(id),
    placement TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('requested', 'installed', 'active', 'defect', 'removed')),
    installed_on TEXT
);
CREATE INDEX safes_building ON safes(building_id);
CREATE TABLE codes (
    id TEXT PRIMARY KEY,
    safe_id TEXT NOT NULL REFERENCES safes(id),
    sealed_value BLOB NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'current', 'previous', 'retired')),
    created_at INTEGER NOT NULL,
    activated_at INTEGER,
    retired_at INTEGER
);
CREATE UNIQUE INDEX codes_one_current ON codes(safe_id) WHERE state = 'current';
CREATE INDEX codes_safe ON codes(safe_id, state);
CREATE TABLE service_activity (
    service_id TEXT NOT NULL REFERENCES organisations(id),
    building_id TEXT NOT NULL REFERENCES buildings(id),
    since TEXT NOT NULL,
    confirmed_on TEXT,
    PRIMARY KEY (service_id, building_id)
);
CREATE TABLE scope_docs (
    service_id TEXT PRIMARY KEY REFERENCES organisations(id),
    epoch INTEGER NOT NULL,
    sealed_doc BLOB NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE TABLE device_docs (
    device_id TEXT PRIMARY KEY REFERENCES devices(id),
    sealed_doc BLOB NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE TABLE sync_states (
    device_id TEXT NOT NULL REFERENCES devices(id),
    doc_id TEXT NOT NULL,
    state BLOB NOT NULL,
    PRIMARY KEY (device_id, doc_id)
);
CREATE TABLE audit_events (
    id TEXT PRIMARY KEY,
    at INTEGER NOT NULL,
    recorded_at INTEGER NOT NULL,
    person_id TEXT REFERENCES people(id),
    device_id TEXT REFERENCES devices(id),
    kind TEXT NOT NULL,
    safe_id TEXT REFERENCES safes(id),
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_at ON audit_events(at);
"#,
    // 2: the code lifecycle: campaigns in waves, volunteer rounds, what volunteers recorded on
    // site, repairs asked of housing companies, and the coordinator's settings.
    r#"
ALTER TABLE safes ADD COLUMN leak_reported_on TEXT;
CREATE TABLE coordinator_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    quarantine_days INTEGER NOT NULL DEFAULT 30 CHECK (quarantine_days BETWEEN 0 AND 365),
    max_round_size INTEGER NOT NULL DEFAULT 12 CHECK (max_round_size BETWEEN 1 AND 500),
    reserve_per_model INTEGER NOT NULL DEFAULT 2 CHECK (reserve_per_model BETWEEN 0 AND 100)
);
INSERT INTO coordinator_settings (id) VALUES (1);
CREATE TABLE closing_days (
    day TEXT PRIMARY KEY,
    label TEXT NOT NULL DEFAULT ''
);
CREATE TABLE campaigns (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('rotation', 'urgent')),
    created_by TEXT NOT NULL REFERENCES people(id),
    created_at INTEGER NOT NULL,
    selection TEXT NOT NULL,
    due_on TEXT
);
CREATE TABLE rounds (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    name TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    district TEXT NOT NULL,
    wave INTEGER NOT NULL,
    volunteer_id TEXT REFERENCES people(id),
    assigned_at INTEGER,
    UNIQUE (campaign_id, ordinal)
);
CREATE INDEX rounds_volunteer ON rounds(volunteer_id);
CREATE TABLE round_assignees (
    round_id TEXT NOT NULL REFERENCES rounds(id),
    person_id TEXT NOT NULL REFERENCES people(id),
    assigned_at INTEGER NOT NULL,
    PRIMARY KEY (round_id, person_id)
);
CREATE TABLE campaign_items (
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    safe_id TEXT NOT NULL REFERENCES safes(id),
    round_id TEXT REFERENCES rounds(id),
    route_order INTEGER NOT NULL DEFAULT 0,
    pending_code_id TEXT REFERENCES codes(id),
    wave INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('waiting', 'open', 'done', 'failed', 'cancelled')),
    resolved_at INTEGER,
    PRIMARY KEY (campaign_id, safe_id),
    CHECK ((status = 'waiting') = (pending_code_id IS NULL))
);
CREATE INDEX campaign_items_round ON campaign_items(round_id);
CREATE UNIQUE INDEX campaign_items_one_live ON campaign_items(safe_id)
    WHERE status IN ('waiting', 'open', 'failed');
CREATE TABLE change_records (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL,
    safe_id TEXT NOT NULL REFERENCES safes(id),
    volunteer_id TEXT NOT NULL REFERENCES people(id),
    device_id TEXT NOT NULL REFERENCES devices(id),
    outcome TEXT NOT NULL CHECK (outcome IN ('set', 'failed')),
    reason TEXT CHECK (reason IN ('broken', 'key_missing', 'no_access', 'other')),
    note TEXT NOT NULL DEFAULT '',
    at INTEGER NOT NULL,
    recorded_at INTEGER NOT NULL,
    FOREIGN KEY (campaign_id, safe_id) REFERENCES campaign_items(campaign_id, safe_id),
    CHECK ((outcome = 'set') = (reason IS NULL))
);
CREATE INDEX change_records_item ON change_records(campaign_id, safe_id);
CREATE TABLE repair_items (
    id TEXT PRIMARY KEY,
    safe_id TEXT NOT NULL REFERENCES safes(id),
    owner_org_id TEXT NOT NULL REFERENCES organisations(id),
    reason TEXT NOT NULL CHECK (reason IN ('broken', 'key_missing')),
    note TEXT NOT NULL DEFAULT '',
    record_id TEXT REFERENCES change_records(id),
    created_at INTEGER NOT NULL,
    resolved_at INTEGER
);
CREATE UNIQUE INDEX repair_items_one_open ON repair_items(safe_id, reason) WHERE resolved_at IS NULL;
CREATE INDEX repair_items_owner ON repair_items(owner_org_id);
CREATE TABLE rounds_docs (
    person_id TEXT PRIMARY KEY REFERENCES people(id),
    epoch INTEGER NOT NULL,
    sealed_doc BLOB NOT NULL,
    updated_at INTEGER NOT NULL
);
"#,
    // 3: the device settings become the coordinator's (NULL: the server configuration's).
    // Named apart from the scope document's fields, whose names must never appear in the
    // database file (they would mean an unsealed document: see tests/it/http_edges.rs).
    r#"
ALTER TABLE coordinator_settings ADD COLUMN device_grace_period_days INTEGER CHECK (device_grace_period_days BETWEEN 0 AND 90);
ALTER TABLE coordinator_settings ADD COLUMN device_lock_after_secs INTEGER CHECK (device_lock_after_secs BETWEEN 30 AND 3600);
ALTER TABLE coordinator_settings ADD COLUMN device_lease_hours INTEGER CHECK (device_lease_hours BETWEEN 12 AND 720);
"#,
    // 4: bearer tokens rotate at every sync (a successor stays pending until its first use,
    // which supersedes the token before it), sessions end at a fixed time, and a volunteer
    // holds a limited number of rounds at once.
    r#"
ALTER TABLE sessions ADD COLUMN predecessor TEXT;
ALTER TABLE sessions ADD COLUMN first_used_at INTEGER;
ALTER TABLE sessions ADD COLUMN superseded_at INTEGER;
UPDATE sessions SET first_used_at = created_at;
CREATE INDEX sessions_predecessor ON sessions(predecessor);
ALTER TABLE coordinator_settings ADD COLUMN max_rounds_per_volunteer INTEGER NOT NULL DEFAULT 2 CHECK (max_rounds_per_volunteer BETWEEN 1 AND 50);
"#,
    // 5: a real city's registry and people: organisations with a contact and a deactivation,
    // people invited with one-time activation codes (no password until they choose one: the
    // hash is empty), access until a date, registry edits in the audit trail by building and
    // organisation, and where the data came from (the demo may only reuse its own database).
    // Before this version only the demo and the bench seed could fill a database, so one that
    // holds organisations already is the demo's.
    r#"
ALTER TABLE organisations ADD COLUMN contact_person TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN deactivated_at INTEGER;
ALTER TABLE people ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN valid_until TEXT;
CREATE TABLE invitations (
    code_hash TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people(id),
    created_by TEXT REFERENCES people(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    withdrawn_at INTEGER
);
CREATE INDEX invitations_person ON invitations(person_id);
ALTER TABLE audit_events ADD COLUMN building_id TEXT REFERENCES buildings(id);
ALTER TABLE audit_events ADD COLUMN org_id TEXT REFERENCES organisations(id);
ALTER TABLE audit_events ADD COLUMN subject_id TEXT REFERENCES people(id);
CREATE INDEX audit_building ON audit_events(building_id) WHERE building_id IS NOT NULL;
CREATE TABLE server_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO server_meta (key, value) SELECT 'origin', 'demo' WHERE EXISTS (SELECT 1 FROM organisations);
"#,
    // 6: the six-monthly confirmation: a round snapshots every (service, building) activity
    // when it opens; each gets an answer, or lapses at the deadline. And the app version a
    // device last synced with.
    r#"
CREATE TABLE confirmation_rounds (
    id TEXT PRIMARY KEY,
    opened_by TEXT NOT NULL REFERENCES people(id),
    opened_at INTEGER NOT NULL,
    deadline TEXT NOT NULL,
    unconfirmed TEXT NOT NULL CHECK (unconfirmed IN ('keep', 'remove')),
    closed_at INTEGER
);
CREATE UNIQUE INDEX confirmation_rounds_one_open ON confirmation_rounds((closed_at IS NULL)) WHERE closed_at IS NULL;
CREATE TABLE confirmation_items (
    round_id TEXT NOT NULL REFERENCES confirmation_rounds(id),
    service_id TEXT NOT NULL REFERENCES organisations(id),
    building_id TEXT NOT NULL REFERENCES buildings(id),
    decision TEXT CHECK (decision IN ('confirmed', 'removed', 'lapsed')),
    decided_by TEXT REFERENCES people(id),
    decided_at INTEGER,
    PRIMARY KEY (round_id, service_id, building_id)
);
CREATE INDEX confirmation_items_service ON confirmation_items(service_id, round_id);
ALTER TABLE devices ADD COLUMN app_version TEXT;
"#,
    // 7: requests for new safes, from the request through the review to the installation.
    r#"
CREATE TABLE safe_requests (
    id TEXT PRIMARY KEY,
    building_id TEXT REFERENCES buildings(id),
    street TEXT NOT NULL,
    numbers TEXT NOT NULL,
    postcode TEXT NOT NULL,
    city TEXT NOT NULL,
    apartments INTEGER NOT NULL CHECK (apartments >= 1),
    reason TEXT NOT NULL,
    contact TEXT NOT NULL,
    service_id TEXT REFERENCES organisations(id),
    requested_by TEXT NOT NULL REFERENCES people(id),
    requested_at INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'declined', 'installed')),
    reviewed_by TEXT REFERENCES people(id),
    reviewed_at INTEGER,
    decline_reason TEXT NOT NULL DEFAULT '',
    model_id TEXT REFERENCES safe_models(id),
    owner_org_id TEXT REFERENCES organisations(id),
    safe_id TEXT REFERENCES safes(id),
    installed_by TEXT REFERENCES people(id),
    installed_at INTEGER
);
CREATE INDEX safe_requests_service ON safe_requests(service_id);
CREATE INDEX safe_requests_owner ON safe_requests(owner_org_id);
"#,
    // 8: reports from the door, and the housing company's plan and finish of a repair.
    r#"
CREATE TABLE door_reports (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE,
    safe_id TEXT NOT NULL REFERENCES safes(id),
    service_id TEXT NOT NULL REFERENCES organisations(id),
    person_id TEXT NOT NULL REFERENCES people(id),
    problem TEXT NOT NULL CHECK (problem IN ('code_fails', 'broken', 'key_missing', 'code_known', 'other')),
    note TEXT NOT NULL DEFAULT '',
    at INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    outcome TEXT CHECK (outcome IN ('leak', 'urgent', 'repair', 'closed')),
    handled_by TEXT REFERENCES people(id),
    handled_at INTEGER,
    reply TEXT NOT NULL DEFAULT '',
    repair_id TEXT REFERENCES repair_items(id),
    campaign_id TEXT REFERENCES campaigns(id)
);
CREATE INDEX door_reports_safe ON door_reports(safe_id, received_at);
CREATE INDEX door_reports_service ON door_reports(service_id, received_at);
CREATE INDEX door_reports_new ON door_reports(received_at) WHERE outcome IS NULL;
ALTER TABLE repair_items ADD COLUMN planned_on TEXT;
ALTER TABLE repair_items ADD COLUMN done_on TEXT;
ALTER TABLE repair_items ADD COLUMN updated_by TEXT REFERENCES people(id);
"#,
    // 9: the audit screen reads the trail by the server's receive time, per person and per
    // safe; and the policy that revoking a person plans the change of the codes they saw.
    r#"
CREATE INDEX audit_recorded ON audit_events(recorded_at);
CREATE INDEX audit_person ON audit_events(person_id, recorded_at) WHERE person_id IS NOT NULL;
CREATE INDEX audit_safe ON audit_events(safe_id, recorded_at) WHERE safe_id IS NOT NULL;
CREATE INDEX audit_kind ON audit_events(kind, recorded_at);
ALTER TABLE coordinator_settings ADD COLUMN change_on_revoke INTEGER NOT NULL DEFAULT 0 CHECK (change_on_revoke IN (0, 1));
"#,
    // 10: e-mail notices, written in the transaction of what they tell and sent by a task
    // that retries; once per person and subject where a pass could repeat them (deadlines).
    r#"
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('report_new', 'repair_new', 'deadline_near')),
    person_id TEXT NOT NULL REFERENCES people(id),
    once_key TEXT,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    sent_at INTEGER,
    given_up_at INTEGER,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX notifications_once ON notifications(person_id, once_key) WHERE once_key IS NOT NULL;
CREATE INDEX notifications_waiting ON notifications(next_attempt_at) WHERE sent_at IS NULL AND given_up_at IS NULL;
"#,
    // 11: the yearly evaluation counts a volunteer's change from the server's receipt of it
    // (the campaign item of a code), and door reports by the period they came in.
    r#"
CREATE INDEX campaign_items_pending ON campaign_items(pending_code_id) WHERE pending_code_id IS NOT NULL;
CREATE INDEX door_reports_received ON door_reports(received_at);
"#,
    // 12: the audit trail as a hash chain (see audit_chain.rs); the old rows are linked in
    // the order the server received them, then every linked row is frozen.
    r#"
ALTER TABLE audit_events ADD COLUMN seq INTEGER;
ALTER TABLE audit_events ADD COLUMN chain BLOB;
"#,
    // 13: a scope document's changes since it was last saved whole, one sealed chunk per
    // update (see scope_docs.rs): a changed code no longer rewrites the whole scope.
    r#"
CREATE TABLE scope_chunks (
    service_id TEXT NOT NULL REFERENCES organisations(id),
    epoch INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    sealed_chunk BLOB NOT NULL,
    PRIMARY KEY (service_id, epoch, seq)
) WITHOUT ROWID;
"#,
];

/// The migration after which the old audit rows are linked and frozen.
const AUDIT_CHAIN: usize = 12;

pub fn migrate(conn: &mut Connection) -> Result<(), ServerError> {
    let current: usize = conn
        .query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))?
        .try_into()
        .unwrap_or(0);
    if current > MIGRATIONS.len() {
        return Err(ServerError::Config(format!(
            "the database is at schema version {current}, newer than this server ({}): upgrade the server",
            MIGRATIONS.len()
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        if i + 1 == AUDIT_CHAIN {
            super::audit_chain::backfill(&tx)?;
            tx.execute_batch(super::audit_chain::FREEZE)?;
        }
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}
