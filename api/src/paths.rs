//! Where each endpoint lives. The server's router and OpenAPI use the templates (`{id}`), the
//! app the functions, which take typed ids so nothing a user typed becomes part of a path.

use kluis_domain::ids::{
    BuildingId, CampaignId, DeviceId, OrgId, PersonId, RepairId, RoundId, SafeId,
};
use kluis_domain::time::Date;

pub const LOGIN: &str = "/api/login";
pub const ME: &str = "/api/me";
pub const LOGOUT: &str = "/api/logout";
pub const SYNC: &str = "/api/sync";
pub const EVENTS: &str = "/api/events";
pub const OPENAPI: &str = "/api/openapi.json";
pub const ATTENTION: &str = "/api/attention";

pub const DEVICES: &str = "/api/admin/devices";
pub const DEVICE_REVOKE: &str = "/api/admin/devices/{id}/revoke";
pub const PERSON_REVOKE: &str = "/api/admin/people/{id}/revoke";
pub const SAFE_CODE: &str = "/api/admin/safes/{id}/code";
pub const SAFE_ROTATE: &str = "/api/admin/safes/{id}/rotate";
pub const SAFE_LEAKED: &str = "/api/admin/safes/{id}/leaked";
pub const SAFE_HISTORY: &str = "/api/admin/safes/{id}/history";
pub const AUDIT: &str = "/api/admin/audit";
pub const AUDIT_CSV: &str = "/api/admin/audit/export";
pub const EVALUATION: &str = "/api/admin/evaluation";
pub const EVALUATION_CSV: &str = "/api/admin/evaluation/export";
pub const REVOCATION_POLICY: &str = "/api/admin/revocation-policy";
pub const PERSON_EXPOSURE: &str = "/api/admin/people/{id}/exposure";
pub const PERSON_EXPOSURE_CHANGE: &str = "/api/admin/people/{id}/exposure/change";
pub const CAMPAIGNS: &str = "/api/admin/campaigns";
pub const CAMPAIGN: &str = "/api/admin/campaigns/{id}";
pub const CAMPAIGN_NEXT_WAVE: &str = "/api/admin/campaigns/{id}/next-wave";
pub const ROUND_ASSIGN: &str = "/api/admin/rounds/{id}/assign";
pub const DUE: &str = "/api/admin/due";
pub const CODE_SPACE: &str = "/api/admin/code-space";
pub const REPAIRS: &str = "/api/admin/repairs";
pub const REPAIR_RESOLVE: &str = "/api/admin/repairs/{id}/resolve";
pub const REPAIR_PLAN: &str = "/api/admin/repairs/{id}/plan";
pub const DOOR_REPORTS: &str = "/api/door-reports";
pub const DOOR_REPORTS_HANDLE: &str = "/api/door-reports/{id}/handle";
pub const SETTINGS: &str = "/api/admin/settings";
pub const DEVICE_SETTINGS: &str = "/api/admin/device-settings";
pub const CLOSING_DAYS: &str = "/api/admin/closing-days";
pub const CLOSING_DAY: &str = "/api/admin/closing-days/{day}";
pub const ORGANISATIONS: &str = "/api/admin/organisations";
pub const ORGANISATION: &str = "/api/admin/organisations/{id}";
pub const ORGANISATION_BUILDINGS: &str = "/api/admin/organisations/{id}/buildings";
pub const MODELS: &str = "/api/admin/models";
pub const BUILDINGS: &str = "/api/admin/buildings";
pub const BUILDING: &str = "/api/admin/buildings/{id}";
pub const BUILDING_SAFES: &str = "/api/admin/buildings/{id}/safes";
pub const BUILDING_SERVICES: &str = "/api/admin/buildings/{id}/services";
pub const BUILDING_HISTORY: &str = "/api/admin/buildings/{id}/history";
pub const SAFE: &str = "/api/admin/safes/{id}";
pub const PEOPLE: &str = "/api/admin/people";
pub const PERSON: &str = "/api/admin/people/{id}";
pub const PERSON_INVITE: &str = "/api/admin/people/{id}/invite";
pub const PERSON_REACTIVATE: &str = "/api/admin/people/{id}/reactivate";
pub const ACTIVATE: &str = "/api/activate";
pub const CONFIRMATIONS: &str = "/api/admin/confirmations";
pub const CONFIRMATION_MINE: &str = "/api/admin/confirmations/mine";
pub const REGISTRY_IMPORT: &str = "/api/admin/registry/import";
pub const REGISTRY_EXPORT: &str = "/api/admin/registry/export";
pub const REGISTRY_EXPORT_CODES: &str = "/api/admin/registry/export-with-codes";
pub const REQUESTS: &str = "/api/requests";
pub const REQUEST_REVIEW: &str = "/api/requests/{id}/review";
pub const REQUEST_INSTALLED: &str = "/api/requests/{id}/installed";
pub const ROUNDS: &str = "/api/rounds";
pub const ROUND_TAKE: &str = "/api/rounds/{id}/take";

fn fill(template: &str, id: impl std::fmt::Display) -> String {
    template.replacen("{id}", &id.to_string(), 1)
}

pub fn device_revoke(id: DeviceId) -> String {
    fill(DEVICE_REVOKE, id)
}
pub fn person_revoke(id: PersonId) -> String {
    fill(PERSON_REVOKE, id)
}
pub fn person_exposure(id: PersonId) -> String {
    fill(PERSON_EXPOSURE, id)
}
pub fn person_exposure_change(id: PersonId) -> String {
    fill(PERSON_EXPOSURE_CHANGE, id)
}
pub fn safe_code(id: SafeId) -> String {
    fill(SAFE_CODE, id)
}
pub fn safe_rotate(id: SafeId) -> String {
    fill(SAFE_ROTATE, id)
}
pub fn safe_leaked(id: SafeId) -> String {
    fill(SAFE_LEAKED, id)
}
pub fn safe_history(id: SafeId) -> String {
    fill(SAFE_HISTORY, id)
}
pub fn campaign(id: CampaignId) -> String {
    fill(CAMPAIGN, id)
}
pub fn campaign_next_wave(id: CampaignId) -> String {
    fill(CAMPAIGN_NEXT_WAVE, id)
}
pub fn round_assign(id: RoundId) -> String {
    fill(ROUND_ASSIGN, id)
}
pub fn repair_resolve(id: RepairId) -> String {
    fill(REPAIR_RESOLVE, id)
}
pub fn repair_plan(id: RepairId) -> String {
    fill(REPAIR_PLAN, id)
}
pub fn door_reports_handle(id: SafeId) -> String {
    fill(DOOR_REPORTS_HANDLE, id)
}
pub fn organisation(id: OrgId) -> String {
    fill(ORGANISATION, id)
}
pub fn organisation_buildings(id: OrgId) -> String {
    fill(ORGANISATION_BUILDINGS, id)
}
pub fn building(id: BuildingId) -> String {
    fill(BUILDING, id)
}
pub fn building_safes(id: BuildingId) -> String {
    fill(BUILDING_SAFES, id)
}
pub fn building_services(id: BuildingId) -> String {
    fill(BUILDING_SERVICES, id)
}
pub fn building_history(id: BuildingId) -> String {
    fill(BUILDING_HISTORY, id)
}
pub fn safe(id: SafeId) -> String {
    fill(SAFE, id)
}
pub fn person(id: PersonId) -> String {
    fill(PERSON, id)
}
pub fn person_invite(id: PersonId) -> String {
    fill(PERSON_INVITE, id)
}
pub fn person_reactivate(id: PersonId) -> String {
    fill(PERSON_REACTIVATE, id)
}
pub fn round_take(id: RoundId) -> String {
    fill(ROUND_TAKE, id)
}
pub fn closing_day(day: Date) -> String {
    CLOSING_DAY.replacen("{day}", &day.to_string(), 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_ids_fill_the_templates() {
        let safe = SafeId::from_bytes([0xab; 16]);
        assert_eq!(
            safe_history(safe),
            format!("/api/admin/safes/{}/history", "ab".repeat(16))
        );
        let day = Date::new(2026, 12, 24).expect("date");
        assert_eq!(closing_day(day), "/api/admin/closing-days/2026-12-24");
    }
}
