//! The texts of the start screens' "Nu te doen": one line per kind of work waiting, with its
//! count and date. See [`super`] for the rules.

use kluis_api::attention::{AttentionItem, AttentionKind};
use kluis_api::import::day_text;
use kluis_domain::model::Role;

use super::{Count, Lang, say, texts};

texts! {
    /// A plain text of "Nu te doen".
    plain AttentionKey {
        Title { nl: "Nu te doen", en: "To do now" }
        Nothing { nl: "Niets dringends: alles is bij.", en: "Nothing urgent: everything is up to date." }
        Open { nl: "Bekijk", en: "Open" }
    }
    /// A line of "Nu te doen".
    filled AttentionMsg<'a> {
        CodesOverdue(n: Count, date: &'a str) {
            nl: [n: "1 code is te laat: ze moest uiterlijk {date} gewijzigd zijn", "{n} codes zijn te laat, de eerste moest uiterlijk {date} gewijzigd zijn"],
            en: [n: "1 code is overdue: it was due {date}", "{n} codes are overdue, the first was due {date}"],
        }
        CodesDueThisWeek(n: Count) {
            nl: [n: "1 code moet deze week gewijzigd worden", "{n} codes moeten deze week gewijzigd worden"],
            en: [n: "1 code is due this week", "{n} codes are due this week"],
        }
        ReportsNew(n: Count) {
            nl: [n: "1 nieuwe melding van aan de deur", "{n} nieuwe meldingen van aan de deur"],
            en: [n: "1 new report from the door", "{n} new reports from the door"],
        }
        RequestsWaiting(n: Count) {
            nl: [n: "1 aanvraag voor een nieuwe sleutelkluis wacht op je beoordeling", "{n} aanvragen voor een nieuwe sleutelkluis wachten op je beoordeling"],
            en: [n: "1 request for a new key safe awaits your review", "{n} requests for a new key safe await your review"],
        }
        ServicesUnconfirmed(n: Count, date: &'a str) {
            nl: [n: "1 dienst bevestigde zijn adressen nog niet (uiterlijk {date})", "{n} diensten bevestigden hun adressen nog niet (uiterlijk {date})"],
            en: [n: "1 service has not confirmed its addresses yet (by {date})", "{n} services have not confirmed their addresses yet (by {date})"],
        }
        RepairsAtCompanies(n: Count) {
            nl: [n: "1 herstelling loopt nog bij een huisvestingsmaatschappij", "{n} herstellingen lopen nog bij de huisvestingsmaatschappijen"],
            en: [n: "1 repair is still open at a housing company", "{n} repairs are still open at the housing companies"],
        }
        RepairsToDo(n: Count) {
            nl: [n: "1 herstelling te doen", "{n} herstellingen te doen"],
            en: [n: "1 repair to do", "{n} repairs to do"],
        }
        RequestsToInstall(n: Count) {
            nl: [n: "1 goedgekeurde sleutelkluis te plaatsen", "{n} goedgekeurde sleutelkluizen te plaatsen"],
            en: [n: "1 approved key safe to install", "{n} approved key safes to install"],
        }
        ConfirmationOpen(n: Count, date: &'a str) {
            nl: [n: "Bevestig je actieve adressen (uiterlijk {date}): nog 1 adres", "Bevestig je actieve adressen (uiterlijk {date}): nog {n} adressen"],
            en: [n: "Confirm your active addresses (by {date}): 1 address left", "Confirm your active addresses (by {date}): {n} addresses left"],
        }
        AccountsExpiring(n: Count, date: &'a str) {
            nl: [n: "1 account loopt af op {date}", "{n} accounts lopen binnenkort af, het eerste op {date}"],
            en: [n: "1 account ends on {date}", "{n} accounts end soon, the first on {date}"],
        }
        Badge(n: Count) {
            nl: "({n} open)",
            en: "({n} open)",
        }
    }
}

/// The line `role`'s start screen shows for `item`.
pub fn attention_line(lang: Lang, role: Role, item: &AttentionItem) -> String {
    let n = Count::from(item.count);
    let date = item.due.map(day_text).unwrap_or_default();
    let date = date.as_str();
    let msg = match item.kind {
        AttentionKind::CodesOverdue => AttentionMsg::CodesOverdue { n, date },
        AttentionKind::CodesDueThisWeek => AttentionMsg::CodesDueThisWeek { n },
        AttentionKind::ReportsNew => AttentionMsg::ReportsNew { n },
        AttentionKind::RequestsWaiting => AttentionMsg::RequestsWaiting { n },
        AttentionKind::ServicesUnconfirmed => AttentionMsg::ServicesUnconfirmed { n, date },
        AttentionKind::RepairsOpen if role == Role::HousingStaff => AttentionMsg::RepairsToDo { n },
        AttentionKind::RepairsOpen => AttentionMsg::RepairsAtCompanies { n },
        AttentionKind::RequestsToInstall => AttentionMsg::RequestsToInstall { n },
        AttentionKind::ConfirmationOpen => AttentionMsg::ConfirmationOpen { n, date },
        AttentionKind::AccountsExpiring => AttentionMsg::AccountsExpiring { n, date },
    };
    say(lang, msg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kluis_domain::time::Date;

    #[test]
    fn lines_say_the_count_and_the_date() {
        let item = |kind, count| AttentionItem {
            kind,
            count,
            due: Date::new(2026, 12, 18).ok(),
        };
        assert_eq!(
            attention_line(
                Lang::Nl,
                Role::ServiceAdmin,
                &item(AttentionKind::ConfirmationOpen, 12)
            ),
            "Bevestig je actieve adressen (uiterlijk 18/12/2026): nog 12 adressen"
        );
        assert_eq!(
            attention_line(
                Lang::En,
                Role::Coordinator,
                &item(AttentionKind::CodesOverdue, 1)
            ),
            "1 code is overdue: it was due 18/12/2026"
        );
        let repairs = item(AttentionKind::RepairsOpen, 2);
        assert_eq!(
            attention_line(Lang::Nl, Role::HousingStaff, &repairs),
            "2 herstellingen te doen"
        );
        assert_eq!(
            attention_line(Lang::Nl, Role::Coordinator, &repairs),
            "2 herstellingen lopen nog bij de huisvestingsmaatschappijen"
        );
    }
}
