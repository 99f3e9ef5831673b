//! `cargo bench -p kluis-sync-server --bench backup` (part of `cargo xtask bench-ops`): the
//! time and size of `sync-server admin backup` and `restore` for the demo (with its past
//! year) and for a 5,000-safe registry with a year of reveals (twenty per safe), in real
//! SQLite files. Prints the figures; asserts only that the copies check out.

#![allow(clippy::unwrap_used)]

use std::time::Instant;

use kluis_domain::time::Timestamp;
use kluis_sync_server::bench_registry::seed_bench_registry;
use kluis_sync_server::db::Db;
use kluis_sync_server::db::audit_chain::{Chain, NewRow};
use kluis_sync_server::keys::KeySource;

const DAY: i64 = 86_400_000;

fn reveals(db: &Db, per_safe: usize, now: Timestamp) {
    db.blocking(|c| {
        let tx = c.transaction()?;
        let safes: Vec<String> = {
            let mut s = tx.prepare("SELECT id FROM safes")?;
            s.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?
        };
        let carer: String = tx.query_row(
            "SELECT id FROM people WHERE role = 'carer' LIMIT 1",
            [],
            |r| r.get(0),
        )?;
        let mut chain = Chain::at_head(&tx)?;
        for (i, safe) in safes.iter().enumerate() {
            for k in 0..per_safe {
                let id = format!("{i:08x}-0000-4000-8000-{k:012x}");
                let at = now.millis() - ((i * 7919 + k * 104_729) % 365) as i64 * DAY;
                chain.append(
                    &tx,
                    &NewRow {
                        id: &id,
                        at,
                        recorded_at: at,
                        person: Some(&carer),
                        kind: "code_revealed",
                        safe: Some(safe),
                        ..NewRow::default()
                    },
                )?;
            }
        }
        tx.commit()?;
        Ok(())
    })
    .unwrap();
}

fn measure(label: &str, seed: impl FnOnce(&Db, &kluis_crypto::SecretKey, Timestamp)) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let now = Timestamp::from_millis(1_796_000_000_000);
    {
        let db = Db::open(&data).unwrap();
        let key = kluis_sync_server::keys::load_or_create(&data, None).unwrap();
        seed(&db, &key, now);
        db.blocking(kluis_sync_server::db::checkpoint).unwrap();
    }
    let live = std::fs::metadata(data.join("kluis.sqlite3")).unwrap().len();
    let source = KeySource::new(&data, None, None);
    let to = dir.path().join("backup.sqlite3");
    let t = Instant::now();
    let summary = kluis_sync_server::ops::backup(&data, &to, &source, now).unwrap();
    let backup_ms = t.elapsed().as_secs_f64() * 1000.0;
    let fresh = dir.path().join("fresh");
    let key_file = data.join("server.key");
    let t = Instant::now();
    kluis_sync_server::ops::restore(
        &to,
        &fresh,
        &KeySource::new(&fresh, None, None),
        Some(&key_file),
        now,
    )
    .unwrap();
    let restore_ms = t.elapsed().as_secs_f64() * 1000.0;
    println!(
        "{label}: {} safes, {} audit rows; database {:.1} MB, backup {:.1} MB; backup {backup_ms:.0} ms \
         (copy, integrity check, key check, audit chain), restore {restore_ms:.0} ms",
        summary.safes,
        summary.audit_rows,
        live as f64 / 1e6,
        summary.bytes as f64 / 1e6,
    );
}

fn main() {
    measure("demo with its past year", |db, key, now| {
        kluis_sync_server::seed::seed_demo(db, key, now, true).unwrap();
    });
    measure("5,000-safe registry", |db, key, now| {
        seed_bench_registry(
            db,
            key,
            5000,
            Timestamp::from_millis(now.millis() - 400 * DAY),
        )
        .unwrap();
        reveals(db, 20, now);
    });
}
