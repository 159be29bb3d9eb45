//! Control characters at the edge (`bilim_domain::values::text`): a path or a
//! query string with a percent-encoded C0 control or DEL, or a JSON body with
//! one in a string, is a 400 `validation` naming the field, before any handler
//! or database sees it. JSON strings may keep tab and line breaks (descriptions
//! span lines); the value objects refuse them where a value is one line.

use crate::error::{ApiError, ProblemField};
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use bilim_domain::values::text::{CONTROL_CHARACTER, Lines, has_control};
use serde_json::Value;
use std::fmt::Write as _;

/// Middleware: refuses a path or query string that encodes a control character.
pub async fn refuse_in_url(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let mut fields = Vec::new();
    if encodes_control(request.path()) {
        fields.push(field("path"));
    }
    for pair in request.query_string().split('&') {
        if encodes_control(pair) {
            let name = pair.split('=').next().unwrap_or_default();
            fields.push(field(if encodes_control(name) { "query" } else { name }));
        }
    }
    if fields.is_empty() {
        return Ok(next.call(request).await?.map_into_left_body());
    }
    let error = refusal(fields);
    Ok(request
        .error_response(error)
        .map_into_boxed_body()
        .map_into_right_body())
}

/// A 400 `validation` naming the JSON fields (dotted paths, `[n]` for array
/// items) whose strings or keys hold control characters; `Ok` when none do.
pub fn check_json(value: &Value) -> Result<(), ApiError> {
    let mut fields = Vec::new();
    walk(value, &mut String::new(), &mut fields);
    if fields.is_empty() {
        Ok(())
    } else {
        Err(refusal(fields))
    }
}

fn walk(value: &Value, path: &mut String, found: &mut Vec<ProblemField>) {
    match value {
        Value::String(text) if has_control(text, Lines::Many) => {
            found.push(field(if path.is_empty() {
                "body"
            } else {
                path.as_str()
            }));
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let len = path.len();
                let _ = write!(path, "[{index}]");
                walk(item, path, found);
                path.truncate(len);
            }
        }
        Value::Object(entries) => {
            for (key, item) in entries {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                if has_control(key, Lines::One) {
                    path.push_str("(key)");
                    found.push(field(path.as_str()));
                } else {
                    path.push_str(key);
                    walk(item, path, found);
                }
                path.truncate(len);
            }
        }
        _ => {}
    }
}

/// Whether raw URL text holds `%XX` decoding to a C0 control or DEL. Raw
/// control bytes never get this far: the HTTP parser refuses them.
fn encodes_control(raw: &str) -> bool {
    raw.as_bytes().windows(3).any(|w| {
        w[0] == b'%'
            && match (hex(w[1]), hex(w[2])) {
                (Some(high), Some(low)) => {
                    let byte = high * 16 + low;
                    byte < 0x20 || byte == 0x7f
                }
                _ => false,
            }
    })
}

fn hex(digit: u8) -> Option<u8> {
    (digit as char).to_digit(16).map(|d| d as u8)
}

fn field(name: &str) -> ProblemField {
    ProblemField {
        field: name.to_owned(),
        code: CONTROL_CHARACTER.to_owned(),
        message: "must not contain control characters".to_owned(),
    }
}

fn refusal(fields: Vec<ProblemField>) -> ApiError {
    let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
    let detail = format!(
        "Control characters are not allowed in: {}.",
        names.join(", ")
    );
    ApiError::bad_request("validation", detail).with_fields(fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn refused(value: Value) -> Vec<String> {
        match check_json(&value) {
            Ok(()) => Vec::new(),
            Err(error) => error
                .problem()
                .errors
                .unwrap_or_default()
                .into_iter()
                .map(|f| f.field)
                .collect(),
        }
    }

    #[test]
    fn json_strings_with_controls_are_named() {
        let body =
            json!({"login": "root\u{0}", "n": 3, "items": [{"title": "a\u{1b}"}], "ok": "x"});
        assert_eq!(refused(body), ["items[0].title", "login"]);
        assert_eq!(refused(json!({"a\u{0}": 1})), ["(key)"]);
        assert_eq!(refused(json!("\u{7f}")), ["body"]);
    }

    #[test]
    fn json_strings_may_span_lines() {
        assert!(refused(json!({"description": "one\ntwo\r\n\tthree"})).is_empty());
    }

    #[test]
    fn only_encoded_controls_count_in_urls() {
        for raw in ["%00", "q=a%0Ab", "%1f", "%7F", "%7f"] {
            assert!(encodes_control(raw), "{raw}");
        }
        for raw in ["%20", "%C3%BC", "%", "%0", "%zz", "100%25", "%80"] {
            assert!(!encodes_control(raw), "{raw}");
        }
    }
}
