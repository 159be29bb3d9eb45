//! The shared letter: blocks of prose or a code, the signature, the plain
//! text and the inline-styled HTML drawn from them, and the cleaning and
//! escaping every interpolated value goes through.

use super::Rendered;

/// One paragraph of a letter.
pub(super) enum Block {
    /// Lines of prose, kept apart by line breaks.
    Text(Vec<String>),
    /// A code: alone on its line in the text body, large in the HTML.
    Code(String),
}

const SIGNATURE: [&str; 2] = ["Hurmat bilan,", "Bilim jamoasi"];

/// Renders `blocks` plus the signature as text and HTML.
pub(super) fn letter(subject: &str, mut blocks: Vec<Block>) -> Rendered {
    blocks.push(Block::Text(SIGNATURE.map(str::to_owned).to_vec()));

    let text = blocks
        .iter()
        .map(|block| match block {
            Block::Text(lines) => lines.join("\n"),
            Block::Code(code) => code.clone(),
        })
        .collect::<Vec<_>>()
        .join("\n\n")
        + "\n";

    let mut html = format!(
        "<!DOCTYPE html>\n\
         <html lang=\"uz\">\n\
         <head><meta charset=\"utf-8\"><title>{}</title></head>\n\
         <body style=\"margin:0;padding:24px;background:#f4f5f7;\">\n\
         <div style=\"max-width:480px;margin:0 auto;padding:24px;background:#ffffff;\
         border-radius:8px;font-family:Arial,Helvetica,sans-serif;font-size:16px;\
         line-height:1.5;color:#1f2933;\">\n",
        escape_html(subject)
    );
    for block in &blocks {
        match block {
            Block::Text(lines) => {
                let lines: Vec<String> = lines.iter().map(|l| escape_html(l)).collect();
                html.push_str("<p style=\"margin:0 0 16px;\">");
                html.push_str(&lines.join("<br>"));
                html.push_str("</p>\n");
            }
            Block::Code(code) => {
                html.push_str(
                    "<p style=\"margin:0 0 16px;font-family:Consolas,Menlo,Courier,monospace;\
                     font-size:32px;font-weight:bold;letter-spacing:6px;\">",
                );
                html.push_str(&escape_html(code));
                html.push_str("</p>\n");
            }
        }
    }
    html.push_str("</div>\n</body>\n</html>\n");

    Rendered {
        subject: subject.to_owned(),
        text,
        html,
    }
}

/// "Assalomu alaykum, Name!", or without the name when there is none.
pub(super) fn greeting(first_name: &str) -> Block {
    let name = clean_name(first_name);
    Block::Text(vec![if name.is_empty() {
        "Assalomu alaykum!".to_owned()
    } else {
        format!("Assalomu alaykum, {name}!")
    }])
}

/// A name as it may appear in a letter: control characters and runs of
/// whitespace (line breaks included) folded into one space, at most 100
/// characters. Keeps a name from adding lines to the text body.
fn clean_name(raw: &str) -> String {
    clean_line(raw, 100)
}

/// A course title as it may appear in a letter: like [`clean_name`], at most
/// 200 characters.
pub(super) fn clean_title(raw: &str) -> String {
    clean_line(raw, 200)
}

/// `raw` on one line: control characters and whitespace runs folded into one
/// space, at most `max_chars` characters.
fn clean_line(raw: &str, max_chars: usize) -> String {
    let printable: String = raw
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    printable
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(max_chars)
        .collect()
}

/// Escapes the five characters that matter in HTML text and attribute values.
pub(super) fn escape_html(raw: &str) -> String {
    let mut escaped = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}
