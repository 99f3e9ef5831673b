//! E-mail notices waiting to be sent. A notice is written in the transaction of what it tells
//! (a report stored, a repair order opened, a deadline pass), so it exists exactly when that
//! happened; `notify` sends it afterwards and retries. Nothing is written unless the server
//! runs with `mail_notifications` (recorded in `server_meta` at start), and never a code or
//! an address: the message says what kind of work waits and links to the screen.

use kluis_domain::ids::SafeId;
use kluis_domain::model::{ChangeFailure, DoorProblem};
use kluis_domain::time::{Date, Timestamp};
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::ServerError;

const ENABLED: &str = "mail_notifications";

/// Records at start whether notices are written (the configuration may change between runs).
pub fn set_enabled(conn: &Connection, on: bool) -> Result<(), ServerError> {
    conn.execute(
        "INSERT INTO server_meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![ENABLED, if on { "1" } else { "0" }],
    )?;
    Ok(())
}

fn enabled(conn: &Connection) -> Result<bool, ServerError> {
    let value: Option<String> = conn
        .query_row(
            "SELECT value FROM server_meta WHERE key = ?1",
            [ENABLED],
            |r| r.get(0),
        )
        .optional()?;
    Ok(value.as_deref() == Some("1"))
}

/// Who a notice goes to: people still active with an address.
enum To<'a> {
    Coordinators,
    Staff(&'a str),
}

struct Text {
    kind: &'static str,
    subject: String,
    /// With `{link}` where the screen's address goes.
    body: String,
    link: &'static str,
    once: Option<String>,
}

fn write(conn: &Connection, to: To<'_>, text: Text, now: Timestamp) -> Result<usize, ServerError> {
    let (role, org) = match to {
        To::Coordinators => ("coordinator", None),
        To::Staff(org) => ("housing_staff", Some(org)),
    };
    Ok(conn.execute(
        "INSERT OR IGNORE INTO notifications
            (kind, person_id, once_key, subject, body, link, created_at, next_attempt_at)
         SELECT ?1, p.id, ?2, ?3, ?4, ?5, ?6, ?6 FROM people p
         WHERE p.role = ?7 AND p.revoked_at IS NULL AND p.email <> ''
           AND (?8 IS NULL OR p.org_id = ?8)",
        params![
            text.kind,
            text.once,
            text.subject,
            text.body,
            text.link,
            now.millis(),
            role,
            org
        ],
    )?)
}

fn problem_words(p: DoorProblem) -> (&'static str, &'static str) {
    match p {
        DoorProblem::CodeFails => (
            "de code opent de kluis niet",
            "the code does not open the safe",
        ),
        DoorProblem::Broken => ("de kluis is defect", "the safe is broken"),
        DoorProblem::KeyMissing => ("de sleutel is weg", "the key is missing"),
        DoorProblem::CodeKnown => (
            "de code is bekend bij anderen",
            "the code is known to others",
        ),
        DoorProblem::Other => (
            "iets anders (zie de toelichting)",
            "something else (see the note)",
        ),
    }
}

/// A report from the door that waits for the coordinator's triage.
pub fn report_new(
    conn: &Connection,
    problem: DoorProblem,
    now: Timestamp,
) -> Result<usize, ServerError> {
    if !enabled(conn)? {
        return Ok(0);
    }
    let (nl, en) = problem_words(problem);
    let text = Text {
        kind: "report_new",
        subject: "Nieuwe melding in Kluis / New report in Kluis".into(),
        body: format!(
            "Een zorgverlener meldde aan de deur: {nl}.\n\
             Bekijk en behandel de melding in Kluis:\n{{link}}\n\n—\n\n\
             A carer reported at the door: {en}. See and handle it in Kluis: {{link}}\n"
        ),
        link: "/desk/reports",
        once: None,
    };
    write(conn, To::Coordinators, text, now)
}

/// A new repair order, to the staff of the company that owns `safe`'s building.
pub fn repair_new(
    conn: &Connection,
    safe: SafeId,
    reason: ChangeFailure,
    now: Timestamp,
) -> Result<usize, ServerError> {
    if !enabled(conn)? {
        return Ok(0);
    }
    let Some((org, company)): Option<(String, String)> = conn
        .query_row(
            "SELECT o.id, o.name FROM safes s JOIN buildings b ON b.id = s.building_id
             JOIN organisations o ON o.id = b.owner_org_id WHERE s.id = ?1",
            [safe.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
    else {
        return Ok(0);
    };
    let (nl, en) = match reason {
        ChangeFailure::KeyMissing => ("de sleutel is weg", "the key is missing"),
        _ => ("de sleutelkluis is defect", "the key safe is broken"),
    };
    let text = Text {
        kind: "repair_new",
        subject: "Nieuwe herstelling in Kluis / New repair order in Kluis".into(),
        body: format!(
            "Er is een nieuwe herstelling voor {company}: {nl}.\n\
             Plan ze en meld ze hersteld in Kluis:\n{{link}}\n\n—\n\n\
             There is a new repair order for {company}: {en}. Plan it and mark it fixed in \
             Kluis: {{link}}\n"
        ),
        link: "/company",
        once: None,
    };
    write(conn, To::Staff(&org), text, now)
}

/// `count` safes whose new code is due on `due`, the next working day. Once per day due,
/// however often the pass runs.
pub fn deadline_near(
    conn: &Connection,
    due: Date,
    count: usize,
    now: Timestamp,
) -> Result<usize, ServerError> {
    if !enabled(conn)? || count == 0 {
        return Ok(0);
    }
    let day = kluis_api::import::day_text(due);
    let (nl, en) = if count == 1 {
        (
            "1 sleutelkluis moet".to_string(),
            "1 key safe needs".to_string(),
        )
    } else {
        (
            format!("{count} sleutelkluizen moeten"),
            format!("{count} key safes need"),
        )
    };
    let text = Text {
        kind: "deadline_near",
        subject: format!("Uiterlijk {day}: nieuwe codes / Due {day}: new codes"),
        body: format!(
            "{nl} uiterlijk {day}, de volgende werkdag, een nieuwe code hebben.\n\
             Bekijk ze in Kluis:\n{{link}}\n\n—\n\n\
             {en} a new code by {day}, the next working day. See them in Kluis: {{link}}\n"
        ),
        link: "/desk/due",
        once: Some(format!("deadline:{due}")),
    };
    write(conn, To::Coordinators, text, now)
}

/// A notice to send now, with where it goes.
pub struct Waiting {
    pub id: i64,
    pub name: String,
    pub address: String,
    /// The person left or lost their address since: the notice is dropped.
    pub gone: bool,
    pub subject: String,
    pub body: String,
    pub link: String,
    pub attempts: u32,
}

/// The notices due for a try at `now`, oldest first, at most `limit`.
pub fn waiting(conn: &Connection, now: Timestamp, limit: u32) -> Result<Vec<Waiting>, ServerError> {
    let mut stmt = conn.prepare(
        "SELECT n.id, p.name, p.email, p.revoked_at IS NOT NULL OR p.email = '',
                n.subject, n.body, n.link, n.attempts
         FROM notifications n JOIN people p ON p.id = n.person_id
         WHERE n.sent_at IS NULL AND n.given_up_at IS NULL AND n.next_attempt_at <= ?1
         ORDER BY n.next_attempt_at, n.id LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![now.millis(), limit], |r| {
            Ok(Waiting {
                id: r.get(0)?,
                name: r.get(1)?,
                address: r.get(2)?,
                gone: r.get(3)?,
                subject: r.get(4)?,
                body: r.get(5)?,
                link: r.get(6)?,
                attempts: r.get(7)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// What became of one try.
pub enum Outcome {
    Sent,
    /// Try again at the given time.
    Retry(Timestamp, String),
    /// No more tries (too many failures, or nobody to send it to).
    GiveUp(String),
}

pub fn settle(
    conn: &Connection,
    id: i64,
    outcome: &Outcome,
    now: Timestamp,
) -> Result<(), ServerError> {
    match outcome {
        Outcome::Sent => conn.execute(
            "UPDATE notifications SET sent_at = ?2, attempts = attempts + 1, last_error = '' WHERE id = ?1",
            params![id, now.millis()],
        )?,
        Outcome::Retry(next, why) => conn.execute(
            "UPDATE notifications SET attempts = attempts + 1, next_attempt_at = ?2, last_error = ?3 WHERE id = ?1",
            params![id, next.millis(), why],
        )?,
        Outcome::GiveUp(why) => conn.execute(
            "UPDATE notifications SET attempts = attempts + 1, given_up_at = ?2, last_error = ?3 WHERE id = ?1",
            params![id, now.millis(), why],
        )?,
    };
    Ok(())
}
