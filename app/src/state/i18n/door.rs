//! The texts of reports from the door: the carer's "Code werkt niet? Meld het", the
//! coordinator's inbox, the reporting service's list, and the housing company's repair
//! orders. See [`super`] for the rules.

use super::{Count, texts};

texts! {
    /// A text of the reports and repairs screens.
    plain DoorKey {
        ReportOpen { nl: "Code werkt niet? Meld het", en: "Code doesn't work? Report it" }
        ReportTitle { nl: "Wat is er mis?", en: "What is wrong?" }
        ProblemCodeFails { nl: "De code opent niet", en: "Code does not open" }
        ProblemBroken { nl: "Kluis defect", en: "Safe broken" }
        ProblemKeyMissing { nl: "Sleutel weg", en: "Key missing" }
        ProblemCodeKnown { nl: "Code is bekend bij anderen", en: "Code known to others" }
        ProblemOther { nl: "Andere", en: "Other" }
        ReportNote { nl: "Toelichting (niet verplicht)", en: "Note (optional)" }
        ReportNoteNeeded { nl: "Toelichting", en: "Note" }
        NoteNeeded { nl: "Schrijf kort wat er mis is.", en: "Write briefly what is wrong." }
        PickProblem { nl: "Kies wat er mis is.", en: "Choose what is wrong." }
        ReportSend { nl: "Melding versturen", en: "Send report" }
        ReportCancel { nl: "Annuleren", en: "Cancel" }
        ReportSent { nl: "Melding verstuurd", en: "Report sent" }
        ReportWaiting {
            nl: "Melding bewaard: ze wordt verstuurd zodra je verbinding hebt",
            en: "Report saved: it is sent as soon as you are connected",
        }
        ReportNotSaved { nl: "De melding kon niet bewaard worden. Probeer opnieuw.", en: "The report could not be saved. Try again." }
        MyReports { nl: "Jouw meldingen bij deze kluis", en: "Your reports at this safe" }
        InboxTitle { nl: "Meldingen", en: "Reports" }
        InboxExplain {
            nl: "Wat zorgverleners aan de deur melden, per kluis. Een defecte kluis of een verdwenen sleutel gaat meteen als herstelling naar de huisvestingsmaatschappij.",
            en: "What carers report at the door, per safe. A broken safe or a missing key goes to the housing company as a repair at once.",
        }
        NoReports { nl: "Geen meldingen voor deze keuze.", en: "No reports for this choice." }
        ShowHandled { nl: "Ook afgehandelde tonen", en: "Also show handled ones" }
        StatusNew { nl: "nieuw", en: "new" }
        StatusRepairAsked { nl: "herstelling gevraagd", en: "repair asked" }
        StatusRepairPlanned { nl: "herstelling gepland", en: "repair planned" }
        StatusChangePlanned { nl: "nieuwe code gepland", en: "new code planned" }
        StatusDone { nl: "opgelost", en: "resolved" }
        StatusClosed { nl: "afgesloten", en: "closed" }
        ActLeak { nl: "Lek: nieuwe code binnen 5 werkdagen", en: "Leak: new code within 5 working days" }
        ActUrgent { nl: "Dringende wijziging plannen", en: "Plan an urgent change" }
        ActRepairBroken { nl: "Herstelling vragen: kluis defect", en: "Ask a repair: safe broken" }
        ActRepairKey { nl: "Herstelling vragen: sleutel weg", en: "Ask a repair: key missing" }
        ActClose { nl: "Afsluiten zonder actie", en: "Close without action" }
        Reply { nl: "Antwoord aan de dienst", en: "Reply to the service" }
        ReplyHint {
            nl: "Nodig om af te sluiten zonder actie; de dienst ziet het bij zijn melding.",
            en: "Needed to close without action; the service sees it with its report.",
        }
        NoChange { nl: "Er loopt geen wijziging van de code.", en: "No change of the code is under way." }
        ColProblem { nl: "Melding", en: "Report" }
        ColReporter { nl: "Gemeld door", en: "Reported by" }
        ColReceived { nl: "Ontvangen", en: "Received" }
        ColStatus { nl: "Stand", en: "Status" }
        ColPlanned { nl: "Gepland op", en: "Planned for" }
        ColDone { nl: "Hersteld op", en: "Fixed on" }
        Plan { nl: "Plannen", en: "Plan" }
        MarkDone { nl: "Hersteld", en: "Fixed" }
        PlanDay { nl: "Dag van de herstelling", en: "Day of the repair" }
        DoneDay { nl: "Dag waarop hersteld", en: "Day it was fixed" }
        CompanyRepairs { nl: "Herstellingen", en: "Repairs" }
        NoOpenRepairs { nl: "Geen open herstellingen.", en: "No open repairs." }
        TeamReportsTitle { nl: "Meldingen van uw zorgverleners", en: "Your carers' reports" }
        TeamReportsLink { nl: "Meldingen", en: "Reports" }
        ErrNoNewReports { nl: "Deze meldingen zijn net al behandeld.", en: "These reports were just handled." }
        ErrRepairClosed { nl: "Deze herstelling is al afgesloten.", en: "This repair is closed already." }
        ErrReplyNeeded { nl: "Schrijf een antwoord aan de dienst om af te sluiten.", en: "Write a reply to the service to close." }
        ErrDateInPast { nl: "Kies vandaag of een latere dag.", en: "Choose today or a later day." }
    }

    /// A text of the reports screens with values in it.
    filled DoorMsg<'a> {
        Reports(n: Count) {
            nl: [n: "1 melding", "{n} meldingen"],
            en: [n: "1 report", "{n} reports"],
        }
        NewReports(n: Count) {
            nl: [n: "1 nieuwe melding", "{n} nieuwe meldingen"],
            en: [n: "1 new report", "{n} new reports"],
        }
        ChangePending(date: &'a str) {
            nl: "Er loopt al een wijziging van de code, uiterlijk {date}.",
            en: "A change of the code is under way, due {date}.",
        }
        CurrentSince(time: &'a str) {
            nl: "Huidige code sinds {time}.",
            en: "Current code since {time}.",
        }
        LeakPlanned(date: &'a str) {
            nl: "Nieuwe code gepland, uiterlijk {date}.",
            en: "New code planned, due {date}.",
        }
        RepairAsked(owner: &'a str) {
            nl: "Herstelling gevraagd aan {owner}.",
            en: "Repair asked of {owner}.",
        }
        PlannedOn(date: &'a str) { nl: "gepland op {date}", en: "planned for {date}" }
        DoneOn(date: &'a str) { nl: "hersteld op {date}", en: "fixed on {date}" }
        ReplyWas(reply: &'a str) { nl: "Antwoord: {reply}", en: "Reply: {reply}" }
        ClosedCount(n: Count) {
            nl: [n: "1 melding afgesloten.", "{n} meldingen afgesloten."],
            en: [n: "1 report closed.", "{n} reports closed."],
        }
        OpenRepairs(n: Count) {
            nl: [n: "1 open herstelling", "{n} open herstellingen"],
            en: [n: "1 open repair", "{n} open repairs"],
        }
    }
}
