//! The texts of the parties' tasks: the six-monthly confirmation, and requests for new safes
//! (asked by a service, reviewed by the coordinator, hung by a housing company). See [`super`]
//! for the rules.

use super::{Count, texts};

texts! {
    /// A text of the confirmation screens.
    plain ConfirmKey {
        Title { nl: "Halfjaarlijkse bevestiging", en: "Six-monthly confirmation" }
        OpenLink { nl: "Halfjaarlijkse bevestiging", en: "Six-monthly confirmation" }
        Explain {
            nl: "Elke zes maanden bevestigt elke thuiszorgdienst op welke adressen hij nog actief is. Wat niet bevestigd is op de uiterste datum, wordt behouden met een waarschuwing of uit de dienst gehaald, zoals u hier kiest.",
            en: "Every six months each home-care service confirms at which addresses it is still active. What is not confirmed by the deadline is kept with a warning or taken out of the service, as you choose here.",
        }
        NoRound { nl: "Er was nog geen bevestigingsronde.", en: "There has been no confirmation round yet." }
        NewRound { nl: "Nieuwe ronde openen", en: "Open a new round" }
        Deadline { nl: "Uiterste datum", en: "Deadline" }
        UnconfirmedChoice { nl: "Niet bevestigd op de uiterste datum", en: "Not confirmed by the deadline" }
        KeepWarn { nl: "behouden, met een waarschuwing", en: "keep, with a warning" }
        Remove { nl: "uit de dienst halen", en: "take out of the service" }
        OpenButton { nl: "Ronde openen", en: "Open the round" }
        ColService { nl: "Dienst", en: "Service" }
        ColAddresses { nl: "Adressen", en: "Addresses" }
        ColConfirmed { nl: "Bevestigd", en: "Confirmed" }
        ColRemoved { nl: "Verwijderd", en: "Removed" }
        ColOpen { nl: "Open", en: "Open" }
        ColLast { nl: "Laatste antwoord", en: "Last answer" }
        ColAddress { nl: "Adres", en: "Address" }
        ColDistrict { nl: "Wijk", en: "District" }
        ColSince { nl: "Actief sinds", en: "Active since" }
        ColAnswer { nl: "Antwoord", en: "Answer" }
        Confirm { nl: "Nog actief", en: "Still active" }
        RemoveOne { nl: "Niet meer actief", en: "No longer active" }
        ConfirmAll { nl: "Alle open adressen bevestigen", en: "Confirm all open addresses" }
        Confirmed { nl: "bevestigd", en: "confirmed" }
        Removed { nl: "verwijderd", en: "removed" }
        Lapsed { nl: "niet bevestigd", en: "not confirmed" }
        NotYet { nl: "nog niet", en: "not yet" }
        TeamTitle { nl: "Waar is uw dienst nog actief?", en: "Where is your service still active?" }
        TeamNone { nl: "Er is nu geen bevestigingsronde.", en: "There is no confirmation round now." }
        RemoveWarning {
            nl: "Een adres dat u verwijdert, verdwijnt meteen van de telefoons van uw zorgverleners.",
            en: "An address you remove disappears from your carers' phones at once.",
        }
        Closed { nl: "Deze ronde is afgesloten.", en: "This round is closed." }
        NeverConfirmed { nl: "nooit bevestigd", en: "never confirmed" }
        Unanswered { nl: "niet beantwoord", en: "unanswered" }
        ReqTitle { nl: "Aanvragen voor nieuwe kluizen", en: "Requests for new safes" }
        ReqNew { nl: "Een kluis aanvragen", en: "Request a safe" }
        ReqExplain {
            nl: "Voor een gebouw waar uw zorgverleners binnen moeten en nog geen sleutelkluis hangt. De coördinator beoordeelt de aanvraag en geeft ze door aan de huisvestingsmaatschappij.",
            en: "For a building your carers must enter that has no key safe yet. The coordinator reviews the request and passes it on to the housing company.",
        }
        ReqStreet { nl: "Straat", en: "Street" }
        ReqNumbers { nl: "Huisnummers", en: "House numbers" }
        ReqPostcode { nl: "Postcode", en: "Postcode" }
        ReqCity { nl: "Gemeente", en: "City" }
        ReqApartments { nl: "Appartementen", en: "Apartments" }
        ReqReason { nl: "Waarom een kluis", en: "Why a safe" }
        ReqContact { nl: "Contact ter plaatse", en: "Contact on site" }
        ReqSend { nl: "Aanvragen", en: "Send the request" }
        ReqSent { nl: "Aangevraagd.", en: "Requested." }
        ReqNone { nl: "Geen aanvragen.", en: "No requests." }
        ReqColAddress { nl: "Adres", en: "Address" }
        ReqColStatus { nl: "Stand", en: "State" }
        ReqColBy { nl: "Gevraagd door", en: "Asked by" }
        ReqColReason { nl: "Waarom", en: "Why" }
        ReqColAction { nl: "Wat nu", en: "Next" }
        ReqRequested { nl: "aangevraagd", en: "requested" }
        ReqApproved { nl: "goedgekeurd, te plaatsen", en: "approved, to be hung" }
        ReqDeclined { nl: "geweigerd", en: "declined" }
        ReqInstalled { nl: "geplaatst", en: "installed" }
        ReqModel { nl: "Model", en: "Model" }
        ReqOwner { nl: "Eigenaar (nieuw adres)", en: "Owner (new address)" }
        ReqApprove { nl: "Goedkeuren", en: "Approve" }
        ReqDecline { nl: "Weigeren", en: "Decline" }
        ReqDeclineReason { nl: "Reden van weigering", en: "Reason to decline" }
        ReqToInstall { nl: "Te plaatsen kluizen", en: "Safes to hang" }
        ReqPlacement { nl: "Plaats van de kluis", en: "Where the safe hangs" }
        ReqInstalledOn { nl: "Geplaatst op", en: "Installed on" }
        ReqMarkInstalled { nl: "Geplaatst", en: "Installed" }
        ErrRequestState { nl: "Deze aanvraag staat niet (meer) bij deze stap.", en: "This request is not (or no longer) at this step." }
        ErrDateInFuture { nl: "Kies vandaag of een dag ervoor.", en: "Choose today or a day before." }
        ErrOpen { nl: "Er is al een bevestigingsronde open.", en: "A confirmation round is open already." }
        ErrNoRound { nl: "Er is geen bevestigingsronde open.", en: "No confirmation round is open." }
        ErrNotInList { nl: "Dit adres staat niet in de lijst van uw dienst.", en: "This address is not in your service's list." }
        ErrFinal {
            nl: "Een verwijderd adres blijft verwijderd; vraag de coördinator het opnieuw toe te voegen.",
            en: "A removed address stays removed; ask the coordinator to add it again.",
        }
    }

    /// A filled text of the confirmation screens.
    filled ConfirmMsg<'a> {
        RoundOpen(deadline: &'a str, by: &'a str) {
            nl: "Ronde open tot en met {deadline}, geopend door {by}.",
            en: "Round open until {deadline} inclusive, opened by {by}.",
        }
        RoundClosed(deadline: &'a str) {
            nl: "De laatste ronde liep tot {deadline} en is afgesloten.",
            en: "The last round ran until {deadline} and is closed.",
        }
        OpenLeft(n: Count) {
            nl: [n: "Nog 1 adres open.", "Nog {n} adressen open."],
            en: [n: "1 address still open.", "{n} addresses still open."],
        }
        ConfirmedOn(date: &'a str) { nl: "bevestigd op {date}", en: "confirmed on {date}" }
        AnsweredBy(answer: &'a str, by: &'a str) { nl: "{answer} door {by}", en: "{answer} by {by}" }
        DeadlineTooSoon(days: Count) {
            nl: "Kies een uiterste datum minstens {days} dagen vanaf vandaag.",
            en: "Choose a deadline at least {days} days from today.",
        }
        LastAnswer(by: &'a str, at: &'a str) { nl: "{by}, {at}", en: "{by}, {at}" }
        AllDone(n: Count) {
            nl: [n: "Het adres is beantwoord. Dank u.", "Alle {n} adressen zijn beantwoord. Dank u."],
            en: [n: "The address is answered. Thank you.", "All {n} addresses are answered. Thank you."],
        }
        ReqDeclinedBecause(reason: &'a str) {
            nl: "geweigerd: {reason}",
            en: "declined: {reason}",
        }
        ReqApprovedWith(model: &'a str, owner: &'a str) {
            nl: "goedgekeurd: {model}, te plaatsen door {owner}",
            en: "approved: {model}, to be hung by {owner}",
        }
        Unchecked(n: Count) {
            nl: [n: "1 adres niet bevestigd", "{n} adressen niet bevestigd"],
            en: [n: "1 address not confirmed", "{n} addresses not confirmed"],
        }
    }
}
