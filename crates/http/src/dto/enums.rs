//! The fixed sets of strings some fields take, for the OpenAPI document only:
//! fields keep their `String`/`&'static str` types and are parsed where they
//! always were (so a wrong value keeps its error code), and the document names
//! the values with `#[schema(value_type = …)]`. The tests below tie each set
//! to the domain type that parses it.
// Documentation only: never constructed.
#![allow(dead_code)]

use utoipa::ToSchema;

/// A user's role.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum UserRole {
    Student,
    Teacher,
}

/// Document 002's `sex`.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum Sex {
    Male,
    Female,
}

/// An admin's role: a `super` admin may also manage admins.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum AdminRole {
    Super,
    Admin,
}

/// A test question's kind: `single` (one right option), `multiple` (one or
/// more), `number` (within a tolerance), `text` (compared ignoring case,
/// spaces and apostrophe variants).
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum QuestionKind {
    Single,
    Multiple,
    Number,
    Text,
}

/// An olympiad's level.
#[derive(ToSchema)]
#[schema(as = OlympiadLevel, rename_all = "lowercase")]
pub enum OlympiadLevelDto {
    Regional,
    National,
    International,
}

/// An olympiad's status, from the clock.
#[derive(ToSchema)]
#[schema(as = OlympiadStatus, rename_all = "snake_case")]
pub enum OlympiadStatusDto {
    Upcoming,
    InProgress,
    Completed,
}

/// A course's level.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum CourseLevel {
    Beginner,
    Intermediate,
    Advanced,
}

/// A course's status: only `published` courses are in the public catalogue.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum CourseStatus {
    Draft,
    Published,
    Archived,
}

/// Which users a list shows, by their `active` flag.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum UserStatusFilter {
    Active,
    Inactive,
    All,
}

/// The scheme to send the access token with.
#[derive(ToSchema)]
pub enum TokenType {
    Bearer,
}

/// `alive` from `/health/live`, `ready` from `/health/ready`.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum HealthStatus {
    Alive,
    Ready,
}

#[cfg(test)]
mod tests {
    use super::*;
    use bilim_domain::{admins, catalogue, users};
    use utoipa::PartialSchema;

    /// The `enum` values the document gives for `T`.
    fn values<T: PartialSchema>() -> Vec<String> {
        let schema = serde_json::to_value(T::schema()).unwrap();
        schema["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("no enum in {schema}"))
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    }

    /// Each documented value parses, and prints back as itself.
    fn same<D: Copy>(
        documented: Vec<String>,
        expected: usize,
        parse: impl Fn(&str) -> Option<D>,
        print: impl Fn(D) -> &'static str,
    ) {
        assert_eq!(documented.len(), expected, "{documented:?}");
        for value in documented {
            let parsed = parse(&value).unwrap_or_else(|| panic!("{value} does not parse"));
            assert_eq!(print(parsed), value);
        }
    }

    #[test]
    fn the_documented_values_are_the_ones_the_domain_parses() {
        same(
            values::<UserRole>(),
            2,
            users::UserRole::parse,
            users::UserRole::as_str,
        );
        same(
            values::<AdminRole>(),
            2,
            admins::AdminRole::parse,
            admins::AdminRole::as_str,
        );
        same(
            values::<CourseLevel>(),
            3,
            catalogue::Level::parse,
            catalogue::Level::as_str,
        );
        same(
            values::<CourseStatus>(),
            3,
            catalogue::CourseStatus::parse,
            catalogue::CourseStatus::as_str,
        );
        assert_eq!(values::<UserStatusFilter>(), ["active", "inactive", "all"]);
        assert_eq!(values::<TokenType>(), ["Bearer"]);
        assert_eq!(values::<HealthStatus>(), ["alive", "ready"]);
    }
}
