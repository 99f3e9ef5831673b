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

fn run(settings: Settings) -> Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listen = settings.listen;
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .with_context(|| format!("cannot listen on {listen}"))?;
        let addr = listener.local_addr()?;
        let (state, demo) =
            tokio::task::spawn_blocking(move || prepare(settings, Clock::system())).await??;
        print_demo(&demo);
        println!("Kluis is running: open http://{addr}/");
        serve(listener, state, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
        Ok(())
    })
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
    let db = Db::open(&data)
        .with_context(|| format!("cannot open the data directory {}", data.display()))?;
    match command {
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
            let key = kluis_sync_server::keys::load_or_create(&data, None)?;
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
            let key = server_key(&data)?;
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
                        done.rekeyed
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
            let key = server_key(&data)?;
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
                        done.rekeyed
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

/// The server key the serving process uses: `KLUIS_SERVER_KEY`, else the data directory's.
fn server_key(data: &std::path::Path) -> Result<kluis_crypto::SecretKey> {
    let env = std::env::var("KLUIS_SERVER_KEY").ok();
    Ok(kluis_sync_server::keys::load_or_create(
        data,
        env.as_deref(),
    )?)
}

/// The revoked person's rounds document loses the replaced codes now; the running server's
/// streams re-check revocations within seconds.
fn refresh_rounds(
    conn: &mut rusqlite::Connection,
    key: &kluis_crypto::SecretKey,
    done: &kluis_sync_server::revoke::Revocation,
) -> Result<(), kluis_sync_server::ServerError> {
    if let Some(person) = done.person.filter(|_| done.rekeyed > 0) {
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
