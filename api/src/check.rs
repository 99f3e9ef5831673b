//! Checks of the registry's and accounts' inputs, stated once: the server refuses with the
//! [`Problem`] they return, the desktop runs the same checks before it sends.

use kluis_domain::model::HouseNumbers;

use crate::error::{Field, Problem};
use crate::registry::{APARTMENTS_MAX, BuildingInput, SHORT_MAX, TEXT_MAX};

/// `value` trimmed, if it has `min..=max` characters and no control characters.
pub fn text(field: Field, value: &str, min: u32, max: u32) -> Result<String, Problem> {
    let trimmed = value.trim();
    let n = trimmed.chars().count();
    if n < min as usize || n > max as usize || trimmed.chars().any(char::is_control) {
        return Err(Problem::TextLength { field, min, max });
    }
    Ok(trimmed.to_owned())
}

/// A name, street or other required text of up to [`TEXT_MAX`] characters.
pub fn required(field: Field, value: &str) -> Result<String, Problem> {
    text(field, value, 1, TEXT_MAX)
}

/// An optional text of up to [`TEXT_MAX`] characters (empty is fine).
pub fn optional(field: Field, value: &str) -> Result<String, Problem> {
    text(field, value, 0, TEXT_MAX)
}

/// An e-mail address, or nothing: one `@` with text on both sides and a dot after it.
pub fn email(value: &str) -> Result<String, Problem> {
    let v = text(Field::Email, value, 0, TEXT_MAX)?;
    if v.is_empty() {
        return Ok(v);
    }
    let ok = match v.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !v.contains(char::is_whitespace)
        }
        None => false,
    };
    if ok {
        Ok(v)
    } else {
        Err(Problem::TextLength {
            field: Field::Email,
            min: 0,
            max: TEXT_MAX,
        })
    }
}

/// A login: 3 to 60 letters, digits, dots, dashes, underscores or `@`, stored as typed
/// (logins compare without case).
pub fn login(value: &str) -> Result<String, Problem> {
    let v = text(Field::Login, value, 3, 60)?;
    if v.chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '@'))
    {
        Ok(v)
    } else {
        Err(Problem::TextLength {
            field: Field::Login,
            min: 3,
            max: 60,
        })
    }
}

/// A building's fields, trimmed, with its house numbers read.
pub fn building(input: &BuildingInput) -> Result<(BuildingInput, HouseNumbers), Problem> {
    let numbers_text = text(Field::Numbers, &input.numbers, 1, SHORT_MAX)?;
    let numbers = HouseNumbers::parse(&numbers_text).map_err(|_| Problem::HouseNumbers)?;
    if input.apartments < 1 || input.apartments > APARTMENTS_MAX {
        return Err(Problem::NumberRange {
            field: Field::Apartments,
            min: 1,
            max: APARTMENTS_MAX,
        });
    }
    Ok((
        BuildingInput {
            street: required(Field::Street, &input.street)?,
            numbers: numbers_text,
            postcode: text(Field::Postcode, &input.postcode, 4, SHORT_MAX)?,
            city: required(Field::City, &input.city)?,
            district: optional(Field::District, &input.district)?,
            apartments: input.apartments,
            owner_id: input.owner_id,
        },
        numbers,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use kluis_domain::ids::OrgId;

    fn input(street: &str, numbers: &str, apartments: u32) -> BuildingInput {
        BuildingInput {
            street: street.into(),
            numbers: numbers.into(),
            postcode: "9000".into(),
            city: "Gent".into(),
            district: " Brugse Poort ".into(),
            apartments,
            owner_id: OrgId::from_bytes([1; 16]),
        }
    }

    #[test]
    fn a_building_needs_a_street_a_number_and_an_apartment() {
        let (ok, numbers) = building(&input(" Sleepstraat ", "10-16", 24)).expect("valid");
        assert_eq!(ok.street, "Sleepstraat");
        assert_eq!(ok.district, "Brugse Poort");
        assert!(numbers.contains(12));
        assert_eq!(
            building(&input("", "12", 4)),
            Err(Problem::TextLength {
                field: Field::Street,
                min: 1,
                max: TEXT_MAX
            })
        );
        assert_eq!(
            building(&input("Sleepstraat", "twaalf", 4)),
            Err(Problem::HouseNumbers)
        );
        assert!(matches!(
            building(&input("Sleepstraat", "12", 0)),
            Err(Problem::NumberRange {
                field: Field::Apartments,
                ..
            })
        ));
    }

    #[test]
    fn logins_and_addresses() {
        assert_eq!(login(" an.peeters "), Ok("an.peeters".into()));
        assert!(login("an peeters").is_err());
        assert!(login("an").is_err());
        assert_eq!(email(""), Ok(String::new()));
        assert_eq!(email("an@wgk.be"), Ok("an@wgk.be".into()));
        for bad in ["an", "an@", "@wgk.be", "an@wgk", "an@@wgk.be", "an @wgk.be"] {
            assert!(email(bad).is_err(), "{bad}");
        }
        assert!(required(Field::Name, "naam\u{0}").is_err());
    }
}
