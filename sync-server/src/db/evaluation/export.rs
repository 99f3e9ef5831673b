//! The evaluation as a spreadsheet: one figure a line, with what it is counted against and
//! its percentage, for the report to the city's council. Dutch, as the other files are.

use kluis_api::evaluation::{DaySpread, Deadlines, Evaluation, EvaluationExport};
use kluis_domain::model::DoorProblem;

use crate::error::ServerError;
use crate::import::spreadsheet;

const HEADER: [&str; 5] = ["onderdeel", "cijfer", "aantal", "van", "percentage"];

/// `62,5`: Belgian Excel reads a comma as the decimal sign.
fn percent(p: Option<f64>) -> String {
    p.map(|p| format!("{p:.1}").replace('.', ","))
        .unwrap_or_default()
}

struct Lines(Vec<Vec<String>>);

impl Lines {
    fn plain(&mut self, part: &str, figure: &str, n: impl ToString) {
        self.0.push(vec![
            part.into(),
            figure.into(),
            n.to_string(),
            String::new(),
            String::new(),
        ]);
    }

    fn optional(&mut self, part: &str, figure: &str, n: Option<u32>) {
        self.plain(part, figure, n.map(|n| n.to_string()).unwrap_or_default());
    }

    fn spread(&mut self, part: &str, what: &str, s: &DaySpread) {
        self.plain(part, &format!("{what}: gemeten"), s.count);
        self.optional(part, &format!("{what}: mediaan (dagen)"), s.median);
        self.optional(part, &format!("{what}: 90e percentiel (dagen)"), s.p90);
    }

    fn deadlines(&mut self, part: &str, d: &Deadlines) {
        let decided = d.on_time + d.late;
        self.plain(part, "te doen in de periode", d.total);
        self.0.push(vec![
            part.into(),
            "op tijd".into(),
            d.on_time.to_string(),
            decided.to_string(),
            percent(d.on_time_percent()),
        ]);
        self.plain(part, "te laat", d.late);
        self.plain(part, "nog niet verlopen", d.pending);
    }
}

const fn problem_word(p: DoorProblem) -> &'static str {
    match p {
        DoorProblem::CodeFails => "code werkt niet",
        DoorProblem::Broken => "kluis stuk",
        DoorProblem::KeyMissing => "sleutel weg",
        DoorProblem::CodeKnown => "code gekend door anderen",
        DoorProblem::Other => "iets anders",
    }
}

pub fn export(e: &Evaluation) -> Result<EvaluationExport, ServerError> {
    let mut l = Lines(Vec::new());
    let k = "kluizen";
    l.plain(k, &format!("aan de muur op {}", e.from), e.safes.at_start);
    l.plain(k, &format!("aan de muur op {}", e.to), e.safes.at_end);
    l.plain(k, "groei", e.safes.growth);
    l.plain(k, "appartementen bereikt", e.safes.apartments_at_end);
    for m in &e.safes.by_month {
        let month = format!("{}-{:02}", m.month.year, m.month.month);
        l.plain(k, &format!("aan de muur einde {month}"), m.count);
    }
    l.plain("gebruik", "actieve thuiszorgdiensten", e.services_active);
    l.plain(
        "gebruik",
        "zorgverleners die een code openden",
        e.carers_active,
    );
    l.plain("gebruik", "zorgverleners met een account", e.carer_accounts);
    let r = "aanvragen";
    l.plain(r, "ingediend", e.requests.made);
    l.plain(r, "goedgekeurd", e.requests.approved);
    l.plain(r, "geweigerd", e.requests.declined);
    l.plain(r, "geplaatst", e.requests.installed);
    l.spread(r, "aanvraag tot plaatsing", &e.requests.days_to_install);
    l.deadlines("codewissel elke 6 maanden", &e.codes.rotations);
    l.deadlines("eerste code na plaatsing", &e.codes.first_codes);
    l.deadlines("nieuwe code na lek", &e.codes.leaks);
    let m = "meldingen";
    l.plain(m, "ontvangen", e.reports.total);
    for p in &e.reports.by_problem {
        l.plain(m, problem_word(p.problem), p.count);
    }
    l.plain(m, "behandeld", e.reports.handled);
    let h = "herstellingen";
    l.plain(h, "gevraagd", e.repairs.opened);
    l.plain(h, "hersteld", e.repairs.done);
    l.spread(h, "vraag tot herstel", &e.repairs.days_to_fix);
    for s in &e.reveals {
        let part = format!("codes getoond: {}", s.service);
        l.plain(&part, "totaal", s.total);
        for m in &s.months {
            l.plain(
                &part,
                &format!("{}-{:02}", m.month.year, m.month.month),
                m.count,
            );
        }
    }
    Ok(EvaluationExport {
        file_name: format!("kluis-evaluatie-{}-{}.csv", e.from, e.to),
        csv: spreadsheet(HEADER.iter().map(|h| h.to_string()).collect(), l.0)?,
    })
}
