//! The control-character rule of the edge (`controls.rs`,
//! `bilim_domain::values::text`) written into the API document, so that a
//! generated client or a fuzzer knows what the server refuses: every string a
//! request carries (parameters, and the schemas request bodies use) that states
//! no pattern of its own gets one that leaves out C0 controls and DEL (JSON
//! bodies may keep tab, line feed and carriage return; a path or query none).
//! Patterns written on a field keep it in mind themselves.

use utoipa::openapi::schema::{AdditionalProperties, ArrayItems, KnownFormat, SchemaFormat};
use utoipa::openapi::{OpenApi, RefOr, Schema, Type, schema::SchemaType};

/// A JSON string: no C0 control but tab, line feed and carriage return; no DEL.
pub(crate) const BODY_TEXT: &str = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F]*$";
/// A path or query parameter: no C0 control, no DEL.
pub(crate) const URL_TEXT: &str = r"^[^\x00-\x1F\x7F]*$";

pub(crate) fn add_text_patterns(api: &mut OpenApi) {
    let mut used = Vec::new();
    for item in api.paths.paths.values_mut() {
        for operation in crate::openapi::operations(item) {
            for parameter in operation.parameters.iter_mut().flatten() {
                if let RefOr::T(parameter) = parameter
                    && let Some(schema) = parameter.schema.as_mut()
                {
                    patterns(schema, URL_TEXT, &mut used);
                }
            }
            if let Some(RefOr::T(body)) = operation.request_body.as_mut() {
                for content in body.content.values_mut() {
                    if let RefOr::T(content) = content
                        && let Some(schema) = content.schema.as_mut()
                    {
                        patterns(schema, BODY_TEXT, &mut used);
                    }
                }
            }
        }
    }
    // The component schemas request bodies name, and the ones those name.
    let Some(components) = api.components.as_mut() else {
        return;
    };
    let mut done = Vec::new();
    while let Some(name) = used.pop() {
        if done.contains(&name) {
            continue;
        }
        if let Some(schema) = components.schemas.get_mut(&name) {
            patterns(schema, BODY_TEXT, &mut used);
        }
        done.push(name);
    }
}

/// Adds `pattern` to each string schema under `schema` without one; collects
/// the names of the component schemas it refers to.
fn patterns(schema: &mut RefOr<Schema>, pattern: &str, used: &mut Vec<String>) {
    let schema = match schema {
        RefOr::Ref(reference) => {
            if let Some(name) = reference.ref_location.strip_prefix("#/components/schemas/") {
                used.push(name.to_owned());
            }
            return;
        }
        RefOr::T(schema) => schema,
    };
    match schema {
        Schema::Object(object) => {
            if is_text(&object.schema_type, object.format.as_ref())
                && object.pattern.is_none()
                && object.enum_values.is_none()
            {
                object.pattern = Some(pattern.to_owned());
            }
            for property in object.properties.values_mut() {
                patterns(property, pattern, used);
            }
            if let Some(extra) = object.additional_properties.as_deref_mut()
                && let AdditionalProperties::RefOr(extra) = extra
            {
                patterns(extra, pattern, used);
            }
        }
        Schema::Array(array) => {
            if let ArrayItems::RefOrSchema(items) = &mut array.items {
                patterns(items, pattern, used);
            }
        }
        Schema::OneOf(one) => one
            .items
            .iter_mut()
            .for_each(|s| patterns(s, pattern, used)),
        Schema::AllOf(all) => all
            .items
            .iter_mut()
            .for_each(|s| patterns(s, pattern, used)),
        Schema::AnyOf(any) => any
            .items
            .iter_mut()
            .for_each(|s| patterns(s, pattern, used)),
        _ => {}
    }
}

/// A string whose format does not already rule controls out (a UUID, a time)
/// or make it bytes (an upload).
fn is_text(schema_type: &SchemaType, format: Option<&SchemaFormat>) -> bool {
    let string = match schema_type {
        SchemaType::Type(kind) => *kind == Type::String,
        SchemaType::Array(kinds) => kinds.contains(&Type::String),
        SchemaType::AnyValue => false,
    };
    let free_text = match format {
        None | Some(SchemaFormat::Custom(_)) => true,
        Some(SchemaFormat::KnownFormat(known)) => {
            matches!(known, KnownFormat::Email | KnownFormat::Password)
        }
    };
    string && free_text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The document's patterns against the edge's rule: every string of a
    /// request body without a pattern of its own now has one, and the
    /// patterns say what `has_control` says.
    #[test]
    fn request_strings_state_the_control_character_rule() {
        let document = serde_json::to_value(crate::openapi::openapi()).unwrap();
        let course = &document["components"]["schemas"]["CourseCreateBody"]["properties"];
        assert_eq!(course["description"]["pattern"], BODY_TEXT);
        let regex = |p: &str| regex::Regex::new(p).unwrap();
        let (body, url) = (regex(BODY_TEXT), regex(URL_TEXT));
        for text in ["Algebra", "a\nb\tc\r", "", "ўзбек 😀"] {
            assert!(body.is_match(text), "{text:?}");
        }
        for text in ["a\0", "\u{b}", "\u{c}", "x\u{1b}", "\u{7f}"] {
            assert!(!body.is_match(text), "{text:?}");
        }
        assert!(!url.is_match("a\tb"));
        assert!(url.is_match("Matematika"));
    }
}
