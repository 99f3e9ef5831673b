//! The texts of the six-monthly confirmation, for the coordinator and the service admins.
//! See [`super`] for the rules.

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
        ToList { nl: "Naar de lijst", en: "To the list" }
        NeverConfirmed { nl: "nooit bevestigd", en: "never confirmed" }
        Unanswered { nl: "niet beantwoord", en: "unanswered" }
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
        Reminder(n: Count, deadline: &'a str) {
            nl: [n: "Bevestig vóór of op {deadline} of uw dienst nog actief is op 1 adres.", "Bevestig vóór of op {deadline} of uw dienst nog actief is op {n} adressen."],
            en: [n: "Confirm by {deadline} whether your service is still active at 1 address.", "Confirm by {deadline} whether your service is still active at {n} addresses."],
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
        Unchecked(n: Count) {
            nl: [n: "1 adres niet bevestigd", "{n} adressen niet bevestigd"],
            en: [n: "1 address not confirmed", "{n} addresses not confirmed"],
        }
    }
}
