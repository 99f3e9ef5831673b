//! The texts of the audit screen (every kind of event and the groups it filters by) and of a
//! revoked person's codes. See [`super`] for the rules.

use kluis_domain::model::{AuditGroup, AuditKind};

use super::{Count, Lang, t, texts};

texts! {
    /// A text of the audit screen.
    plain AuditKey {
        Title { nl: "Logboek", en: "Audit trail" }
        TeamTitle { nl: "Inzage door uw zorgverleners", en: "Your carers' code views" }
        TeamLink { nl: "Inzage", en: "Code views" }
        Explain {
            nl: "Alles wat er met codes, meldingen, aanvragen, toegang en het register gebeurde, het nieuwste eerst, op het uur dat de server het ontving.",
            en: "Everything that happened with codes, reports, requests, access and the registry, newest first, at the time the server received it.",
        }
        TeamExplain {
            nl: "Wanneer uw zorgverleners een code bekeken, het nieuwste eerst.",
            en: "When your carers viewed a code, newest first.",
        }
        FilterGroup { nl: "Soort", en: "Kind" }
        FilterKind { nl: "Gebeurtenis", en: "Event" }
        FilterOrg { nl: "Organisatie", en: "Organisation" }
        FilterPerson { nl: "Persoon", en: "Person" }
        FilterFrom { nl: "Van", en: "From" }
        FilterTo { nl: "Tot en met", en: "Up to and including" }
        FilterSafe { nl: "Kluis", en: "Safe" }
        Everything { nl: "Alles", en: "Everything" }
        Everyone { nl: "Iedereen", en: "Everyone" }
        Apply { nl: "Toon", en: "Show" }
        Clear { nl: "Wis filters", en: "Clear filters" }
        OnlyThisSafe { nl: "Alleen deze kluis", en: "Only this safe" }
        AllSafes { nl: "alle kluizen", en: "all safes" }
        Newer { nl: "Nieuwer", en: "Newer" }
        Older { nl: "Ouder", en: "Older" }
        ColWhen { nl: "Ontvangen", en: "Received" }
        ColWhat { nl: "Gebeurtenis", en: "Event" }
        ColWho { nl: "Wie", en: "Who" }
        ColWhere { nl: "Adres", en: "Address" }
        ColAbout { nl: "Over", en: "About" }
        ColDetail { nl: "Details", en: "Details" }
        ColDeviceTime { nl: "Tijd op het toestel", en: "Time on the device" }
        ColOrg { nl: "Organisatie", en: "Organisation" }
        NoRows { nl: "Geen gebeurtenissen voor deze keuze.", en: "No events for this choice." }
        System { nl: "Kluis (automatisch)", en: "Kluis (automatic)" }
        ErrPeriod { nl: "De begindatum ligt na de einddatum.", en: "The start date is after the end date." }
        GroupReveals { nl: "Code bekeken", en: "Code viewed" }
        GroupCodes { nl: "Codes en campagnes", en: "Codes and campaigns" }
        GroupProblems { nl: "Lekken, meldingen en herstellingen", en: "Leaks, reports and repairs" }
        GroupRequests { nl: "Aanvragen", en: "Requests" }
        GroupAccess { nl: "Aanmelden en toegang", en: "Sign-ins and access" }
        GroupRegistry { nl: "Register en instellingen", en: "Registry and settings" }
        KindCodeRevealed { nl: "Code bekeken", en: "Code viewed" }
        KindCodeSet { nl: "Code gewijzigd", en: "Code changed" }
        KindChangeFailed { nl: "Wijziging niet gelukt", en: "Change failed" }
        KindEventRefused { nl: "Geweigerd van een toestel", en: "Refused from a device" }
        KindCodeLeaked { nl: "Lek gemeld", en: "Leak reported" }
        KindCampaignCreated { nl: "Campagne gepland", en: "Campaign planned" }
        KindRoundAssigned { nl: "Ronde toegewezen", en: "Round assigned" }
        KindRoundTaken { nl: "Ronde genomen", en: "Round taken" }
        KindDeviceRevoked { nl: "Toestel ingetrokken", en: "Device revoked" }
        KindPersonRevoked { nl: "Persoon gedeactiveerd", en: "Person deactivated" }
        KindTokenReuse { nl: "Toestel gekopieerd (token hergebruikt)", en: "Device copied (token reused)" }
        KindSettingsChanged { nl: "Instellingen gewijzigd", en: "Settings changed" }
        KindClosingDayAdded { nl: "Sluitingsdag toegevoegd", en: "Closing day added" }
        KindClosingDayRemoved { nl: "Sluitingsdag verwijderd", en: "Closing day removed" }
        KindOrganisationAdded { nl: "Organisatie toegevoegd", en: "Organisation added" }
        KindOrganisationChanged { nl: "Organisatie gewijzigd", en: "Organisation changed" }
        KindBuildingAdded { nl: "Gebouw toegevoegd", en: "Building added" }
        KindBuildingChanged { nl: "Gebouw gewijzigd", en: "Building changed" }
        KindSafeAdded { nl: "Kluis toegevoegd", en: "Safe added" }
        KindSafeChanged { nl: "Kluis gewijzigd", en: "Safe changed" }
        KindModelAdded { nl: "Model toegevoegd", en: "Model added" }
        KindActivityChanged { nl: "Diensten op het adres gewijzigd", en: "Services at the address changed" }
        KindPersonAdded { nl: "Persoon toegevoegd", en: "Person added" }
        KindPersonChanged { nl: "Persoon gewijzigd", en: "Person changed" }
        KindPersonReactivated { nl: "Persoon opnieuw geactiveerd", en: "Person reactivated" }
        KindInvitationIssued { nl: "Activatiecode gemaakt", en: "Activation code issued" }
        KindAccountActivated { nl: "Account geactiveerd", en: "Account activated" }
        KindAccessExpired { nl: "Toegang verlopen", en: "Access expired" }
        KindCodeImported { nl: "Code ingelezen", en: "Code imported" }
        KindRegistryImported { nl: "Register ingelezen", en: "Registry imported" }
        KindCodesExported { nl: "Register met codes gedownload", en: "Registry with codes downloaded" }
        KindConfirmationOpened { nl: "Bevestigingsronde geopend", en: "Confirmation round opened" }
        KindActivityConfirmed { nl: "Adres bevestigd of geschrapt", en: "Address confirmed or removed" }
        KindConfirmationClosed { nl: "Bevestigingsronde afgesloten", en: "Confirmation round closed" }
        KindSafeRequested { nl: "Kluis aangevraagd", en: "Safe requested" }
        KindRequestReviewed { nl: "Aanvraag beoordeeld", en: "Request reviewed" }
        KindRequestInstalled { nl: "Aangevraagde kluis geplaatst", en: "Requested safe installed" }
        KindProblemReported { nl: "Melding aan de deur", en: "Report from the door" }
        KindReportsHandled { nl: "Meldingen behandeld", en: "Reports handled" }
        KindUrgentChangePlanned { nl: "Dringende wijziging gepland", en: "Urgent change planned" }
        KindRepairPlanned { nl: "Herstelling gepland", en: "Repair planned" }
        KindRepairDone { nl: "Herstelling uitgevoerd", en: "Repair done" }
        KindExposedCodeChange { nl: "Nieuwe code na deactivering", en: "New code after deactivation" }
        KindSignedIn { nl: "Aangemeld", en: "Signed in" }
        KindSignInFailed { nl: "Aanmelden mislukt", en: "Sign-in failed" }
        KindSignInLimited { nl: "Aanmelden tijdelijk geweigerd", en: "Sign-in held back" }
        KindSignedOut { nl: "Afgemeld", en: "Signed out" }
        KindCodeViewed { nl: "Code ingezien door de coördinator", en: "Code looked up by the coordinator" }
        KindCodeRotated { nl: "Code meteen gewijzigd", en: "Code changed at once" }
        KindWavePlanned { nl: "Volgende golf gepland", en: "Next wave planned" }
        KindAdminCommand { nl: "Beheeropdracht op de server", en: "Command on the server" }
        ExposureTitle { nl: "Codes die deze persoon zag", en: "Codes this person saw" }
        ExposureLink { nl: "Geziene codes", en: "Codes seen" }
        ExposureExplain {
            nl: "Elke kluis waarvan deze persoon de code opende in de laatste 6 maanden. Is de code sindsdien niet gewijzigd, dan kent deze persoon ze nog.",
            en: "Every safe whose code this person opened in the last 6 months. If the code has not changed since, they still know it.",
        }
        ExposureNone { nl: "Deze persoon opende de laatste 6 maanden geen enkele code.", en: "This person opened no code in the last 6 months." }
        ExposureAllDone { nl: "Geen enkele kluis wacht nog: elke code is gewijzigd of gepland.", en: "No safe is waiting: every code has changed or is planned." }
        ExposureStillActive {
            nl: "Deze persoon is nog actief. Deactiveer eerst, of plan de wijziging als de codes om een andere reden niet meer veilig zijn.",
            en: "This person is still active. Deactivate them first, or plan the change if the codes are no longer safe for another reason.",
        }
        StateChanged { nl: "gewijzigd", en: "changed" }
        StatePlanned { nl: "gepland", en: "planned" }
        StateOpen { nl: "kent de code nog", en: "still knows the code" }
        ColLastSeen { nl: "Laatst geopend", en: "Last opened" }
        ColTimes { nl: "Keer", en: "Times" }
        ColExposure { nl: "Stand", en: "Status" }
        PolicyTitle { nl: "Bij deactivering", en: "On deactivation" }
        PolicyLabel {
            nl: "Plan meteen een dringende wijziging van de codes die de persoon zag",
            en: "Plan an urgent change of the codes the person saw at once",
        }
        PolicySaved { nl: "Bewaard.", en: "Saved." }
    }

    /// A text of the audit screen with values in it.
    filled AuditMsg<'a> {
        Rows(from: Count, to: Count, total: Count) {
            nl: [total: "{from}–{to} van 1 gebeurtenis", "{from}–{to} van {total} gebeurtenissen"],
            en: [total: "{from}–{to} of 1 event", "{from}–{to} of {total} events"],
        }
        OnlySafe(address: &'a str) {
            nl: "Alleen {address}",
            en: "Only {address}",
        }
        ExportCapped(n: Count) {
            nl: "Het bestand bevat de nieuwste {n} gebeurtenissen; kies een kortere periode voor de rest.",
            en: "The file holds the newest {n} events; choose a shorter period for the rest.",
        }
        Since(date: &'a str) {
            nl: "Sinds {date}",
            en: "Since {date}",
        }
        OpenSafes(n: Count) {
            nl: [n: "1 kluis waarvan de code nog dezelfde is", "{n} kluizen waarvan de code nog dezelfde is"],
            en: [n: "1 safe whose code is still the same", "{n} safes whose code is still the same"],
        }
        PlanChange(n: Count, date: &'a str) {
            nl: [n: "Nieuwe code plannen voor 1 kluis, uiterlijk {date}", "Nieuwe code plannen voor {n} kluizen, uiterlijk {date}"],
            en: [n: "Plan a new code for 1 safe, due {date}", "Plan a new code for {n} safes, due {date}"],
        }
        Planned(n: Count, date: &'a str) {
            nl: [n: "1 kluis krijgt een nieuwe code, uiterlijk {date}.", "{n} kluizen krijgen een nieuwe code, uiterlijk {date}."],
            en: [n: "1 safe gets a new code, due {date}.", "{n} safes get a new code, due {date}."],
        }
        PlannedDue(date: &'a str) {
            nl: "gepland, uiterlijk {date}",
            en: "planned, due {date}",
        }
        About(name: &'a str) {
            nl: "over {name}",
            en: "about {name}",
        }
        DeviceSaid(time: &'a str) {
            nl: "toestel: {time}",
            en: "device: {time}",
        }
    }
}

/// What a group of events is called in the filter.
pub fn group_label(lang: Lang, group: AuditGroup) -> &'static str {
    use AuditGroup as G;
    t(
        lang,
        match group {
            G::Reveals => AuditKey::GroupReveals,
            G::Codes => AuditKey::GroupCodes,
            G::Problems => AuditKey::GroupProblems,
            G::Requests => AuditKey::GroupRequests,
            G::Access => AuditKey::GroupAccess,
            G::Registry => AuditKey::GroupRegistry,
        },
    )
}

/// What an event is called on the audit screen and in its CSV.
pub fn kind_label(lang: Lang, kind: AuditKind) -> &'static str {
    use AuditKey as A;
    use AuditKind as K;
    t(
        lang,
        match kind {
            K::CodeRevealed => A::KindCodeRevealed,
            K::CodeSet => A::KindCodeSet,
            K::ChangeFailed => A::KindChangeFailed,
            K::EventRefused => A::KindEventRefused,
            K::CodeLeaked => A::KindCodeLeaked,
            K::CampaignCreated => A::KindCampaignCreated,
            K::RoundAssigned => A::KindRoundAssigned,
            K::RoundTaken => A::KindRoundTaken,
            K::DeviceRevoked => A::KindDeviceRevoked,
            K::PersonRevoked => A::KindPersonRevoked,
            K::TokenReuse => A::KindTokenReuse,
            K::SettingsChanged => A::KindSettingsChanged,
            K::ClosingDayAdded => A::KindClosingDayAdded,
            K::ClosingDayRemoved => A::KindClosingDayRemoved,
            K::OrganisationAdded => A::KindOrganisationAdded,
            K::OrganisationChanged => A::KindOrganisationChanged,
            K::BuildingAdded => A::KindBuildingAdded,
            K::BuildingChanged => A::KindBuildingChanged,
            K::SafeAdded => A::KindSafeAdded,
            K::SafeChanged => A::KindSafeChanged,
            K::ModelAdded => A::KindModelAdded,
            K::ActivityChanged => A::KindActivityChanged,
            K::PersonAdded => A::KindPersonAdded,
            K::PersonChanged => A::KindPersonChanged,
            K::PersonReactivated => A::KindPersonReactivated,
            K::InvitationIssued => A::KindInvitationIssued,
            K::AccountActivated => A::KindAccountActivated,
            K::AccessExpired => A::KindAccessExpired,
            K::CodeImported => A::KindCodeImported,
            K::RegistryImported => A::KindRegistryImported,
            K::CodesExported => A::KindCodesExported,
            K::ConfirmationOpened => A::KindConfirmationOpened,
            K::ActivityConfirmed => A::KindActivityConfirmed,
            K::ConfirmationClosed => A::KindConfirmationClosed,
            K::SafeRequested => A::KindSafeRequested,
            K::RequestReviewed => A::KindRequestReviewed,
            K::RequestInstalled => A::KindRequestInstalled,
            K::ProblemReported => A::KindProblemReported,
            K::ReportsHandled => A::KindReportsHandled,
            K::UrgentChangePlanned => A::KindUrgentChangePlanned,
            K::RepairPlanned => A::KindRepairPlanned,
            K::RepairDone => A::KindRepairDone,
            K::ExposedCodeChange => A::KindExposedCodeChange,
            K::SignedIn => A::KindSignedIn,
            K::SignInFailed => A::KindSignInFailed,
            K::SignInLimited => A::KindSignInLimited,
            K::SignedOut => A::KindSignedOut,
            K::CodeViewed => A::KindCodeViewed,
            K::CodeRotated => A::KindCodeRotated,
            K::WavePlanned => A::KindWavePlanned,
            K::AdminCommand => A::KindAdminCommand,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_and_group_has_its_own_words() {
        for lang in Lang::ALL {
            let kinds: std::collections::HashSet<_> = AuditKind::VARIANTS
                .iter()
                .map(|k| kind_label(lang, *k))
                .collect();
            assert_eq!(kinds.len(), AuditKind::VARIANTS.len(), "{lang:?}");
            let groups: std::collections::HashSet<_> = AuditGroup::VARIANTS
                .iter()
                .map(|g| group_label(lang, *g))
                .collect();
            assert_eq!(groups.len(), AuditGroup::VARIANTS.len(), "{lang:?}");
        }
    }
}
