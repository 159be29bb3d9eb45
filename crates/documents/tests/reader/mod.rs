//! Just enough of a PDF reader to check what `bilim-documents` writes: the
//! objects (streams inflated), the page's text operators, and each font's
//! ToUnicode map and embedded program. Assumes the layout pdf-writer produces
//! (direct `/Length`, one page, Type0 fonts); not a general parser.

use std::collections::HashMap;

/// One indirect object.
pub struct Object {
    pub dict: String,
    /// The decoded stream, if the object has one.
    pub stream: Option<Vec<u8>>,
}

/// Every indirect object by number.
pub fn objects(pdf: &[u8]) -> HashMap<u32, Object> {
    let mut objects = HashMap::new();
    let mut pos = 0;
    while let Some(found) = find(pdf, b" 0 obj", pos) {
        let digits_start = pdf[..found]
            .iter()
            .rposition(|b| !b.is_ascii_digit())
            .map_or(0, |p| p + 1);
        let id: u32 = std::str::from_utf8(&pdf[digits_start..found])
            .unwrap()
            .parse()
            .unwrap();
        let body = found + b" 0 obj".len();
        let end = find(pdf, b"endobj", body).unwrap();
        let stream_at = find(pdf, b"stream", body).filter(|&s| s < end);
        let dict_end = stream_at.unwrap_or(end);
        let dict = String::from_utf8_lossy(&pdf[body..dict_end]).into_owned();
        let (stream, next) = match stream_at {
            None => (None, end),
            Some(s) => {
                let mut start = s + b"stream".len();
                if pdf[start] == b'\r' {
                    start += 1;
                }
                start += 1; // '\n'
                let length = integer_after(&dict, "/Length").unwrap() as usize;
                let raw = &pdf[start..start + length];
                let data = if dict.contains("/FlateDecode") {
                    miniz_oxide::inflate::decompress_to_vec_zlib(raw).unwrap()
                } else {
                    raw.to_vec()
                };
                (Some(data), start + length)
            }
        };
        objects.insert(id, Object { dict, stream });
        pos = next;
    }
    objects
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// The integer right after `key` (`/Length 42` or `/Length42`).
pub fn integer_after(dict: &str, key: &str) -> Option<i64> {
    let rest = &dict[dict.find(key)? + key.len()..];
    let rest = rest.trim_start();
    let end = rest
        .find(|c: char| !c.is_ascii_digit() && c != '-')
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}

/// The object number of the reference `key N 0 R` (or `key [N 0 R]`).
pub fn reference(dict: &str, key: &str) -> Option<u32> {
    let rest = &dict[dict.find(key)? + key.len()..];
    let rest = rest.trim_start().trim_start_matches('[').trim_start();
    let end = rest.find(|c: char| !c.is_ascii_digit())?;
    rest[..end].parse().ok()
}

/// A token of a content stream.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(f32),
    Name(String),
    Bytes(Vec<u8>),
    Operator(String),
}

fn tokens(content: &[u8]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < content.len() {
        let c = content[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c == b'/' {
            let end = content[i + 1..]
                .iter()
                .position(|b| b.is_ascii_whitespace() || b"/[]<>()".contains(b))
                .map_or(content.len(), |p| p + i + 1);
            out.push(Token::Name(
                String::from_utf8_lossy(&content[i + 1..end]).into_owned(),
            ));
            i = end;
        } else if c == b'<' {
            let end = find(content, b">", i).unwrap();
            let hex: Vec<u8> = content[i + 1..end]
                .iter()
                .copied()
                .filter(|b| !b.is_ascii_whitespace())
                .collect();
            let bytes = hex
                .chunks(2)
                .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).unwrap(), 16).unwrap())
                .collect();
            out.push(Token::Bytes(bytes));
            i = end + 1;
        } else if c == b'(' {
            let (bytes, end) = literal(content, i);
            out.push(Token::Bytes(bytes));
            i = end;
        } else {
            let end = content[i..]
                .iter()
                .position(|b| b.is_ascii_whitespace() || b"/[]<>()".contains(b))
                .map_or(content.len(), |p| p + i);
            let word = String::from_utf8_lossy(&content[i..end.max(i + 1)]).into_owned();
            out.push(match word.parse() {
                Ok(n) => Token::Number(n),
                Err(_) => Token::Operator(word),
            });
            i = end.max(i + 1);
        }
    }
    out
}

/// A literal string starting at `start` (the `(`): its bytes and the index
/// after its `)`.
fn literal(content: &[u8], start: usize) -> (Vec<u8>, usize) {
    let mut bytes = Vec::new();
    let mut depth = 0;
    let mut i = start;
    loop {
        let c = content[i];
        match c {
            b'(' => {
                if depth > 0 {
                    bytes.push(c);
                }
                depth += 1;
            }
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return (bytes, i + 1);
                }
                bytes.push(c);
            }
            b'\\' => {
                i += 1;
                let e = content[i];
                match e {
                    b'n' => bytes.push(b'\n'),
                    b'r' => bytes.push(b'\r'),
                    b't' => bytes.push(b'\t'),
                    b'b' => bytes.push(8),
                    b'f' => bytes.push(12),
                    b'0'..=b'7' => {
                        let mut value = 0u32;
                        let mut n = 0;
                        while n < 3 && (b'0'..=b'7').contains(&content[i]) {
                            value = value * 8 + u32::from(content[i] - b'0');
                            i += 1;
                            n += 1;
                        }
                        i -= 1;
                        bytes.push(value as u8);
                    }
                    other => bytes.push(other),
                }
            }
            _ => bytes.push(c),
        }
        i += 1;
    }
}

/// One `Tj`: the font resource in effect and the string's bytes.
#[derive(Debug, Clone)]
pub struct Shown {
    pub font: String,
    pub size: f32,
    pub bytes: Vec<u8>,
}

/// Every `Tj` of a content stream, in order.
pub fn shown_text(content: &[u8]) -> Vec<Shown> {
    let mut shown = Vec::new();
    let mut font = String::new();
    let mut size = 0.0;
    let tokens = tokens(content);
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::Operator(op) if op == "Tf" => {
                if let [Token::Name(name), Token::Number(n)] = &tokens[i - 2..i] {
                    font = name.clone();
                    size = *n;
                }
            }
            Token::Operator(op) if op == "Tj" => {
                if let Token::Bytes(bytes) = &tokens[i - 1] {
                    shown.push(Shown {
                        font: font.clone(),
                        size,
                        bytes: bytes.clone(),
                    });
                }
            }
            _ => {}
        }
    }
    shown
}

/// The `bfchar` pairs of a ToUnicode CMap: glyph id → text.
pub fn to_unicode(cmap: &str) -> HashMap<u16, String> {
    let mut map = HashMap::new();
    let mut inside = false;
    for line in cmap.lines() {
        if line.ends_with("beginbfchar") {
            inside = true;
        } else if line == "endbfchar" {
            inside = false;
        } else if inside {
            let parts: Vec<&str> = line
                .split(['<', '>', ' '])
                .filter(|p| !p.is_empty())
                .collect();
            let glyph = u16::from_str_radix(parts[0], 16).unwrap();
            let units: Vec<u16> = parts[1]
                .as_bytes()
                .chunks(4)
                .map(|c| u16::from_str_radix(std::str::from_utf8(c).unwrap(), 16).unwrap())
                .collect();
            map.insert(glyph, String::from_utf16(&units).unwrap());
        }
    }
    map
}
