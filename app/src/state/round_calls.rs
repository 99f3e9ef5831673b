//! The volunteer's online calls: the rounds nobody took yet, and taking one. Both need the
//! network; everything else a volunteer does works offline through the outbox.

use kluis_domain::ids::RoundId;

use super::AppState;
use super::error::AppError;
use super::store::session_token;
use super::syncing::sync;
use super::volunteer::{FreeRound, parse_free_rounds};
use crate::platform;

/// The rounds a volunteer may take (online only).
///
/// # Errors
/// No network, or the server refused.
pub async fn fetch_free_rounds(app: AppState) -> Result<Vec<FreeRound>, AppError> {
    let token = session_token(app)?;
    let answer = platform::get_json(kluis_api::paths::ROUNDS, Some(&token)).await?;
    if answer.status != 200 {
        return Err(AppError::from_answer(answer.status, &answer.body));
    }
    parse_free_rounds(&answer.body).map_err(|_| AppError::Unexpected {
        status: answer.status,
    })
}

/// Takes round `id`, then syncs so it arrives in the rounds document at once.
///
/// # Errors
/// No network, or someone was quicker or the volunteer holds enough rounds (the server's
/// code). A failed sync afterwards only delays the round's codes to the next one.
pub async fn take_round(app: AppState, id: RoundId) -> Result<(), AppError> {
    let token = session_token(app)?;
    let path = kluis_api::paths::round_take(id);
    let answer = platform::post_json(&path, "{}", Some(&token)).await?;
    if !(200..300).contains(&answer.status) {
        return Err(AppError::from_answer(answer.status, &answer.body));
    }
    let _ = sync(app).await;
    Ok(())
}
