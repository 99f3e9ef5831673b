//! Sends the e-mail notices `db::notices` wrote, outside any transaction: a relay that is slow
//! or down never holds up a sync or a coordinator's click. A notice the relay refuses is tried
//! again later, waiting twice as long each time, and given up after a day of tries.

use std::time::Duration;

use kluis_domain::time::Timestamp;

use crate::db::notices::{self, Outcome};
use crate::db::{reports, settings};
use crate::error::ServerError;
use crate::mail::Mailer;
use crate::state::AppState;

/// How often the sender looks for notices: a report reaches the coordinator's mailbox within
/// seconds, and an idle server asks one indexed question.
pub const POLL: Duration = Duration::from_secs(2);

/// Most notices one pass sends, so a backlog drains in steps.
const BATCH: u32 = 20;

/// Tries before a notice is given up: with a one-minute first wait, about a day of retries.
const MAX_ATTEMPTS: u32 = 11;

/// When to try again after `attempts` failed tries: `first`, then doubling, at most 6 hours.
pub fn retry_at(now: Timestamp, first: Duration, attempts: u32) -> Timestamp {
    let wait = first
        .saturating_mul(1u32 << attempts.min(16))
        .min(Duration::from_secs(6 * 3600));
    now.plus_millis(i64::try_from(wait.as_millis()).unwrap_or(i64::MAX))
}

/// One pass: sends what is due now; returns how many went out.
pub async fn send_waiting(
    state: &AppState,
    mailer: &Mailer,
    first_retry: Duration,
) -> Result<usize, ServerError> {
    let now = state.now();
    let batch = state
        .db
        .call(move |conn| notices::waiting(conn, now, BATCH))
        .await?;
    let mut sent = 0;
    for notice in batch {
        let outcome = if notice.gone {
            Outcome::GiveUp("the person has no address or left".into())
        } else {
            let body = notice.body.replace("{link}", &mailer.link(&notice.link));
            match mailer
                .send(&notice.name, &notice.address, &notice.subject, body)
                .await
            {
                Ok(()) => {
                    sent += 1;
                    Outcome::Sent
                }
                Err(e) if notice.attempts + 1 >= MAX_ATTEMPTS => Outcome::GiveUp(e.to_string()),
                Err(e) => {
                    tracing::warn!(notice = notice.id, %e, "an e-mail notice was not taken; it will be tried again");
                    Outcome::Retry(
                        retry_at(state.now(), first_retry, notice.attempts),
                        e.to_string(),
                    )
                }
            }
        };
        let id = notice.id;
        let at = state.now();
        state
            .db
            .call(move |conn| notices::settle(conn, id, &outcome, at))
            .await?;
    }
    Ok(sent)
}

/// The sender's loop, for as long as the server runs.
pub async fn run(state: AppState, mailer: Mailer, first_retry: Duration) {
    let mut every = tokio::time::interval(POLL);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if let Err(e) = send_waiting(&state, &mailer, first_retry).await {
            tracing::error!(%e, "sending e-mail notices failed");
        }
    }
}

/// Part of the maintenance pass: a notice for the codes due on the next working day.
pub fn deadlines(conn: &rusqlite::Connection, now: Timestamp) -> Result<usize, ServerError> {
    let calendar = settings::calendar(conn)?;
    let today = crate::state::today_in_ghent(now);
    let next = calendar.next_working_day(today);
    let due = reports::due(conn, &calendar, today)?;
    let count = [&due.overdue, &due.this_week, &due.this_month]
        .into_iter()
        .flatten()
        .filter(|d| d.due_on == next)
        .count();
    notices::deadline_near(conn, next, count, now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_twice_as_long_each_time_up_to_six_hours() {
        let now = Timestamp::from_millis(0);
        let first = Duration::from_secs(60);
        assert_eq!(retry_at(now, first, 0).millis(), 60_000);
        assert_eq!(retry_at(now, first, 1).millis(), 120_000);
        assert_eq!(retry_at(now, first, 3).millis(), 480_000);
        assert_eq!(retry_at(now, first, 30).millis(), 6 * 3600 * 1000);
    }
}
