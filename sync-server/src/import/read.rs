//! Reading a registry file into checked rows, without the database: the delimiter, the BOM,
//! the headers, and every field's form. What a row means for Kluis (which company, which
//! model, is the code free) is [`super::plan`]'s.

use std::collections::BTreeMap;

use kluis_api::check;
use kluis_api::error::{Field, Problem};
use kluis_api::import::{
    IMPORT_MAX_ROWS, ImportColumn, ImportError, parse_day, parse_status, restore,
};
use kluis_api::registry::{APARTMENTS_MAX, BuildingInput};
use kluis_domain::ids::OrgId;
use kluis_domain::model::SafeStatus;
use kluis_domain::time::Date;

/// One entrance as the file gives it, every field in its form.
#[derive(Clone, Debug)]
pub struct Row {
    pub line: u32,
    /// Owner left as a placeholder: [`Row::owner`] names it.
    pub building: BuildingInput,
    pub owner: String,
    pub safe: Option<SafeIn>,
    pub services: Vec<String>,
}

/// The safe on a row (the row names a model).
#[derive(Clone, Debug)]
pub struct SafeIn {
    pub model: String,
    pub placement: String,
    pub status: Option<SafeStatus>,
    pub installed_on: Option<Date>,
    /// As written; read against the model by the plan.
    pub code: Option<String>,
    pub code_since: Option<Date>,
}

/// What reading found: the rows that are well formed and every error.
pub struct Read {
    pub rows: Vec<Row>,
    /// Data rows seen, well formed or not.
    pub count: u32,
    pub errors: Vec<ImportError>,
}

fn error(line: u32, column: Option<ImportColumn>, problem: Problem) -> ImportError {
    ImportError {
        line,
        column,
        problem,
    }
}

/// `;` when the header line has more of them than commas (what Excel writes in Belgium),
/// else `,`.
fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let count = |c| header.chars().filter(|&x| x == c).count();
    if count(';') >= count(',') && count(';') > 0 {
        b';'
    } else {
        b','
    }
}

/// The column a [`Field`] of the shared checks stands for.
fn column_of(field: Field) -> Option<ImportColumn> {
    Some(match field {
        Field::Street => ImportColumn::Street,
        Field::Numbers => ImportColumn::Numbers,
        Field::Postcode => ImportColumn::Postcode,
        Field::City => ImportColumn::City,
        Field::District => ImportColumn::District,
        Field::Apartments => ImportColumn::Apartments,
        Field::Placement => ImportColumn::Placement,
        _ => return None,
    })
}

fn problem_column(problem: &Problem) -> Option<ImportColumn> {
    match problem {
        Problem::TextLength { field, .. } | Problem::NumberRange { field, .. } => column_of(*field),
        Problem::HouseNumbers => Some(ImportColumn::Numbers),
        _ => None,
    }
}

/// Reads the whole file. Work is bounded by the caller's byte limit and [`IMPORT_MAX_ROWS`].
pub fn read(text: &str) -> Read {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Read {
        rows: Vec::new(),
        count: 0,
        errors: Vec::new(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(text))
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(_)) => {
            out.errors.push(error(1, None, Problem::ImportSyntax));
            return out;
        }
        None => {
            out.errors.push(error(0, None, Problem::ImportEmpty));
            return out;
        }
    };
    let mut columns: BTreeMap<ImportColumn, usize> = BTreeMap::new();
    for (i, name) in header.iter().enumerate() {
        if name.is_empty() {
            continue;
        }
        match ImportColumn::from_header(name) {
            Some(c) if columns.contains_key(&c) => {
                out.errors.push(error(1, Some(c), Problem::DuplicateColumn));
            }
            Some(c) => {
                columns.insert(c, i);
            }
            None => out.errors.push(error(
                1,
                None,
                Problem::UnknownColumn {
                    header: name.chars().take(40).collect(),
                },
            )),
        }
    }
    for c in ImportColumn::REQUIRED {
        if !columns.contains_key(&c) {
            out.errors.push(error(1, Some(c), Problem::MissingColumn));
        }
    }
    if !out.errors.is_empty() {
        return out;
    }
    // The line a record starts on, counted here: the reader's own count skips empty lines,
    // and a record's offset is where the empty lines before it begin.
    let breaks: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
    let line_at = |byte: u64| {
        let start = usize::try_from(byte).unwrap_or(text.len()).min(text.len());
        let skipped = text.as_bytes()[start..]
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
        breaks.partition_point(|&b| b < start + skipped) as u32 + 1
    };
    let width = header.len();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| line_at(p.byte()));
                out.errors.push(error(line, None, Problem::ImportSyntax));
                // A quote that does not close swallows the rest: nothing after it is a row.
                break;
            }
        };
        let line = record.position().map_or(0, |p| line_at(p.byte()));
        if record.iter().all(str::is_empty) {
            continue;
        }
        out.count += 1;
        if out.count > IMPORT_MAX_ROWS {
            out.errors.push(error(
                0,
                None,
                Problem::TooMany {
                    field: Field::Rows,
                    max: IMPORT_MAX_ROWS,
                },
            ));
            break;
        }
        if record.len() != width {
            out.errors.push(error(
                line,
                None,
                Problem::FieldCount {
                    expected: width as u32,
                    found: record.len() as u32,
                },
            ));
            continue;
        }
        let get = |c: ImportColumn| {
            columns
                .get(&c)
                .and_then(|&i| record.get(i))
                .map(restore)
                .unwrap_or("")
        };
        match row(line, &get) {
            Ok(r) => out.rows.push(r),
            Err(mut e) => out.errors.append(&mut e),
        }
    }
    if out.count == 0 && out.errors.is_empty() {
        out.errors.push(error(0, None, Problem::ImportEmpty));
    }
    out
}

/// One data row, every field checked; all of the row's errors at once.
fn row<'a>(line: u32, get: &dyn Fn(ImportColumn) -> &'a str) -> Result<Row, Vec<ImportError>> {
    use ImportColumn as C;
    let mut errors = Vec::new();
    let apartments = get(C::Apartments).parse::<u32>().ok();
    if apartments.is_none() {
        errors.push(error(
            line,
            Some(C::Apartments),
            Problem::NumberRange {
                field: Field::Apartments,
                min: 1,
                max: APARTMENTS_MAX,
            },
        ));
    }
    let input = BuildingInput {
        street: get(C::Street).into(),
        numbers: get(C::Numbers).into(),
        postcode: get(C::Postcode).into(),
        city: get(C::City).into(),
        district: get(C::District).into(),
        apartments: apartments.unwrap_or(1),
        owner_id: OrgId::from_bytes([0; 16]),
    };
    let checked = match check::building(&input) {
        Ok(ok) => Some(ok),
        Err(problem) => {
            errors.push(error(line, problem_column(&problem), problem));
            None
        }
    };
    let owner = get(C::Owner).to_string();
    if owner.is_empty() {
        errors.push(error(line, Some(C::Owner), Problem::UnknownHousingCompany));
    }
    let day = |c: ImportColumn, errors: &mut Vec<ImportError>| {
        let text = get(c);
        if text.is_empty() {
            return None;
        }
        let d = parse_day(text);
        if d.is_none() {
            errors.push(error(line, Some(c), Problem::ImportDate));
        }
        d
    };
    let model = get(C::Model).to_string();
    let status = match get(C::Status) {
        "" => None,
        s => {
            let parsed = parse_status(s);
            if parsed.is_none() {
                errors.push(error(line, Some(C::Status), Problem::UnknownStatus));
            }
            parsed
        }
    };
    let installed_on = day(C::InstalledOn, &mut errors);
    let code_since = day(C::CodeSince, &mut errors);
    let placement = match check::optional(Field::Placement, get(C::Placement)) {
        Ok(p) => p,
        Err(problem) => {
            errors.push(error(line, Some(C::Placement), problem));
            String::new()
        }
    };
    let code = Some(get(C::Code).to_string()).filter(|c| !c.is_empty());
    let safe = if model.is_empty() {
        if code.is_some() {
            errors.push(error(line, Some(C::Code), Problem::CodeWithoutSafe));
        }
        None
    } else {
        Some(SafeIn {
            model,
            placement,
            status,
            installed_on,
            code,
            code_since,
        })
    };
    let services: Vec<String> = get(C::Services)
        .split(['|', ';', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    if services.len() > 50 {
        errors.push(error(
            line,
            Some(C::Services),
            Problem::TooMany {
                field: Field::Services,
                max: 50,
            },
        ));
    }
    match (checked, errors.is_empty()) {
        (Some((building, _)), true) => Ok(Row {
            line,
            building,
            owner,
            safe,
            services,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "straat;huisnummers;postcode;gemeente;wijk;appartementen;eigenaar;model;plaats;status;geplaatst op;code;code sinds;diensten";

    #[test]
    fn semicolons_commas_and_a_bom_read_the_same() {
        let semi = format!(
            "\u{feff}{HEADER}\nSleepstraat;12, 14;9000;Gent;Muide;8;WoninGent;Supra;links;actief;01/02/2025;1357;2025-06-01;Zorg A|Zorg B\n"
        );
        let comma = format!(
            "{}\nSleepstraat,\"12, 14\",9000,Gent,Muide,8,WoninGent,Supra,links,actief,01/02/2025,1357,2025-06-01,Zorg A|Zorg B\n",
            HEADER.replace(';', ",")
        );
        for text in [semi, comma] {
            let got = read(&text);
            assert!(got.errors.is_empty(), "{:?}", got.errors);
            let [row] = got.rows.as_slice() else {
                panic!("one row")
            };
            assert_eq!(row.line, 2);
            assert_eq!(row.building.numbers, "12, 14");
            let safe = row.safe.as_ref().expect("a safe");
            assert_eq!(safe.status, Some(SafeStatus::Active));
            assert_eq!(safe.code.as_deref(), Some("1357"));
            assert_eq!(row.services, vec!["Zorg A", "Zorg B"]);
        }
    }

    #[test]
    fn every_error_names_its_line_and_column() {
        let text = format!(
            "{HEADER}\n\
             ;12;9000;Gent;;8;W;;;;;;;\n\
             Sleepstraat;abc;9000;Gent;;nul;W;;;;;;;\n\
             Sleepstraat;12;9000;Gent;;8;W;Supra;;open;32/01/2025;;;\n\
             Sleepstraat;12;9000\n\
             \n\
             Sleepstraat;14;9000;Gent;;8;W;;;;;1357;;\n"
        );
        let got = read(&text);
        assert!(got.rows.is_empty());
        assert_eq!(got.count, 5, "the empty line is no row");
        let at: Vec<(u32, Option<ImportColumn>)> =
            got.errors.iter().map(|e| (e.line, e.column)).collect();
        use ImportColumn as C;
        assert_eq!(
            at,
            vec![
                (2, Some(C::Street)),
                (3, Some(C::Apartments)),
                (3, Some(C::Numbers)),
                (4, Some(C::Status)),
                (4, Some(C::InstalledOn)),
                (5, None),
                (7, Some(C::Code)),
            ]
        );
        assert_eq!(
            got.errors[5].problem,
            Problem::FieldCount {
                expected: 14,
                found: 3
            }
        );
    }

    #[test]
    fn headers_are_checked_before_any_row() {
        let got = read("straat;nummers;bewoner\nSleepstraat;12;Jan\n");
        let problems: Vec<&Problem> = got.errors.iter().map(|e| &e.problem).collect();
        assert!(problems.contains(&&Problem::UnknownColumn {
            header: "bewoner".into()
        }));
        let missing: Vec<ImportColumn> = got
            .errors
            .iter()
            .filter(|e| e.problem == Problem::MissingColumn)
            .filter_map(|e| e.column)
            .collect();
        assert_eq!(
            missing,
            vec![
                ImportColumn::Postcode,
                ImportColumn::City,
                ImportColumn::Apartments,
                ImportColumn::Owner
            ]
        );
        assert!(got.rows.is_empty());
        assert_eq!(read("").errors[0].problem, Problem::ImportEmpty);
        assert_eq!(read(HEADER).errors[0].problem, Problem::ImportEmpty);
        let unclosed = read(&format!("{HEADER}\n\"Sleepstraat;12"));
        assert!(
            unclosed
                .errors
                .iter()
                .all(|e| e.problem == Problem::ImportSyntax)
                || unclosed
                    .errors
                    .iter()
                    .any(|e| matches!(e.problem, Problem::FieldCount { .. }))
        );
    }
}
