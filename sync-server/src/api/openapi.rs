//! The OpenAPI 3 description, generated from the handlers' annotations.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{
    activity, admin, attention, audit, auth, campaigns, confirmations, door, evaluation, events,
    import, people, registry, reports, requests, rounds, settings, sync,
};

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Kluis sync server", description = "Key-safe codes for home-care workers: sign-in, device sync, revocation, the code lifecycle (campaigns, volunteer rounds, leaks, repairs), the registry and people."),
    paths(auth::login, auth::me, auth::logout, sync::sync, events::events, admin::devices, admin::revoke_device, admin::revoke_person,
          admin::safe_code, admin::rotate, attention::attention, audit::page, audit::export, audit::exposure, audit::change, audit::set_policy, evaluation::get, evaluation::export,
          campaigns::create, campaigns::list, campaigns::detail, campaigns::next_wave, campaigns::leaked,
          campaigns::assign, rounds::list, rounds::take, reports::due, reports::code_space,
          reports::history, door::repairs, door::plan, door::resolve, door::list, door::handle,
          settings::get, settings::put, settings::put_devices, settings::add_closing_day, settings::remove_closing_day,
          registry::organisations, registry::add_organisation, registry::edit_organisation,
          registry::models, registry::add_model, registry::buildings_list, registry::building,
          registry::add_building, registry::edit_building, registry::add_safe, registry::edit_safe,
          registry::set_services, registry::building_history,
          activity::set_buildings, import::import, import::export, import::export_with_codes,
          confirmations::overview, confirmations::open, confirmations::mine, confirmations::answer,
          requests::list, requests::create, requests::review, requests::installed,
          people::list, people::add, people::edit, people::invite, people::reactivate, people::activate),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
