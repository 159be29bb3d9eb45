//! Request and response bodies. Requests reject unknown fields; responses are
//! built from domain values, never from database rows.

pub mod admin;
pub mod auth;
pub mod catalogue;
pub mod enums;
pub mod learning;
pub mod money;
pub mod olympiads;
pub mod orders;
pub mod payments;
pub mod quizzes;
pub mod search;
pub mod shop;
pub mod stats;
pub mod telegram;
pub mod users;
pub mod wallet;

use crate::error::{ApiError, ProblemField};
use validator::Validate;

/// Runs the DTO's `validator` rules; every failing field is listed.
pub fn validated<T: Validate>(body: T) -> Result<T, ApiError> {
    let Err(errors) = body.validate() else {
        return Ok(body);
    };
    let mut fields: Vec<ProblemField> = errors
        .field_errors()
        .into_iter()
        .flat_map(|(field, errors)| {
            errors.iter().map(move |error| ProblemField {
                field: field.to_string(),
                code: error.code.to_string(),
                message: error.message.as_ref().map_or_else(
                    || format!("{field} is not valid ({})", error.code),
                    ToString::to_string,
                ),
            })
        })
        .collect();
    fields.sort_by(|a, b| a.field.cmp(&b.field));
    let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
    let detail = format!("Invalid fields: {}.", names.join(", "));
    Err(ApiError::bad_request("validation", detail).with_fields(fields))
}

#[cfg(test)]
mod tests {
    //! The document's rules for a field say what the server's own rules say:
    //! for each sample, the schema (lengths in characters, `pattern`, bounds)
    //! accepts it exactly when the server does.
    use bilim_domain::values::{
        Code, DirectionName, Email, Months, PersonName, Phone, Position, Title, Username,
    };
    use serde_json::Value;

    fn schemas() -> Value {
        serde_json::to_value(crate::openapi::openapi()).unwrap()["components"]["schemas"].clone()
    }

    /// What the document says a string field accepts.
    fn accepts(property: &Value, raw: &str) -> bool {
        let length = raw.chars().count() as u64;
        let min = property["minLength"].as_u64().unwrap_or(0);
        let max = property["maxLength"].as_u64().unwrap_or(u64::MAX);
        let pattern = property["pattern"]
            .as_str()
            .is_none_or(|p| regex::Regex::new(p).unwrap().is_match(raw));
        (min..=max).contains(&length) && pattern
    }

    fn agree(property: &Value, samples: &[&str], server: impl Fn(&str) -> bool) {
        assert!(property.is_object(), "no such property");
        for raw in samples {
            assert_eq!(
                accepts(property, raw),
                server(raw),
                "{raw:?} against {property}"
            );
        }
    }

    fn within(property: &Value, number: i64) -> bool {
        let min = property["minimum"].as_i64().unwrap_or(i64::MIN);
        let max = property["maximum"].as_i64().unwrap_or(i64::MAX);
        (min..=max).contains(&number)
    }

    const NAMES: &[&str] = &[
        "Oʻktam",
        "G'ulom",
        "Муҳаммад",
        "Anna-Maria",
        "  Abdulla   Qodiriy ",
        "O‘ktam",
        "ʻ",
        "Jean Luc",
        "",
        "   ",
        "<script>",
        "Ali2",
        "--",
        "'-.",
        "‘",
        "a\u{0}b",
        "Ali_",
        "a@b",
        "÷",
        "Ali×",
        "a\u{2013}b",
        "e\u{301}",
        "ª",
        "µ",
        "a\u{a0}b",
        "\u{a0}",
        "a\u{2003}b",
        "a\u{200b}b",
        "Ali\tVali",
    ];

    #[test]
    fn names_follow_person_name() {
        let schemas = schemas();
        let long = "a".repeat(101);
        let mut samples = NAMES.to_vec();
        samples.push(&long);
        for (schema, field) in [
            ("RegisterRequest", "first_name"),
            ("RegisterRequest", "last_name"),
            ("ProfilePatch", "first_name"),
            ("ProfilePatch", "last_name"),
        ] {
            agree(&schemas[schema]["properties"][field], &samples, |raw| {
                raw.chars().count() <= 100 && PersonName::parse("first_name", raw).is_ok()
            });
        }
    }

    #[test]
    fn phones_follow_phone_and_blank_means_none() {
        let samples = [
            "+998901234567",
            "+998 90 123 45 67",
            "998-90-123-45-67",
            "(90) 123-45-67",
            "90 123 45 67",
            "8 90 123 45 67",
            " +998 (90) 1234567 ",
            "",
            "  ",
            "+7 901 234 56 78",
            "+1 202 555 0100",
            "12345",
            "+998 90 123 45 6",
            "+998 90 123 45 678",
            "90-123-45-6x",
            "+99890+1234567",
            "099 123 45 67",
            "++998901234567",
            "+8 90 123 45 67",
        ];
        let schemas = schemas();
        for schema in ["RegisterRequest", "ProfilePatch"] {
            agree(&schemas[schema]["properties"]["phone"], &samples, |raw| {
                raw.trim().is_empty() || Phone::parse(raw).is_ok()
            });
        }
    }

    #[test]
    fn emails_usernames_and_codes_follow_their_values() {
        let schemas = schemas();
        let emails = [
            "dilnoza@example.uz",
            " Aziz.Karimov@Example.UZ ",
            "a+b@x-y.uz",
            "",
            "plain",
            "@example.uz",
            "a@",
            "a@uz",
            "a@@b.uz",
            "a b@c.uz",
            "a@b..uz",
            ".a@b.uz",
            "a.@b.uz",
            "a@-b.uz",
            "a@b.uz<script>",
        ];
        for schema in ["RegisterRequest", "ForgotRequest", "NewAdminRequest"] {
            agree(&schemas[schema]["properties"]["email"], &emails, |raw| {
                Email::parse(raw).is_ok()
            });
        }
        let long = "a".repeat(33);
        let usernames = [
            "root",
            " Dilnoza.Admin ",
            "oktam_1",
            "ab",
            "1admin",
            "admin@bilim",
            "ad min",
            "админ",
            long.as_str(),
        ];
        agree(
            &schemas["NewAdminRequest"]["properties"]["username"],
            &usernames,
            |raw| Username::parse(raw).is_ok(),
        );
        let codes = [
            "012345",
            " 123456 ",
            "12345",
            "1234567",
            "12345a",
            "",
            "١٢٣٤٥٦",
        ];
        agree(
            &schemas["VerifyRequest"]["properties"]["code"],
            &codes,
            |raw| Code::parse(raw).is_ok(),
        );
    }

    #[test]
    fn catalogue_texts_and_numbers_follow_their_values() {
        let schemas = schemas();
        let (t200, t201, t100, t101) = (
            "ў".repeat(200),
            "ў".repeat(201),
            "a".repeat(100),
            "a".repeat(101),
        );
        let titles = [
            "Algebra",
            " Algebra ",
            "",
            "   ",
            "\t",
            t200.as_str(),
            t201.as_str(),
        ];
        for schema in [
            "CourseCreateBody",
            "CoursePatchBody",
            "ModuleCreateBody",
            "ModulePatchBody",
            "LessonCreateBody",
            "LessonPatchBody",
            "CertificateBody",
        ] {
            agree(&schemas[schema]["properties"]["title"], &titles, |raw| {
                Title::parse("title", raw).is_ok()
            });
        }
        let names = ["Matematika", "", "  ", t100.as_str(), t101.as_str()];
        for schema in ["DirectionCreateBody", "DirectionPatchBody"] {
            agree(&schemas[schema]["properties"]["name"], &names, |raw| {
                DirectionName::parse("name", raw).is_ok()
            });
        }
        for schema in [
            "DirectionCreateBody",
            "DirectionPatchBody",
            "ModuleCreateBody",
            "ModulePatchBody",
            "LessonCreateBody",
            "LessonPatchBody",
        ] {
            let position = &schemas[schema]["properties"]["position"];
            for n in [-1, 0, 1, 10_000, 10_001] {
                let server = i32::try_from(n).is_ok_and(|n| Position::parse(n).is_ok());
                assert_eq!(within(position, n), server, "{schema}.position {n}");
            }
        }
        let months = [
            &schemas["CourseCreateBody"]["properties"]["access_months"],
            &schemas["CoursePatchBody"]["properties"]["access_months"],
            &schemas["GrantBody"]["properties"]["months"],
            &schemas["CourseSummary"]["properties"]["access_months"],
        ];
        for property in months {
            for n in [-1, 0, 1, 60, 61] {
                let server = Months::parse("m", "c", n).is_ok();
                assert_eq!(within(property, n), server, "{property} {n}");
            }
        }
    }

    #[test]
    fn cursors_are_the_ones_pages_hand_out() {
        use bilim_service::paging::PageRequest;
        let document = serde_json::to_value(crate::openapi::openapi()).unwrap();
        let cursor = &document["paths"]["/api/v1/admin/users"]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "cursor")
            .unwrap()["schema"];
        let samples = [
            "",
            "AZQNSlC2dF-8yKd4Z2GJvQ",
            "AAAAAAAAAAAAAAAAAAAAAA",
            "AZQNSlC2dF-8yKd4Z2GJvR",
            "AZQNSlC2dF-8yKd4Z2GJv",
            "AZQNSlC2dF-8yKd4Z2GJvQA",
            "AZQNSlC2dF+8yKd4Z2GJvQ",
            "AZQNSlC2dF-8yKd4Z2GJvQ==",
            "nope",
        ];
        agree(cursor, &samples, |raw| {
            PageRequest {
                limit: None,
                cursor: Some(raw.to_owned()),
            }
            .after()
            .is_ok()
        });
    }

    #[test]
    fn passwords_are_8_to_128_characters_where_they_are_new() {
        let schemas = schemas();
        for (schema, field) in [
            ("RegisterRequest", "password"),
            ("ResetRequest", "new_password"),
            ("PasswordChange", "new_password"),
            ("NewAdminRequest", "password"),
        ] {
            let property = &schemas[schema]["properties"][field];
            assert_eq!(
                (
                    property["minLength"].as_u64(),
                    property["maxLength"].as_u64()
                ),
                (Some(8), Some(128)),
                "{schema}.{field}"
            );
        }
    }
}
