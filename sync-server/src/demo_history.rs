//! The demo's past year: what a city's Kluis holds after twelve months of use, so the yearly
//! evaluation, the audit trail and the safes' histories have something to show on the first
//! start. Every row is dated in the year before `now` and written with the audit rows the
//! real flows would have written, at the server's time they would have had.
//!
//! Nothing here is left open: requests are installed or declined, reports handled, repairs
//! done. The screens' open lists (what the browser tests drive) stay as the demo had them.
//! Reveals are only by carers no test signs in as, so what a carer "has seen" stays what
//! the test made them see. Everything is dated before the start, so a test can tell its own
//! rows by the server's time.

mod door;

use kluis_api::registry::FieldChange;
use kluis_crypto::SecretKey;
use kluis_domain::codegen::{CodeRules, generate_codes_for};
use kluis_domain::ids::{CodeId, EventId, OrgId, PersonId, RequestId, SafeId};
use kluis_domain::model::{AuditKind, Code, CodeState, Role, SafeStatus};
use kluis_domain::rng::RandomSource;
use kluis_domain::time::{Date, Timestamp};
use rusqlite::{Connection, params};

use crate::clock::ghent_day_start;
use crate::db::audit_chain::{Chain, NewRow};
use crate::db::registry;
use crate::demo::DemoData;
use crate::error::ServerError;

const DAY: i64 = 86_400_000;
const HOUR: i64 = 3_600_000;

/// The quarantine of retired codes (`coordinator_settings.quarantine_days`, 30): an older
/// code blocks nobody's next code, so the past codes do not narrow what campaigns can draw.
const QUARANTINE_DAYS: i64 = 31;

/// Carers whose reveals are seeded (the tests sign in as the others).
const REVEALERS: [&str; 8] = [
    "carer.imens.3",
    "carer.imens.4",
    "carer.partena.3",
    "carer.partena.4",
    "carer.wgc.3",
    "carer.wgc.4",
    "carer.zelfstandigen.3",
    "carer.zelfstandigen.4",
];

fn below(rng: &mut dyn RandomSource, n: u64) -> i64 {
    i64::try_from(rng.below(n)).unwrap_or(0)
}

/// `hour` o'clock in Ghent on `day`.
fn at_hour(day: Date, hour: i64) -> Timestamp {
    ghent_day_start(day).plus_millis(hour * HOUR)
}

struct Ctx<'a> {
    tx: &'a Connection,
    data: &'a DemoData,
    rng: &'a mut dyn RandomSource,
    now: Timestamp,
    coordinator: PersonId,
}

impl Ctx<'_> {
    /// The first person of `org` with `role`.
    fn of(&self, org: OrgId, role: Role) -> Option<PersonId> {
        self.data
            .people
            .iter()
            .find(|p| p.person.org == org && p.person.role == role)
            .map(|p| p.person.id)
    }

    #[allow(clippy::too_many_arguments)]
    fn audit(
        &mut self,
        at: Timestamp,
        person: Option<PersonId>,
        kind: AuditKind,
        safe: Option<SafeId>,
        building: Option<kluis_domain::ids::BuildingId>,
        detail: &str,
    ) -> Result<(), ServerError> {
        let id = EventId::random(self.rng).to_string();
        let (person, safe, building) = (
            person.map(|p| p.to_string()),
            safe.map(|s| s.to_string()),
            building.map(|b| b.to_string()),
        );
        Chain::at_head(self.tx)?.append(
            self.tx,
            &NewRow {
                id: &id,
                at: at.millis(),
                recorded_at: at.millis(),
                person: person.as_deref(),
                kind: kind.as_str(),
                safe: safe.as_deref(),
                building: building.as_deref(),
                detail,
                ..NewRow::default()
            },
        )?;
        Ok(())
    }
}

fn changes(list: &[(&str, &str, &str)]) -> String {
    let list: Vec<FieldChange> = list
        .iter()
        .map(|(f, b, a)| FieldChange {
            field: (*f).into(),
            before: (*b).into(),
            after: (*a).into(),
        })
        .collect();
    serde_json::to_string(&list).unwrap_or_default()
}

/// Seeds the past year into `tx`, after the demo registry and its campaign.
pub fn seed(
    tx: &Connection,
    key: &SecretKey,
    data: &DemoData,
    now: Timestamp,
    rng: &mut dyn RandomSource,
) -> Result<(), ServerError> {
    let coordinator = data
        .people
        .iter()
        .find(|p| p.person.role == Role::Coordinator)
        .map(|p| p.person.id)
        .ok_or_else(|| ServerError::Invalid("the demo has no coordinator".into()))?;
    let mut ctx = Ctx {
        tx,
        data,
        rng,
        now,
        coordinator,
    };
    past_codes(&mut ctx, key)?;
    requests(&mut ctx)?;
    door::reports(&mut ctx)?;
    reveals(&mut ctx)?;
    Ok(())
}

/// The code before each current one: set about six months earlier (a few rounds late), or
/// a few days after the installation for a safe hung within the year. Only where the change
/// to the current code lies beyond the quarantine.
fn past_codes(ctx: &mut Ctx<'_>, key: &SecretKey) -> Result<(), ServerError> {
    let data = ctx.data;
    let today = crate::clock::today_in_ghent(ctx.now);
    let mut wanted: Vec<(SafeId, kluis_domain::ids::SafeModelId, Timestamp, Timestamp)> =
        Vec::new();
    for code in &data.codes {
        let Some(activated) = code.activated_at else {
            continue;
        };
        if activated.millis() > ctx.now.millis() - QUARANTINE_DAYS * DAY {
            continue;
        }
        let Some(safe) = data.safes.iter().find(|s| s.id == code.safe) else {
            continue;
        };
        // Mostly within the six months; one in ten a couple of weeks late.
        let back = if ctx.rng.below(10) == 0 {
            186 + below(ctx.rng, 20)
        } else {
            150 + below(ctx.rng, 31)
        };
        let mut since = activated.plus_millis(-back * DAY);
        if let Some(installed) = safe.installed_on {
            let first = at_hour(installed.add_days(1 + below(ctx.rng, 6)), 11);
            // Hung within the year: the code before the current one was its first.
            if installed > today.add_days(-400) && first.millis() < activated.millis() {
                since = first;
            }
            if since.millis() < at_hour(installed, 12).millis() {
                continue;
            }
        }
        wanted.push((safe.id, safe.model, since, activated));
    }
    let rules = CodeRules::default();
    for model in &data.models {
        let mine: Vec<_> = wanted.iter().filter(|w| w.1 == model.id).collect();
        let values = generate_codes_for(model, mine.len(), &[], &rules, ctx.rng)?;
        for (w, value) in mine.into_iter().zip(values) {
            let (safe, _, since, until) = *w;
            registry::insert_code(
                ctx.tx,
                key,
                &Code {
                    id: CodeId::random(ctx.rng),
                    safe,
                    value,
                    state: CodeState::Retired,
                    created_at: since.plus_millis(-2 * DAY),
                    activated_at: Some(since),
                    retired_at: Some(until),
                },
            )?;
        }
    }
    Ok(())
}

/// A request per safe installed within the year (made weeks before, approved, registered
/// installed on its day), and a few declined ones.
fn requests(ctx: &mut Ctx<'_>) -> Result<(), ServerError> {
    let data = ctx.data;
    let today = crate::clock::today_in_ghent(ctx.now);
    let year_ago = today.add_days(-365);
    let hung: Vec<_> = data
        .safes
        .iter()
        .filter(|s| s.status != SafeStatus::Requested)
        .filter_map(|s| s.installed_on.filter(|d| *d > year_ago).map(|d| (s, d)))
        .collect();
    for (safe, installed) in hung {
        let Some(building) = data.buildings.iter().find(|b| b.id == safe.building) else {
            continue;
        };
        let service = data
            .activities
            .iter()
            .find(|a| a.building == building.id)
            .map(|a| a.service);
        let Some(service) = service else { continue };
        let (Some(admin), Some(staff)) = (
            ctx.of(service, Role::ServiceAdmin),
            ctx.of(building.owner, Role::HousingStaff),
        ) else {
            continue;
        };
        // Registered that afternoon, or just now for a safe hung this morning.
        let installed_at =
            Timestamp::from_millis(at_hour(installed, 15).millis().min(ctx.now.millis() - HOUR));
        let asked = at_hour(installed.add_days(-6 - below(ctx.rng, 35)), 10);
        let reviewed = asked.plus_millis((1 + below(ctx.rng, 4)) * DAY);
        let id = RequestId::random(ctx.rng);
        ctx.tx.execute(
            "INSERT INTO safe_requests (id, building_id, street, numbers, postcode, city, apartments,
                reason, contact, service_id, requested_by, requested_at, status, reviewed_by,
                reviewed_at, model_id, owner_org_id, safe_id, installed_by, installed_at)
             SELECT ?1, b.id, b.street, b.numbers, b.postcode, b.city, MAX(b.apartments, 1),
                'Meerdere bewoners krijgen thuiszorg', 'Conciërge', ?2, ?3, ?4, 'installed', ?5,
                ?6, ?7, b.owner_org_id, ?8, ?9, ?10
             FROM buildings b WHERE b.id = ?11",
            params![
                id.to_string(),
                service.to_string(),
                admin.to_string(),
                asked.millis(),
                ctx.coordinator.to_string(),
                reviewed.millis(),
                safe.model.to_string(),
                safe.id.to_string(),
                staff.to_string(),
                installed_at.millis(),
                building.id.to_string()
            ],
        )?;
        let b = Some(building.id);
        let s = Some(safe.id);
        let (coordinator, day) = (ctx.coordinator, installed.to_string());
        ctx.audit(asked, Some(admin), AuditKind::SafeRequested, None, b, "[]")?;
        let approved = changes(&[("status", "requested", "approved")]);
        ctx.audit(
            reviewed,
            Some(coordinator),
            AuditKind::RequestReviewed,
            s,
            b,
            &approved,
        )?;
        let status = changes(&[
            ("status", "requested", "installed"),
            ("installed_on", "", &day),
        ]);
        ctx.audit(
            installed_at,
            Some(staff),
            AuditKind::SafeChanged,
            s,
            b,
            &status,
        )?;
        let hung = changes(&[("installed_on", "", &day)]);
        ctx.audit(
            installed_at,
            Some(staff),
            AuditKind::RequestInstalled,
            s,
            b,
            &hung,
        )?;
    }
    let declined = [
        (
            "Sint-Pietersnieuwstraat",
            "12",
            "Er hangt al een kluis aan de achterdeur",
        ),
        (
            "Kortrijksesteenweg",
            "301",
            "Eengezinswoning: valt buiten de afspraak",
        ),
        (
            "Dampoortstraat",
            "44",
            "De maatschappij plaatst er een videofoon",
        ),
    ];
    let services: Vec<OrgId> = data.activities.iter().map(|a| a.service).collect();
    for (i, (street, numbers, why)) in declined.into_iter().enumerate() {
        let Some(&service) = services.get(i * 37 % services.len().max(1)) else {
            continue;
        };
        let Some(admin) = ctx.of(service, Role::ServiceAdmin) else {
            continue;
        };
        let asked = at_hour(today.add_days(-300 + 90 * i as i64), 10);
        let reviewed = asked.plus_millis(2 * DAY);
        ctx.tx.execute(
            "INSERT INTO safe_requests (id, street, numbers, postcode, city, apartments, reason,
                contact, service_id, requested_by, requested_at, status, reviewed_by, reviewed_at,
                decline_reason)
             VALUES (?1, ?2, ?3, '9000', 'Gent', 6, 'Bewoners krijgen thuiszorg', '', ?4, ?5, ?6,
                'declined', ?7, ?8, ?9)",
            params![
                RequestId::random(ctx.rng).to_string(),
                street,
                numbers,
                service.to_string(),
                admin.to_string(),
                asked.millis(),
                ctx.coordinator.to_string(),
                reviewed.millis(),
                why
            ],
        )?;
        let coordinator = ctx.coordinator;
        ctx.audit(
            asked,
            Some(admin),
            AuditKind::SafeRequested,
            None,
            None,
            "[]",
        )?;
        let no = changes(&[("status", "requested", "declined")]);
        ctx.audit(
            reviewed,
            Some(coordinator),
            AuditKind::RequestReviewed,
            None,
            None,
            &no,
        )?;
    }
    Ok(())
}

/// "Toon code" through the year, a few days a week, of safes the carer's service works at.
fn reveals(ctx: &mut Ctx<'_>) -> Result<(), ServerError> {
    let data = ctx.data;
    let mut chain = Chain::at_head(ctx.tx)?;
    let carers: Vec<(PersonId, OrgId)> = data
        .people
        .iter()
        .filter(|p| REVEALERS.contains(&p.person.login.as_str()))
        .map(|p| (p.person.id, p.person.org))
        .collect();
    for (carer, service) in carers {
        let scope: Vec<SafeId> = data
            .activities
            .iter()
            .filter(|a| a.service == service)
            .filter_map(|a| {
                data.safes
                    .iter()
                    .find(|s| s.building == a.building && s.status == SafeStatus::Active)
            })
            .map(|s| s.id)
            .collect();
        if scope.is_empty() {
            continue;
        }
        let mut t = ctx.now.millis() - 365 * DAY + below(ctx.rng, 3) * DAY;
        while t < ctx.now.millis() - DAY {
            let safe = scope[usize::try_from(ctx.rng.below(scope.len() as u64)).unwrap_or(0)];
            let at = t + (7 + below(ctx.rng, 11)) * HOUR;
            // Offline in a stairwell: the server has it when the phone syncs again.
            let received = at + below(ctx.rng, 90) * 60_000;
            let (id, carer, safe) = (
                EventId::random(ctx.rng).to_string(),
                carer.to_string(),
                safe.to_string(),
            );
            chain.append(
                ctx.tx,
                &NewRow {
                    id: &id,
                    at,
                    recorded_at: received,
                    person: Some(&carer),
                    kind: AuditKind::CodeRevealed.as_str(),
                    safe: Some(&safe),
                    ..NewRow::default()
                },
            )?;
            t += (1 + below(ctx.rng, 3)) * DAY;
        }
    }
    Ok(())
}
