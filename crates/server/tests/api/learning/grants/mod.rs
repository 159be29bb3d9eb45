//! `POST/DELETE /admin/users/{id}/courses`: grants for the course's months
//! (calendar months), for explicit months or until an exact time; repeats
//! that set the expiry again without duplicating anything; validation;
//! revocation; expiry by the clock; and what grants mean for the catalogue.
//!
//! Granting (terms, repeats, validation) is in `granting`; revocation and
//! expiry in `ending`; what grants mean for later changes to the course in
//! `course_changes`.

mod course_changes;
mod ending;
mod granting;

use serde_json::Value;

fn id(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}
