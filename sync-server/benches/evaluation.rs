//! `cargo bench -p kluis-sync-server --bench evaluation`: the yearly evaluation (rule 10) for
//! 200 and 5,000 safes with a year of events in a real SQLite file: two code changes per
//! safe, twenty reveals per safe, requests, door reports, repairs, leaks and removals. Times
//! computing the figures of the year as the handler does (inside the database call, the
//! JSON left out), median of several runs, and prints them. Asserts nothing about speed.

#![allow(clippy::unwrap_used)]

use std::time::Instant;

use kluis_api::evaluation::EvaluationQuery;
use kluis_domain::time::{Date, Timestamp};
use kluis_sync_server::bench_registry::seed_bench_registry;
use kluis_sync_server::db::{Db, evaluation};

const DAY: i64 = 86_400_000;
const RUNS: usize = 9;

/// A year of events for every safe of the bench registry, in SQL (the evaluation never
/// opens a code, so past codes reuse the current one's sealed bytes).
fn year_of_events(db: &Db, start: Timestamp) {
    let t0 = start.millis();
    let sql = format!(
        "UPDATE codes SET activated_at = {t0} + (30 + rowid * 37 % 300) * {DAY} WHERE state = 'current';
         INSERT INTO codes (id, safe_id, sealed_value, state, created_at, activated_at, retired_at)
           SELECT lower(hex(randomblob(16))), safe_id, sealed_value, 'retired',
                  activated_at - 200 * {DAY}, activated_at - (170 + rowid % 25) * {DAY}, activated_at
           FROM codes WHERE state = 'current';
         WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 19)
         INSERT INTO audit_events (id, at, recorded_at, person_id, kind, safe_id, detail)
           SELECT lower(hex(randomblob(16))), t, t, (SELECT id FROM people WHERE role = 'carer'),
                  'code_revealed', id, ''
           FROM (SELECT s.id, {t0} + ((s.rowid * 7919 + k.i * 104729) % 365) * {DAY} + 36000000 AS t
                 FROM safes s, k);
         INSERT INTO safe_requests (id, building_id, street, numbers, postcode, city, apartments,
             reason, contact, service_id, requested_by, requested_at, status, reviewed_at,
             safe_id, installed_at)
           SELECT lower(hex(randomblob(16))), s.building_id, 'Straat', '1', '9000', 'Gent', 10,
                  'bench', '', (SELECT id FROM organisations WHERE kind = 'care_service'),
                  (SELECT id FROM people WHERE role = 'coordinator'),
                  {t0} + (s.rowid % 300) * {DAY}, 'installed', {t0} + (s.rowid % 300 + 2) * {DAY},
                  s.id, {t0} + (s.rowid % 300 + 5 + s.rowid % 30) * {DAY}
           FROM safes s WHERE s.rowid % 20 = 0;
         INSERT INTO door_reports (id, event_id, safe_id, service_id, person_id, problem, at,
             received_at, outcome)
           SELECT lower(hex(randomblob(16))), lower(hex(randomblob(16))), s.id,
                  (SELECT id FROM organisations WHERE kind = 'care_service'),
                  (SELECT id FROM people WHERE role = 'carer'),
                  CASE s.rowid % 4 WHEN 0 THEN 'code_fails' WHEN 1 THEN 'broken'
                                   WHEN 2 THEN 'key_missing' ELSE 'code_known' END,
                  {t0} + (s.rowid % 360) * {DAY}, {t0} + (s.rowid % 360) * {DAY}, 'closed'
           FROM safes s WHERE s.rowid % 10 = 0;
         INSERT INTO repair_items (id, safe_id, owner_org_id, reason, created_at, resolved_at)
           SELECT lower(hex(randomblob(16))), s.id, b.owner_org_id, 'broken',
                  {t0} + (s.rowid % 330) * {DAY}, {t0} + (s.rowid % 330 + 1 + s.rowid % 20) * {DAY}
           FROM safes s JOIN buildings b ON b.id = s.building_id WHERE s.rowid % 20 = 1;
         INSERT INTO audit_events (id, at, recorded_at, kind, safe_id, detail)
           SELECT lower(hex(randomblob(16))), {t0} + (rowid % 340) * {DAY},
                  {t0} + (rowid % 340) * {DAY}, 'code_leaked', id, ''
           FROM safes WHERE rowid % 50 = 2;
         INSERT INTO audit_events (id, at, recorded_at, kind, safe_id, detail)
           SELECT lower(hex(randomblob(16))), {t0} + 200 * {DAY}, {t0} + 200 * {DAY},
                  'safe_changed', id, '[{{\"field\":\"status\",\"before\":\"active\",\"after\":\"removed\"}}]'
           FROM safes WHERE rowid % 100 = 3;
         UPDATE safes SET status = 'removed' WHERE rowid % 100 = 3;"
    );
    db.blocking(|c| Ok(c.execute_batch(&sql)?)).unwrap();
}

fn scenario(n: usize) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(dir.path()).unwrap();
    let key = kluis_sync_server::keys::load_or_create(dir.path(), None).unwrap();
    let year = EvaluationQuery::year(2026);
    let start = Date::new(2026, 1, 1).unwrap().start_utc();
    seed_bench_registry(&db, &key, n, start.plus_days(-400)).unwrap();
    year_of_events(&db, start);
    let rows: i64 = db
        .blocking(|c| Ok(c.query_row("SELECT COUNT(*) FROM audit_events", [], |r| r.get(0))?))
        .unwrap();
    let today = Date::new(2026, 12, 15).unwrap();
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..RUNS {
        let t = Instant::now();
        let e = db
            .blocking(|c| evaluation::evaluation(c, year, today))
            .unwrap();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        last = Some(e);
    }
    times.sort_by(f64::total_cmp);
    let e = last.unwrap();
    let c = &e.codes;
    println!(
        "{n:>5} safes, {rows:>6} audit rows: evaluation of 2026 median {:.1} ms (min {:.1}, max {:.1}, {RUNS} runs)",
        times[RUNS / 2],
        times[0],
        times[RUNS - 1]
    );
    println!(
        "        safes {} -> {} (apartments {}), carers {}, requests {} made / {} installed \
         (median {:?} d, p90 {:?} d), rotations {}/{} on time ({} pending), first codes {}/{}, \
         leaks {}/{}, reports {}, repairs {} done (median {:?} d), reveals {}",
        e.safes.at_start,
        e.safes.at_end,
        e.safes.apartments_at_end,
        e.carers_active,
        e.requests.made,
        e.requests.installed,
        e.requests.days_to_install.median,
        e.requests.days_to_install.p90,
        c.rotations.on_time,
        c.rotations.on_time + c.rotations.late,
        c.rotations.pending,
        c.first_codes.on_time,
        c.first_codes.total,
        c.leaks.on_time,
        c.leaks.total,
        e.reports.total,
        e.repairs.done,
        e.repairs.days_to_fix.median,
        e.reveals.iter().map(|s| s.total).sum::<u32>(),
    );
}

fn main() {
    println!("yearly evaluation (rule 10), release build");
    for n in [200, 5_000] {
        scenario(n);
    }
}
