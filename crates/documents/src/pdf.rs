//! A laid-out [`Page`] as a PDF 1.7 file.
//!
//! Each face used is embedded as a Type0 font with Identity-H encoding over a
//! CIDFontType2 descendant: the content stream shows two-byte subset glyph
//! ids, `/W` gives their widths, `/FontFile2` holds the subsetted TrueType
//! program and `/ToUnicode` maps every glyph back to its character, so that
//! text can be copied and extracted. Streams are zlib-compressed. Nothing in
//! the file depends on the clock or on chance: the same page gives the same
//! bytes.

use crate::font::Font;
use crate::layout::{Line, PAGE_HEIGHT, PAGE_WIDTH, Page, Shape, Stroke};
use bilim_domain::DomainResult;
use pdf_writer::types::{
    ActionType, AnnotationType, CidFontType, FontFlags, SystemInfo, UnicodeCmap,
};
use pdf_writer::writers::WMode;
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Settings, Str, TextStr};

const IDENTITY: SystemInfo = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};

/// Hands out object numbers in order.
struct Refs(i32);

impl Refs {
    fn next(&mut self) -> Ref {
        self.0 += 1;
        Ref::new(self.0)
    }
}

/// Writes `page` using `fonts` (resource names `/F0`, `/F1`, … in order);
/// each line's weight picks its font.
pub(crate) fn write(page: &Page, title: &str, fonts: &mut [&mut Font]) -> DomainResult<Vec<u8>> {
    let content = content(page, fonts);

    let mut refs = Refs(0);
    let catalog = refs.next();
    let pages = refs.next();
    let page_ref = refs.next();
    let content_ref = refs.next();
    let info = refs.next();
    let link = refs.next();
    let font_refs: Vec<Ref> = fonts.iter().map(|_| refs.next()).collect();

    let mut pdf = Pdf::with_settings(Settings { pretty: false });
    pdf.catalog(catalog).pages(pages).lang(TextStr("uz"));
    pdf.pages(pages).kids([page_ref]).count(1);
    pdf.document_info(info)
        .title(TextStr(title))
        .creator(TextStr("Bilim"))
        .producer(TextStr("bilim-documents"));

    let mut pdf_page = pdf.page(page_ref);
    pdf_page
        .media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
        .parent(pages)
        .contents(content_ref);
    if page.link.is_some() {
        pdf_page.annotations([link]);
    }
    let mut resources = pdf_page.resources();
    let mut font_dict = resources.fonts();
    for (i, (font, font_ref)) in fonts.iter().zip(&font_refs).enumerate() {
        if !font.is_unused() {
            font_dict.pair(Name(resource_name(i).as_bytes()), *font_ref);
        }
    }
    font_dict.finish();
    resources.finish();
    pdf_page.finish();

    pdf.stream(content_ref, &deflate(&content))
        .filter(Filter::FlateDecode);

    if let Some(target) = &page.link {
        let [x1, y1, x2, y2] = target.rect;
        let mut annotation = pdf.annotation(link);
        annotation
            .subtype(AnnotationType::Link)
            .rect(Rect::new(x1, y1, x2, y2))
            .border(0.0, 0.0, 0.0, None);
        annotation
            .action()
            .action_type(ActionType::Uri)
            .uri(Str(target.uri.as_bytes()));
    }

    for (font, font_ref) in fonts.iter().zip(font_refs) {
        if !font.is_unused() {
            embed(&mut pdf, &mut refs, font_ref, font)?;
        }
    }
    Ok(pdf.finish())
}

fn resource_name(index: usize) -> String {
    format!("F{index}")
}

/// The page's drawing operators; encodes the text, which fills the subsets.
fn content(page: &Page, fonts: &mut [&mut Font]) -> Vec<u8> {
    let mut content = Content::new();
    for stroke in &page.strokes {
        draw(&mut content, stroke);
    }
    for line in &page.lines {
        let Some(index) = fonts.iter().position(|f| f.weight() == line.weight) else {
            continue;
        };
        let Some(font) = fonts.get_mut(index) else {
            continue;
        };
        show(&mut content, line, &resource_name(index), font);
    }
    content.finish().into_vec()
}

fn draw(content: &mut Content, stroke: &Stroke) {
    let color = stroke.color;
    content
        .set_stroke_rgb(color.0, color.1, color.2)
        .set_line_width(stroke.width);
    match stroke.shape {
        Shape::Rect { x, y, w, h } => content.rect(x, y, w, h),
        Shape::Segment { x1, y1, x2, y2 } => content.move_to(x1, y1).line_to(x2, y2),
    };
    content.stroke();
}

fn show(content: &mut Content, line: &Line, resource: &str, font: &mut Font) {
    let glyphs = font.encode(&line.text);
    let color = line.color;
    content.begin_text();
    content
        .set_font(Name(resource.as_bytes()), line.size)
        .set_fill_rgb(color.0, color.1, color.2)
        .set_char_spacing(line.spacing)
        .next_line(line.x, line.baseline)
        .show(Str(&glyphs));
    content.end_text();
}

/// Writes `font` as a Type0 font at `type0`, with its descendant, descriptor,
/// subset program and ToUnicode map at fresh references.
fn embed(pdf: &mut Pdf, refs: &mut Refs, type0: Ref, font: &Font) -> DomainResult<()> {
    let cid_ref = refs.next();
    let descriptor_ref = refs.next();
    let cmap_ref = refs.next();
    let program_ref = refs.next();
    let name = font.subset_name();
    let base_font = Name(name.as_bytes());

    pdf.type0_font(type0)
        .base_font(base_font)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_ref)
        .to_unicode(cmap_ref);

    let mut cid = pdf.cid_font(cid_ref);
    cid.subtype(CidFontType::Type2)
        .base_font(base_font)
        .system_info(IDENTITY)
        .font_descriptor(descriptor_ref)
        .default_width(0.0)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    cid.widths()
        .consecutive(0, font.subset_widths().into_iter().map(f32::round));
    cid.finish();

    let metrics = font.metrics();
    let [x_min, y_min, x_max, y_max] = metrics.bbox;
    pdf.font_descriptor(descriptor_ref)
        .name(base_font)
        .flags(FontFlags::SYMBOLIC)
        .bbox(Rect::new(x_min, y_min, x_max, y_max))
        .italic_angle(metrics.italic_angle)
        .ascent(metrics.ascent)
        .descent(metrics.descent)
        .cap_height(metrics.cap_height)
        .stem_v(metrics.stem_v)
        .font_file2(program_ref);

    let mut cmap = UnicodeCmap::new(Name(b"Custom"), IDENTITY);
    for (glyph, c) in font.subset_chars() {
        cmap.pair(glyph, c);
    }
    let cmap = deflate(&cmap.finish().into_vec());
    pdf.cmap(cmap_ref, &cmap)
        .writing_mode(WMode::Horizontal)
        .filter(Filter::FlateDecode);

    let program = font.subset()?;
    let compressed = deflate(&program);
    let mut stream = pdf.stream(program_ref, &compressed);
    stream.filter(Filter::FlateDecode);
    stream.pair(
        Name(b"Length1"),
        i32::try_from(program.len()).unwrap_or(i32::MAX),
    );
    stream.finish();
    Ok(())
}

fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}
