//! The texts of the yearly evaluation (rule 10): its headings, the figures' names, and the
//! sentences a council member reads. See [`super`] for the rules.

use super::{Count, texts};

texts! {
    /// A plain text of the yearly evaluation.
    plain EvalKey {
        Tab { nl: "Jaarverslag", en: "Yearly report" }
        Explain {
            nl: "De cijfers van de afspraken tussen stad, huisvestingsmaatschappijen en thuiszorgdiensten, berekend door de server uit het register en het logboek.",
            en: "The figures of the agreement between the city, the housing companies and the home-care services, computed by the server from the registry and the audit trail.",
        }
        Year { nl: "Jaar", en: "Year" }
        OtherPeriod { nl: "Andere periode", en: "Other period" }
        From { nl: "Van", en: "From" }
        To { nl: "Tot en met", en: "Up to and including" }
        Show { nl: "Toon", en: "Show" }
        Print { nl: "Afdrukken", en: "Print" }
        Export { nl: "Exporteer CSV", en: "Export CSV" }
        SafesTitle { nl: "Sleutelkluizen", en: "Key safes" }
        SafesChart { nl: "Sleutelkluizen aan het einde van elke maand", en: "Key safes at the end of each month" }
        PeopleTitle { nl: "Diensten en zorgverleners", en: "Services and carers" }
        RequestsTitle { nl: "Aanvragen voor een nieuwe sleutelkluis", en: "Requests for a new key safe" }
        CodesTitle { nl: "Nieuwe codes op tijd", en: "New codes on time" }
        CodesChart { nl: "Termijnen: op tijd, te laat, nog lopend", en: "Deadlines: on time, late, still running" }
        Rotations { nl: "Halfjaarlijkse wissel", en: "Six-monthly change" }
        FirstCodes { nl: "Eerste code na plaatsing (5 werkdagen)", en: "First code after installation (5 working days)" }
        Leaks { nl: "Nieuwe code na een lek (5 werkdagen)", en: "New code after a leak (5 working days)" }
        OnTime { nl: "op tijd", en: "on time" }
        Late { nl: "te laat", en: "late" }
        Pending { nl: "nog lopend", en: "still running" }
        ReportsTitle { nl: "Meldingen van aan de deur en herstellingen", en: "Reports from the door and repairs" }
        RevealsTitle { nl: "Code bekeken, per dienst en per maand", en: "Codes viewed, per service and month" }
        RevealsChart { nl: "Code bekeken per maand, alle diensten samen", en: "Codes viewed per month, all services together" }
        NoReveals { nl: "In deze periode bekeek niemand een code.", en: "Nobody viewed a code in this period." }
        ColFigure { nl: "Cijfer", en: "Figure" }
        ColCount { nl: "Aantal", en: "Count" }
        ColService { nl: "Dienst", en: "Service" }
        ColTotal { nl: "Totaal", en: "Total" }
        ColShare { nl: "Op tijd", en: "On time" }
        Made { nl: "Aangevraagd", en: "Requested" }
        Approved { nl: "Goedgekeurd", en: "Approved" }
        Declined { nl: "Geweigerd", en: "Declined" }
        Installed { nl: "Geplaatst", en: "Installed" }
        DaysMedian { nl: "Dagen tot plaatsing: de helft binnen", en: "Days to installation: half within" }
        DaysP90 { nl: "Dagen tot plaatsing: 90% binnen", en: "Days to installation: 90% within" }
        RepairsOpened { nl: "Herstellingen gevraagd", en: "Repairs asked" }
        RepairsDone { nl: "Herstellingen uitgevoerd", en: "Repairs done" }
        FixMedian { nl: "Dagen tot herstelling: de helft binnen", en: "Days to repair: half within" }
        ReportsHandled { nl: "Meldingen behandeld", en: "Reports handled" }
        Apartments { nl: "Appartementen met een sleutelkluis", en: "Apartments with a key safe" }
        NotMeasured { nl: "niet gemeten", en: "not measured" }
        ErrPeriod { nl: "De begindatum ligt na de einddatum, of de periode is langer dan twee jaar.", en: "The start date is after the end date, or the period is longer than two years." }
        Jan { nl: "jan", en: "Jan" }
        Feb { nl: "feb", en: "Feb" }
        Mar { nl: "mrt", en: "Mar" }
        Apr { nl: "apr", en: "Apr" }
        May { nl: "mei", en: "May" }
        Jun { nl: "jun", en: "Jun" }
        Jul { nl: "jul", en: "Jul" }
        Aug { nl: "aug", en: "Aug" }
        Sep { nl: "sep", en: "Sep" }
        Oct { nl: "okt", en: "Oct" }
        Nov { nl: "nov", en: "Nov" }
        Dec { nl: "dec", en: "Dec" }
    }
    /// A sentence of the yearly evaluation.
    filled EvalMsg<'a> {
        Heading(year: &'a str) {
            nl: "Jaarverslag {year}",
            en: "Yearly report {year}",
        }
        PeriodHeading(from: &'a str, to: &'a str) {
            nl: "Verslag van {from} tot en met {to}",
            en: "Report from {from} up to and including {to}",
        }
        SafesAtEnd(n: Count, date: &'a str) {
            nl: [n: "Op {date} hing er 1 sleutelkluis.", "Op {date} hingen er {n} sleutelkluizen."],
            en: [n: "On {date} there was 1 key safe.", "On {date} there were {n} key safes."],
        }
        Grew(n: Count) {
            nl: [n: "Dat is 1 meer dan bij het begin van de periode.", "Dat zijn er {n} meer dan bij het begin van de periode."],
            en: [n: "That is 1 more than at the start of the period.", "That is {n} more than at the start of the period."],
        }
        Shrank(n: Count) {
            nl: [n: "Dat is 1 minder dan bij het begin van de periode.", "Dat zijn er {n} minder dan bij het begin van de periode."],
            en: [n: "That is 1 fewer than at the start of the period.", "That is {n} fewer than at the start of the period."],
        }
        Same(n: Count) {
            nl: "Evenveel als bij het begin van de periode ({n}).",
            en: "As many as at the start of the period ({n}).",
        }
        Apartments(n: Count) {
            nl: [n: "Ze geven toegang tot 1 appartement.", "Ze geven toegang tot {n} appartementen."],
            en: [n: "They give access to 1 apartment.", "They give access to {n} apartments."],
        }
        Services(n: Count) {
            nl: [n: "1 thuiszorgdienst werkte met Kluis.", "{n} thuiszorgdiensten werkten met Kluis."],
            en: [n: "1 home-care service worked with Kluis.", "{n} home-care services worked with Kluis."],
        }
        Carers(n: Count, accounts: Count) {
            nl: [n: "1 zorgverlener opende minstens één code ({accounts} accounts aan het einde van de periode).", "{n} zorgverleners openden minstens één code ({accounts} accounts aan het einde van de periode)."],
            en: [n: "1 carer opened at least one code ({accounts} accounts at the end of the period).", "{n} carers opened at least one code ({accounts} accounts at the end of the period)."],
        }
        Requests(made: Count, installed: Count) {
            nl: [made: "1 aanvraag voor een nieuwe sleutelkluis; {installed} geplaatst in de periode.", "{made} aanvragen voor een nieuwe sleutelkluis; {installed} geplaatst in de periode."],
            en: [made: "1 request for a new key safe; {installed} installed in the period.", "{made} requests for a new key safe; {installed} installed in the period."],
        }
        InstallSpeed(median: Count, p90: Count) {
            nl: "De helft stond er binnen {median} dagen, 90% binnen {p90} dagen.",
            en: "Half were in place within {median} days, 90% within {p90} days.",
        }
        Deadline(on_time: Count, decided: Count, percent: Count) {
            nl: "{on_time} van {decided} op tijd ({percent}%)",
            en: "{on_time} of {decided} on time ({percent}%)",
        }
        DeadlinePending(n: Count) {
            nl: [n: "1 termijn loopt nog", "{n} termijnen lopen nog"],
            en: [n: "1 deadline still running", "{n} deadlines still running"],
        }
        Reports(n: Count, handled: Count) {
            nl: [n: "1 melding van aan de deur, {handled} behandeld.", "{n} meldingen van aan de deur, {handled} behandeld."],
            en: [n: "1 report from the door, {handled} handled.", "{n} reports from the door, {handled} handled."],
        }
        Repairs(opened: Count, done: Count) {
            nl: [opened: "1 herstelling gevraagd, {done} uitgevoerd.", "{opened} herstellingen gevraagd, {done} uitgevoerd."],
            en: [opened: "1 repair asked, {done} done.", "{opened} repairs asked, {done} done."],
        }
        FixSpeed(median: Count) {
            nl: [median: "De helft was binnen 1 dag hersteld.", "De helft was binnen {median} dagen hersteld."],
            en: [median: "Half were fixed within 1 day.", "Half were fixed within {median} days."],
        }
        Days(n: Count) {
            nl: [n: "1 dag", "{n} dagen"],
            en: [n: "1 day", "{n} days"],
        }
        Reveals(n: Count) {
            nl: [n: "Er werd 1 keer een code bekeken.", "Er werd {n} keer een code bekeken."],
            en: [n: "A code was viewed once.", "Codes were viewed {n} times."],
        }
    }
}
