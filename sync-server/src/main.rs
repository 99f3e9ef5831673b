//! `sync-server`: run the Kluis sync server, or administer its data directory.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use kluis_sync_server::Clock;
use kluis_sync_server::db::{Db, accounts};
use kluis_sync_server::{DemoLogin, Settings, prepare, serve};

#[derive(Parser)]
#[command(
    name = "sync-server",
    version,
    about = "Kluis sync server: key-safe codes for home-care workers"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server. Settings: defaults, then KLUIS_* environment variables, then the
    /// config file, then these flags.
    Serve {
        /// Address to listen on, e.g. 127.0.0.1:8080 (port 0 picks a free port) [env: KLUIS_LISTEN]
        #[arg(long)]
        listen: Option<SocketAddr>,
        /// Data directory: SQLite database and server key [env: KLUIS_DATA]
        #[arg(long)]
        data: Option<PathBuf>,
        /// Directory of the built PWA to serve at / [env: KLUIS_WEB_DIR]
        #[arg(long)]
        web: Option<PathBuf>,
        /// Seed the demo registry into an empty database and print the demo logins [env: KLUIS_DEMO=1]
        #[arg(long)]
        demo: bool,
        /// Config file of `key = value` lines [env: KLUIS_CONFIG]
        #[arg(long, env = "KLUIS_CONFIG")]
        config: Option<PathBuf>,
    },
    /// Administer a data directory directly (works while the server runs).
    Admin {
        /// Data directory [env: KLUIS_DATA]
        #[arg(long, env = "KLUIS_DATA", default_value = "data")]
        data: PathBuf,
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create the first coordinator on a database without one, and print their one-time
    /// activation code: they open /activate on the server's address and choose a password.
    CreateCoordinator {
        /// Their login, e.g. an.peeters
        #[arg(long)]
        login: String,
        /// Their full name
        #[arg(long)]
        name: String,
        /// The coordinator's office, as people will see it
        #[arg(long, default_value = "Coördinatie sleutelkluizen")]
        office: String,
    },
    /// Print a new one-time activation code for a person (a lost password, an expired code).
    Invite {
        #[arg(long)]
        login: String,
    },
    /// List enrolled devices.
    ListDevices,
    /// Revoke a device: it gets no data any more and is told to wipe.
    RevokeDevice { device_id: String },
    /// Revoke a person (by login) with all their devices.
    RevokePerson { login: String },
    /// Copy the database while the server runs, check the copy and print what it holds.
    /// The key is not in the copy: back it up apart.
    Backup {
        /// The new backup file (never overwritten)
        #[arg(long)]
        to: PathBuf,
    },
    /// Replace the database by a backup, after checking it and that its key opens it. Refuses
    /// while a server runs on the directory; the replaced database is kept beside it.
    Restore {
        #[arg(long)]
        from: PathBuf,
        /// The backed-up key file, put in place when the directory has no key
        #[arg(long)]
        key: Option<PathBuf>,
    },
    /// Check the audit trail's hash chain: the first row changed, inserted or removed.
    VerifyAudit {
        /// An earlier backup: the live trail must still pass through its last row
        #[arg(long)]
        against: Option<PathBuf>,
    },
    /// Fill an empty data directory with a synthetic registry of N safes for benchmarks
    /// (logins `coordinator` and `carer`, password `bench-password`).
    SeedBench {
        #[arg(long)]
        safes: usize,
    },
}

fn main() -> Result<()> {
    let logs = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("KLUIS_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tower_http=warn")),
        )
        .with_writer(std::io::stderr);
    // JSON lines for a log collector (each with its request's span: id, method, route);
    // text for a person at a terminal. A misspelt format must not silently mean text.
    match std::env::var("KLUIS_LOG_FORMAT").as_deref().map(str::trim) {
        Ok("json") => logs.json().init(),
        Ok("text" | "") | Err(std::env::VarError::NotPresent) => logs.init(),
        _ => anyhow::bail!("KLUIS_LOG_FORMAT must be text or json"),
    }
    match Cli::parse().command {
        Command::Serve {
            listen,
            data,
            web,
            demo,
            config,
        } => {
            let mut settings = Settings::default();
            settings.apply_env(std::env::vars())?;
            if let Some(file) = config {
                settings.apply_file(&file)?;
            }
            if let Some(listen) = listen {
                settings.listen = listen;
            }
            if let Some(data) = data {
                settings.data_dir = data;
            }
            if web.is_some() {
                settings.web_dir = web;
            }
            settings.demo |= demo;
            run(settings)
        }
        Command::Admin { data, command } => admin(data, command),
    }
}

/// Blocking work is database calls behind one connection and the odd file: more threads
/// than this only wait for the lock, and each would keep its own allocator arena.
const MAX_BLOCKING_THREADS: usize = 16;

fn run(settings: Settings) -> Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(MAX_BLOCKING_THREADS)
        .build()?;
    let result = rt.block_on(async move {
        let listen = settings.listen;
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .with_context(|| format!("cannot listen on {listen}"))?;
        let addr = listener.local_addr()?;
        let (state, demo) =
            tokio::task::spawn_blocking(move || prepare(settings, Clock::system())).await??;
        print_demo(&demo);
        println!("Kluis is running: open http://{addr}/");
        serve(listener, state, stop_signal()).await?;
        // Whoever read the start-up lines may be gone; a closed stdout must not make a
        // clean stop a panic.
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), "Kluis stopped");
        Ok(())
    });
    // A blocking task still running (a slow request the grace period gave up on) must not
    // hold the process: what it had not committed was never acknowledged.
    rt.shutdown_timeout(std::time::Duration::from_secs(2));
    result
}

/// Ctrl-C, or SIGTERM (how systemd and container runtimes stop a service).
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

fn print_demo(demo: &[DemoLogin]) {
    if demo.is_empty() {
        return;
    }
    println!("Demo accounts (password for all: {}):", demo[0].password);
    for role in [
        "coordinator",
        "service_admin",
        "carer",
        "volunteer",
        "housing_staff",
    ] {
        let mut rows = demo.iter().filter(|d| d.role == role).peekable();
        if rows.peek().is_none() {
            continue;
        }
        println!("  {role}:");
        for d in rows {
            println!("    {:<24} {}", d.login, d.organisation);
        }
    }
}

fn admin(data: PathBuf, command: AdminCommand) -> Result<()> {
    let now = Clock::system().now();
    match command {
        AdminCommand::Backup { to } => {
            let summary = kluis_sync_server::ops::backup(&data, &to, &key_source(&data), now)?;
            println!("Backup written to {}, checked:", to.display());
            println!("{summary}");
            println!("The server key is not in it: keep the key's own backup apart.");
            return Ok(());
        }
        AdminCommand::Restore { from, key } => {
            let (summary, kept) = kluis_sync_server::ops::restore(
                &from,
                &data,
                &key_source(&data),
                key.as_deref(),
                now,
            )?;
            println!("Restored {} into {}:", from.display(), data.display());
            println!("{summary}");
            if let Some(kept) = kept {
                println!("The database it replaced is kept as {}", kept.display());
            }
            return Ok(());
        }
        _ => {}
    }
    let db = Db::open(&data)
        .with_context(|| format!("cannot open the data directory {}", data.display()))?;
    db.blocking(|c| kluis_sync_server::ops::note_command(c, now, &describe(&command)))?;
    match command {
        AdminCommand::Backup { .. } | AdminCommand::Restore { .. } => {}
        AdminCommand::VerifyAudit { against } => {
            let earlier = match &against {
                Some(file) => {
                    let key = server_key(&db, &data)?;
                    kluis_sync_server::ops::check_copy(file, &key)?.audit_head
                }
                None => None,
            };
            let verdict = db.blocking(|c| {
                kluis_sync_server::db::audit_chain::verify(
                    c,
                    earlier.as_ref().map(|(seq, hash)| (*seq, hash.as_str())),
                )
            })?;
            println!("{} audit rows verified", verdict.verified);
            if let Some((seq, hash)) = &verdict.head {
                println!("head: {seq}:{hash}");
            }
            if let Some(problem) = verdict.problem {
                anyhow::bail!("the audit trail does not verify: {problem}");
            }
            if let Some((seq, _)) = earlier {
                println!("the trail still passes through the backup's last row ({seq})");
            }
        }
        AdminCommand::CreateCoordinator {
            login,
            name,
            office,
        } => {
            let issued = kluis_sync_server::setup::create_first_coordinator(
                &db,
                &login,
                &name,
                &office,
                Clock::system().now(),
            )?;
            print_activation(&issued);
        }
        AdminCommand::Invite { login } => {
            let issued =
                kluis_sync_server::setup::invite_by_login(&db, &login, Clock::system().now())?;
            print_activation(&issued);
        }
        AdminCommand::SeedBench { safes } => {
            let key = server_key(&db, &data)?;
            kluis_sync_server::bench_registry::seed_bench_registry(
                &db,
                &key,
                safes,
                Clock::system().now(),
            )
            .context("seeding the bench registry (is the data directory empty?)")?;
            println!(
                "{safes} safes seeded; logins coordinator and carer, password {}",
                kluis_sync_server::bench_registry::BENCH_PASSWORD
            );
        }
        AdminCommand::ListDevices => {
            let rows = db.blocking(|c| accounts::list_devices(c, None))?;
            for d in rows {
                let status = if d.revoked_at.is_some() {
                    "revoked"
                } else {
                    "active"
                };
                println!(
                    "{}  {:<8} {:<20} {:<24} {}",
                    d.id, status, d.login, d.name, d.organisation
                );
            }
        }
        AdminCommand::RevokeDevice { device_id } => {
            let id = device_id.parse().context("not a device id")?;
            let key = server_key(&db, &data)?;
            let done = db.blocking(|c| {
                let done = kluis_sync_server::revoke::revoke_device(
                    c,
                    &key,
                    id,
                    None,
                    Clock::system().now(),
                )?;
                refresh_rounds(c, &key, &done)?;
                Ok(done)
            });
            let done = match done {
                Err(kluis_sync_server::ServerError::NotFound(_)) => {
                    anyhow::bail!("no device {device_id}")
                }
                other => other?,
            };
            println!(
                "{}",
                if done.revoked {
                    format!(
                        "device revoked; {} pending codes of its rounds replaced",
                        done.rekeyed.len()
                    )
                } else {
                    "device was already revoked".to_string()
                }
            );
        }
        AdminCommand::RevokePerson { login } => {
            let id = db
                .blocking(|c| accounts::find_person_by_login(c, &login))?
                .with_context(|| format!("no person with login {login}"))?;
            let key = server_key(&db, &data)?;
            let done = db.blocking(|c| {
                let done = kluis_sync_server::revoke::revoke_person(
                    c,
                    &key,
                    id,
                    None,
                    Clock::system().now(),
                )?;
                refresh_rounds(c, &key, &done)?;
                Ok(done)
            })?;
            println!(
                "{}",
                if done.revoked {
                    format!(
                        "person revoked, with all their devices; {} pending codes replaced, their rounds are free",
                        done.rekeyed.len()
                    )
                } else {
                    "person was already revoked".to_string()
                }
            );
        }
    }
    Ok(())
}

fn print_activation(issued: &kluis_sync_server::setup::Issued) {
    println!("Account {} is ready to be activated.", issued.login);
    println!("  activation code: {}", issued.code.as_str());
    println!(
        "  open:            <the server's address>/activate?code={}",
        issued.code.as_str()
    );
    println!(
        "  valid until:     {} UTC, once",
        kluis_sync_server::setup::format_instant(issued.expires_at)
    );
}

/// What an admin command did, for the audit trail (never a secret: no codes, no keys).
fn describe(command: &AdminCommand) -> String {
    match command {
        AdminCommand::CreateCoordinator { login, .. } => format!("create-coordinator {login}"),
        AdminCommand::Invite { login } => format!("invite {login}"),
        AdminCommand::ListDevices => "list-devices".into(),
        AdminCommand::RevokeDevice { device_id } => format!("revoke-device {device_id}"),
        AdminCommand::RevokePerson { login } => format!("revoke-person {login}"),
        AdminCommand::SeedBench { safes } => format!("seed-bench {safes}"),
        AdminCommand::VerifyAudit { .. } => "verify-audit".into(),
        AdminCommand::Backup { .. } => "backup".into(),
        AdminCommand::Restore { .. } => "restore".into(),
    }
}

fn key_source(data: &std::path::Path) -> kluis_sync_server::keys::KeySource {
    let inline = std::env::var("KLUIS_SERVER_KEY").ok();
    let file = std::env::var_os("KLUIS_SERVER_KEY_FILE").map(PathBuf::from);
    kluis_sync_server::keys::KeySource::new(data, inline.as_deref(), file.as_deref())
}

/// The server key the serving process uses (`KLUIS_SERVER_KEY`, `KLUIS_SERVER_KEY_FILE`, else
/// the data directory's), checked against the database.
fn server_key(db: &Db, data: &std::path::Path) -> Result<kluis_crypto::SecretKey> {
    let source = key_source(data);
    Ok(db.blocking(|c| kluis_sync_server::keys::for_database(c, &source))?)
}

/// The revoked person's rounds document loses the replaced codes now; the running server
/// notices the revocation within seconds, re-checks its streams and rebuilds its scopes (so
/// carers trade the replaced new codes too).
fn refresh_rounds(
    conn: &mut rusqlite::Connection,
    key: &kluis_crypto::SecretKey,
    done: &kluis_sync_server::revoke::Revocation,
) -> Result<(), kluis_sync_server::ServerError> {
    if let Some(person) = done.person.filter(|_| !done.rekeyed.is_empty()) {
        let settings = kluis_sync_server::db::settings::device_settings(
            conn,
            &kluis_domain::schema::ScopeSettings::default(),
        )?;
        kluis_sync_server::rounds::refresh(
            conn,
            key,
            person,
            settings.grace_days,
            Clock::system().now(),
        )?;
    }
    Ok(())
}
