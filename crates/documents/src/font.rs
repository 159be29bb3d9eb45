//! The two faces compiled into the crate, DejaVu Sans and DejaVu Sans Bold
//! (see `fonts/LICENSE`), and the glyphs one document uses from each.
//!
//! A [`Font`] measures text in ems and encodes it as two-byte glyph ids of
//! its subset: the first glyph a document uses becomes id 1, the next id 2,
//! and so on (`.notdef` stays 0). `crate::pdf` embeds exactly those glyphs.

use bilim_domain::{DomainError, DomainResult};
use subsetter::GlyphRemapper;
use ttf_parser::{Face, GlyphId};

const REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// Which of the two faces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Weight {
    Regular,
    Bold,
}

/// A face plus the glyphs one document uses from it.
pub(crate) struct Font {
    weight: Weight,
    data: &'static [u8],
    face: Face<'static>,
    postscript_name: &'static str,
    /// Original glyph id → subset glyph id, in order of first use.
    remapper: GlyphRemapper,
    /// The character each subset glyph stands for, by subset glyph id.
    chars: Vec<Option<char>>,
}

impl Font {
    /// Parses the compiled-in face; no glyph is used yet.
    pub(crate) fn load(weight: Weight) -> DomainResult<Self> {
        let (data, postscript_name) = match weight {
            Weight::Regular => (REGULAR, "DejaVuSans"),
            Weight::Bold => (BOLD, "DejaVuSans-Bold"),
        };
        let face = Face::parse(data, 0)
            .map_err(|e| DomainError::Internal(format!("{postscript_name}: {e}")))?;
        Ok(Self {
            weight,
            data,
            face,
            postscript_name,
            remapper: GlyphRemapper::new(),
            chars: vec![None],
        })
    }

    pub(crate) fn weight(&self) -> Weight {
        self.weight
    }

    /// Whether the face draws `c` with a glyph of its own (not `.notdef`).
    pub(crate) fn has_glyph(&self, c: char) -> bool {
        self.face.glyph_index(c).is_some_and(|g| g.0 != 0)
    }

    /// How far `c` advances the pen, in ems. `.notdef` for a missing glyph.
    pub(crate) fn advance(&self, c: char) -> f32 {
        let glyph = self.face.glyph_index(c).unwrap_or(GlyphId(0));
        self.glyph_advance(glyph)
    }

    /// The width of `text` in ems, without kerning.
    pub(crate) fn width(&self, text: &str) -> f32 {
        text.chars().map(|c| self.advance(c)).sum()
    }

    /// `text` as big-endian two-byte subset glyph ids, for a `Tj` operator
    /// under an Identity-H encoding. Adds the glyphs to the subset.
    pub(crate) fn encode(&mut self, text: &str) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(text.len() * 2);
        for c in text.chars() {
            let glyph = self.face.glyph_index(c).unwrap_or(GlyphId(0));
            let id = self.remapper.remap(glyph.0);
            if usize::from(id) == self.chars.len() {
                self.chars.push(Some(c));
            }
            bytes.extend(id.to_be_bytes());
        }
        bytes
    }

    /// Whether [`Font::encode`] was never called with any text.
    pub(crate) fn is_unused(&self) -> bool {
        self.remapper.num_gids() <= 1
    }

    /// The subset as a TrueType font program, for `/FontFile2`.
    pub(crate) fn subset(&self) -> DomainResult<Vec<u8>> {
        subsetter::subset(self.data, 0, &self.remapper).map_err(|e| {
            DomainError::Internal(format!("{}: subsetting failed: {e}", self.postscript_name))
        })
    }

    /// Advance widths of the subset glyphs in thousandths of an em, by
    /// subset glyph id.
    pub(crate) fn subset_widths(&self) -> Vec<f32> {
        self.remapper
            .remapped_gids()
            .map(|old| self.glyph_advance(GlyphId(old)) * 1000.0)
            .collect()
    }

    /// `(subset glyph id, character)` for every glyph that stands for text.
    pub(crate) fn subset_chars(&self) -> impl Iterator<Item = (u16, char)> + '_ {
        (0u16..)
            .zip(&self.chars)
            .filter_map(|(id, c)| c.map(|c| (id, c)))
    }

    /// `ABCDEF+DejaVuSans`: the PostScript name behind a tag that depends only
    /// on the glyphs used, so that the same text gives the same bytes.
    pub(crate) fn subset_name(&self) -> String {
        // FNV-1a over the used glyph ids.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for glyph in self.remapper.remapped_gids() {
            for byte in glyph.to_be_bytes() {
                hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        let tag: String = (0..6)
            .map(|i| char::from(b'A' + ((hash >> (i * 8)) % 26) as u8))
            .collect();
        format!("{tag}+{}", self.postscript_name)
    }

    /// Metrics for the font descriptor, in thousandths of an em.
    pub(crate) fn metrics(&self) -> Metrics {
        let scale = 1000.0 / f32::from(self.face.units_per_em());
        let bbox = self.face.global_bounding_box();
        let ascent = f32::from(self.face.ascender()) * scale;
        Metrics {
            bbox: [
                f32::from(bbox.x_min) * scale,
                f32::from(bbox.y_min) * scale,
                f32::from(bbox.x_max) * scale,
                f32::from(bbox.y_max) * scale,
            ],
            ascent,
            descent: f32::from(self.face.descender()) * scale,
            cap_height: self
                .face
                .capital_height()
                .map_or(ascent, |h| f32::from(h) * scale),
            italic_angle: self.face.italic_angle(),
            stem_v: 10.0 + 0.244 * (f32::from(self.face.weight().to_number()) - 50.0),
        }
    }

    fn glyph_advance(&self, glyph: GlyphId) -> f32 {
        let advance = self.face.glyph_hor_advance(glyph).unwrap_or(0);
        f32::from(advance) / f32::from(self.face.units_per_em())
    }
}

/// What a PDF font descriptor says about a face, in thousandths of an em.
pub(crate) struct Metrics {
    /// `[x_min, y_min, x_max, y_max]`.
    pub(crate) bbox: [f32; 4],
    pub(crate) ascent: f32,
    pub(crate) descent: f32,
    pub(crate) cap_height: f32,
    pub(crate) italic_angle: f32,
    pub(crate) stem_v: f32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_faces_have_every_uzbek_letter() {
        for weight in [Weight::Regular, Weight::Bold] {
            let font = Font::load(weight).unwrap();
            for c in "oʻgʻOʻGʻʼ'‘’ўқғҳЎҚҒҲёЁщЪéüçñ«»–—…".chars() {
                assert!(font.has_glyph(c), "{weight:?} lacks {c:?}");
            }
            assert!(!font.has_glyph('王'));
            assert!(!font.has_glyph('한'));
            assert!(!font.has_glyph('क'));
        }
    }

    #[test]
    fn encode_numbers_glyphs_in_order_of_first_use() {
        let mut font = Font::load(Weight::Regular).unwrap();
        assert!(font.is_unused());
        assert_eq!(font.encode("oʻo"), [0, 1, 0, 2, 0, 1]);
        assert_eq!(font.encode("ʻ"), [0, 2]);
        assert!(!font.is_unused());
        assert_eq!(
            font.subset_chars().collect::<Vec<_>>(),
            [(1, 'o'), (2, 'ʻ')]
        );
        assert_eq!(font.subset_widths().len(), 3);
    }

    #[test]
    fn subset_name_depends_on_the_glyphs_only() {
        let name = |text: &str| {
            let mut font = Font::load(Weight::Bold).unwrap();
            font.encode(text);
            font.subset_name()
        };
        assert_eq!(name("Salom"), name("Salom"));
        assert_ne!(name("Salom"), name("Xayr"));
        let tagged = name("Salom");
        assert!(tagged.ends_with("+DejaVuSans-Bold"), "{tagged}");
        assert!(tagged[..6].chars().all(|c| c.is_ascii_uppercase()));
    }

    #[test]
    fn widths_are_in_ems() {
        let font = Font::load(Weight::Regular).unwrap();
        let m = font.width("m");
        assert!((0.8..1.1).contains(&m), "{m}");
        assert_eq!(font.width(""), 0.0);
        assert!((font.width("mm") - 2.0 * m).abs() < 1e-6);
    }
}
